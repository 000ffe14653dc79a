"""Accelerometer recordings in g and in m/s^2, mixed: CSVs carry no unit, but a sensor at rest reads gravity,
about 1 in g and about 9.8 in m/s^2. The pump walk: one pump of five logged m/s^2, nothing said it, and that
pump's windows were all called "loose mount" (29% right).

At import, each 3-axis group's median magnitude per recording tells its unit; when both units appear, the
fewer recordings are converted to the unit of the most (said, with each file), and the unit is kept in the
dataset's meta (``axis_units``) so a new recording in the other unit is converted the same way in predict.

A recording that reads about 0 at rest where the others read gravity had gravity taken out (a "linear
acceleration" export) or its sensor off: it has no unit to convert, and is said (GRAVITY_MISSING), at import
and in predict (the second pump walk: pump 3 exported so was counted among "the other 96 recordings about 1
(g)", scored 40% in cross-validation, and a sensor reading 0 +- 0.002 was answered "cavitation (100%)")."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.data.channel_match import axis_groups
from edgeling.core.sentences import counted, verb

if TYPE_CHECKING:
    from edgeling.core.data.recording import Signal
    from edgeling.core.data.timeseries import _Rec

G = 9.80665
UNITS_MIXED = R.UNITS_MIXED
GRAVITY_MISSING = R.GRAVITY_MISSING
RANGES = {"g": (0.6, 1.6), "m/s^2": (6.0, 16.0)}
"""The median magnitude of a sensor at rest or vibrating on a machine, per unit."""
TO = {("m/s^2", "g"): 1 / G, ("g", "m/s^2"): G}
GRAVITY = {"g": 1.0, "m/s^2": G}
TYPICAL = {"g": "about 1", "m/s^2": "about 9.8"}
NO_PULL, NO_GRAVITY = 0.2, 0.5
"""A recording reads no gravity when its average reading is shorter than NO_PULL of gravity and its typical
reading shorter than NO_GRAVITY of it: not a sensor turning over (gravity averages out, but every reading
is about 1 g long), nor a strong shaking."""


STEADY = 0.8
"""Gravity is a steady pull: the average reading (as a vector) is nearly as long as a typical reading. A
gyroscope, or an accelerometer with gravity taken out, turns both ways and averages near zero, so its
magnitude says nothing about its unit (a still class reading about 1 and a shaking one about 10 are classes,
not units)."""


def rest_magnitude(data: np.ndarray, group: list[int]) -> float:
    """How strongly the 3-axis sensor ``group`` reads gravity: the length of its average reading, when that is
    steady (``STEADY``); NaN when it is not a steady pull, so no unit is read from it."""
    values = np.asarray(data, np.float64)[:, group]
    values = values[np.all(np.isfinite(values), axis=1)]
    if not len(values):
        return float("nan")
    typical = float(np.median(np.sqrt((values ** 2).sum(axis=1))))
    pull = float(np.sqrt((values.mean(axis=0) ** 2).sum()))
    return pull if typical > 0 and pull >= STEADY * typical else float("nan")


def unit_of(magnitude: float) -> str | None:
    return next((unit for unit, (lo, hi) in RANGES.items() if lo <= magnitude <= hi), None)


def same_units(recs: list[_Rec], report: R.Report) -> list[dict]:
    """Convert the recordings whose 3-axis sensor reads in the other unit than most (in place), and report
    them; returns the unit of each group most recordings read in ([{"channels": [...], "unit": "g"}])."""
    if not recs:
        return []
    names = list(recs[0].signal.channels)
    kept = []
    for group in axis_groups(names, "accelerometer"):   # not a gyroscope's or a position's x, y, z
        found = [(r, rest_magnitude(r.signal.data, group)) for r in recs]
        units = [unit_of(m) for _, m in found]
        many = {u: units.count(u) for u in RANGES if units.count(u)}
        if not many:
            continue          # a gyroscope, or gravity taken out: no unit to tell
        unit = max(many, key=lambda u: (many[u], u == "g"))
        kept.append({"channels": [names[i] for i in group], "unit": unit})
        zero = [(r, m) for r, m in ((r, no_gravity(r.signal.data, group, unit)) for r in recs) if m is not None]
        if zero:
            _gravity_missing(zero, [r for (r, _), u in zip(found, units) if u is not None], unit, names, group,
                             kept[-1], report)
        other = [(r, m) for (r, m), u in zip(found, units) if u is not None and u != unit]
        if not other:
            continue
        if not {r.label for r, _ in other} & {r.label for (r, _), u in zip(found, units) if u == unit}:
            _classes_read_apart(other, unit, names, group, report)   # units or classes: not for Edgeling to say
            kept.pop()       # no unit kept, so predict converts nothing either (a new 'cavitation' reads 9.8)
            continue
        other_unit = unit_of(other[0][1])
        for r, _ in other:
            r.signal.data = np.array(r.signal.data, np.float64, copy=True)
            r.signal.data[:, group] *= TO[(other_unit, unit)]
        axes = ", ".join(names[i] for i in group)
        most = units.count(unit)    # not the recordings that read no gravity (or have no steady pull)
        rest = (f"the other {counted(most, 'recording')}" if most == len(recs) - len(other) else
                f"{counted(most, 'other')}")
        report.add(UNITS_MIXED,
                   f"{counted(len(other), 'recording reads', 'recordings read')} {TYPICAL[other_unit]} at rest on "
                   f"{axes} ({other_unit}), {rest} {TYPICAL[unit]} ({unit}): the sensor was logged in two units. "
                   f"{verb(len(other), 'It was', 'They were')} converted to {unit}, as most recordings are.",
                   f"Nothing to do, if those recordings come from a logger set to {other_unit}. On the device, give "
                   f"the model {unit}.",
                   files=[f"{r.source} (about {m:.3g} at rest)" for r, m in other], severity="warning")
    return kept


def no_gravity(data: np.ndarray, group: list[int], unit: str) -> float | None:
    """The typical magnitude of the 3-axis sensor ``group`` when it reads no gravity in ``unit`` (about 0 at
    rest: gravity taken out, or the sensor off; see NO_PULL), else None."""
    values = np.asarray(data, np.float64)[:, group]
    values = values[np.all(np.isfinite(values), axis=1)]
    if not len(values) or unit not in GRAVITY:
        return None
    typical = float(np.median(np.sqrt((values ** 2).sum(axis=1))))
    pull = float(np.sqrt((values.mean(axis=0) ** 2).sum()))
    return typical if pull < NO_PULL * GRAVITY[unit] and typical < NO_GRAVITY * GRAVITY[unit] else None


def _gravity_missing(zero: list, reading: list, unit: str, names: list[str], group: list[int], entry: dict,
                     report: R.Report) -> None:
    """Recordings whose accelerometer reads about 0 at rest where the others read gravity: said, not
    changed (gravity cannot be put back: the sensor's tilt is unknown). When whole classes read so and no
    other does, it may be what tells them apart (a class 'sensor off'): said as a question, and kept in
    ``entry`` (``zero_classes``) so predict does not call such a recording wrong."""
    axes = ", ".join(names[i] for i in group)
    files = [f"{r.source} (its readings about {m:.2g} {unit} long)" for r, m in zero]
    classes = sorted({r.label for r, _ in zero})
    apart = not set(classes) & {r.label for r in reading}
    n = len(zero)
    if apart:
        entry["zero_classes"] = classes
        message = (f"Every recording of {', '.join(map(repr, classes))} reads about 0 at rest on {axes}, the other "
                   f"classes' {TYPICAL[unit]} ({unit}, gravity): either gravity was taken out of "
                   f"{verb(n, 'that recording', 'those recordings')} (a 'linear acceleration' export) or the sensor "
                   "was off, and the model will learn to tell that apart, not the classes; or the classes really "
                   "differ so.")
        advice = ("If gravity was taken out, export those recordings again as raw accelerometer readings (with "
                  "gravity in, like the others). If that class is a sensor switched off, nothing to do.")
    else:
        message = (f"{counted(n, 'recording reads', 'recordings read')} about 0 at rest on {axes}, where "
                   f"{counted(len(reading), 'other recording reads', 'other recordings read')} {TYPICAL[unit]} "
                   f"({unit}, gravity): gravity was taken out of {verb(n, 'it', 'them')} (a 'linear acceleration' "
                   "export), or the sensor was off. The model learns from the others, which read gravity, so it may do "
                   f"much worse on {verb(n, 'it', 'them')} and on the device {verb(n, 'it', 'they')} came from. "
                   "Nothing was changed: gravity cannot be put back.")
        advice = ("Export those recordings again as raw accelerometer readings, with gravity in like the others, "
                  "and import again; or delete them if the sensor was off.")
    report.add(GRAVITY_MISSING, message, advice, files=files, severity="warning")


def _classes_read_apart(other: list, unit: str, names: list[str], group: list[int], report: R.Report) -> None:
    """The readings at rest differ tenfold exactly between classes: either those classes were logged in
    another unit, or they really differ so; converting would erase the second, so it is only said."""
    classes = sorted({r.label for r, _ in other})
    report.add(UNITS_MIXED,
               f"Every recording of {', '.join(map(repr, classes))} reads about {other[0][1]:.3g} at rest on "
               f"{', '.join(names[i] for i in group)}, the other classes' about {'1' if unit == 'g' else '9.8'}: "
               "like the same sensor in m/s^2 and in g. If those recordings were logged in another unit, the model "
               "will learn to tell the units apart, not the classes; nothing was converted.",
               "If a logger was set to another unit, export its recordings again in the unit of the others (g: "
               "divide by 9.81). If the classes really differ so, nothing to do.",
               files=[f"{r.source} (about {m:.3g} at rest)" for r, m in other], severity="warning")


def unit_notes(signal: Signal, meta: dict) -> list[str]:
    """A new recording's 3-axis sensor in the other unit than the run's (``meta["axis_units"]``): converted
    in place, with a note saying so."""
    notes = []
    for entry in meta.get("axis_units") or []:
        names = [str(n) for n in entry.get("channels") or []]
        if not all(n in meta.get("channels", []) for n in names) or len(names) != 3:
            continue
        group = [list(meta["channels"]).index(n) for n in names]
        if len(signal.channels) != len(meta["channels"]) or not len(signal.data):
            continue
        magnitude = rest_magnitude(signal.data, group)
        own, unit = unit_of(magnitude), entry.get("unit")
        if own is None and unit in RANGES and not entry.get("zero_classes"):
            notes += _no_gravity_note(signal.data, group, unit, names)
        if own is None or unit not in RANGES or own == unit:
            continue
        signal.data = np.array(signal.data, np.float64, copy=True)
        signal.data[:, group] *= TO[(own, unit)]
        notes.append(f"{', '.join(names)} read about {magnitude:.3g} at rest ({own}); the model learnt in {unit}, "
                     f"so they were converted to {unit}")
    return notes


def _no_gravity_note(data: np.ndarray, group: list[int], unit: str, names: list[str]) -> list[str]:
    typical = no_gravity(data, group, unit)
    if typical is None or np.ptp(np.asarray(data)[:, group]) == 0:
        return []     # readings that never change: predict's answer says so itself (stuck_sensor.NO_READING)
    return [f"{', '.join(names)} read about 0 at rest (its readings about {typical:.2g} {unit} long), where the "
            "model learnt from readings of "
            f"{TYPICAL[unit]} ({unit}, gravity): gravity was taken out of this recording (a 'linear acceleration' "
            "export), or the sensor is off or unplugged, so the answer says little. Give it the raw accelerometer "
            "readings, with gravity in"]
