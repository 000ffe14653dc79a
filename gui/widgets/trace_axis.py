"""The y axis of the Data page's sensor plots: at least two numbers a user can read the size of a movement from
(the pump walk: each 48 px plot said only "0", so its lines could not be read as amounts), in the unit the
recordings were read in when the import knows it ("1 g", "0 g"), never overlapping however short the plot."""

from __future__ import annotations

import math

import numpy as np

from edgeling.gui.qt import QFontMetrics, pg

ROOMY_LINES = 2.0     # numbers this many text lines apart when that still gives two of them
TIGHT_LINES = 1.2     # else at least this far apart: they never touch
EDGE_PX = 4           # how far a number may stand out past the end of its axis (half a line would)
UNIT_WORDS = {"m/s^2": "m/s²", "m/s2": "m/s²", "deg/s": "°/s", "dps": "°/s"}


def nice_step_above(step: float) -> float:
    """The next "nice" tick step (1, 2 or 5 times a power of ten) above ``step``."""
    power = 10.0 ** np.floor(np.log10(step))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * power > step * 1.0001:
            return m * power
    return 10.0 * power


def nice_step_from(step: float) -> float:
    """The smallest nice step (1, 2 or 5 times a power of ten) of at least ``step``."""
    return nice_step_above(step / 1.0001)


def nice_step_below(step: float) -> float:
    """The largest nice step of at most ``step``."""
    power = 10.0 ** np.floor(np.log10(step))
    for m in (5.0, 2.0, 1.0):
        if m * power <= step * 1.0001:
            return m * power
    return power


def multiples(step: float, lo: float, hi: float) -> list[float]:
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    return [k * step for k in range(first, last + 1)]


def readable_ticks(lo: float, hi: float, size: float, line: float) -> tuple[float, list[float]]:
    """The numbered ticks of an axis from ``lo`` to ``hi`` drawn ``size`` pixels long with numbers ``line``
    pixels tall: (their step, for the number of decimals; their values). Two or more whenever the axis is
    a little over two lines long: a nice step (1, 2, 5 times a power of ten) with its numbers two lines
    apart, or closer (never touching) when that is what gives two; else the first and last multiples of
    the coarsest finer step that has two far enough apart ("0.99" and "1.01"). The numbers stay within the axis (``EDGE_PX`` past its ends at most)."""
    span = hi - lo
    if not span > 0 or size <= 0:
        return 1.0, []
    per_px = span / size
    margin = max(0.0, line / 2.0 - EDGE_PX) * per_px
    a, b = lo + margin, hi - margin
    for lines in (ROOMY_LINES, TIGHT_LINES):
        step = nice_step_from(lines * line * per_px)
        values = multiples(step, a, b)
        if len(values) >= 2:
            return step, values
    if b > a:        # the coarsest finer step whose first and last multiples are far enough apart
        step = nice_step_below(b - a)
        while step > (b - a) / 20.0:
            values = multiples(step, a, b)
            if len(values) >= 2 and (values[-1] - values[0]) / per_px >= TIGHT_LINES * line:
                return step, [values[0], values[-1]]
            step = nice_step_below(step / 1.001)
    step = nice_step_from(span / 2.0)      # too short for two: the one number nearest the middle
    middle = round((lo + hi) / 2.0 / step) * step
    return step, [middle] if lo <= middle <= hi else []


def unit_words(unit: str) -> str:
    return UNIT_WORDS.get(str(unit).strip(), str(unit).strip())


def plotted_unit(meta: dict, plotted: list[str]) -> str:
    """The unit the plotted channels were read in when the import says (``meta["axis_units"]``, as
    [{"channels": ["x", "y", "z"], "unit": "g"}]) and it is one for all of them, else ""."""
    units = set()
    for name in plotted:
        found = [u.get("unit") for u in (meta or {}).get("axis_units") or []
                 if isinstance(u, dict) and u.get("unit") and name in (u.get("channels") or [])]
        if not found:
            return ""
        units.add(unit_words(found[0]))
    return units.pop() if len(units) == 1 else ""


class SparseAxis(pg.AxisItem):
    """A y axis with at least two numbers (``readable_ticks``), each followed by the unit when one is known
    ("-1 g", "0 g"). Its width is fixed by the page so the plots one under another keep their time axes in line."""

    def __init__(self, orientation: str = "left", unit: str = "", **kwargs):
        super().__init__(orientation, **kwargs)
        self.unit = unit_words(unit) if unit else ""

    def line_height(self) -> int:
        return QFontMetrics(self.style.get("tickFont") or self.font()).height()

    def tickValues(self, minVal, maxVal, size):
        """The numbered ticks only: no finer, unnumbered marks."""
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        step, values = readable_ticks(lo, hi, float(size), float(self.line_height()))
        return [(step, values)] if values else []

    def tickStrings(self, values, scale, spacing):
        strings = super().tickStrings(values, scale, spacing)
        return [f"{s} {self.unit}" for s in strings] if self.unit else strings

    def widest_number(self, ranges: list[tuple[float, float]]) -> str:
        """The widest number this axis may draw for plots whose readings span ``ranges`` (lo, hi), at any height
        a plot may get; at least "-0.00". The review: an axis sized for "-0.00" had no room for "-10000", and
        pyqtgraph leaves out a number with no room, so raw counts (+-16384 for 1 g) showed only "0" again."""
        fm = QFontMetrics(self.style.get("tickFont") or self.font())
        widest = "-0.00"
        for lo, hi in ranges:
            if not (np.isfinite(lo) and np.isfinite(hi)):
                continue
            pad = (hi - lo) * 0.1 or max(abs(lo), 1.0) * 0.1      # about what the plot's auto range adds
            for size in (30.0, 60.0, 120.0, 240.0, 480.0):
                step, values = readable_ticks(lo - pad, hi + pad, size, float(self.line_height()))
                for text in pg.AxisItem.tickStrings(self, values, 1.0, step):
                    if fm.horizontalAdvance(text) > fm.horizontalAdvance(widest):
                        widest = text
        return widest

    def text_width(self, widest: str) -> int:
        """The width the axis needs for numbers as wide as ``widest`` (and the unit), its ticks and gap."""
        fm = QFontMetrics(self.style.get("tickFont") or self.font())
        words = f"{widest} {self.unit}" if self.unit else widest
        return fm.horizontalAdvance(words) + max(0, self.style["tickLength"]) + self.style["tickTextOffset"][0] + 4
