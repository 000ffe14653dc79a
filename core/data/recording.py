"""One sensor recording read from a CSV: channels, timestamps and sample rate, on a regular time grid.

Used by the time-series importer (``timeseries.py``) and by prediction on a new recording. numpy only.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from edgeling.core.data.channel_match import match_channels
from edgeling.core.data.clock_restarts import Restart, restarts_at, unroll_restarts
from edgeling.core.data.coarse_times import Coarse, drop_repeats, whole_seconds
from edgeling.core.data.csvdates import (
    date_seconds,
    datetime_seconds,
    detect_date_format,
    time_of_day_seconds,
)
from edgeling.core.data.csvread import CsvTable, normalize_name, numeric_column
from edgeling.core.data.dataset import DataError
from edgeling.core.data.resample import ROLLOFF, low_pass

TIME_NAMES = {"t", "ts", "time", "timestamp", "temps", "zeit", "zeitstempel", "date", "datetime", "horodatage",
              "seconds", "secs", "sec", "s", "ms", "millis", "milliseconds", "us", "micros", "elapsed", "epoch"}
NUMERIC_MIN_FRACTION = 0.9
GAP_FACTOR = 2.5
"""An interval this many times the typical one is a pause (reported as uneven timestamps)."""
RATE_PAUSE_FACTOR = 3.0
"""Intervals longer than this many typical ones are pauses, left out when the sample rate is measured."""
MAX_GAP_S = 1.0
GAP_MIN_INTERVALS = 10
"""A recording is cut where no reading came for longer than ``gap_limit``: longer than MAX_GAP_S (or half
a window, when the window is shorter than 2 s), and always longer than GAP_MIN_INTERVALS typical
intervals, so that jitter and a few skipped readings are never a cut. Filling a longer pause with a
straight line would put readings that were never taken into the windows over it: at the default 2 s
window a 1 s pause is half a window, and a window shorter than the pause could be all invented."""


@dataclass
class Signal:
    """The numeric channels of one CSV (or one labelled segment of it), before resampling."""

    channels: list[str]
    data: np.ndarray
    """float64 (L, C); blanks already filled by interpolation."""
    times: np.ndarray | None
    """seconds (L,), increasing, or None when the file has no timestamp column."""
    missing: int = 0
    time_unit: str | None = None
    rows: np.ndarray | None = None
    """For each sample, its row in the table (rows without a time are dropped, the rest sorted by time)."""
    repeated: int = 0
    """Readings left out because an earlier one has the same timestamp (the first of each is kept)."""
    restarts: dict[int, Restart] = field(default_factory=dict)
    """Where the timestamps jumped back (``clock_restarts``), by the sample they follow: a cut, as a gap."""
    coarse: Coarse | None = None
    """Timestamps coarser than the readings (``coarse_times``): each run of them spread over its step."""

    @property
    def rate(self) -> float | None:
        return measured_rate(self.times)

    def part(self, start: int, stop: int) -> Signal:
        """Samples ``start:stop`` as a signal of their own."""
        return Signal(self.channels, self.data[start:stop],
                      None if self.times is None else self.times[start:stop], 0, self.time_unit,
                      None if self.rows is None else self.rows[start:stop],
                      restarts={i - start: r for i, r in self.restarts.items() if start <= i < stop - 1},
                      coarse=self.coarse)

    def irregularity(self, gap_s: float | None = None) -> tuple[int, float]:
        """(number of pauses longer than 2.5 intervals, but not gaps the recording is cut at (see ``gaps``),
        relative spread of the intervals). The spread leaves out what rounding the timestamps explains: a
        400 Hz logger stamping whole milliseconds steps by 2 or 3 ms around an even 2.5."""
        if self.times is None or len(self.times) < 3:
            return 0, 0.0
        dt = np.diff(self.times)
        med = float(np.median(dt))
        pauses = dt > GAP_FACTOR * med
        if gap_s is not None:
            pauses &= dt <= gap_limit(gap_s, self.rate)
        steady = dt[dt <= RATE_PAUSE_FACTOR * med]
        period = float(steady.mean()) if len(steady) else med
        if not period > 0:
            return int(np.sum(pauses)), 0.0
        step = timestamp_step(steady)
        step = step if step <= 0.5 * period else 0.0    # 5, 15, 5, 15 ms is a clock, not rounding
        off = np.abs(steady - period) - step
        jitter = float(np.median(np.maximum(off, 0.0)) / period)
        return int(np.sum(pauses)), jitter

    def gaps(self, gap_s: float) -> list[int]:
        """The samples ``i`` after which no reading came for longer than ``gap_limit``, or the clock restarted
        (the recording is cut between ``i`` and ``i + 1``)."""
        if self.times is None or len(self.times) < 2:
            return []
        limit = gap_limit(gap_s, self.rate)
        return sorted({int(i) for i in np.flatnonzero(np.diff(self.times) > limit)} | set(self.restarts))


def timestamp_step(intervals: np.ndarray) -> float:
    """How finely the timestamps were written, seen from the intervals between them: the smallest step
    between two different intervals (1 ms for whole milliseconds), 0 when all intervals are equal. Read
    to 0.1 microsecond, so float noise in "0.0025" is no step."""
    distinct = np.unique(np.round(np.asarray(intervals, np.float64) * 1e7))
    return float(np.diff(distinct).min()) * 1e-7 if len(distinct) > 1 else 0.0


def measured_rate(times: np.ndarray | None) -> float | None:
    """Samples per second from timestamps: the number of intervals over the time they span, pauses (longer
    than 3 typical intervals) left out, a skipped reading counted as the two intervals it is. Timestamps
    rounded to whole milliseconds average out so: a 400 Hz logger steps by 2 or 3 ms (the median interval
    would say 500 or 333 per second), 119 Hz by 8 or 9 ms (the median would say 125). Rounded by
    ``tidy_rate``."""
    if times is None or len(times) < 2:
        return None
    dt = np.diff(np.asarray(times, np.float64))
    med = float(np.median(dt))
    if not (med > 0 and np.isfinite(med)):
        return None
    steady = dt[dt <= RATE_PAUSE_FACTOR * med]
    period = float(steady.mean())
    intervals = np.where(steady > 1.75 * period, np.round(steady / period), 1.0)
    return tidy_rate(float(intervals.sum() / steady.sum()))


def tidy_rate(rate: float) -> float:
    """A measured rate as a person would say it: a whole number when within 0.5 % of one (100.0, not
    99.99 from rounded timestamps), else 4 significant digits (13.7, 0.25)."""
    whole = round(rate)
    if whole >= 1 and abs(rate - whole) <= 0.005 * rate:
        return float(whole)
    return float(f"{rate:.4g}")


def gap_limit(gap_s: float, rate: float | None) -> float:
    """Seconds without a reading that make a gap (see GAP_MIN_INTERVALS): ``gap_s``, and never fewer than
    GAP_MIN_INTERVALS intervals at ``rate``."""
    return max(gap_s, GAP_MIN_INTERVALS / rate) if rate else gap_s


def gap_seconds(window_s: float | None) -> float:
    """The ``gap_s`` for a window of ``window_s`` seconds (None: the default window): 1 s, or half a
    shorter window."""
    return MAX_GAP_S if window_s is None else min(MAX_GAP_S, window_s / 2)


def is_time_name(name: str) -> bool:
    n = normalize_name(name)
    words = re.findall(r"[a-zμµ]+", n)
    return n in TIME_NAMES or (bool(words) and words[0] in TIME_NAMES) or "time" in n or "temps" in n


def find_time_column(table: CsvTable, exclude: set[int]) -> int | None:
    """The timestamp column: by name (time, timestamp, t, ms, ...), else a column of text that reads as
    date-times or times of day ("08:00:00.005"), else a first column of numbers that only ever increase by a
    steady step."""
    for j, name in enumerate(table.columns):
        if j not in exclude and table.has_header and is_time_name(name):
            seconds, _ = _seconds(table, j)
            if np.mean(~np.isnan(seconds)) >= NUMERIC_MIN_FRACTION:
                return j
    for j, _ in enumerate(table.columns):     # "Uhrzeit", "Heure": named in a word not known, written as times
        head = table.column(j)[:200]
        if j not in exclude and any(":" in v for v in head[:5]) and \
                np.mean(~np.isnan(_text_seconds(head)[0])) >= NUMERIC_MIN_FRACTION:
            return j
    if 0 in exclude:
        return None
    nums = numeric_column(table.column(0), table.decimal_comma)
    v = nums.values
    if nums.numeric_fraction < 1 or np.isnan(v).any() or len(v) < 3:
        return None
    dt = np.diff(v)
    if is_counter(v):
        return None
    if np.all(dt > 0) and np.median(np.abs(dt - np.median(dt))) <= 0.1 * np.median(dt):
        return 0
    return None


def is_counter(values: np.ndarray) -> bool:
    """A row counter (0, 1, 2, ... or 1, 2, 3, ...): not a time and not a sensor value."""
    return len(values) >= 3 and values[0] in (0, 1) and bool(
        np.array_equal(values, values[0] + np.arange(len(values))))


def unit_in_name(name: str) -> tuple[str, float] | None:
    """(unit, seconds per unit) a timestamp column's name says ("time_ms"), or None."""
    words = set(re.findall(r"[a-zμµ]+", normalize_name(name)))
    for said, unit, scale in (({"ms", "millis", "milliseconds", "msec"}, "ms", 1e-3),
                              ({"us", "μs", "µs", "micros", "microseconds", "usec"}, "us", 1e-6),
                              ({"ns", "nanos", "nanoseconds"}, "ns", 1e-9), ({"s", "sec", "secs", "seconds"}, "s", 1.0)):
        if words & said:
            return unit, scale
    return None


def time_unit(name: str, values: np.ndarray) -> tuple[str, float]:
    """(unit, seconds per unit) of numeric timestamps, from the column name ("time_ms") or the values."""
    named = unit_in_name(name)
    if named is not None:
        return named
    big = float(np.nanmedian(np.abs(values))) if len(values) else 0.0
    for limit, unit, scale in ((1e17, "ns", 1e-9), (1e14, "us", 1e-6), (1e11, "ms", 1e-3), (1e8, "s", 1.0)):
        if big >= limit:  # seconds / ms / us / ns since 1970
            return unit, scale
    steps = np.diff(values[~np.isnan(values)])
    dt = float(np.median(steps[steps > 0])) if np.any(steps > 0) else 1.0
    if dt < 0.5 or whole_seconds(values):    # 0, 0, ..., 1, 1, ...: seconds, not 10,000+ a second
        return "s", 1.0
    return ("ms", 1e-3) if dt <= 200 else ("us", 1e-6)


def day_column(table: CsvTable, tcol: int | None, exclude: set[int]) -> int | None:
    """The column of dates alone ("2024-05-10") that gives the day of a timestamp column of times of day
    (a logger's or a spreadsheet's separate Date and Time columns); None when there is none."""
    if tcol is None or not any(":" in v for v in table.column(tcol)[:5]) or \
            np.mean(np.isnan(time_of_day_seconds(table.column(tcol)[:50]))) > 1 - NUMERIC_MIN_FRACTION:
        return None
    for j, _ in enumerate(table.columns):
        if j not in exclude and j != tcol and \
                np.mean(~np.isnan(date_seconds(table.column(j)[:200]))) >= NUMERIC_MIN_FRACTION:
            return j
    return None


def read_signal(table: CsvTable, exclude: set[int] | None = None,
                channels: list[str] | None = None) -> tuple[Signal, list[str]]:
    """The channels of ``table`` (every numeric column except the timestamp and ``exclude``; or the
    columns named in ``channels``). Returns the signal and the names of the non-numeric columns that were
    ignored (text, or a first column that only counts rows). A column of dates beside a timestamp column of
    times of day gives their day (``day_column``)."""
    exclude = set(exclude or ())
    tcol = find_time_column(table, exclude)
    dcol = day_column(table, tcol, exclude)
    if dcol is not None:
        exclude.add(dcol)
    picked: list[int] = []
    ignored: list[str] = []
    columns = {}
    if channels is not None:
        free = [j for j, _ in enumerate(table.columns) if j not in exclude and j != tcol]
        found = match_channels(channels, [table.columns[j] for j in free])   # "acc_x" for "x" too
        picked = [free[k] for k in found if k is not None]
    for j, name in enumerate(table.columns):
        if j in exclude or j == tcol or (channels is not None and j not in picked):
            continue
        col = numeric_column(table.column(j), table.decimal_comma)
        if j == 0 and channels is None and is_counter(col.values):
            ignored.append(name)
        elif col.numeric_fraction >= NUMERIC_MIN_FRACTION and not np.isnan(col.values).all():
            columns[j] = col.values
            if channels is None:
                picked.append(j)
        else:
            ignored.append(name)
    picked = [j for j in picked if j in columns]
    data = np.stack([columns[j] for j in picked], axis=1) if picked else np.zeros((len(table.rows), 0))
    times, unit = None, None
    if tcol is not None:
        times, unit = _seconds(table, tcol, dcol)
    rows = np.arange(len(data))
    repeated, coarse = 0, None
    restarts: dict[int, Restart] = {}
    if times is not None:
        ok = ~np.isnan(times)
        data, times, rows = data[ok], times[ok], rows[ok]
        times, found = unroll_restarts(times, rows, table.column(tcol), table.line_numbers, data)   # each part in file order
        order = np.argsort(times, kind="stable")
        data, times, rows = data[order], times[order], rows[order]
        times, data, rows, repeated, coarse = drop_repeats(times, data, rows)  # stable: the first is kept
        if coarse is not None and unit == "s" and unit_in_name(table.columns[tcol]) is None:
            coarse.unit_guessed = True     # whole numbers read as seconds: they may be a fast logger's ms
        restarts = restarts_at(rows, found)
    missing = int(np.isnan(data).sum())
    if missing:
        data = _fill_gaps(data)
    return Signal([table.columns[j] for j in picked], data, times, missing, unit, rows, repeated, restarts,
                  coarse), ignored


def repeated_words(n: int) -> str:
    """'12 readings have a timestamp already seen; the first of each was kept' (``Signal.repeated``)."""
    if n == 1:
        return "1 reading has a timestamp already seen; the first with that timestamp was kept"
    return f"{n:,} readings have a timestamp already seen; the first of each was kept"


def _seconds(table: CsvTable, tcol: int, dcol: int | None = None) -> tuple[np.ndarray, str]:
    """Seconds of the timestamp column ``tcol`` (numbers in a unit, date-times, or times of day, on the
    days of the date column ``dcol`` when there is one), and the unit they were written in."""
    raw = table.column(tcol)
    nums = numeric_column(raw, table.decimal_comma)
    if nums.numeric_fraction >= NUMERIC_MIN_FRACTION:
        unit, scale = time_unit(table.columns[tcol], nums.values)
        return nums.values * scale, unit
    seconds, unit = _text_seconds(raw)
    if unit == "time of day" and dcol is not None:
        return date_seconds(table.column(dcol)) + seconds % 86400, "date and time"
    return seconds, unit


def _text_seconds(raw: list[str]) -> tuple[np.ndarray, str]:
    """Seconds of timestamps written as text: ISO date-times, day-first or month-first date-times
    ("10.05.2024 08:00:00"), or times of day alone ("08:00:00.005": seconds from midnight)."""
    seconds = datetime_seconds(raw)
    if np.mean(np.isnan(seconds)) <= 1 - NUMERIC_MIN_FRACTION:
        return seconds, "datetime"
    fmt = detect_date_format(raw[:500])
    if fmt in ("dmy", "mdy"):
        dated = datetime_seconds(raw, fmt)
        if np.mean(np.isnan(dated)) < np.mean(np.isnan(seconds)):
            return dated, "datetime"
    clock = time_of_day_seconds(raw)
    if np.mean(np.isnan(clock)) < np.mean(np.isnan(seconds)):
        return clock, "time of day"
    return seconds, "datetime"


def _fill_gaps(data: np.ndarray) -> np.ndarray:
    """Fill NaN cells of each channel by linear interpolation between their neighbours (0 if a channel
    has no numbers at all)."""
    out = data.copy()
    idx = np.arange(len(data))
    for c in range(data.shape[1]):
        bad = np.isnan(out[:, c])
        if bad.all():
            out[:, c] = 0.0
        elif bad.any():
            out[bad, c] = np.interp(idx[bad], idx[~bad], out[~bad, c])
    return out


LOWER_RATE = 1.02
"""A recording taken this many times faster than the rate it is read at, or more, is filtered first (below)."""


def resample(signal: Signal, rate: float, own_rate: float | None) -> np.ndarray:
    """The signal's channels on a regular grid at ``rate`` samples per second (float64 (L', C)).
    With timestamps the grid follows them (jitter and gaps are interpolated); without, ``own_rate`` is the
    rate the samples were taken at. Read at a lower rate than its own, a recording is first put on an even
    grid at its own rate and what is faster than half the new rate filtered out (``resample.low_pass``):
    picking readings out of it would fold those vibrations back as slower ones that were never there."""
    data = signal.data
    if signal.times is not None and len(signal.times) >= 2:
        t = signal.times - signal.times[0]
    elif own_rate is not None and abs(own_rate - rate) > 1e-9 * rate and len(data) >= 2:
        t = np.arange(len(data)) / own_rate
    else:
        return data
    n = int(np.floor(t[-1] * rate + 1e-6)) + 1
    if n > 20 * len(data) + 10_000:
        as_ms = signal.time_unit == "s" and t[-1] * rate / 1000 <= 20 * len(data) + 10_000
        raise DataError(f"its timestamps span {t[-1]:.0f} s but it holds only {len(data)} samples: the "
                        "timestamps jump far ahead somewhere. Check the timestamp column"
                        + (", or, if its numbers are milliseconds, name it 'time_ms'." if as_ms else "."))
    own = own_rate or signal.rate
    if own and own >= LOWER_RATE * rate and data.shape[1]:
        even = np.arange(int(np.floor(t[-1] * own + 1e-6)) + 1) / own
        data = low_pass(np.stack([np.interp(even, t, data[:, c]) for c in range(data.shape[1])], axis=1),
                        ROLLOFF * rate / own)
        t = even
    grid = np.arange(n) / rate
    return np.stack([np.interp(grid, t, data[:, c]) for c in range(data.shape[1])], axis=1) \
        if data.shape[1] else np.zeros((n, 0))


def cut_windows(data: np.ndarray, window_len: int, stride_len: int) -> np.ndarray:
    """float32 (n, window_len, C) windows starting every ``stride_len`` samples (none if too short)."""
    if len(data) < window_len:
        return np.zeros((0, window_len, data.shape[1]), dtype=np.float32)
    view = np.lib.stride_tricks.sliding_window_view(data, window_len, axis=0)[::stride_len]
    return np.ascontiguousarray(view.transpose(0, 2, 1), dtype=np.float32)


def channel_key(names: list[str]) -> tuple[str, ...]:
    return tuple(sorted(_normalized(tuple(names))))


@functools.lru_cache(maxsize=256)
def _normalized(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalize_name(n) for n in names)


def describe_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() if root.is_dir() else path.name
    except ValueError:
        return str(path)
