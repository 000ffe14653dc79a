"""A logger whose clock restarts in the middle of a recording (after a reset or a power cut, its timestamps
start again from 0), or two recordings joined in one file: the timestamps jump back.

Sorted by time, such a recording had its second part put in front of its first, and the jump was said as a
pause of hundreds of seconds ("no readings for 657.2 s ... the logger stopped or lost data", the second pump
walk). Instead each part keeps the order of the file: the times after the jump are moved on to follow the
readings before it, the recording is cut there (``recording.Signal.gaps``), so that no window spans the jump,
and the jump is said with the line it happens at. A file with many steps back (rows shuffled, or written
newest first) is no restarting clock: it is sorted by time, as before. numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RESTART_INTERVALS = 10
"""A step back by more than this many typical intervals is a restart (a line or two out of order is not)."""
MAX_RESTARTS = 0.01
"""At most this share of the steps may go back for them to be restarts (and one always may: a recording of
under 100 readings has room for one); more, and the rows are out of order."""


@dataclass
class Restart:
    """Where a recording's clock jumped back: the file's line of the first reading after the jump, and the
    timestamps before and after it, as the file writes them ("675883", "0")."""

    line: int
    before: str
    after: str


def unroll_restarts(times: np.ndarray, rows: np.ndarray, stamps: list[str], line_numbers: list[int],
                    data: np.ndarray | None = None) -> tuple[np.ndarray, dict[int, Restart]]:
    """``times`` (in file order; ``rows``: their rows in the table, whose timestamp cells are ``stamps``) with
    each part after a jump back moved on to follow the part before it by one typical step, and the restarts,
    keyed by the row of the first reading after each. Timestamps coarser than the readings (whole seconds, 50
    readings each: ``coarse_times``) step by a second but jump back by more than RESTART_INTERVALS readings.
    A jump back onto readings already sent (the same times and values: ``data``, a logger sending a block again
    after a reconnect) is no restart: those copies are left to ``coarse_times.drop_repeats`` (the review)."""
    times = np.asarray(times, np.float64)
    if len(times) < 3:
        return times, {}
    dt = np.diff(times)
    forward = dt[dt > 0]
    if not len(forward):
        return times, {}
    step = float(np.median(forward))
    back = np.flatnonzero(dt < -RESTART_INTERVALS * step * len(forward) / len(dt))
    if not len(back) or np.count_nonzero(dt < 0) > max(1.0, MAX_RESTARTS * len(dt)):
        return times, {}
    out = times.copy()
    found = {}
    for i in back:
        if data is not None and _sent_again(times, data, i + 1):
            continue
        out[i + 1:] += out[i] + step - out[i + 1]
        row = int(rows[i + 1])
        found[row] = Restart(line_numbers[row], stamps[int(rows[i])].strip(), stamps[row].strip())
    return out, found


def _sent_again(times: np.ndarray, data: np.ndarray, start: int, look: int = 5) -> bool:
    """Whether the readings from ``start`` on (the first ``look``) are copies of readings before it."""
    seen = {(float(t), tuple(np.round(np.nan_to_num(v), 9))) for t, v in zip(times[:start], data[:start])}
    ahead = range(start, min(len(times), start + look))
    copies = sum((float(times[k]), tuple(np.round(np.nan_to_num(data[k]), 9))) in seen for k in ahead)
    return copies > len(ahead) / 2


def restarts_at(rows: np.ndarray, found: dict[int, Restart]) -> dict[int, Restart]:
    """The restarts by the sample they follow (the recording is cut between ``i`` and ``i + 1``), once the
    readings are sorted by time and repeats left out (``rows``: the row of each)."""
    out = {}
    for row, restart in found.items():
        at = np.flatnonzero(rows == row)
        if len(at) and 0 < at[0] < len(rows):
            out[int(at[0]) - 1] = restart
    return out


def restart_words(restart: Restart) -> str:
    """'the timestamps jump back at line 1869, from 675883 to 0 (the logger's clock restarted, or two
    recordings were joined)'."""
    return (f"the timestamps jump back at line {restart.line}, from {restart.before} to {restart.after} (the "
            "logger's clock restarted, or two recordings were joined)")
