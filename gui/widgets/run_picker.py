"""A combo box listing the open project's runs, newest first: the run that most recently finished training
or compressing (``finished`` in its project entry; runs recorded before that was kept count from when they
were added). A project that opens shows its newest run; the box then keeps the run the user picked, and a
run that appears later (a training or compression just finished) is picked for them. A run whose folder is
gone (moved or deleted by hand) is not offered: the project keeps its entry, and the run comes back to the
list when its folder is put back."""

from __future__ import annotations

import time

from edgeling.core.compress.notes import KEPT_ALONE
from edgeling.core.project import ProjectError
from edgeling.core.runs import RUN_FILE
from edgeling.gui.qt import QComboBox, Qt

KEPT_TIP = ("Training keeps the model of the epoch with the lowest validation loss (not always the one with the "
            "highest validation accuracy); this is its share of the validation samples answered right. Those "
            "samples helped choose it: the test score, on the Evaluate page, is the one to report.")
TEST_TIP = ("How often the run's model answers right on the test samples, kept apart from training: the score to "
            "compare runs by, compressed ones too, and the one to report.")


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


def finished_now() -> str:
    """The ``finished`` stamp the Train and Compress pages give a run that has just finished (the project's
    own time format, so it sorts with ``created``)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime())


def newest_first(entries: list[dict]) -> list[dict]:
    """The project's run entries, the most recently finished first; entries without a ``finished`` stamp
    count from their ``created`` one, and entries of the same second keep the project's order (later first)."""
    order = {id(e): i for i, e in enumerate(entries)}

    def key(e: dict):
        stamp = e.get("finished") or e.get("created")
        return (stamp if isinstance(stamp, str) else "", order[id(e)])

    return sorted(entries, key=key, reverse=True)


def is_int8_run(project, entry: dict | None) -> bool:
    """True when the run is already int8: a compression made it so (int8, or int8 with re-training), or its
    folder holds the int8 file a compression writes."""
    from edgeling.core.compress.int8 import INT8_FILE

    if not entry:
        return False
    if {"ptq", "qat"} & {str(p) for p in entry.get("passes") or []}:
        return True
    try:
        return (project.run_folder(entry) / INT8_FILE).is_file()
    except (ProjectError, KeyError, TypeError, OSError):
        return False


class RunPicker(QComboBox):
    def __init__(self, state, parent=None, only_finished: bool = True, follow_new: bool = True,
                 keep=None, empty_text: str = ""):
        """``keep``: which of the project's runs are listed (a function from their entries to the ones kept; all
        when None); ``empty_text``: the list's one line when none is, instead of "(no finished run yet: …)"."""
        super().__init__(parent)
        self.follow_new = follow_new
        self.state = state
        self.only_finished = only_finished
        self.keep = keep
        self.empty_text = empty_text
        self.setObjectName("runPicker")
        self._known: set | None = None
        self._fresh = False      # a project was just opened: show its newest run
        state.sig_project_changed.connect(self._on_project_changed)
        state.sig_project_edited.connect(self.refresh)

    def refresh(self) -> None:
        shown = self.currentData()      # what the page shows now
        current = None if self._fresh else shown   # another project's run of the same name is not "kept"
        self._fresh = False
        self.blockSignals(True)
        self.clear()
        project = self.state.project
        wanted = [] if project is None else newest_first(
            [r for r in project.runs if not self.only_finished or r.get("status") == "finished"])
        wanted = wanted if self.keep is None or project is None else self.keep(wanted)
        runs = [r for r in wanted if not run_missing(project, r)]
        for r in runs:
            self.addItem(run_label(r), r.get("folder"))
            if run_tip(r):
                self.setItemData(self.count() - 1, run_tip(r), Qt.ItemDataRole.ToolTipRole)
        if not runs:
            gone = [str(r.get("id")) for r in wanted]
            if len(gone) > 1:
                said = f"the folders of {', '.join(gone[:-1])} and {gone[-1]} are missing"
            else:
                said = f"the folder of {gone[0]} is missing" if gone else ""
            self.addItem(f"(no run to use: {said}; put it back, or train a new run on the Train page)" if gone
                         else self.empty_text or "(no finished run yet: train one on the Train page)", None)
        folders = {r.get("folder") for r in runs}
        new = [r.get("folder") for r in runs if self._known is not None and r.get("folder") not in self._known]
        self._known = folders
        if new and (self.follow_new or current is None):
            current = new[0]          # the newest run that appeared since the last look (or was put back)
        i = self.findData(current)
        self.setCurrentIndex(i if i >= 0 else 0)
        self.blockSignals(False)
        if self.currentData() != shown:
            self.currentIndexChanged.emit(self.currentIndex())

    def made_here(self, folder: str) -> None:
        """A run this picker's page has just made (a compression's result): listed from now on, but not
        picked in place of the user's choice (the Compress page jumped to its own result as the source, a dead
        end for trying another option on the same run)."""
        if self._known is not None:
            self._known.add(folder)

    def _on_project_changed(self, _project) -> None:
        self._known = None
        self._fresh = True
        self.refresh()

    def current_entry(self) -> dict | None:
        """The picked run's project entry; None when there is none."""
        rel, project = self.currentData(), self.state.project
        if not rel or project is None:
            return None
        return next((r for r in project.runs if r.get("folder") == rel), None)

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


def test_score(r: dict) -> float | None:
    """The run's test accuracy as its project entry keeps it (a trained run's, measured when it finished, or a
    compressed run's); None when not known, or when it was measured on the validation samples (data with no
    test samples)."""
    best = r.get("best") or {}
    acc = best.get("accuracy")
    if not isinstance(acc, (int, float)) or isinstance(acc, bool) or best.get("split") == "validation":
        return None
    return float(acc)


def run_label(r: dict) -> str:
    """``run-001 — test accuracy 75.0% (the model kept, from epoch 5)``: the test score of the model the run
    keeps, as its compressed runs say theirs (the vineyard walk compared "validation accuracy 76.9%" with their
    "test accuracy 75.0% / 69.2%": two kinds of number); the validation score of the model kept
    (``train_last.best_of``) only when the test score is not known. A compressed run says so (``compressed:
    pruned, int8``)."""
    best = r.get("best") or {}
    label = str(r.get("id"))
    if r.get("compressed_from"):
        label += compressed_words(r.get("passes"))
    epoch = best.get("epoch")
    kept = f"the model kept, from epoch {epoch}" if isinstance(epoch, int) else "the model kept"
    test = test_score(r)
    if test is not None:
        label += f" — test accuracy {test:.1%}" + (f" ({kept})" if isinstance(epoch, int) else "")
    elif isinstance(best.get("val_accuracy"), (int, float)):
        label += f" — validation accuracy {best['val_accuracy']:.1%} ({kept})"
    return label


def run_tip(r: dict) -> str:
    """The tooltip of the run's line: what its score is."""
    if test_score(r) is not None:
        return TEST_TIP
    return KEPT_TIP if isinstance((r.get("best") or {}).get("val_accuracy"), (int, float)) else ""
