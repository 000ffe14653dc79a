"""The Data page's import, in a QThread of its own (numpy-only; it fills the on-disk cache), so a big folder
never freezes the window. It says how far it has got (``sig_progress``): core's importers report their steps
to ``import_progress.reporting``'s listener from this thread, and the signal carries them to the page (the
scale walk: 7 minutes of a spinning bar and "Reading <folder> …" for 3,963 photos).

A big import (``IN_CHILD_BYTES`` of files or ``IN_CHILD_FILES`` files or more, not in the cache yet) is read in a child process
(``core/jobs/import_job.py``), as training is: a file that crashes an image or sound decoder, or a folder too
big for memory, ends that process, and the window says so and goes on (the scale walk measured 1.15 GB in the
app's own process while 3,963 photos were read). The thread then opens the cached import, memory-mapped.
Small imports (the bundled samples) are read here: starting a process would take longer than reading them."""

from __future__ import annotations

import time
import traceback
from pathlib import Path

from edgeling.core.data.import_progress import progress_words
from edgeling.gui.qt import QThread, Signal

__all__ = ["ImportThread", "failed_table", "progress_words"]    # progress_words: the terminal's words, too

IN_CHILD_BYTES = 32 * 2**20
IN_CHILD_FILES = 2000
"""Imports whose files come to this much, or this many files, or more are read in a child process (the
regression walk: 3,200 small JPEGs, 31 MB on disk, took 650 MB in the window's process decoded; the bundled
samples, at most 1,797 files and 7 MB, stay in the thread)."""
IMPORT_JOB = "edgeling.core.jobs.import_job.run"


class ImportEnded(Exception):
    """The child reading the files ended without an answer (a crash, out of memory): ``args[0]`` says so."""


class ImportThread(QThread):
    sig_done = Signal(object)          # Dataset
    sig_error = Signal(str, str)       # message, details
    sig_table_columns = Signal(str, list)  # a table that failed to import: its path and its column names
    sig_progress = Signal(int, int, str)   # done, total, the stage ("reading the photos"), now and then

    def __init__(self, path: str, kind: str | None, options: dict, parent=None):
        super().__init__(parent)
        self.path, self.kind, self.options = path, kind, options
        self.child_pid: int | None = None     # the process that read the files, when one did
        self.stamp: str | None = None         # the files' names, sizes and times as read (data_recheck.py)
        self.error_code = ""                  # a failed import's DataError.code (NO_SAMPLE_RATE: ask the rate)
        self.error_files: list[str] = []      # the files it names (LABEL_SHEET_CHOSEN: the sheet)

    def run(self) -> None:
        from edgeling.core.data import import_progress
        from edgeling.core.data.dataset import LABEL_SHEET_CHOSEN, DataError
        from edgeling.gui.pages.data_recheck import files_stamp

        self.stamp = files_stamp(self.path)     # before reading: a file changed meanwhile is read again later
        try:
            with import_progress.reporting(self.sig_progress.emit):   # queued to the page: it is in the main thread
                ds = self._open()
        except DataError as e:
            self.error_code = getattr(e, "code", "") or ""     # set before the signal: the page reads it
            self.error_files = [str(f) for f in e.files[:200]]
            files = "\n".join(self.error_files)
            table = None if self.options.get("target") or self.error_code == LABEL_SHEET_CHOSEN else \
                failed_table(self.path, self.kind)     # a folder's label sheet: its folder is read, no column offered
            if table is not None:           # the column taken by default may be the problem: offer the others
                self.sig_table_columns.emit(*table)
            self.sig_error.emit(str(e), f"Files:\n{files}" if files else "")
        except ImportEnded as e:
            self.sig_error.emit(str(e.args[0]), str(e.args[1]) if len(e.args) > 1 else "")
        except ModuleNotFoundError as e:
            self.sig_error.emit(f"This kind of data cannot be imported by this build of Edgeling yet "
                                f"({e.name} is missing).", traceback.format_exc())
        except Exception as e:  # noqa: BLE001 - every failure becomes a dialog, never a traceback
            self.sig_error.emit(f"Could not import {self.path}: {type(e).__name__}: {e}. Check that the "
                                "files open on this computer, then try again.", traceback.format_exc())
        else:
            if ds is not None:
                self.sig_done.emit(ds)

    def _open(self):
        """The dataset: from the cache, else read (in a child process when big), then opened from the cache."""
        from edgeling.core.data.load import ImportOptions, cached_dataset, open_dataset

        options = ImportOptions(**self.options)
        ds = cached_dataset(self.path, self.kind, options)
        if ds is not None:
            return ds
        count, size = input_size(self.path)
        if size >= IN_CHILD_BYTES or count >= IN_CHILD_FILES:
            if not self._read_in_child():
                return None                 # asked to stop (the window closes, another import replaces it)
        return open_dataset(self.path, kind=self.kind, options=options)   # a cache hit after the child

    def _read_in_child(self) -> bool:
        """Run the import job in a child process, passing its steps on; True once it has filled the cache."""
        from edgeling.core.data.dataset import DataError
        from edgeling.core.jobs.process import start_job

        handle = start_job(IMPORT_JOB, {"path": self.path, "kind": self.kind, "options": dict(self.options),
                                        "job_kind": "import"})
        self.child_pid = handle.pid
        result = None
        try:
            while result is None:
                if self.isInterruptionRequested():
                    handle.stop(grace_s=1.0)
                for ev in handle.poll():
                    name = type(ev).__name__
                    if name == "Progress" and ev.total:
                        self.sig_progress.emit(ev.done, ev.total, ev.message)
                    elif name == "Finished":
                        result = ev.result
                    elif name == "Stopped":
                        return False
                    elif name == "Failed":
                        raise ImportEnded(
                            f"Reading {Path(self.path).name} stopped: {ev.message} Edgeling itself is still "
                            "running and your project is as it was. If it happens again, import the folder in "
                            "parts, or with a smaller picture size.", ev.details)
                time.sleep(0.05)
        finally:
            handle.close()
        if not result.get("ok"):
            raise DataError(str(result.get("message") or "The data could not be imported."),
                            files=list(result.get("files") or []), code=str(result.get("code") or ""))
        return True


def input_size(path: str) -> tuple[int, int]:
    """(how many files, their bytes) an import of ``path`` reads ((0, 0) when it cannot be told)."""
    from edgeling.core.data.cache import list_input_files

    try:
        files = list_input_files(Path(path).expanduser())
    except OSError:
        return 0, 0
    return len(files), sum(size for _, size, _ in files)


def failed_table(path: str, kind: str | None) -> tuple[str, list] | None:
    """(the CSV file, its column names) when ``path`` is a table whose import failed; None otherwise."""
    from edgeling.core.data.csvread import read_csv
    from edgeling.core.data.load import detect_kind, single_table_file

    try:
        p = Path(path)
        if (kind or detect_kind(p)) != "table":
            return None
        p = single_table_file(p) if p.is_dir() else p
        columns = read_csv(p).columns if p is not None else []
    except Exception:  # noqa: BLE001 - the import's own message is what the user needs
        return None
    return (str(p), list(columns)) if len(columns) >= 2 else None
