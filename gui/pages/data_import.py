"""The Data page's import, in a QThread of its own (numpy-only; it fills the on-disk cache), so a big folder
never freezes the window. It says how far it has got (``sig_progress``): core's importers report their steps
to ``import_progress.reporting``'s listener from this thread, and the signal carries them to the page (the
scale walk: 7 minutes of a spinning bar and "Reading <folder> …" for 3,963 photos)."""

from __future__ import annotations

import traceback
from pathlib import Path

from edgeling.core.data.import_progress import progress_words
from edgeling.gui.qt import QThread, Signal

__all__ = ["ImportThread", "failed_table", "progress_words"]    # progress_words: the terminal's words, too


class ImportThread(QThread):
    sig_done = Signal(object)          # Dataset
    sig_error = Signal(str, str)       # message, details
    sig_table_columns = Signal(str, list)  # a table that failed to import: its path and its column names
    sig_progress = Signal(int, int, str)   # done, total, the stage ("reading the photos"), now and then

    def __init__(self, path: str, kind: str | None, options: dict, parent=None):
        super().__init__(parent)
        self.path, self.kind, self.options = path, kind, options

    def run(self) -> None:
        from edgeling.core.data import import_progress
        from edgeling.core.data.dataset import DataError
        from edgeling.core.data.load import ImportOptions, open_dataset

        try:
            with import_progress.reporting(self.sig_progress.emit):   # queued to the page: it is in the main thread
                ds = open_dataset(self.path, kind=self.kind, options=ImportOptions(**self.options))
        except DataError as e:
            files = "\n".join(map(str, e.files[:200]))
            table = None if self.options.get("target") else failed_table(self.path, self.kind)
            if table is not None:           # the column taken by default may be the problem: offer the others
                self.sig_table_columns.emit(*table)
            self.sig_error.emit(str(e), f"Files:\n{files}" if files else "")
        except ModuleNotFoundError as e:
            self.sig_error.emit(f"This kind of data cannot be imported by this build of Edgeling yet "
                                f"({e.name} is missing).", traceback.format_exc())
        except Exception as e:  # noqa: BLE001 - every failure becomes a dialog, never a traceback
            self.sig_error.emit(f"Could not import {self.path}: {type(e).__name__}: {e}. Check that the "
                                "files open on this computer, then try again.", traceback.format_exc())
        else:
            self.sig_done.emit(ds)


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
