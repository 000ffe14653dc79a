"""Errors shown to people: what happened, what to do, the log path, and the technical details folded away.

Every failure the user can meet ends here, never as a traceback: job failures (``Failed`` events), plain
``DataError`` / ``CommandError`` / ``ProjectError`` messages, and, as a last resort, uncaught exceptions
(``install_excepthook``), which are logged and shown as "this is a bug" with the log path.

A file's path in a message is shown on a line of its own that never wraps (``paths_kept_whole``): wrapped as words,
Qt broke a path after any hyphen ("…/Pump-" then "vibration/runs/…", "…/run-002-" then "ptq/train.log"), so the
path could not be read or copied as one. Only a path wider than the dialog can be is split, at its separators."""

from __future__ import annotations

import html
import logging
import re
import sys
import traceback
from pathlib import Path

from edgeling.gui.qt import QApplication, QFontMetrics, QMessageBox, Qt, QWidget

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
    box = ErrorBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    where = str(log_file or log_path())
    box.set_texts(message, f"The log is in {where}" if say_log and where not in message else "", [where])
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorDialog")
    if modal:
        box.open()       # window-modal, returns at once: the event loop (and running jobs) keep going
    else:
        box.show()
    return box


def show_problem(parent: QWidget | None, message: str, title: str = "Edgeling") -> QMessageBox:
    """A problem with the user's files or choices (core's ``DataError``, the CLI's exit code 2): the message
    alone, with an information icon, no log line and no details: nothing went wrong inside Edgeling."""
    box = show_error(parent, message, title=title, say_log=False)
    box.setIcon(QMessageBox.Icon.Information)
    return box


class ErrorBox(QMessageBox):
    """A message box whose paths are shown whole (``paths_kept_whole``); ``text()`` and ``informativeText()``
    still give the words as written, plain, as a ``QMessageBox`` of plain text would."""

    def set_texts(self, message: str, informative: str = "", paths: list[str] | None = None) -> None:
        self._said = (message, informative)
        widest = _widest_line(self)
        shown = paths_kept_whole(message, paths or [], self.fontMetrics(), widest)
        if shown != message:
            self.setTextFormat(Qt.TextFormat.RichText)
        self.setText(shown)
        if informative:
            self.setInformativeText(paths_kept_whole(informative, paths or [], self.fontMetrics(), widest))

    def text(self) -> str:
        return self._said[0] if hasattr(self, "_said") else super().text()

    def informativeText(self) -> str:   # noqa: N802 - Qt's name
        return self._said[1] if hasattr(self, "_said") else super().informativeText()


PATH = re.compile(r"(?<![\w/\\.:])(?:~?/|[A-Za-z]:[\\/])[^\s'\"<>]*[^\s'\"<>.,;:)]")
"""An absolute path in a message (``/home/…``, ``~/…``, ``C:\\…``), up to a space or a quote; the full stop or comma
after it is not part of it."""


def paths_kept_whole(message: str, known: list[str], metrics: QFontMetrics, widest: int) -> str:
    """``message`` as rich text with each path (``known`` ones, such as the log, and any other ``PATH``) on a line
    of its own that does not wrap, the punctuation after it kept with it; split at its separators only where it is
    wider than ``widest`` pixels. A message with no path comes back as it is (plain text)."""
    spans = []
    for path in known:
        at = message.find(path) if path else -1
        while at >= 0:
            spans.append((at, at + len(path)))
            at = message.find(path, at + len(path))
    for m in PATH.finditer(message):
        if not any(a <= m.start() < b for a, b in spans):
            spans.append(m.span())
    if not spans:
        return message
    parts, end = [], 0
    for a, b in sorted(spans):
        if a < end:
            continue
        tail = re.match(r"[^\s]*", message[b:]).group(0)         # "." or ")." after the path, kept on its line
        parts.append(_words(message[end:a].rstrip(" ")))
        lines = _split_at_separators(message[a:b], metrics, widest)
        lines[-1] += tail
        parts.append('<p style="white-space:pre; margin:0">' + "<br>".join(map(_escape, lines)) + "</p>")
        end = b + len(tail)
    parts.append(_words(message[end:].lstrip(" ")))
    return "".join(parts)


def _split_at_separators(path: str, metrics: QFontMetrics, widest: int) -> list[str]:
    lines = [""]
    for piece in re.findall(r"[^/\\]*[/\\]|[^/\\]+$", path):
        if lines[-1] and metrics.horizontalAdvance(lines[-1] + piece) > widest:
            lines.append("")
        lines[-1] += piece
    return lines


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _words(text: str) -> str:
    return _escape(text).replace("\n", "<br>")


def _widest_line(box: QMessageBox) -> int:
    """About the widest a message box's text can be on this screen (Qt's own limit for the box, less its icon)."""
    screen = box.screen() or QApplication.primaryScreen()
    width = screen.availableGeometry().width() if screen is not None else 1024
    return max(200, (width if width <= 1024 else min(width - 480, 1000)) - 120)


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
