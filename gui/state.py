"""What the window shows: the open project and the imported dataset. Pages subscribe to the signals and
never hold their own copy; changing the project marks it dirty and the window autosaves it."""

from __future__ import annotations

from edgeling.gui.qt import QObject, Signal


class AppState(QObject):
    sig_project_changed = Signal(object)    # a project was opened or closed (Project | None)
    sig_project_edited = Signal()           # the open project changed: autosave soon
    sig_dataset_changed = Signal(object)    # Dataset | None

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.project = None
        self.dataset = None

    def set_project(self, project) -> None:
        self.project = project
        self.dataset = None
        self.sig_project_changed.emit(project)
        self.sig_dataset_changed.emit(None)

    def set_dataset(self, dataset) -> None:
        self.dataset = dataset
        self.sig_dataset_changed.emit(dataset)

    def edited(self) -> None:
        """Call after changing ``self.project``; the window saves it within a second."""
        if self.project is not None:
            self.project.dirty = True
            self.sig_project_edited.emit()
