"""The main window: a left navigation list of pages, the page stack, a status bar, autosave."""

from __future__ import annotations

import logging
from pathlib import Path

from edgeling.core.project import ProjectError, claim, create_project, load_project, release_claim
from edgeling.gui.cache_dialog import delete_imported_copies
from edgeling.gui.errors import show_error
from edgeling.gui.pages.base import Page
from edgeling.gui.pages.compress import CompressPage
from edgeling.gui.pages.data import DataPage
from edgeling.gui.pages.evaluate import EvaluatePage
from edgeling.gui.pages.export import ExportPage
from edgeling.gui.pages.home import HomePage
from edgeling.gui.pages.model import ModelPage
from edgeling.gui.pages.train import TrainPage
from edgeling.gui.qt import (
    QAction,
    QEvent,
    QHBoxLayout,
    QKeySequence,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    Qt,
    QTimer,
    QWidget,
    Signal,
)
from edgeling.gui.state import AppState

log = logging.getLogger("edgeling.gui")
AUTOSAVE_MS = 800
PAGE_CLASSES = (HomePage, DataPage, ModelPage, TrainPage, EvaluatePage, CompressPage, ExportPage)


class MainWindow(QMainWindow):
    sig_project_opened = Signal(object)

    def __init__(self, parent: QWidget | None = None, page_kwargs: dict | None = None):
        super().__init__(parent)
        self.setWindowTitle("Edgeling")
        self.resize(1180, 760)
        self.state = AppState(self)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(170)
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}
        page_kwargs = page_kwargs or {}
        for cls in PAGE_CLASSES:
            page = cls(self.state, **page_kwargs.get(cls.key, {}))
            self.pages[cls.key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(cls.title)
            item.setData(Qt.ItemDataRole.UserRole, cls.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._on_nav_row)
        # a cross-validation (Evaluate page) trains each of its runs as the Train page trains one
        self.pages["evaluate"].crossval.params_for = self.pages["train"].job_params
        self.pages["train"].epochs.valueChanged.connect(lambda _v: self.pages["evaluate"].crossval.say_time())
        # a training read the data's files as they are now: the Data page re-checks its own (photos deleted since)
        self.pages["train"].sig_run_ended.connect(self.pages["data"].after_training)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Welcome to Edgeling. Everything stays on this computer.")

        home: HomePage = self.pages["home"]  # type: ignore[assignment]
        home.sig_new_project.connect(self._on_new_project)
        home.sig_open_project.connect(self.open_project)
        home.sig_open_sample.connect(self._on_open_sample)
        self.state.sig_project_edited.connect(self._on_project_edited)
        self.state.sig_project_changed.connect(self._update_nav)

        self._last_save_error = ""
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_project)
        self._make_actions()
        self._update_nav(None)
        self.nav.setCurrentRow(0)
        self.nav.setFocus()

    # --- navigation -----------------------------------------------------------------------------------
    def _make_actions(self) -> None:
        menu = self.menuBar().addMenu("&File")
        for text, keys, slot in (("&New project", QKeySequence.StandardKey.New, self._on_go_home),
                                 ("&Open project…", QKeySequence.StandardKey.Open,
                                  lambda: self.pages["home"]._on_open()),
                                 ("&Save", QKeySequence.StandardKey.Save, self.save_project),
                                 ("&Delete copies of imported data…", None,
                                  lambda: delete_imported_copies(self)),
                                 ("&Quit", QKeySequence.StandardKey.Quit, self.close)):
            act = QAction(text, self)
            if keys is not None:
                act.setShortcut(keys)
            act.triggered.connect(slot)
            menu.addAction(act)
        menu.actions()[3].setToolTip("Edgeling keeps a decoded copy of each folder or table you import, outside "
                                     "your projects, to open it quickly; this deletes those copies.")
        go = self.menuBar().addMenu("&Go")
        for i, cls in enumerate(PAGE_CLASSES):
            act = QAction(cls.title, self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _=False, k=cls.key: self.show_page(k))
            go.addAction(act)
            self.addAction(act)

    def show_page(self, key: str) -> bool:
        keys = list(self.pages)
        row = keys.index(key)
        if not (self.nav.item(row).flags() & Qt.ItemFlag.ItemIsEnabled):
            self.statusBar().showMessage("Open or create a project first.", 4000)
            return False
        self.nav.setCurrentRow(row)
        return True

    def current_page(self) -> Page:
        return self.stack.currentWidget()  # type: ignore[return-value]

    def _on_nav_row(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        page = self.current_page()
        if self.state.project is not None:
            self.state.project.set_ui("page", page.key)
            self._schedule_save()
            self.state.recheck_runs()     # a run retrained in a terminal meanwhile: its new scores
        page.on_shown()

    def _update_nav(self, project) -> None:
        for i, page in enumerate(self.pages.values()):
            item = self.nav.item(i)
            enabled = project is not None or not page.needs_project
            flags = item.flags()
            item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled if enabled else flags & ~Qt.ItemFlag.ItemIsEnabled)
        title = f"{project.name} — Edgeling" if project is not None else "Edgeling"
        self.setWindowTitle(title)

    def _on_go_home(self) -> None:
        self.show_page("home")
        self.pages["home"].name_edit.setFocus()

    # --- projects -------------------------------------------------------------------------------------
    def _on_new_project(self, name: str, folder: str) -> None:
        if not self._may_leave_project():
            return
        try:
            project = create_project(name, folder or None)
        except ProjectError as e:
            show_error(self, str(e), say_log=False)
            return
        self._set_project(project)
        self.show_page("data")

    def _on_open_sample(self, sample_path: str) -> None:
        if not self._may_leave_project():
            return
        try:
            name = Path(sample_path).parent.name if Path(sample_path).is_file() else Path(sample_path).name
            project = create_project(f"Sample {name}")
        except ProjectError as e:
            show_error(self, str(e), say_log=False)
            return
        project.update(data={"path": sample_path, "kind": None, "options": {}})
        project.save()
        self._set_project(project)
        self.show_page("data")

    def open_project(self, path: str, from_backup: bool = False) -> bool:
        """Open the project folder ``path``; a damaged file shows a plain message (and offers the backup
        copy when there is one); the app stays as it was."""
        if not self._may_leave_project():
            return False
        try:
            project = load_project(path, from_backup=from_backup)
        except ProjectError as e:
            box = show_error(self, str(e), say_log=False)
            if e.backup_available:
                button = box.addButton("Open the backup copy", QMessageBox.ButtonRole.AcceptRole)
                button.clicked.connect(lambda: self.open_project(path, from_backup=True))
            return False
        current = self.state.project
        if current is None or current.folder != project.folder:
            try:
                claim(project)
            except ProjectError as e:   # open in another window: say so, and let the user decide
                box = show_error(self, str(e), say_log=False)
                button = box.addButton("Open it here anyway", QMessageBox.ButtonRole.AcceptRole)
                button.clicked.connect(lambda: self._open_claimed(project, force=True))
                return False
        self._open_claimed(project)
        return True

    def _open_claimed(self, project, force: bool = False) -> None:
        if force:
            claim(project, force=True)
        self._set_project(project)
        if project.warnings:
            show_error(self, "The project was opened, with notes:\n\n" + "\n".join(project.warnings))
        page = project.ui.get("page", "data")
        self.show_page(page if page in self.pages else "data")

    def _may_leave_project(self) -> bool:
        """Ask before another project replaces one whose work still runs; True: go ahead (the pages end
        that work in ``_set_project``, recording it in the project it belongs to)."""
        busy = self.running_work()
        return not busy or self.confirm_close(busy, opening=True)

    def _set_project(self, project) -> None:
        old = self.state.project
        if old is not None:
            for page in self.pages.values():
                page.leave_project()
            self.save_project()
            if old.folder != project.folder:
                release_claim(old)
        claim(project, force=True)   # ours now (open_project asked first if another window had it)
        self._last_save_error = ""
        self.state.set_project(project)
        self.statusBar().showMessage(f"Project saved in {project.folder}")
        self.statusBar().setToolTip(f"{project.name} is saved in {project.folder}")
        self.sig_project_opened.emit(project)

    def _on_project_edited(self) -> None:
        self._schedule_save()

    def _schedule_save(self) -> None:
        self._autosave.start()

    def save_project(self) -> bool:
        project = self.state.project
        if project is None:
            return False
        try:
            saved = project.save_if_dirty()
        except ProjectError as e:   # said once (autosave retries after every change), then in the status bar
            if str(e) != self._last_save_error:
                self._last_save_error = str(e)
                show_error(self, str(e))
            self.statusBar().showMessage("Not saved: " + str(e))
            return False
        if saved:
            self.statusBar().showMessage(f"Saved {project.name}", 3000)   # its folder: the tooltip
        return True

    def running_work(self) -> list[str]:
        return [w for page in self.pages.values() if (w := page.running_work())]

    def confirm_close(self, busy: list[str], opening: bool = False) -> bool:
        """Ask before closing (or, ``opening``, before another project replaces this one) while work runs;
        True: stop it and go on."""
        what = " and ".join(busy)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Open another project?" if opening else "Close Edgeling?")
        box.setText(f"{what[0].upper()}{what[1:]} is still running in this project. Stop it and "
                    + ("open the other project?" if opening else "close Edgeling?"))
        box.setInformativeText("A training run keeps its last finished epoch: Resume on the Train page "
                               "carries on from there. A compression or export that is stopped writes "
                               "nothing.")
        close = box.addButton("Stop and open" if opening else "Stop and close",
                              QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep working", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        watch = QTimer(box)      # the work may end while the question is up: it then says so, not "still running"

        def ended() -> None:
            if self.running_work():
                return
            watch.stop()
            box.setText(f"{what[0].upper()}{what[1:]} has finished meanwhile; nothing is running now. "
                        + ("Open the other project?" if opening else "Close Edgeling?"))
            box.setInformativeText("")
            close.setText("Open" if opening else "Close")
            keep.setText("Stay here")

        watch.timeout.connect(ended)
        watch.start(300)
        box.exec()
        watch.stop()
        return box.clickedButton() is close

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.window_activated()

    def window_activated(self) -> None:
        """Back in the window: the current page shows files moved or deleted meanwhile as missing."""
        state = getattr(self, "state", None)    # None while the window is still being built
        if state is not None and state.project is not None:
            state.recheck_runs()
            self.current_page().recheck_files()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        busy = self.running_work()
        if busy and not self.confirm_close(busy):
            event.ignore()
            return
        for page in self.pages.values():
            page.shutdown()
        self._autosave.stop()
        self.save_project()
        if self.state.project is not None:
            release_claim(self.state.project)
        super().closeEvent(event)
