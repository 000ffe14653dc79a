"""An axis of class names under a chart (the confusion matrix's predicted classes, the samples per class).

pyqtgraph draws each name centred under its tick, over its neighbours when they are long ("bearing_wear" ran
into "misalignment"), and leaves out a name that would stick out past the end of the axis, so a class could
be missing. Here every name is shown: when neighbours would touch, every other name goes one line lower,
and a name still too long for its room is shortened with "…" (the whole name is in the tooltip). A name wider
than its cell is whole when its neighbours leave it room (the pump walk read "loose_mo…" between "cavitation"
and "normal")."""

from __future__ import annotations

import re

from edgeling.gui.qt import Qt, pg

GAP = 6             # pixels between two names on one line
BREAK_AFTER = re.compile(r"[^_\- ]*[_\- ]*")    # the pieces a name may be broken after: "loose_", "mount"
EDGE = 15           # how far pyqtgraph lets a name stick out past the end of the axis


class ClassAxis(pg.AxisItem):
    def __init__(self, orientation: str = "bottom", **kwargs):
        super().__init__(orientation, **kwargs)
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
        two lines, broken after a "_", "-" or space; else every other one a line lower; shortened with "…"
        only when none of these gives it room."""
        view = self.linkedView()
        if view is None or len(self.names) < 2 or self.width() <= 0:
            self.staggered = False
            return list(self.names)
        lo, hi = view.viewRange()[0]
        scale = self.width() / max(hi - lo, 1e-9)
        px = [(x - lo) * scale for x in self.positions]
        slot = min(b - a for a, b in zip(px, px[1:]))
        edges = [2 * min(x + EDGE, self.width() - x + EDGE) - 2 for x in px]
        widths = [fm.horizontalAdvance(n) for n in self.names]
        self.staggered = False
        if not any((a + b) / 2 + GAP > slot for a, b in zip(widths, widths[1:])):   # one line: no overlap
            return [wrap_name(n, fm, e, 1)[0] for n, e in zip(self.names, edges)]
        wrapped = [wrap_name(n, fm, min(slot - GAP, e)) for n, e in zip(self.names, edges)]
        if all(fits for _, fits in wrapped):
            return [text for text, _ in wrapped]
        self.staggered = True
        return [wrap_name(n, fm, min(2 * slot - GAP, e))[0] for n, e in zip(self.names, edges)]

    def generateDrawSpecs(self, p):
        if self.orientation != "bottom" or not self.names:
            self.staggered = False
            return super().generateDrawSpecs(p)
        fm = p.fontMetrics()
        self.shown = self.shown_names(fm)
        self._line = fm.height() * max(n.count("\n") + 1 for n in self.shown)
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
        super()._updateMaxTextSize(x + (self._line if self.staggered else 0))


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
    return "\n".join(fm.elidedText(t, Qt.TextElideMode.ElideRight, room) for t in out), fits
