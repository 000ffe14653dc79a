"""Which column of a recording is which channel of the others: by name ("X", "x ", "x" are one), and for a
3-axis sensor whose axes are named differently (``x``, ``acc_x``, ``AccX``, ``X [g]``, ``accel.x``) by the
axis letter. The pump walk: three loggers of five named their axes each their own way, and 73 of 120
recordings were left out as lacking x, y and z."""

from __future__ import annotations

import re

from edgeling.core.data.csvread import normalize_name

AXIS_NAME = re.compile(r"^(.*?)[\s_\-.:]*([xyz])$", re.IGNORECASE)
UNIT_SUFFIX = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")   # "acc_x (m/s^2)", "gyroX[dps]"


def axis_of(name: str) -> tuple[str, str] | None:
    """(prefix, axis letter) of an axis column's name: "acc_x" -> ("acc", "x"), "X [g]" -> ("", "x"),
    "AccY" -> ("acc", "y"); None for another column. The prefix is kept to letters and digits, lower case."""
    m = AXIS_NAME.match(UNIT_SUFFIX.sub("", str(name)).strip())
    if not m:
        return None
    return re.sub(r"[^0-9a-z]", "", normalize_name(m.group(1))), m.group(2).lower()


FAMILIES = {
    "accelerometer": {"", "a", "acc", "accl", "accel", "accelerometer", "acceleration", "beschl",
                      "beschleunigung", "accelero"},
    "gyroscope": {"g", "gyr", "gyro", "gyroscope", "rot", "rotation", "w", "omega", "angvel", "drehrate"},
    "magnetometer": {"m", "mag", "magn", "magnetometer", "compass", "magnet"},
}
"""Which sensor an axis prefix names, where it says: "x, y, z" alone and "X [g]" are an accelerometer's (the
usual single sensor), "gyro_x" a gyroscope's. Two differently named groups are paired only when both name the
same sensor: a gyroscope's axes are never taken for an accelerometer's, nor are "pos_x", "angle_x" (another
quantity) or "linacc_x" (gravity taken out: another signal) for either (the regression walk)."""


def family(prefix: str) -> str | None:
    return next((name for name, prefixes in FAMILIES.items() if prefix in prefixes), None)


def _groups(names: list[str], free: set[int]) -> dict[str, dict[str, int]]:
    """Complete x/y/z groups among the columns ``free``, by prefix: {"acc": {"x": 3, "y": 4, "z": 5}}."""
    by_prefix: dict[str, dict[str, int]] = {}
    for i in sorted(free):
        found = axis_of(names[i])
        if found:
            by_prefix.setdefault(found[0], {}).setdefault(found[1], i)
    return {p: axes for p, axes in by_prefix.items() if set(axes) == {"x", "y", "z"}}


def match_channels(wanted: list[str], names: list[str]) -> list[int | None]:
    """For each channel of ``wanted``, the index of its column in ``names`` (None when it has none).
    First by name; then the 3-axis groups left over are paired by prefix ("acc_x" with "AccX"), then by the
    sensor their prefixes name ("x, y, z" with "X [g], Y [g], Z [g]" or "Beschl_X, ..."), axis by axis."""
    by_name: dict[str, int] = {}
    for j, n in enumerate(names):
        by_name.setdefault(normalize_name(n), j)
    found: list[int | None] = [by_name.get(normalize_name(w)) for w in wanted]
    used = {j for j in found if j is not None}
    want_groups = _groups(wanted, {i for i, j in enumerate(found) if j is None})
    have_groups = _groups(names, set(range(len(names))) - used)
    pairs = [(p, p) for p in want_groups if p in have_groups]
    left_want = [p for p in want_groups if p not in have_groups]
    left_have = [p for p in have_groups if p not in want_groups]
    for sensor in FAMILIES:      # "x, y, z" and "acc_x, .., gyro_x, ..": the one accelerometer on each side
        a = [p for p in left_want if family(p) == sensor]
        b = [p for p in left_have if family(p) == sensor]
        if len(a) == 1 and len(b) == 1:
            pairs.append((a[0], b[0]))
    for want_prefix, have_prefix in pairs:
        for axis in "xyz":
            found[want_groups[want_prefix][axis]] = have_groups[have_prefix][axis]
    return found


def renamed_axes(wanted: list[str], names: list[str], found: list[int | None]) -> list[str]:
    """The columns matched by axis letter, not by name, as "'acc_x' as 'x'" (for a report)."""
    return [f"{names[j]!r} as {w!r}" for w, j in zip(wanted, found)
            if j is not None and normalize_name(names[j]) != normalize_name(w)]


def axis_groups(names: list[str], sensor: str | None = None) -> list[list[int]]:
    """Index triples (x, y, z) of the complete 3-axis groups among ``names``, by prefix; only those whose
    prefix names ``sensor`` (a key of ``FAMILIES``) when it is given."""
    return [[axes["x"], axes["y"], axes["z"]] for prefix, axes in _groups(names, set(range(len(names)))).items()
            if sensor is None or family(prefix) == sensor]
