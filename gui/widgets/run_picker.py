"""A combo box listing the open project's runs (newest first). It keeps the run the user picked; a run that
appears later (a training or compression just finished) is picked for them."""

from __future__ import annotations

from edgeling.gui.qt import QComboBox


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
        runs = [] if project is None else [r for r in reversed(project.runs)
                                           if not self.only_finished or r.get("status") == "finished"]
        for r in runs:
            self.addItem(run_label(r), r.get("folder"))
        if not runs:
            self.addItem("(no finished run yet: train one on the Train page)", None)
        folders = {r.get("folder") for r in runs}
        new = [r.get("folder") for r in runs if self._known is not None and r.get("folder") not in self._known]
        self._known = folders
        if new and (self.follow_new or current is None):
            current = new[0]          # the newest run that appeared since the last look
        i = self.findData(current)
        self.setCurrentIndex(i if i >= 0 else 0)
        self.blockSignals(False)
        if self.currentData() != current:
            self.currentIndexChanged.emit(self.currentIndex())

    def _on_project_changed(self, _project) -> None:
        self._known = None
        self.refresh()

    def run_folder(self):
        rel = self.currentData()
        if not rel or self.state.project is None:
            return None
        return self.state.project.path_in(rel)


def run_label(r: dict) -> str:
    """``run-001 — best validation accuracy 94.0%``; a compressed run says so, with its test accuracy."""
    best = r.get("best") or {}
    label = str(r.get("id"))
    if r.get("compressed_from"):
        label += f" (compressed: {', '.join(map(str, r.get('passes') or [])) or 'yes'})"
    if isinstance(best.get("val_accuracy"), (int, float)):
        label += f" — best validation accuracy {best['val_accuracy']:.1%}"
    elif isinstance(best.get("accuracy"), (int, float)):
        label += f" — test accuracy {best['accuracy']:.1%}"
    return label
