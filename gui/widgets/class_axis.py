"""An axis of class names under a chart (the confusion matrix's predicted classes, the samples per class).

pyqtgraph draws each name centred under its tick, over its neighbours when they are long ("bearing_wear" ran
into "misalignment"), and leaves out a name that would stick out past the end of the axis, so a class could
be missing. Here every name is shown: when neighbours would touch, every other name goes one line lower,
and a name still too long for its room is shortened with "…" (the whole name is in the tooltip)."""

from __future__ import annotations

from edgeling.gui.qt import Qt, pg

GAP = 6             # pixels between two names on one line
EDGE = 15           # how far pyqtgraph lets a name stick out past the end of the axis


class ClassAxis(pg.AxisItem):
    def __init__(self, orientation: str = "bottom", **kwargs):
        super().__init__(orientation, **kwargs)
        self.names: list[str] = []
        self.positions: list[float] = []
        self.staggered = False
        self._line = 0

    def set_names(self, names: list[str], positions: list[float]) -> None:
        """Label ``positions`` (in data units) with ``names``; empty lists: plain numbers again."""
        self.names, self.positions = [str(n) for n in names], [float(x) for x in positions]
        self.setTicks([list(zip(self.positions, self.names))] if self.names else None)
        self.setToolTip(", ".join(self.names))

    def shown_names(self, fm) -> list[str]:
        """The names as they fit at the axis' present width (shortened when they must be), deciding whether
        they go on two lines."""
        view = self.linkedView()
        if view is None or len(self.names) < 2 or self.width() <= 0:
            self.staggered = False
            return list(self.names)
        lo, hi = view.viewRange()[0]
        scale = self.width() / max(hi - lo, 1e-9)
        px = [(x - lo) * scale for x in self.positions]
        slot = min(b - a for a, b in zip(px, px[1:]))
        widths = [fm.horizontalAdvance(n) for n in self.names]
        self.staggered = any((a + b) / 2 + GAP > slot for a, b in zip(widths, widths[1:]))
        room = (2 * slot if self.staggered else slot) - GAP
        shown = []
        for x, name in zip(px, self.names):
            edge = 2 * min(x + EDGE, self.width() - x + EDGE) - 2
            shown.append(fm.elidedText(name, Qt.TextElideMode.ElideRight, int(max(fm.height(), min(room, edge)))))
        return shown

    def generateDrawSpecs(self, p):
        if self.orientation != "bottom" or not self.names:
            self.staggered = False
            return super().generateDrawSpecs(p)
        fm = p.fontMetrics()
        self._line = fm.height()
        self._tickLevels = [list(zip(self.positions, self.shown_names(fm)))]
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
