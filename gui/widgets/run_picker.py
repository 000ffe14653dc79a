"""A combo box listing the open project's runs (newest first)."""

from __future__ import annotations

from edgeling.gui.qt import QComboBox


class RunPicker(QComboBox):
    def __init__(self, state, parent=None, only_finished: bool = True):
        super().__init__(parent)
        self.state = state
        self.only_finished = only_finished
        self.setObjectName("runPicker")
        state.sig_project_changed.connect(lambda _p: self.refresh())
        state.sig_project_edited.connect(self.refresh)

    def refresh(self) -> None:
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        project = self.state.project
        runs = [] if project is None else [r for r in reversed(project.runs)
                                           if not self.only_finished or r.get("status") == "finished"]
        for r in runs:
            best = (r.get("best") or {}).get("val_accuracy")
            score = f" — best validation accuracy {best:.1%}" if isinstance(best, (int, float)) else ""
            self.addItem(f"{r.get('id')}{score}", r.get("folder"))
        if not runs:
            self.addItem("(no finished run yet: train one on the Train page)", None)
        i = self.findData(current)
        self.setCurrentIndex(i if i >= 0 else 0)
        self.blockSignals(False)
        if self.currentData() != current:
            self.currentIndexChanged.emit(self.currentIndex())

    def run_folder(self):
        rel = self.currentData()
        if not rel or self.state.project is None:
            return None
        return self.state.project.path_in(rel)
