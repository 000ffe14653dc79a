"""An axis of class names under a chart (the confusion matrix's predicted classes, the samples per class).

pyqtgraph draws each name centred under its tick, over its neighbours when they are long ("bearing_wear" ran
into "misalignment"), and leaves out a name that would stick out past the end of the axis, so a class could
be missing. Here every name is shown: a long one is broken onto up to three lines under its own tick; when
neighbours would still touch, every other name goes one line lower (a name alone on its line has the axis'
width), and a name still too long for its room is shortened with "…" (the whole name is in the tooltip). A name wider
than its cell is whole when its neighbours leave it room (the pump walk read "loose_mo…" between "cavitation"
and "normal")."""

from __future__ import annotations

import math
import re

from edgeling.gui.qt import QRectF, Qt, pg

GAP = 6             # pixels between two names on one line
BREAK_AFTER = re.compile(r"[^_\- ]*[_\- ]*")    # the pieces a name may be broken after: "loose_", "mount"
EDGE = 15           # how far a name may stick out past an end of the axis, where the plot leaves room
LINES = 3
"""Lines a name may take under its own tick before every other name goes a line lower: on two, "pourriture noire
/ black-rot" did not fit under its bar of the Data page's chart, which then put it a line lower, under an empty
tick (walk 6)."""


class ClassAxis(pg.AxisItem):
    def __init__(self, orientation: str = "bottom", **kwargs):
        super().__init__(orientation, **kwargs)
        # pyqtgraph lets a horizontal axis' names stick out by nothing (it leaves out the first name when it
        # does: "blue squares" under the Data page's chart at 1024x700); EDGE pixels, where there is room.
        self.setStyle(hideOverlappingLabels=EDGE)
        self.names: list[str] = []
        self.positions: list[float] = []
        self.staggered = False
        self._line = 0
        self.shown: list[str] = []     # the names as last drawn

    def set_names(self, names: list[str], positions: list[float]) -> None:
        """Label ``positions`` (in data units) with ``names``; empty lists: plain numbers again."""
        self.names, self.positions = [str(n) for n in names], [float(x) for x in positions]
        self.setTicks([list(zip(self.positions, self.names))] if self.names else None)
        self.setToolTip(", ".join(self.names))

    def shown_names(self, fm) -> list[str]:
        """The names as they fit at the axis' present width, deciding how: on one line; else each on up to
        LINES lines, broken after a "_", "-" or space, as narrow as it goes (a wide one beside a narrow one);
        else every other one a line lower; shortened with "…" only when none of these gives it room."""
        view = self.linkedView()
        if view is None or len(self.names) < 2 or self.width() <= 0:
            self.staggered = False
            return list(self.names)
        lo, hi = view.viewRange()[0]
        scale = self.width() / max(hi - lo, 1e-9)
        px = [(x - lo) * scale for x in self.positions]
        slot = min(b - a for a, b in zip(px, px[1:]))
        left, right = self.room_beside()
        edges = [2 * min(x + left, self.width() - x + right) - 2 for x in px]
        widths = [fm.horizontalAdvance(n) for n in self.names]
        self.staggered = False
        if not any((a + b) / 2 + GAP > slot for a, b in zip(widths, widths[1:])):   # one line: no overlap
            return [wrap_name(n, fm, e, 1)[0] for n, e in zip(self.names, edges)]
        need = [narrowest(n, fm, e) for n, e in zip(self.names, edges)]    # on up to LINES lines, under its tick
        if all(need) and not any((a + b) / 2 + GAP > slot for a, b in zip(need, need[1:])):
            return [wrap_name(n, fm, w, LINES)[0] for n, w in zip(self.names, need)]
        self.staggered = True
        return [wrap_name(n, fm, min(room, e))[0] for n, e, room in zip(self.names, edges, _row_room(px))]

    def room_beside(self) -> tuple[float, float]:
        """How far a name may stick out past the left and the right end of the axis: EDGE, or less where the
        plot ends sooner (a name drawn past it is cut off)."""
        outer = self.parentItem().boundingRect() if self.parentItem() is not None else None
        if outer is None:
            return 0.0, 0.0
        here = self.geometry()
        return (max(0.0, min(EDGE, here.left() - outer.left())),
                max(0.0, min(EDGE, outer.right() - here.right())))

    def generateDrawSpecs(self, p):
        if self.orientation != "bottom" or not self.names:
            self.staggered = False
            return super().generateDrawSpecs(p)
        fm = p.fontMetrics()
        self.shown = self.shown_names(fm)
        self._line = max(p.boundingRect(QRectF(0, 0, 1000, 1000), Qt.AlignmentFlag.AlignCenter, n).height()
                         for n in self.shown)       # the tallest name, as drawn (a line or two)
        self._tickLevels = [list(zip(self.positions, self.shown))]
        specs = super().generateDrawSpecs(p)
        if specs is None or not self.staggered:
            return specs
        axis, ticks, texts = specs
        order = sorted(range(len(texts)), key=lambda i: texts[i][0].center().x())
        moved = list(texts)
        for rank, i in enumerate(order):
            if rank % 2:
                rect, flags, text = texts[i]
                moved[i] = (rect.translated(0, self._line), flags, text)
        return axis, ticks, moved

    def _updateMaxTextSize(self, x: int):
        """Room below the axis for the names' whole height (pyqtgraph leaves 0.8 of it, which cut off a
        second line: "squares", "Dreiecke"), twice over when every other name is a line lower."""
        if self.orientation == "bottom" and self.names:
            x = int(math.ceil(max(x, self._line) + (self._line if self.staggered else 0)))
        super()._updateMaxTextSize(x)


def _row_room(px: list[float]) -> list[float]:
    """Every other name a line lower: how wide each name may be, from the nearest name on its own line (the one
    two ticks away); a name alone on its line has the axis' width, less the ends' (the middle one of three,
    "pourriture noire / black-rot", was cut to "pourriture noire / black-…" under the matrix at 1024x700)."""
    order = sorted(range(len(px)), key=lambda i: px[i])
    room = [math.inf] * len(px)
    for rank, i in enumerate(order):
        for other in (rank - 2, rank + 2):
            if 0 <= other < len(order):
                room[i] = min(room[i], abs(px[i] - px[order[other]]) - GAP)
    return room


def narrowest(name: str, fm, most: float) -> int:
    """The narrowest room, up to ``most`` pixels, in which ``name`` fits whole on up to LINES lines; 0: none."""
    lo, hi = int(fm.height()), int(most)
    if hi < lo or not wrap_name(name, fm, hi, LINES)[1]:
        return 0
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if wrap_name(name, fm, mid, LINES)[1] else (mid + 1, hi)
    return hi


def wrap_name(name: str, fm, room: float, lines: int = 2) -> tuple[str, bool]:
    """``name`` on up to ``lines`` lines of at most ``room`` pixels, broken after a "_", "-" or space, and
    whether it fits so; a line that does not fit is shortened with "…"."""
    room = int(max(fm.height(), room))
    if fm.horizontalAdvance(name) <= room:
        return name, True
    out, line = [], ""
    for piece in (p for p in BREAK_AFTER.findall(name) if p):
        if line and len(out) < lines - 1 and fm.horizontalAdvance(line + piece) > room:
            out.append(line)
            line = ""
        line += piece
    out.append(line)
    fits = all(fm.horizontalAdvance(t) <= room for t in out)
    return "\n".join(t if fm.horizontalAdvance(t) <= room else fm.elidedText(t, Qt.TextElideMode.ElideRight, room)
                     for t in out), fits     # Qt elides a line that just fits ("bracket" as "brack…")
