"""What the Export page says when a file is not written: that it was not, why in a sentence a maintenance engineer
reads, and what to do for this run on its device; the check's numbers in core's words (agreement with PyTorch,
points of accuracy, the runtime's name) only in a details part (moved out of ``export.py``, which re-exports the
functions).

The GUI walk: the only file asked for failed its check, and the page said "Export finished; 1 format failed:
Pump_notime_run_001.h did not pass its check in TensorFlow Lite (LiteRT), so it was not written (agrees with
PyTorch on 81.8% of test samples: 4 of 22 answers changed (needs 97%, or at most 2 changed); loses 18.18 points of
accuracy (…)). Compress …", and an error dialog said it all again. A failed check is now said once, on the status
line, where the result of every export is said (``ended_words``); its numbers sit behind "Details" under it
(``CheckDetails``) and in the tooltip of its row. A failure of another kind (the command could not convert the
model, or crashed) is still shown in an error message, with its log; the status line then only names the file
that was not written."""

from __future__ import annotations

from pathlib import Path

from edgeling.gui.pages.export_words import FORMAT_SHORT, INT8_FORMATS, MICRO, failed_checks, fitting_formats
from edgeling.gui.qt import QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout, QWidget


def failure_advice(fmt: str | None, device=None, passes=()) -> str:
    """What to do after a format failed: for an int8 file, int8 with a short re-training on the Compress page,
    or, for a run made that way, a longer training first; another format only when one fits the device."""
    fits = fitting_formats(device)
    if fmt in INT8_FORMATS:
        if "qat" in {str(p) for p in passes or []}:
            said = ("This run was already made int8 with re-training: train a new run for longer on the Train "
                    "page, make it int8 with a short re-training on the Compress page, then export that run.")
        else:
            said = ("On the Compress page, make the run int8 with a short re-training (it keeps the answers "
                    "closer to the model's), then export the new run.")
        others = [f for f in fits if f not in INT8_FORMATS]
    else:
        said = ""
        others = [f for f in fits if f != fmt]
    if others:
        names = " or ".join(FORMAT_SHORT[f] for f in others[:2])
        alt = (f"export {names} instead, which {device.in_sentence} also runs." if device is not None
               else f"export another format instead, such as {names}.")
        said = f"{said} Or {alt}" if said else alt[0].upper() + alt[1:]
    elif not said:
        said = ("No other format runs on this device: send Edgeling's log file with a note of what you were doing "
                "(Details says where it is), so the fault can be fixed.")
    return said


def _samples(v: dict) -> int:
    try:
        return int(v.get("num_samples") or 0)
    except (TypeError, ValueError):
        return 0


def why_words(v: dict, fmt: str | None = None) -> str:
    """Why the file failed its check, in plain words: how many of the test samples it answered otherwise than the
    model that was trained, and against how many allowed (no runtimes, no percentages, no points)."""
    failures = [str(f) for f in v.get("failures") or []]
    if failures and all(f.startswith(MICRO) for f in failures):
        m = int(v.get("micro_samples") or 0)
        k = round((1 - float(v.get("micro_agreement") or 0)) * m)
        return (f"on the board, the file would answer {k} of {m} test samples differently from how it answers on "
                "this computer" if m else "on the board, the file would answer differently from this computer")
    n = _samples(v)
    agreement = v.get("agreement")
    changed = round((1 - float(agreement)) * n) if isinstance(agreement, (int, float)) and n else 0
    lost = v.get("accuracy_loss_samples")
    lost = int(lost) if isinstance(lost, (int, float)) else 0
    allowed = v.get("changes_allowed")
    # the limit that failed is the one said (the review: "answered 2 of the 100 ... (at most 3 may differ), and got
    # 2 more of them wrong" read as a pass; the limit on more wrong answers, 1 there, was only in Details)
    loss_allowed = v.get("accuracy_loss_allowed")
    may_lose = int(loss_allowed * n + 1e-9) if isinstance(loss_allowed, (int, float)) and n else None
    too_many_lost = lost > 0 and (may_lose is None or lost > may_lose)
    lost_limit = f" (at most {may_lose} may be)" if may_lose is not None else ""
    if changed and not (isinstance(allowed, int) and changed <= allowed and too_many_lost):
        said = (f"in its check, the file answered {changed} of the {n} test samples differently from the model you "
                "trained" + (f" (at most {allowed} may differ)" if isinstance(allowed, int) else ""))
        return said + (f", and got {lost} more of them wrong{lost_limit if too_many_lost else ''}" if lost > 0 else "")
    if lost > 0:
        return (f"in its check, the file got {lost} more of the {n} test samples wrong than the model you trained"
                + lost_limit)
    if fmt not in INT8_FORMATS and v.get("max_abs_diff") is not None:
        return ("in its check, the file's confidence in its answers differed from the model you trained by more "
                "than rounding explains")
    return "it did not pass its check"


def advice_words(result: dict, device=None, passes=(), fmt: str | None = None) -> str:
    """What to do, for a file that failed its check."""
    v = result.get("verification") or {}
    failures = [str(f) for f in v.get("failures") or []]
    if result.get("hardly_learnt"):     # core's words: the model's answers are near ties; train it longer first
        return str(result["hardly_learnt"])
    if failures and all(f.startswith(MICRO) for f in failures):    # LiteRT's check passed: not the model's fault
        return ("This is a fault in Edgeling's file, not in your model: send Edgeling's log file with a note of "
                "what you were doing (Details says where it is), so it can be fixed.")
    return failure_advice(result.get("format") or fmt, device, passes)


def _failed_check(result) -> dict | None:
    v = result.get("verification") if isinstance(result, dict) else None
    return v if isinstance(v, dict) and v.get("passed") is False else None


def not_written_words(result) -> str | None:
    """"Pump_run_001.h was not written: in its check, the file answered 4 of the 22 test samples differently from
    the model you trained (at most 2 may differ), and got 4 more of them wrong (at most 1 may be)." for an export
    whose file failed its check (``export --json`` printed its result, then exited with an error); None for any other failure."""
    v = _failed_check(result)
    if v is None:
        return None
    name = Path(str(result.get("path") or "the file")).name
    return f"{name} was not written: {why_words(v, result.get('format'))}."


def failed_check_words(result, device=None, passes=(), fmt: str | None = None) -> str | None:
    """The app's words for an export whose file failed its check: not written, why, and what to do for this run on
    its device; None for any other failure, whose own message is shown."""
    said = not_written_words(result)
    return None if said is None else f"{said} {advice_words(result, device, passes, fmt)}"


def check_numbers(result) -> str:
    """The check's numbers, in core's words, for the details part: where it was checked, each failure, and the
    accuracies; '' for a result that is no failed check."""
    from edgeling.gui.errors import log_path

    v = _failed_check(result)
    if v is None:
        return ""
    lines = [f"Checked in {failed_checks(v)}" + (f" on {_samples(v)} test samples:" if _samples(v) else ":")]
    lines += [f"– {f}" for f in v.get("failures") or []]
    acc, ref = v.get("accuracy"), v.get("reference_accuracy")
    if isinstance(acc, (int, float)) and isinstance(ref, (int, float)):
        lines.append(f"Accuracy on the test samples: {acc:.1%} (the trained model, in PyTorch: {ref:.1%}).")
    lines.append(f"Edgeling's log file: {log_path()}")
    return "\n".join(lines)


def ended_words(failed: list[dict], asked: int, note: str = "") -> str:
    """The status line once every format of a press is through. ``failed``: {"name", "said" (the plain sentence,
    or None for a failure shown in an error message), "advice"} for each format not written; ``asked``: how
    many formats were asked for. Each piece of advice is said once (a C header and an int8 TFLite of one run
    fail for one reason)."""
    if not failed:
        return "Export finished." + (f" {note}" if note else "")
    written = max(asked - len(failed), 0)
    parts = [f"Export finished: {written} of {asked} files written and checked."] if written else []
    advice: list[str] = []
    for f in failed:
        parts.append(f["said"] or f"{f['name']} was not written (the message says why).")
        if f.get("advice") and f["advice"] not in advice:
            advice.append(f["advice"])
    return " ".join(parts + advice + ([note] if note else []))


class CheckDetails(QWidget):
    """"Details" under the status line, for a file that failed its check: a click shows the check's numbers
    (agreement, accuracy lost, the runtime's name), folded away from the sentence said first."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.button = QPushButton("Details")
        self.button.setObjectName("exportFailureDetailsButton")
        self.button.setCheckable(True)
        self.button.setToolTip("The numbers of the check the file failed.")
        self.button.toggled.connect(self._on_toggled)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        self.text = QLabel("")
        self.text.setObjectName("exportFailureDetails")
        self.text.setWordWrap(True)
        self.text.setStyleSheet("color: #555555;")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.hide()
        layout.addWidget(self.text)
        self.hide()

    def show_numbers(self, numbers: str) -> None:
        """Offer ``numbers`` folded away ('' hides the part)."""
        self.text.setText(numbers)
        self.button.setChecked(False)
        self.text.hide()
        self.setVisible(bool(numbers))

    def _on_toggled(self, shown: bool) -> None:
        self.text.setVisible(shown)
        self.button.setText("Hide details" if shown else "Details")

