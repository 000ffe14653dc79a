"""Sensor recordings with no times in them (columns x, y, z only) cannot be read without the rate the sensor took
its readings at: core says so with ``DataError.code == NO_SAMPLE_RATE``. The terminal's user types
``--recorded-rate 100`` (or ``--sample-rate 100``); the app's user could not give it at all (the Data page's "read
at" box, ``data_rate.py``, appears only once recordings have been read). So the Data page asks, in plain words, and
imports again at the rate given, kept in the project's import options as ``options["recorded_rate"]``: the rate
the recordings were made at, saved, reopened, and passed on to the plan, training, cross-validation and export as
the other import options are. It is not the "read at" box's ``sample_rate`` (the rate every recording is read at):
the GUI walk answered 100, then clicked "Read at 119, as the board does", and the 119 replaced the 100, so the rows
were read as if taken 119 times a second (181 windows instead of 226, nothing resampled). With both kept, the
board's button resamples them from 100 to 119. Cancel leaves the page as after any failed import (the reason in
the status line and the list of problems), in words that say how to be asked again, and with no error box.

The question is window-modal but does not block the event loop (``open()``), as the app's error messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from edgeling.gui.pages.data_rate import RateBox
from edgeling.gui.qt import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout

GUESS = 100.0       # what the box offers first: a common logging rate, and the CLI's own example


def no_rate_words(name: str) -> str:
    """The status line while the question is open."""
    return f"The recordings in {name} have no times in them: say how many readings per second the sensor took."


def cancelled_words(name: str) -> str:
    """The failure after Cancel, in the app's own words: core's message says to "give the sample rate", which
    the user has just declined to do here, and the only place to give it is the question, asked again when the
    folder is chosen again."""
    return (f"The recordings in {name} have no times in them, and no rate was given. To import them, choose {name} "
            "again and say how many readings per second the sensor took, or add a column named 'timestamp' or "
            "'time' to each file.")


class RateQuestion(QDialog):
    """"These recordings have no times in them. How many readings per second did the sensor take? [100]",
    with where to find it, Import and Cancel."""

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setObjectName("noRateDialog")
        self.setWindowTitle("Readings per second")
        layout = QVBoxLayout(self)
        said = QLabel(f"The recordings in {name} have no times in them, so Edgeling cannot tell how fast the "
                      "sensor took its readings.")
        said.setObjectName("noRateSaid")
        said.setWordWrap(True)
        layout.addWidget(said)
        row = QHBoxLayout()
        question = QLabel("How many readings per second did the sensor take?")
        question.setObjectName("noRateQuestion")
        self.box = RateBox("noRateBox", 0.01)
        self.box.setValue(GUESS)
        self.box.setToolTip("The rate the sensor or logger was set to when these recordings were made.")
        question.setBuddy(self.box)
        row.addWidget(question)
        row.addWidget(self.box)
        row.addStretch(1)
        layout.addLayout(row)
        hint = QLabel("The logger's settings or its manual say it (often 50, 100 or 200). A wrong number makes "
                      "every movement look faster or slower than it was, so the model learns it wrong. To correct "
                      "it later, choose the folder again. If your device reads at another rate, set that afterwards "
                      "in \"read at\": the recordings are then resampled to it.")
        hint.setObjectName("noRateHint")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import at this rate")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def rate(self) -> float:
        return round(self.box.value(), 2)


def ask_rate(parent, name: str, answer: Callable[[float | None], None]) -> QDialog:
    """Ask the rate of the recordings in ``name`` (a folder's or file's name) without blocking the event loop;
    ``answer`` gets the rate, or None when the user cancels (or closes the question)."""
    dialog = RateQuestion(name, parent)
    answered = []

    def done(result: int) -> None:
        if answered:
            return
        answered.append(result)
        answer(dialog.rate() if result == QDialog.DialogCode.Accepted else None)
        dialog.deleteLater()

    dialog.finished.connect(done)
    dialog.open()
    dialog.box.setFocus()
    dialog.box.selectAll()
    return dialog


def ask_instead(page, message: str, details: str) -> bool:
    """For the Data page's failed import: True when it failed for want of the rate and the user is being asked
    (``page._on_import_error`` then waits for the answer); False to show the failure as usual. Not asked when a
    rate was given already, another import is waiting, or the data shown is the same (the "read at" box set
    back to "as recorded": that setting could not be used, as usual)."""
    from edgeling.core.data.dataset import NO_SAMPLE_RATE

    thread = page._thread
    if thread is None or getattr(thread, "error_code", "") != NO_SAMPLE_RATE or page._pending is not None:
        return False
    options = dict(thread.options or {})
    if options.get("sample_rate") or options.get("recorded_rate"):
        return False
    shown = page.state.dataset
    if shown is not None and Path(thread.path).resolve() == Path(shown.root).resolve():
        return False
    project, path, kind = page.state.project, thread.path, thread.kind
    name = Path(path).name or path
    page.status.setText(no_rate_words(name))

    def answered(rate: float | None) -> None:
        if page.state.project is not project:
            return             # another project was opened meanwhile
        if rate is None:     # said on the page, not in an error box: the user chose not to answer
            page.show_import_failure(cancelled_words(name), details, dialog=False)
            return
        # the rate they were made at, not the rate to read them at ("read at", the board's button): kept once
        # the import worked
        page.import_path(path, kind, {**options, "recorded_rate": float(rate)})

    ask_rate(page, name, answered)
    return True
