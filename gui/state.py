"""What the window shows: the open project and the imported dataset. Pages subscribe to the signals and
never hold their own copy; changing the project marks it dirty and the window autosaves it."""

from __future__ import annotations

from edgeling.gui.qt import QObject, Signal


class AppState(QObject):
    sig_project_changed = Signal(object)    # a project was opened or closed (Project | None)
    sig_project_edited = Signal()           # the open project changed: autosave soon
    sig_dataset_changed = Signal(object)    # Dataset | None
    sig_runs_changed_on_disk = Signal()     # a run's files changed outside the app (``recheck_runs``)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.project = None
        self.dataset = None
        self._runs_stamp: tuple | None = None   # (project, its runs' files as last seen: ``runs_stamp``)

    def set_project(self, project) -> None:
        self.project = project
        self.dataset = None
        self._runs_stamp = (project, runs_stamp(project)) if project is not None else None
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

    def runs_seen(self) -> None:
        """The runs' files as they are now are the app's own doing (a training it ran has ended)."""
        self._runs_stamp = (self.project, runs_stamp(self.project)) if self.project is not None else None

    def recheck_runs(self) -> bool:
        """Read the runs' scores again when a run's files changed since they were last seen (``train --more`` in
        a terminal retrained a run of the open project: the app kept saying 83.9% for the 84.4% model until the
        project was reopened; the robustness walk). Called when a page is shown and when the window is active
        again; True (and ``sig_runs_changed_on_disk``) when something changed."""
        project = self.project
        if project is None:
            return False
        now = runs_stamp(project)
        before = self._runs_stamp
        self._runs_stamp = (project, now)
        if before is None or before[0] is not project:
            return False
        if not [k for k in now if k in before[1] and before[1][k] != now[k]]:   # a run made or ended here: new
            return False
        from edgeling.gui.pages.train_last import kept_scores

        if kept_scores(project):
            self.edited()       # the run pickers' labels follow (``sig_project_edited``)
        self.sig_runs_changed_on_disk.emit()
        return True


RUN_FILES = ("run.json", "metrics.json", "history.json")


def runs_stamp(project) -> dict:
    """The size and time of each finished or stopped run's files (``RUN_FILES``), by its folder: a run being
    trained by this window is left out (its files change as it goes)."""
    stamp: dict = {}
    for entry in list(project.runs) if project is not None else []:
        if entry.get("status") == "running":
            continue
        try:
            folder = project.run_folder(entry)
        except Exception:  # noqa: BLE001 - a damaged entry: the pages say it is missing
            continue
        seen = []
        for name in RUN_FILES:
            try:
                st = (folder / name).stat()
                seen.append((st.st_size, st.st_mtime_ns))
            except OSError:
                seen.append(None)
        stamp[str(entry.get("folder"))] = tuple(seen)
    return stamp
