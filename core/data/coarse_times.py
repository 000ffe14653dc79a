"""Timestamps coarser than the readings: a logger that writes whole seconds ("2024-05-10 08:00:01", or a
seconds column 0, 0, ..., 1, 1, ...) for 50 readings a second, or whole milliseconds at 2000 a second, or a
spreadsheet export that rounded its times to the second.

Such a recording was read as "490 readings with a timestamp already seen" (the first of each kept) and "1 per
second": 98% of the readings were thrown away and the rate was wrong. When most timestamps are shared by runs of
consecutive readings of similar length, each run's readings are spread evenly over its step instead (over a
few steps at a time when each holds only a few readings; a run at the start of the recording or after a pause
ends where the next step begins, one at the end or before a pause starts with its step, both at the typical
spacing), and said once (``report_coarse``). A reading re-sent (the same timestamp and the same values as one
before it in its run) is still left out and said as before, when its run holds more readings than the fewest
the others hold (a sensor stuck on one value keeps its readings); a file whose every repeat is such a copy is
a logger sending lines twice, not coarse timestamps. numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.sentences import counted

SHARED = 0.5
"""At least this share of the readings in steady steps share their timestamp with others."""
SIMILAR = 0.9
"""At least this share of the steady steps hold about the typical number of readings (within a fifth, or 1)."""
STEADY = 0.5
"""At least this share of the steps between timestamps are the typical step (not pauses nor bursts)."""
COPIES = 0.9
"""When this share of the repeated timestamps are exact copies, the logger sent lines twice."""
SEGMENT_READINGS = 20
"""Runs are spread over as many steps as hold this many readings (1 s at 50 a second, 10 ms at 2000)."""
SECONDS_PER_STEP = 10
"""Whole numbers counting up by 1 with this many readings on each, or more, are seconds (not 10,000 a second)."""


@dataclass
class Coarse:
    """A recording's timestamps were coarser than its readings: ``step`` seconds between them, ``fewest`` to
    ``most`` readings in each steady step (``per_step`` on average)."""

    step: float
    per_step: float
    fewest: int
    most: int
    steps: int = 1
    """The readings were spread evenly over this many steps at a time (``SEGMENT_READINGS``)."""
    unit_guessed: bool = False
    """Numbers read as seconds because their column's name gives no unit (``whole_seconds``): they may be
    milliseconds of a logger reading 1,000 times faster."""

    def words(self) -> str:
        """'given to the second, 50 readings each'."""
        each = f"{self.fewest}" if self.fewest == self.most else f"{self.fewest} to {self.most}"
        return f"given {step_words(self.step)[0]}, {each} readings each"

    def spread_words(self) -> str:
        """'the readings were spread evenly within each second' ('... within each 10 ms')."""
        within = step_words(self.step)[1] if self.steps == 1 else _duration(self.steps * self.step)
        return f"the readings were spread evenly within each {within}"


def step_words(step: float) -> tuple[str, str]:
    """('to the second', 'second') for a step of 1 s; ('in steps of 0.5 s', 'step of 0.5 s') for others. A step
    measured from epoch times is off by float rounding (0.000999928 s for whole milliseconds of a 2025 clock), so
    within 0.1% is close enough, and others are said to 3 digits."""
    for seconds, name in ((60.0, "minute"), (1.0, "second"), (0.1, "tenth of a second"),
                          (0.01, "hundredth of a second"), (0.001, "millisecond"), (1e-6, "microsecond")):
        if abs(step - seconds) <= 1e-3 * seconds:
            return f"to the {name}", name
    return f"in steps of {step:.3g} s", f"step of {step:.3g} s"


def _duration(seconds: float) -> str:
    """'10 ms', '2 s', '500 µs'."""
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if seconds >= scale:
            return f"{seconds / scale:.4g} {unit}"
    return f"{seconds:.3g} s"


def whole_seconds(values: np.ndarray) -> bool:
    """Timestamps with no unit in their name that count whole numbers up by 1, with SECONDS_PER_STEP readings or
    more on each (0, 0, ..., 1, 1, ...): seconds. As milliseconds they would be 10,000 readings a second."""
    v = np.asarray(values, np.float64)
    v = v[~np.isnan(v)]
    if len(v) < 2 * SECONDS_PER_STEP or not np.all(v == np.round(v)):
        return False
    stamps, counts = np.unique(v, return_counts=True)
    return len(stamps) >= 2 and float(np.median(np.diff(stamps))) == 1.0 and \
        float(np.median(counts)) >= SECONDS_PER_STEP


def drop_repeats(times: np.ndarray, data: np.ndarray, rows: np.ndarray,
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, Coarse | None]:
    """Readings sorted by time (stably: a run of equal timestamps in the order of the file) without repeats:
    (times, data, rows, readings left out, Coarse or None). Coarse timestamps (see the module) have their runs
    spread over their step, only re-sent copies left out; otherwise the first reading of each timestamp is
    kept, as before."""
    n = len(times)
    starts = np.flatnonzero(np.concatenate([[True], np.diff(times) > 0])) if n else np.zeros(0, np.int64)
    if len(starts) == n:
        return times, data, rows, 0, None
    shape = _coarse_shape(times[starts], np.diff(np.append(starts, n)))
    copy = _copies(times, data) if shape is not None else None
    # lines sent twice make runs of two copies; runs of 50 readings with many equal ones are a slow or coarse
    # sensor under whole-second times, whose readings repeat (the review: 30 of 1,500 kept)
    if shape is None or (shape[1] <= 2.5 and copy.sum() >= COPIES * (n - len(starts))):
        return times[starts], data[starts], rows[starts], int(n - len(starts)), None
    step, _, one = shape
    is_start = np.zeros(n, bool)
    is_start[starts] = True
    run = np.cumsum(is_start) - 1
    lengths = np.bincount(run, minlength=len(starts))
    full = np.concatenate([[False], one[:-1] & one[1:], [False]])
    fewest = int(np.floor(np.percentile(lengths[full], 10)))
    excess = np.maximum(lengths - fewest, 0)                    # a run longer than the others: a line re-sent
    before = np.concatenate([[0], np.cumsum(copy)])[starts]     # copies before each run
    nth = np.cumsum(copy) - before[run]                         # this copy is the nth of its run
    keep = ~(copy & (nth <= excess[run]))
    times, data, rows, run = times[keep], data[keep], rows[keep], run[keep]
    lengths = np.bincount(run, minlength=len(starts))
    steady = lengths[full]
    typical = float(steady.mean())
    steps = max(1, int(np.ceil(SEGMENT_READINGS / typical)))
    spread = _spread(times[np.concatenate([[0], np.cumsum(lengths)[:-1]])], lengths, one, step, typical, steps)
    coarse = Coarse(step, typical, int(steady.min()), int(steady.max()), steps)
    return spread, data, rows, int(n - len(times)), coarse


def _spread(stamps: np.ndarray, lengths: np.ndarray, one: np.ndarray, step: float, typical: float,
            steps: int) -> np.ndarray:
    """The time of each reading: the runs of ``lengths`` readings at ``stamps`` spread evenly over ``steps``
    steps at a time (whole milliseconds at 2000 a second come as 2, 2, 3, 1, 2: each millisecond alone would
    put a 1 ms interval among 0.5 ms ones). The run at the start of a recording or after a pause, a part of a
    step, ends where the next step begins; the one at the end or before a pause starts with its step; both at
    the typical spacing."""
    prev_ok = np.concatenate([[False], one])
    next_ok = np.concatenate([one, [False]])
    middle = prev_ok & next_ok
    stretch = np.cumsum(~prev_ok) - 1
    pos = np.arange(len(stamps)) - np.flatnonzero(~prev_ok)[stretch]      # the run's place in its stretch
    new = ~middle | ~np.concatenate([[False], middle[:-1]]) | ((pos - 1) % steps == 0)
    seg = np.cumsum(new) - 1
    runs = np.bincount(seg)
    count = np.bincount(seg, weights=lengths)
    head = np.flatnonzero(new)                                            # each segment's first run
    spacing = np.where(middle[head], runs * step / count, step / np.maximum(count, typical))
    offset = np.where(~prev_ok[head] & next_ok[head], step - count * spacing, 0.0)
    reading_seg = np.repeat(seg, lengths)
    first = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    k = np.arange(len(reading_seg)) - first[reading_seg]
    return stamps[head][reading_seg] + offset[reading_seg] + k * spacing[reading_seg]


def _coarse_shape(stamps: np.ndarray, lengths: np.ndarray) -> tuple[float, float, np.ndarray] | None:
    """(step, typical readings per step, whether each step to the next timestamp is the typical one) when the
    timestamps are coarser than the readings, else None."""
    if len(stamps) < 3:
        return None
    steps = np.diff(stamps)
    step = float(np.median(steps))
    if not (step > 0 and np.isfinite(step)):
        return None
    one = np.abs(steps - step) <= 0.01 * step
    if one.mean() < STEADY:
        return None
    full = np.zeros(len(stamps), bool)
    full[1:-1] = one[:-1] & one[1:]
    body = lengths[full]
    if not len(body):
        return None
    typical = float(body.mean())
    shared = body[body >= 2].sum() / body.sum()
    similar = np.mean(np.abs(body - typical) <= max(1.0, 0.2 * typical))
    if shared < SHARED or similar < SIMILAR:
        return None
    return step, typical, one


def _copies(times: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Readings with the same timestamp and the same values as one before them (a line re-sent)."""
    key = np.ascontiguousarray(np.column_stack([times, data]), np.float64)
    view = key.view(np.dtype((np.void, key.dtype.itemsize * key.shape[1]))).ravel()
    _, first, inverse = np.unique(view, return_index=True, return_inverse=True)
    return first[np.ravel(inverse)] != np.arange(len(times))


def coarse_note(coarse: Coarse | None) -> list[str]:
    """Predict's note: 'its timestamps are given to the second, 50 readings each; the readings were spread
    evenly within each second'."""
    return [f"its timestamps are {coarse.words()}; {coarse.spread_words()}"] if coarse else []


def report_coarse(found: dict[str, Coarse], report: R.Report) -> None:
    """One info finding for every recording whose timestamps were coarser than its readings (by file)."""
    if not found:
        return
    said = {(c.words(), c.spread_words()) for c in found.values()}
    files = list(found)
    if len(said) == 1:
        ((words, spread),) = said
        subject = f"{files[0]}: its timestamps are" if len(files) == 1 else \
            f"The timestamps of {counted(len(files), 'recording')} are"
        message = f"{subject} {words}; {spread}."
    else:
        message = (f"The timestamps of {counted(len(files), 'recording')} are coarser than their readings, several "
                   "readings to each; the readings were spread evenly within each step.")
        files = [f"{f} ({c.words()})" for f, c in found.items()]
    fix = ("Nothing to do if the logger reads at a steady rate. For exact times, have it write its timestamps "
           "with more digits.")
    guessed = [c for c in found.values() if c.unit_guessed and c.step == 1.0]
    if guessed:       # 0, 0, ..., 1, 1, ...: seconds at 10 a second, or a 10 kHz logger's milliseconds
        per = round(float(np.median([c.per_step for c in guessed])))
        fix += (f" The timestamp column's name gives no unit, so its whole numbers were read as seconds ({per} "
                f"readings a second). If they are milliseconds ({per * 1000:,} readings a second), name the "
                "column 'time_ms' in each file and import again.")
    report.add(R.COARSE_TIMESTAMPS, message, fix, files=files, severity="info")
