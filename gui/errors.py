"""Errors shown to people: what happened, what to do, the log path, and the technical details folded away.

Every failure the user can meet ends here, never as a traceback: job failures (``Failed`` events), plain
``DataError`` / ``CommandError`` / ``ProjectError`` messages, and, as a last resort, uncaught exceptions
(``install_excepthook``), which are logged and shown as "this is a bug" with the log path."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from edgeling.gui.qt import QApplication, QMessageBox, QWidget

log = logging.getLogger("edgeling.gui")


def log_path() -> Path:
    from edgeling.core.project import data_root

    return data_root() / "logs" / "edgeling-studio.log"


def setup_logging() -> Path:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return path
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("edgeling")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def show_error(parent: QWidget | None, message: str, details: str = "", log_file: str | Path | None = None,
               title: str = "Edgeling", modal: bool = True, say_log: bool = True) -> QMessageBox:
    """Show ``message`` (plain words: what happened and what to do) without blocking the event loop.
    ``details`` (a traceback, a file list) sits behind "Show Details"; the log path is named once: not again
    when the message already names it (a training child's death said "Its log is …/train.log", then "The log is
    in …/train.log"), and not for a plain mistake of the user's (``say_log=False``: a folder that is no project),
    where a log only clutters."""
    from edgeling.core.terminal_hint import for_the_app

    message = for_the_app(message)    # core's messages name the terminal command too: not in the app
    log.warning("shown to user: %s", message)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(message)
    where = str(log_file or log_path())
    if say_log and where not in message:
        box.setInformativeText(f"The log is in {where}")
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorDialog")
    if modal:
        box.open()       # window-modal, returns at once: the event loop (and running jobs) keep going
    else:
        box.show()
    return box


def message_of(exc: BaseException) -> str:
    """The plain message of a user-facing error, or a generic sentence for a bug."""
    from edgeling.core.commands.common import CommandError
    from edgeling.core.data.dataset import DataError

    if isinstance(exc, (DataError, CommandError)):
        return str(exc)
    return ("Something went wrong inside Edgeling (this is a bug, not something you did). Your project "
            "is saved; you can carry on. Please send the log file with a note of what you were doing.")


def show_exception(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    files = getattr(exc, "files", None)
    if files:
        details = "Files:\n" + "\n".join(map(str, files[:200])) + "\n\n" + details
    return show_error(parent, message_of(exc), details)


def install_excepthook() -> None:
    """Uncaught exceptions in slots are logged and shown as a dialog; the app stays open."""

    def hook(exc_type, exc, tb):
        log.error("uncaught", exc_info=(exc_type, exc, tb))
        if QApplication.instance() is None or issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        show_exception(QApplication.activeWindow(), exc)

    sys.excepthook = hook
