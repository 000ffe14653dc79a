"""Helpers shared by the CLI sub-commands: one JSON object on stdout, human text on stderr."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from edgeling.core.fileio import _json_default


class CommandError(Exception):
    """A failure to show the user as a plain message (no traceback), with an exit code."""

    def __init__(self, message: str, exit_code: int = 2, details: dict | None = None):
        super().__init__(message)
        self.exit_code = exit_code
        self.details = details or {}


def add_json_flag(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object on standard output")


def add_data_flag(parser) -> None:
    parser.add_argument("--data", metavar="WHERE_IT_IS_NOW",
                        help="the run's data, if it was moved or renamed since training (default: where it "
                             "was, or the same place next to the run folder if both were moved together)")


def say(*parts: Any) -> None:
    """Human-readable text: always on stderr, so stdout stays clean for --json."""
    print(*parts, file=sys.stderr, flush=True)


def emit_json(obj: Any) -> None:
    try:
        sys.stdout.write(json.dumps(obj, default=_json_default, ensure_ascii=False) + "\n")
    except UnicodeEncodeError:
        # A console that cannot show every character (cp1252 on Windows), or a file name that is not
        # valid UTF-8 (Linux): the same JSON with \u escapes is plain ASCII and always writes.
        sys.stdout.write(json.dumps(obj, default=_json_default, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def emit_error(args, message: str, exit_code: int = 2, details: dict | None = None) -> int:
    say(f"edgeling: {message}")
    if getattr(args, "json", False):
        emit_json({"error": {"message": message, "exit_code": exit_code, **(details or {})}})
    return exit_code


def positive_int(text: str) -> int:
    """argparse type: a whole number above 0."""
    return _above_zero(text, int, "a whole number", "20")


def device_id(text: str) -> str:
    """argparse type: a device id, as 'edgeling devices' lists it, in any capitals ('ESP32-S3' is esp32-s3)."""
    from edgeling.core.devices.catalogue import known_device_id

    return known_device_id(text)


def positive_float(text: str) -> float:
    """argparse type: a number above 0."""
    return _above_zero(text, float, "a number", "0.001")


def _above_zero(text: str, cast, what: str, example: str):
    try:
        value = cast(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}; give one above 0, e.g. {example}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"it must be {what} above 0 ({text} was given), e.g. {example}")
    return value


def check_out_folder(out: str, beside: bool = False) -> None:
    """Refuse (exit 2, in plain words) an --out folder that is a file, lies inside a file, or cannot be
    written. ``beside``: the work is done in a new folder next to ``out`` (compress), so that is where the
    writing must be possible."""
    path = Path(out).expanduser()
    if path.exists() and not path.is_dir():
        raise CommandError(f"{out} is a file, not a folder. --out needs a folder to hold the run: choose a new "
                           "folder name.", 2)
    probe = path if path.is_dir() and not beside else path.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise CommandError(f"{out} cannot be made: {probe} is a file, not a folder. Choose --out inside a "
                           "folder.", 2)
    try:
        fd, tmp = tempfile.mkstemp(dir=probe, prefix=".edgeling-write-test-")
        os.close(fd)
        os.unlink(tmp)
    except OSError as e:
        raise CommandError(f"{out} cannot be written: {probe} does not accept new files ({e.strerror or e}). "
                           "Choose --out in a folder you can write to.", 2) from None


IMPORT_OPTIONS = ("leave_out", "target", "task", "image_size", "window_s", "stride_s", "sample_rate", "grayscale",
                  "recorded_rate", "audio_rate", "clip_s")


def add_import_options(parser) -> None:
    """The choices a user can make about importing data: the same flags on every command that imports."""
    parser.add_argument("--kind", choices=["images", "table", "timeseries", "audio"], help="skip detection")
    parser.add_argument("--target", help="the column to predict. Table: default the last column, passing over one that is "
                        "mostly blank or a different text in every row. Long sensor CSV: default a column "
                        "called label, class, activity..., else the last text column. Pictures or sound "
                        "clips with a CSV naming each file's label: its label column (default a column called "
                        "label, class, word..., else the last one)")
    parser.add_argument("--task", choices=["classification", "regression"], help="override the guessed task")
    parser.add_argument("--image-size", type=int, help="images: resize to this square side in pixels")
    parser.add_argument("--grayscale", action="store_true", default=None, help="images: convert to grey")
    parser.add_argument("--window", type=float, dest="window_s", help="sensor data: window length in seconds")
    parser.add_argument("--stride", type=float, dest="stride_s", help="sensor data: step between windows (s)")
    parser.add_argument("--sample-rate", type=float,
                        help="sensor data: the rate every recording is read at, in samples per second (e.g. 119, "
                             "the rate the board reads at); recordings at other rates, timestamped or not, are "
                             "resampled to it. Default: from the timestamps (the most common rate)")
    parser.add_argument("--recorded-rate", type=float,
                        help="sensor data: the rate recordings with no timestamps were made at, when it is not the "
                             "rate to read them at (--recorded-rate 100 --sample-rate 119 resamples them from 100 to "
                             "119). Default: --sample-rate")
    parser.add_argument("--audio-rate", type=int, help="audio: resample every clip to this rate (Hz)")
    parser.add_argument("--clip", type=float, dest="clip_s", help="audio: pad or cut clips to this length (s)")
    parser.add_argument("--leave-out", action="append", dest="leave_out", metavar="COLUMN",
                        help="table: a column the model must not read (repeat for more), e.g. a comment")


def import_options_from_args(args) -> dict:
    """The import flags the user gave (``ImportOptions(**...)`` takes them; unset ones are left out)."""
    return {k: getattr(args, k) for k in IMPORT_OPTIONS if getattr(args, k, None) is not None}


@contextlib.contextmanager
def stop_on_ctrl_c():
    """Yields ``should_stop()``: the first Ctrl-C asks the job to stop after its current batch (the
    checkpoint is kept); a second one aborts at once."""
    asked = {"stop": False}

    def on_sigint(signum, frame):
        if asked["stop"]:
            raise KeyboardInterrupt
        asked["stop"] = True
        say("\nStopping after this batch (press Ctrl-C again to abort at once) ...")

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield lambda: asked["stop"]
    finally:
        signal.signal(signal.SIGINT, previous)


class ImportProgressLine:
    """An import's progress on stderr ('Reading the photos: 1,200 of 3,963'): rewritten in place on a
    terminal, a line every ``EVERY_S`` seconds otherwise (a log keeps a few, not thousands)."""

    EVERY_S = 10.0

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.last = time.monotonic()     # a log hears nothing of an import shorter than EVERY_S
        self.open = False

    def __call__(self, done: int, total: int, what: str) -> None:
        from edgeling.core.data.import_progress import progress_words

        self.show(progress_words(done, total, what), done >= total)

    def show(self, text: str, finished: bool) -> None:
        """One step's words (``progress_words``); ``finished``: the last step of its stage."""
        if self.tty:
            self.stream.write("\r" + text.ljust(60))
            self.open = not finished
            if not self.open:
                self.stream.write("\n")
        elif time.monotonic() - self.last >= self.EVERY_S:
            self.last = time.monotonic()
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End a rewritten line that the import left open (it stopped, or its last step was not heard)."""
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False
