"""The Evaluate page's charts: the confusion matrix as a clickable heatmap (one cell = the samples of that
true / predicted pair) and, for regression runs, true value against the model's answer. The heatmap is shaded
as the saved picture is (``core/confusion_picture``): by each cell's share of its row, white to dark blue,
its count in white on the darker half, so the window and the paper's figure agree."""

from __future__ import annotations

import numpy as np

from edgeling.core.confusion_picture import cell_shade  # the saved picture's colours (share of its row)
from edgeling.gui.qt import QColor, Qt, Signal, pg
from edgeling.gui.widgets.class_axis import ClassAxis
from edgeling.gui.widgets.empty_plot import EmptyText

NO_RESULTS = "No results yet"
BLUES = pg.ColorMap([0.0, 1.0], [QColor(cell_shade(0.0)[0]), QColor(cell_shade(1.0)[0])])   # white to dark blue


def row_shares(matrix: np.ndarray) -> np.ndarray:
    """Each cell's share of its row (its true class); a row with no samples stays 0."""
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros_like(matrix, dtype=float), where=totals > 0)


class ConfusionHeatmap(pg.PlotWidget):
    sig_cell_clicked = Signal(int, int)    # true class, predicted class

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"bottom": ClassAxis("bottom")})
        self.setObjectName("confusionHeatmap")
        self.image = pg.ImageItem()
        self.image.setColorMap(BLUES)
        self.addItem(self.image)
        self.getViewBox().invertY(True)
        self.getViewBox().setAspectLocked(True)
        self.setMouseEnabled(x=False, y=False)
        self.setLabel("left", "true class")
        self.setLabel("bottom", "predicted class")
        self.matrix = np.zeros((0, 0))
        self._labels: list = []
        self.image.mouseClickEvent = self._on_click
        self.empty = EmptyText(self)
        self.empty.show(NO_RESULTS)

    def show_matrix(self, matrix, names: list[str], empty_text: str = NO_RESULTS) -> None:
        """The matrix, one labelled cell per true / predicted pair; with no matrix, ``empty_text`` alone."""
        for t in self._labels:
            self.removeItem(t)
        self._labels = []
        self.matrix = np.asarray(matrix, dtype=float).reshape(len(matrix), -1) if len(matrix) else np.zeros((0, 0))
        if not self.matrix.size:   # nothing to show (another project, no results): say so
            self.image.clear()
            self.getAxis("bottom").set_names([], [])
            self.getAxis("left").setTicks(None)
            self.empty.show(empty_text)
            return
        self.empty.hide()
        shares = row_shares(self.matrix)
        self.image.setImage(shares.T, levels=(0.0, 1.0))
        ticks = [[(i + 0.5, n) for i, n in enumerate(names)]]
        self.getAxis("bottom").set_names(list(names), [i + 0.5 for i in range(len(names))])
        self.getAxis("left").setTicks(ticks)
        for r in range(self.matrix.shape[0]):
            for c in range(self.matrix.shape[1]):   # white on the darker cells, near-black on the lighter
                ink = cell_shade(float(shares[r, c]))[1]
                t = pg.TextItem(str(int(self.matrix[r, c])), anchor=(0.5, 0.5), color=ink)
                t.setPos(c + 0.5, r + 0.5)
                self.addItem(t)
                self._labels.append(t)

    def _on_click(self, ev) -> None:
        pos = ev.pos()
        c, r = int(pos.x()), int(pos.y())
        if 0 <= r < self.matrix.shape[0] and 0 <= c < self.matrix.shape[1]:
            self.sig_cell_clicked.emit(r, c)


class RegressionScatter(pg.PlotWidget):
    """True value against the model's answer, one dot per test sample, and the line of perfect answers."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("regressionScatter")
        self.setLabel("bottom", "true value")
        self.setLabel("left", "the model's answer")
        self.dots = pg.ScatterPlotItem(size=6, brush=pg.mkBrush(40, 140, 220, 160), pen=None)
        self.ideal = pg.PlotDataItem(pen=pg.mkPen((150, 150, 150), style=Qt.PenStyle.DashLine))
        self.addItem(self.ideal)
        self.addItem(self.dots)
        self.n = 0
        self.empty = EmptyText(self)
        self.empty.show(NO_RESULTS)

    def show_points(self, true, predicted, empty_text: str = NO_RESULTS) -> None:
        t, p = np.asarray(true, float), np.asarray(predicted, float)
        self.dots.setData(t, p)
        self.n = len(t)
        if len(t):
            self.empty.hide()
            lo, hi = float(min(t.min(), p.min())), float(max(t.max(), p.max()))
            self.ideal.setData([lo, hi], [lo, hi])
        else:
            self.ideal.setData([], [])
            self.empty.show(empty_text)
