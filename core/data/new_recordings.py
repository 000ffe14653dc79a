"""New sensor recordings cut into windows exactly as the import cut a run's own: one recording to predict
(``recording_windows``), or a long CSV with a label column kept apart to test on (``labelled_windows``), with
notes on what was done to them (resampled, cut at gaps, a last line cut off). Split from ``timeseries.py``,
which imports a run's data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from edgeling.core.data.channel_match import renamed_axes
from edgeling.core.data.clock_restarts import restart_words
from edgeling.core.data.coarse_times import coarse_note
from edgeling.core.data.csvread import is_missing, normalize_name, read_csv
from edgeling.core.data.dataset import DataError
from edgeling.core.data.ordering import label_text
from edgeling.core.data.recording import (
    Signal,
    cut_windows,
    gap_seconds,
    is_time_name,
    read_signal,
    repeated_words,
    resample,
)
from edgeling.core.data.sensor_units import unit_notes
from edgeling.core.data.stuck_sensor import flat_note
from edgeling.core.data.timeseries import _label_column, _Rec, _segments, _window_sources
from edgeling.core.data.timeseries_align import RATE_TOLERANCE, Gap, cut_at_gaps, seconds_said
from edgeling.core.sentences import verb


def windows_from_recording(path: str | os.PathLike, meta: dict) -> np.ndarray:
    """Cut a new recording (a CSV with the same channels) into windows exactly as the import did:
    float32 (n, meta["window_len"], len(meta["channels"]))."""
    return recording_windows(path, meta).x


@dataclass
class RecordingWindows:
    x: np.ndarray                  # float32 (n, window_len, channels)
    starts: list[float]            # where each window starts, seconds from the first reading
    notes: list[str] = field(default_factory=list)
    """What was done to the recording that the user should know: resampled from another rate, cut at gaps."""


def recording_windows(path: str | os.PathLike, meta: dict) -> RecordingWindows:
    """A new recording (a CSV with the run's channels) cut into windows exactly as the import cut the run's
    recordings (``meta``): resampled to its rate, cut at gaps so that no window spans one, with notes
    saying so."""
    path = Path(path)
    table = _read_recording(path)
    signal = _run_channels(path, table, meta)
    units = _renamed_notes(signal, meta) + unit_notes(signal, meta)
    rate = float(meta["sample_rate"])
    window_len, stride_len = int(meta["window_len"]), int(meta["stride_len"])
    rec = _Rec(path.name, "", signal, path.name, "")
    own = signal.rate or meta.get("untimed_rate")     # untimed: at the rate the run's untimed recordings were made
    rec.rate = own or rate
    pieces, gaps = cut_at_gaps([rec], _gap_s(meta))
    xs, starts = [], []
    for r in pieces:
        w = cut_windows(resample(r.signal, rate, r.rate), window_len, stride_len)
        xs.append(w)
        starts += [r.t0 + k * stride_len / rate for k in range(len(w))]
    notes = reading_notes(table, signal) + units + rate_notes(own, rate, meta) + gap_notes(gaps)
    notes += flat_note(np.concatenate(xs), meta) if xs else []
    if not starts:
        if gaps:
            raise DataError(f"{path} has no stretch of readings as long as one window ({meta['window_s']:.2f} s) "
                            f"without a gap: {'; '.join(gap_notes(gaps)[:3])}. Record for longer without "
                            "interruption.", files=[str(path)])
        length = len(resample(signal, rate, rec.rate))
        raise DataError(f"{path} is {length / rate:.2f} s long, shorter than one window "
                        f"({meta['window_s']:.2f} s). Record for longer.", files=[str(path)])
    return RecordingWindows(np.concatenate(xs), starts, notes)


def _renamed_notes(signal: Signal, meta: dict) -> list[str]:
    """A note when the recording's axes were found by their letter under other names ("acc_x" as "x")."""
    said = renamed_axes(list(meta["channels"]), list(signal.channels), list(range(len(signal.channels))))
    return [f"its columns were matched to the model's by their axis letters: {', '.join(said)}"] if said else []


def _read_recording(path: Path):
    """The recording's table; an empty file is said in a logger's words, not a spreadsheet's (the pump walk:
    "Export the table again from your spreadsheet")."""
    try:
        empty = path.stat().st_size <= 4096 and not path.read_bytes().strip()   # not a second read of a big file
    except OSError:
        empty = False          # read_csv says why it cannot be read
    if empty:
        raise DataError(f"{path} is empty: it holds no readings. Copy it again from the logger if it should hold "
                        "a recording.", files=[str(path)])
    return read_csv(path)


def reading_notes(table, signal: Signal) -> list[str]:
    """Readings a new recording lost on the way in, as the import reports them: a last line cut off
    mid-way (left out), readings with a timestamp already seen (the first kept); and timestamps coarser than
    the readings, each run spread over its step (``coarse_times``)."""
    notes = []
    if table.cut_line:
        line, reason = table.cut_line
        notes.append(f"the last line (line {line}) is cut off: {reason}; it was left out")
    if signal.repeated:
        notes.append(repeated_words(signal.repeated))
    return notes + coarse_note(signal.coarse)


def rate_notes(own: float | None, rate: float, meta: dict | None = None) -> list[str]:
    """A note when a recording's timestamps say another rate than the model's (``rate``): it was resampled;
    or when it has no timestamps but the run's recordings had (``meta["timestamp_unit"]``): its rate was
    taken to be the model's (the pump walk: a 100 Hz recording was read at 200 per second, without a word)."""
    if own is None and (meta or {}).get("timestamp_unit"):
        return [f"it has no timestamps (no column of times that could be read), so it was taken to be at "
                f"{rate:.4g} readings per second, the model's rate; if the logger ran at another rate the answer "
                f"is wrong. Add a timestamp column, or resample it to {rate:.4g} per second"]
    if own is None or abs(own - rate) <= RATE_TOLERANCE * rate:
        return []
    if own < rate:     # the pump walk: inspect says what stretching cannot do; predict said only "check the rate"
        return [f"recorded at {own:.4g} per second and stretched to {rate:.4g}, the model's rate: it holds no "
                f"vibration faster than {own / 2:.4g} Hz, which the model may rely on, so its answer may be worse "
                f"than for a recording at {rate:.4g} per second"]
    return [f"recorded at {own:.4g} per second; the model was trained at {rate:.4g} per second, so it was "
            "resampled (what vibrates faster than the model can see was filtered out first)"]


def gap_notes(gaps: list[Gap]) -> list[str]:
    return [f"{restart_words(g.restart)}; each part was kept in the order of the file, and no window spans the jump"
            if g.restart is not None else
            f"no readings for {seconds_said(g.seconds)} at t = {seconds_said(g.at)} (the logger stopped or lost "
            "data); no window spans that stretch" for g in gaps]


def _gap_s(meta: dict) -> float:
    """The gap a run's recordings were cut at (runs imported before it was recorded: as the import now
    chooses it for their window)."""
    return float(meta.get("gap_s") or gap_seconds(meta.get("window_s")))


@dataclass
class LabelledWindows:
    x: np.ndarray                  # float32 (n, window_len, channels)
    labels: list[str]              # the label of each window, as written in the file
    sources: list[str]             # "file.csv#t=4.00-6.00", as the import names the windows
    skipped: list[dict]            # {"file", "reason"}: stretches with no label or shorter than a window
    column: str                    # the label column, as named in the file
    notes: list[str] = field(default_factory=list)  # "file.csv: recorded at 100 per second; ..." (rate, gaps)


def labelled_windows(path: str | os.PathLike, meta: dict, label_column: str | None = None) -> LabelledWindows:
    """A long CSV with a label column, kept apart from a run's data, cut into windows exactly as the import
    cut the run's own long CSV: each stretch of rows with the same label is a recording of its own, on the
    run's sample rate, channels, window and stride (``meta``). ``label_column`` is the run's (else found
    as the import finds it). DataError, naming the file, when it is not such a CSV."""
    path = Path(path)
    table = _read_recording(path)
    j = _label_column(table, label_column)
    if j is not None and not label_column and is_time_name(table.columns[j]):
        j = None  # the guess took the date-and-time column of a single recording
    signal = _run_channels(path, table, meta, exclude=set() if j is None else {j},
                           testing_with=f"the label column {label_column!r}" if label_column else "a label column")
    if j is None:
        raise DataError((f"{path.name} has no column {label_column!r}, which holds the labels the model is "
                         "tested against. Add it, named as in the file the model was trained on."
                         if label_column else
                         f"{path.name} has no label column (a column of text such as 'label' or 'activity' "
                         "saying what happens in each row), so the model cannot be tested on it. Add such a "
                         "column.") + " Or put each class's recordings in a subfolder named as the class, and "
                        "choose the folder that holds them.", files=[str(path)])
    column = table.columns[j]
    units = _renamed_notes(signal, meta) + unit_notes(signal, meta)
    row_labels = [label_text(r[j]) for r in table.rows]   # in NFC: 'marché' typed on a Mac is 'marché'
    rate, window_len, stride_len = float(meta["sample_rate"]), int(meta["window_len"]), int(meta["stride_len"])
    skipped = [{"file": f"{path.name}#row={a}" + (f"-{b}" if b != a else ""), "reason": f"no label in {column!r}"}
               for a, b in _blank_lines(row_labels, table.line_numbers)]
    xs, labels, sources, gaps = [], [], [], []
    for r in _segments(signal, [row_labels[i] for i in signal.rows], path.name, meta.get("untimed_rate") or rate):
        where = f"{r.source}#t={r.t0:.2f}"
        r.rate = r.rate or meta.get("untimed_rate") or rate     # untimed: at the rate the run's were made at
        pieces, cuts = cut_at_gaps([r], _gap_s(meta))
        gaps += cuts
        found = failed = 0
        for piece in pieces:
            try:
                w = cut_windows(resample(piece.signal, rate, piece.rate), window_len, stride_len)
            except DataError as e:
                skipped.append({"file": f"{piece.source}#t={piece.t0:.2f}", "reason": str(e)})
                failed += 1
                continue
            found += len(w)
            xs.append(w)
            labels += [r.label] * len(w)
            sources += _window_sources(piece, len(w), window_len, stride_len, rate)
        if found or failed:
            continue
        window = f"one window ({window_len / rate:.2f} s)"
        skipped.append({"file": where, "reason": f"'{r.label}' has no stretch as long as {window} between gaps"
                        if cuts else f"'{r.label}' lasts {len(r.signal.data) / rate:.2f} s here, shorter than {window}"})
    x = np.concatenate(xs) if xs else np.zeros((0, window_len, len(meta["channels"])), np.float32)
    notes = [f"{path.name}: {n}" for n in reading_notes(table, signal) + units + rate_notes(signal.rate or meta.get("untimed_rate"), rate, meta)
             + gap_notes(gaps)]
    return LabelledWindows(x, labels, sources, skipped, column, notes)


def _run_channels(path: Path, table, meta: dict, exclude: set[int] | None = None,
                  testing_with: str | None = None) -> Signal:
    """The run's channels (``meta["channels"]``, in its order) of a CSV; DataError naming the missing ones
    (``testing_with``: the label column a CSV to test on needs, for the message when it has no channel)."""
    signal, _ = read_signal(table, exclude=exclude, channels=meta["channels"])
    if len(signal.channels) == len(meta["channels"]):
        return signal
    names = ", ".join(meta["channels"])
    if testing_with and not signal.channels:
        raise DataError(f"{path.name} has none of the sensor columns this model was trained on ({names}), so it "
                        "is not a recording like the ones it learnt from (a table of other values, perhaps). "
                        f"Choose one CSV with the columns {names} and {testing_with}, or a folder with one "
                        "subfolder per class holding such recordings.", files=[str(path)])
    found = {normalize_name(s) for s in signal.channels}
    missing = [c for c in meta["channels"] if normalize_name(c) not in found]
    raise DataError(f"{path} has no {verb(len(missing), 'column', 'columns')} {', '.join(map(repr, missing))}. The model was trained on "
                    f"the channels {names}; record those.", files=[str(path)])


def _blank_lines(labels: list[str], line_numbers: list[int]) -> list[tuple[int, int]]:
    """(first, last) line of each stretch of rows with no label."""
    spans: list[tuple[int, int]] = []
    for i, v in enumerate(labels):
        if not is_missing(v):
            continue
        if spans and i and is_missing(labels[i - 1]):
            spans[-1] = (spans[-1][0], line_numbers[i])
        else:
            spans.append((line_numbers[i], line_numbers[i]))
    return spans


# ----------------------------------------------------------------------------------------------------
# Finding and reading recordings
