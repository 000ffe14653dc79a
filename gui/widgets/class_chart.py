"""How many samples each class has, as a bar chart (or a histogram of the target for regression)."""

from __future__ import annotations

import numpy as np

from edgeling.gui import theme
from edgeling.gui.qt import pg
from edgeling.gui.widgets.class_axis import ClassAxis
from edgeling.gui.widgets.empty_plot import EmptyText

NO_DATA = "No data yet"


class ClassBarChart(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"bottom": ClassAxis("bottom")})
        self.setObjectName("classChart")
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setMinimumHeight(160)
        self.bars = None
        self.counts: dict[str, int] = {}
        self.empty = EmptyText(self)
        self.show_empty()

    def show_empty(self, text: str = NO_DATA) -> None:
        """No bars and no axes, just ``text`` in the middle (no data, or its import failed)."""
        self.clear()
        self.bars = None
        self.counts = {}
        self.empty.show(text)

    def show_counts(self, counts: dict[str, int], what: str = "samples") -> None:
        """A bar per class; ``what``: what is counted ("clips" of sound recordings, the beekeeper walk)."""
        self.clear()
        self.empty.hide()
        self.counts = dict(counts)
        names = list(counts)
        values = np.array([counts[n] for n in names], dtype=float)
        self.bars = pg.BarGraphItem(x=np.arange(len(names)), height=values, width=0.7,
                                    brush=theme.SERIES[0])
        self.addItem(self.bars)
        self.getAxis("bottom").set_names(names, list(range(len(names))))
        self.setLabel("left", what)
        self.setTitle(f"{what[:1].upper()}{what[1:]} per class")

    def show_histogram(self, values: np.ndarray, bins: int = 30) -> None:
        self.clear()
        self.empty.hide()
        self.counts = {}
        hist, edges = np.histogram(np.asarray(values, dtype=float), bins=bins)
        self.bars = pg.BarGraphItem(x0=edges[:-1], x1=edges[1:], height=hist, brush=theme.SERIES[0])
        self.addItem(self.bars)
        self.getAxis("bottom").set_names([], [])
        self.setLabel("left", "samples")
        self.setTitle("Values to predict")
