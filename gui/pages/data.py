"""Data: drop a folder or CSV; see a preview, the class counts and the data-quality report.

The import runs in a QThread (``data_import.py``) and says how far it has got, so a big folder never
freezes the window; reopening a project later is a fast memory-mapped load from that cache."""

from __future__ import annotations

import time
from pathlib import Path

from edgeling.gui.errors import show_error
from edgeling.gui.pages.base import Page
from edgeling.gui.pages.data_import import ImportThread, progress_words
from edgeling.gui.pages.data_layout import build_views, keep_preview_readable, share_height
from edgeling.gui.pages.data_norate import ask_instead
from edgeling.gui.pages.data_options import (
    build_options_row,
    offer_columns,
    on_target_chosen,
    on_windows_chosen,
    show_sensor_options,
    show_table_options,
)
from edgeling.gui.pages.data_recheck import (
    data_not_here_words,
    data_place,
    files_stamp,
    reread_failed_words,
    run_sample_count,
)
from edgeling.gui.pages.data_sheet import note_for, read_folder_instead, read_words, reading_words
from edgeling.gui.pages.data_words import (
    DATA_HINT,
    counts_words,
    first_sentence,
    held_out_words,
    import_error_problem,
    recordings_of,
    what_samples_are,
)
from edgeling.gui.qt import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QTimer,
    Signal,
)
from edgeling.gui.widgets.drop_area import DropArea
from edgeling.gui.widgets.previews import preview_for

SLOW_LISTING_S = 0.15
SLOW_RECHECK_EVERY_S = 30.0
"""A folder whose listing took longer than SLOW_LISTING_S (about 18,000 files) is checked for changes at most
every SLOW_RECHECK_EVERY_S, not at every return to the window: the check runs in the window's thread."""


class DataPage(Page):
    key = "data"
    title = "Data"
    hint = DATA_HINT

    sig_imported = Signal(object)

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.drop = DropArea()
        self.drop.sig_path_chosen.connect(self._on_path_chosen)
        self.layout_.addWidget(self.drop)
        status_row = QHBoxLayout()
        self.status = QLabel("No data chosen yet.")
        self.status.setObjectName("dataStatus")
        self.status.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.busy)
        self.layout_.addLayout(status_row)
        build_options_row(self)   # the column to predict; the sensor windows and rate

        self.split = build_views(self)
        self.layout_.addWidget(self.split, 1)
        self._split_by_hand = False      # the user dragged the line between preview and findings: theirs kept
        self.split.splitterMoved.connect(self._on_split_dragged)
        self._thread: ImportThread | None = None
        self._thread_project = None      # the project the running import is for
        self._pending: tuple | None = None   # an import asked for while another ran: started after it
        self.last_error: str = ""
        self._failed_table: str | None = None   # a table that failed with the column taken by default
        self.sheet_note: tuple | None = None    # a label sheet chosen on its own: its folder read (data_sheet.py)
        self._data_not_here = False     # the project's data was not on this computer when it opened
        self._stamp: tuple[str, str] | None = None   # (path, its files' stamp) of the data shown
        self._listing_s, self._checked_at = 0.0, -1e9    # how long the last check's listing took, and when
        self._rereading = False         # the import running reads again data whose files changed
        state.sig_project_changed.connect(self._on_project_changed)
        state.sig_dataset_changed.connect(self._on_dataset_changed)

    @property
    def importing(self) -> bool:
        return self._thread is not None

    def import_path(self, path: str, kind: str | None = None, options: dict | None = None) -> None:
        if self._thread is not None:   # one import at a time; the latest request runs next, and a big
            self._pending = (path, kind, options)      # import read in a child process is cut short for it
            self._thread.requestInterruption()
            return
        note = note_for(self, path)
        self.status.setText(reading_words(*note) if note else f"Reading {Path(path).name or path} …")
        self.status.setToolTip(str(path))
        self.busy.setRange(0, 0)      # busy until the importer says how many files it reads
        self.busy.show()
        self.drop.setEnabled(False)
        self._thread_project = self.state.project
        self._thread = ImportThread(str(path), kind, dict(options or {}), self)
        self._thread.sig_done.connect(self._on_import_done)
        self._thread.sig_error.connect(self._on_import_error)
        self._thread.sig_table_columns.connect(self._offer_columns)
        self._thread.sig_progress.connect(self._on_import_progress)
        self._thread.finished.connect(self._on_thread_finished)
        self._thread.start()

    def _on_import_progress(self, done: int, total: int, what: str) -> None:
        """'Reading the photos: 1,200 of 3,963', and the bar filled so far; busy again when a stage is through
        (what follows it, such as the check for near copies, does not say how far it has got)."""
        if self._thread is None or self.sender() is not self._thread:
            return    # a step of an import that has ended (queued signals may arrive late)
        note = note_for(self, self._thread.path)
        step = progress_words(done, total, what)
        self.status.setText(reading_words(*note, step) if note else step)
        if 0 < total and done < total:
            self.busy.setRange(0, total)
            self.busy.setValue(done)
        else:
            self.busy.setRange(0, 0)

    def _on_path_chosen(self, path: str) -> None:
        self._data_not_here = False
        project = self.state.project
        if project is not None:
            project.data = {"path": path, "kind": None, "options": {}}   # a new choice starts afresh
        self._failed_table = None
        self.sheet_note = None
        if self.state.dataset is not None:   # the last data no longer is the project's: not shown beside it
            self.state.set_dataset(None)
        self.import_path(path)

    def _show_table_options(self, ds) -> None:
        show_table_options(self, ds)

    def _offer_columns(self, path: str, columns: list) -> None:
        offer_columns(self, path, columns)

    def _show_sensor_options(self, ds) -> None:
        show_sensor_options(self, ds)

    def _on_windows_chosen(self) -> None:
        on_windows_chosen(self)

    def _on_target_chosen(self, _i: int) -> None:
        on_target_chosen(self, _i)

    def on_shown(self) -> None:
        self.rate.show_board()       # the device may have been chosen meanwhile, on the Model page
        self.recheck_data()

    def recheck_files(self) -> None:
        """Back in the window: data that was not on this computer and has been put back is read now, and data
        whose files changed meanwhile is read again."""
        super().recheck_files()
        project = self.state.project
        if self._data_not_here and project is not None and self.state.dataset is None and not self.importing \
                and project.data.get("path") and data_place(project).exists():
            self._data_not_here = False
            self.import_path(project.data["path"], project.data.get("kind"), project.data.get("options"))
            return
        self.recheck_data()

    def recheck_data(self, force: bool = False) -> bool:
        """Read the data shown again when its files changed on disk since it was read (photos deleted or added
        in a file manager), or when ``force``d; True when a new read started. Unchanged files are listed, not
        read (``data_recheck.files_stamp``); a folder that has gone is left to the next opening to say."""
        project, ds = self.state.project, self.state.dataset
        if project is None or ds is None or self.importing or self._stamp is None or not project.data.get("path"):
            return False
        path, stamp = self._stamp
        started = time.monotonic()
        if not force and self._listing_s > SLOW_LISTING_S and started - self._checked_at < SLOW_RECHECK_EVERY_S:
            return False     # a folder this big is listed at most every so often (each check runs in the window)
        now = files_stamp(path)
        self._listing_s, self._checked_at = time.monotonic() - started, time.monotonic()
        if now is None or (now == stamp and not force):
            return False
        self._rereading = True
        self.import_path(project.data["path"], project.data.get("kind"), project.data.get("options"))
        return True

    def after_training(self, status: str, entry: dict) -> None:
        """A training finished: it read the data's files as they are now, so the page checks its own are the
        same (and reads them again when its run counted other samples than the page shows)."""
        ds, project = self.state.dataset, self.state.project
        if status != "finished" or ds is None or project is None:
            return
        count = run_sample_count(project, entry)
        self.recheck_data(force=count is not None and count != ds.num_samples)

    def _on_project_changed(self, project) -> None:
        self.status.setText("No data chosen yet.")
        self.status.setToolTip("")
        self._data_not_here = False
        self.sheet_note = None
        self._stamp = None
        if project is not None and project.data.get("path"):
            where = data_place(project)
            if not where.exists():    # a project copied without its data: said here, quietly, not as an error
                self.status.setText(data_not_here_words(project, where))
                self._data_not_here = True
                return
            self.import_path(project.data["path"], project.data.get("kind"), project.data.get("options"))

    def _on_import_done(self, ds) -> None:
        if self._thread_project is not self.state.project:
            return   # the import was for a project that is no longer open
        self.last_error = ""
        self._failed_table = None
        self._stamp = (self._thread.path, self._thread.stamp) if self._thread is not None and \
            self._thread.stamp is not None else None
        project = self.state.project
        if project is not None:
            used = self._thread.options if self._thread is not None else project.data.get("options")
            project.data = {"path": str(Path(ds.root)), "kind": ds.kind, "options": dict(used or {})}
            if self._stamp is not None:     # which files were read: a plan kept for other files is not shown
                project.data["files"] = self._stamp[1]
            self.state.edited()
        note = note_for(self, ds.root)
        self.state.set_dataset(ds)
        if note:        # a label sheet chosen on its own: its folder was read, and the status line says so
            self.status.setText(read_words(*note) + self.status.text())
        self.sheet_note = None
        self.sig_imported.emit(ds)

    def _on_import_error(self, message: str, details: str) -> None:
        if self._thread_project is not self.state.project:
            return
        self.last_error = message
        if read_folder_instead(self):     # a folder's label sheet chosen on its own: the folder is read
            return
        if ask_instead(self, message, details):    # recordings with no times: the rate is asked, then read again
            return
        self.show_import_failure(message, details)

    def show_import_failure(self, message: str, details: str, dialog: bool = True) -> None:
        shown = self.state.dataset
        same = shown is not None and self._thread is not None and \
            Path(self._thread.path).resolve() == Path(shown.root).resolve()
        if same and self._rereading:    # its files changed, and the new ones could not be read
            self.status.setText(reread_failed_words(Path(shown.root).name or shown.root, first_sentence(message)))
            self._show_table_options(shown)
            self._show_sensor_options(shown)
        elif same:   # a setting (window, column to predict) that did not work: the data shown stays as it was
            self.status.setText("That setting could not be used (see the message); the data below is still the "
                                "last import's: " + what_samples_are(shown) + ".")
            self._show_table_options(shown)
            self._show_sensor_options(shown)
        else:    # the reason stays when the message is closed, and the files it names are listed below
            self.status.setText("The data could not be imported: " + first_sentence(message) + (
                " Choose the column to predict below to read the table again." if self._failed_table else ""))
            self.report.show_problems([import_error_problem(message, details)])
        if dialog:
            show_error(self, message, details)

    def _on_thread_finished(self) -> None:
        self._thread.deleteLater()
        self._thread = self._thread_project = None
        self._rereading = False
        self.busy.hide()
        self.drop.setEnabled(True)
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.import_path(*pending)

    def _on_dataset_changed(self, ds) -> None:
        if ds is None:
            self._show_table_options(None)
            self._show_sensor_options(None)
            self._set_preview(QLabel("The preview appears here."))
            self.chart.show_empty()
            self.report.show_empty()
            return
        self.status.setToolTip(str(ds.root))      # the folder's (or file's) name is said; its place here
        self.status.setText(f"{Path(ds.root).name or ds.root}: {counts_words(ds)}{held_out_words(ds)}.")
        self._set_preview(preview_for(ds))
        if ds.task == "classification":
            self.chart.show_counts(ds.class_counts(), "clips" if recordings_of(ds) else "samples")
        else:
            self.chart.show_histogram(ds.y)
        self.report.show_problems(ds.report.problems, root=str(ds.root))
        self._split_by_hand = False
        share_height(self.split, self.report, self.preview)
        self._show_table_options(ds)
        self._show_sensor_options(ds)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_findings)      # once the splitter has its new size

    def _on_split_dragged(self, *_args) -> None:
        self._split_by_hand = True

    def _fit_findings(self) -> None:
        """The window's new size: the findings get the height they need again (``share_height``; shared when
        the page was still being laid out, they had two thirds of a smaller room: 10 of 11 findings in view at
        1280 x 800), unless the user set it by dragging; the preview keeps what it needs to be read."""
        if self._split_by_hand or self.state.dataset is None:
            keep_preview_readable(self.split, self.preview)
        else:
            share_height(self.split, self.report, self.preview)

    def _set_preview(self, widget) -> None:
        self.left_layout.removeWidget(self.preview)
        self.preview.hide()          # gone at once: deleteLater waits for the event loop, and it showed twice
        self.preview.deleteLater()
        self.preview = widget
        self.left_layout.addWidget(widget, 1)

    def leave_project(self) -> None:
        self._pending = None   # a big import (in a child process) is cut short; a small one's result is dropped
        if self._thread is not None:
            self._thread.requestInterruption()

    def shutdown(self) -> None:
        self.leave_project()
        if self._thread is not None:
            self._thread.wait(10000)
