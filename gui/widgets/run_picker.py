"""A combo box listing the open project's runs (newest first). It keeps the run the user picked; a run that
appears later (a training or compression just finished) is picked for them. A run whose folder is gone
(moved or deleted by hand) is not offered: the project keeps its entry, and the run comes back to the list
when its folder is put back."""

from __future__ import annotations

from edgeling.core.compress.notes import KEPT_ALONE
from edgeling.core.project import ProjectError
from edgeling.core.runs import RUN_FILE
from edgeling.gui.qt import QComboBox


def run_missing(project, entry: dict) -> bool:
    """True when the run's folder is gone, or a finished run's run.json is (its files were moved or deleted
    by hand). A run that never got far enough to write run.json (failed while opening the data) is not
    missing as long as its folder is there."""
    try:
        folder = project.run_folder(entry)
    except (ProjectError, KeyError, TypeError):
        return True
    if not folder.is_dir():
        return True
    return entry.get("status") == "finished" and not (folder / RUN_FILE).is_file()


class RunPicker(QComboBox):
    def __init__(self, state, parent=None, only_finished: bool = True, follow_new: bool = True):
        super().__init__(parent)
        self.follow_new = follow_new
        self.state = state
        self.only_finished = only_finished
        self.setObjectName("runPicker")
        self._known: set | None = None
        state.sig_project_changed.connect(self._on_project_changed)
        state.sig_project_edited.connect(self.refresh)

    def refresh(self) -> None:
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        project = self.state.project
        wanted = [] if project is None else [r for r in reversed(project.runs)
                                             if not self.only_finished or r.get("status") == "finished"]
        runs = [r for r in wanted if not run_missing(project, r)]
        for r in runs:
            self.addItem(run_label(r), r.get("folder"))
        if not runs:
            gone = [str(r.get("id")) for r in wanted]
            if len(gone) > 1:
                said = f"the folders of {', '.join(gone[:-1])} and {gone[-1]} are missing"
            else:
                said = f"the folder of {gone[0]} is missing" if gone else ""
            self.addItem(f"(no run to use: {said}; put it back, or train a new run on the Train page)" if gone
                         else "(no finished run yet: train one on the Train page)", None)
        folders = {r.get("folder") for r in runs}
        new = [r.get("folder") for r in runs if self._known is not None and r.get("folder") not in self._known]
        self._known = folders
        shown = current               # what the page shows now
        if new and (self.follow_new or current is None):
            current = new[0]          # the newest run that appeared since the last look (or was put back)
        i = self.findData(current)
        self.setCurrentIndex(i if i >= 0 else 0)
        self.blockSignals(False)
        if self.currentData() != shown:
            self.currentIndexChanged.emit(self.currentIndex())

    def _on_project_changed(self, _project) -> None:
        self._known = None
        self.refresh()

    def run_folder(self):
        """The picked run's folder; None when there is none, or its folder has gone since the list was
        filled (the page then says what it says for a project without a run)."""
        rel = self.currentData()
        project = self.state.project
        if not rel or project is None:
            return None
        entry = next((r for r in project.runs if r.get("folder") == rel), {"folder": rel})
        return None if run_missing(project, entry) else project.path_in(rel)


PASS_WORDS = {"prune": "pruned", "ptq": "int8", "qat": "int8 with re-training", "distill": "distilled",
              KEPT_ALONE: "smaller network trained alone, as it beat the distilled one"}
"""The passes of a compression as the app names them (the project and the CLI keep the short names)."""


def passes_in_words(passes) -> str:
    """``["prune", "ptq"]`` -> ``"pruned, int8"``; a name the app does not know is shown as it is."""
    return ", ".join(PASS_WORDS.get(str(p), str(p)) for p in passes or [])


def compressed_words(passes) -> str:
    """`` (compressed: pruned, int8)``, or `` (compressed)`` when the passes are not known."""
    words = passes_in_words(passes)
    return f" (compressed: {words})" if words else " (compressed)"


def run_label(r: dict) -> str:
    """``run-001 — best validation accuracy 94.0%``; a compressed run says so (``compressed: pruned,
    int8``), with its test accuracy."""
    best = r.get("best") or {}
    label = str(r.get("id"))
    if r.get("compressed_from"):
        label += compressed_words(r.get("passes"))
    if isinstance(best.get("val_accuracy"), (int, float)):
        label += f" — best validation accuracy {best['val_accuracy']:.1%}"
    elif isinstance(best.get("accuracy"), (int, float)):
        label += f" — test accuracy {best['accuracy']:.1%}"
    return label
