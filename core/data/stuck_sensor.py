"""Readings that do not change at all: a sensor stuck, unplugged or dead. A real accelerometer's readings
always move a little (noise, vibration); a second or more of exactly equal readings on every channel is no
measurement. The pump walk: a recording flat for its last two thirds was imported without a word, and a
recording of zeros, a stuck one and an unplugged one were all answered "normal (100%)".

At import such stretches are reported with where they are (kept: the user decides); in predict a recording
whose windows are flat gets a note that the answer says nothing about the machine."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.sentences import counted, verb

if TYPE_CHECKING:
    from edgeling.core.data.timeseries import _Rec

STUCK_SECONDS = 1.0
"""The shortest stretch of unchanging readings reported (and at least ``STUCK_READINGS`` readings)."""
STUCK_READINGS = 20


def longest_flat(data: np.ndarray) -> tuple[int, int]:
    """(start, length) of the longest run of readings equal to the one before on every channel (the run
    counts its first reading too); (0, 0) when there is none."""
    data = np.asarray(data)
    if len(data) < 2 or data.ndim != 2 or not data.shape[1]:
        return 0, 0
    same = np.all(data[1:] == data[:-1], axis=1).astype(np.int8)
    edges = np.diff(np.concatenate([[0], same, [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if not len(starts):
        return 0, 0
    k = int(np.argmax(stops - starts))
    return int(starts[k]), int(stops[k] - starts[k] + 1)


def report_stuck(recs: list[_Rec], rate: float, report: R.Report) -> tuple[list[str], dict[tuple, str]]:
    """(the still classes, the other recordings with a stretch of unchanging readings: {(source, class): "file
    (where)"}). A still class ("off" on an 8-bit sensor: the regression walk) is said here, as that class; the
    other recordings by ``report_stuck_windows`` once their windows are cut, and only their still windows are
    left out (the second regression walk: a quiet class never flagged lost 40% of its windows)."""
    flat: list[tuple[str, str, str]] = []      # (class, source, "file (where)")
    for r in recs:
        start, length = longest_flat(r.signal.data)
        if length >= max(STUCK_READINGS, STUCK_SECONDS * rate):
            own = r.rate or rate
            flat.append((r.label, r.source, f"{r.source} ({length / own:.1f} s from t = "
                                            f"{r.t0 + start / own:.1f} s, {length / len(r.signal.data):.0%} of it)"))
    recordings = Counter(r.label for r in recs)
    # A class a third or more of whose recordings hold such a stretch is still by nature (a machine off; an 8-bit
    # sensor at rest reads one value for seconds): its stillness is what the class is, and its windows are kept.
    whole = sorted(c for c, n in Counter(c for c, _, _ in flat).items() if 3 * n >= recordings[c])
    if whole:
        report.add(R.STUCK_SENSOR,
                   f"Many recordings of {', '.join(map(repr, whole))} hold readings that do not change at all for a "
                   "second or more: the model learns that a still sensor means that class.",
                   "Nothing to do if that class is the machine off or still. If the sensor was not working, "
                   "record that class again.", files=[f for c, _, f in flat if c in whole], severity="info")
    found: dict[tuple, str] = {}
    for c, source, f in flat:
        if c not in whole:
            found.setdefault((source, c), f)     # a long CSV's stretches of one label: its first said
    return whole, found


def report_stuck_windows(found: dict[tuple, str], left_out: int, report: R.Report) -> None:
    """A warning listing each recording with a stretch of unchanging readings (``found``), and how many of
    their windows, unchanging throughout, were left out (a dead sensor's windows would teach the model that
    no movement at all is their class: the GUI walk's zeros.csv was then "normal (100% sure)")."""
    if not found:
        return
    n = len(found)
    dropped = (f"The {counted(left_out, 'window')} in which nothing changes at all {verb(left_out, 'was', 'were')} "
               "left out, so the model does not learn that a still sensor is their class; the rest of "
               f"{verb(n, 'the recording was', 'each recording was')} kept." if left_out else
               f"No window lies wholly within {verb(n, 'that stretch', 'those stretches')}, so all were kept.")
    report.add(R.STUCK_SENSOR,
               f"In {counted(n, 'recording')} the readings do not change at all for a second or more: the sensor "
               f"was stuck, unplugged or off (or logs too coarsely to show small movements). {dropped}",
               "Look at each stretch below: if the sensor was not working, cut it out of the recording (or delete "
               "the file) and import again.", files=list(found.values()), severity="warning")


NO_READING = ("the readings never change (the sensor stuck, unplugged or off), so the model's answer says nothing "
              "about what the sensor is on")
"""Said with an answer whose windows all hold one unchanging reading (a prediction's ``no_reading``)."""


def flat_mask(x: np.ndarray) -> np.ndarray:
    """For each window of ``x`` (n, readings, channels): does it hold one and the same reading throughout?"""
    x = np.asarray(x)
    if not len(x) or x.ndim != 3:
        return np.zeros(len(x), bool)
    return np.all(x.max(axis=1) == x.min(axis=1), axis=1)


def flat_windows(x: np.ndarray) -> int:
    """How many windows of ``x`` (n, readings, channels) hold one and the same reading throughout."""
    return int(np.count_nonzero(flat_mask(x)))


def flat_note(x: np.ndarray, meta: dict | None = None) -> list[str]:
    """A note for predict when windows of a new recording never change (none when the run learnt a class that
    is mostly still: then a still recording is what that class is)."""
    n = flat_windows(x)
    if not n or n == len(x) or (meta or {}).get("still_classes"):
        return []     # every window: the answer itself says so (a prediction's no_reading)
    return [f"{n} of {counted(len(x), 'window')} hold readings that never change (the sensor stuck, unplugged or "
            f"off): the answer for {verb(n, 'it', 'them')} says nothing about what the sensor is on"]
