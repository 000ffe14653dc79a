"""Loss and accuracy curves that grow while a job trains.

Points go into buffers that grow by doubling; the page calls ``redraw()`` from its 100 ms timer tick, and
``setData`` runs at most four times a second however fast batches arrive (pyqtgraph scrollingPlots)."""

from __future__ import annotations

import time

import numpy as np

from edgeling.gui import theme
from edgeling.gui.qt import pg
from edgeling.gui.widgets.empty_plot import EmptyText


class GrowingSeries:
    def __init__(self, capacity: int = 256):
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self.n = 0

    def append(self, x: float, y: float) -> None:
        if self.n == len(self._x):
            self._x = np.concatenate([self._x, np.empty_like(self._x)])
            self._y = np.concatenate([self._y, np.empty_like(self._y)])
        self._x[self.n] = x
        self._y[self.n] = y
        self.n += 1

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.n]

    def clear(self) -> None:
        self.n = 0


MIN_REDRAW_S = 0.25
EMPTY_TEXT = {"loss": "The loss curve appears here while a model trains",
              "accuracy": "The accuracy curve appears here while a model trains"}

# (plot, log key, label, colour index, dashed)
SERIES = (
    ("loss", "loss", "training", 0, False),
    ("loss", "val_loss", "validation", 1, True),
    ("accuracy", "accuracy", "training", 0, False),
    ("accuracy", "val_accuracy", "validation", 1, True),
)


class LiveCurves(pg.GraphicsLayoutWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("liveCurves")
        self.plots = {
            "loss": self.addPlot(row=0, col=0, title="Loss (lower is better)"),
            "accuracy": self.addPlot(row=0, col=1, title="Accuracy (higher is better)"),
        }
        self.series: dict[str, GrowingSeries] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        for plot_key, key, label, colour, dashed in SERIES:
            plot = self.plots[plot_key]
            if plot.legend is None:       # loss falls: legend top right; accuracy rises: bottom right
                plot.addLegend(offset=(-10, 10) if plot_key == "loss" else (-10, -10))
            plot.setLabel("bottom", "epoch")
            # No antialiasing: it multiplies the paint time of a live curve, which runs on every redraw.
            curve = plot.plot([], [], name=label, pen=theme.series_pen(colour, dashed=dashed),
                              symbol="o" if key.startswith("val_") else None, symbolSize=5, antialias=False)
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self.series[key] = GrowingSeries()
            self.curves[key] = curve
        self.plots["accuracy"].setYRange(0, 1)
        self.redraws = 0
        self._dirty = False
        self._last_redraw = 0.0
        self._epochs = 0
        self.empty = {key: EmptyText(plot) for key, plot in self.plots.items()}
        self._show_empty()

    def _show_empty(self) -> None:
        """No points yet: one sentence instead of blank axes that look broken."""
        for key, empty in self.empty.items():
            empty.show(EMPTY_TEXT[key])
        for plot in self.plots.values():   # a legend of curves not drawn yet floated over the empty charts
            if plot.legend is not None:
                plot.legend.setVisible(False)

    def _hide_empty(self) -> None:
        for empty in self.empty.values():
            empty.hide()
        for plot in self.plots.values():
            if plot.legend is not None:
                plot.legend.setVisible(True)
        self.plots["accuracy"].setYRange(0, 1)
        if self._epochs:
            self.set_epochs(self._epochs)

    def clear_data(self) -> None:
        for s in self.series.values():
            s.clear()
        self._dirty = True
        self.redraw(force=True)

    def set_epochs(self, epochs: int) -> None:
        """Fix the x axis to the whole run, so a redraw does not re-layout the axis on every new point."""
        self._epochs = epochs
        if any(e.text for e in self.empty.values()):
            return                   # set when the first points come (the empty state has its own range)
        for plot in self.plots.values():
            plot.setXRange(0, max(1, epochs), padding=0.02)
            plot.enableAutoRange(x=False)

    def add_batch(self, epoch: int, step: int, steps_per_epoch: int, logs: dict) -> None:
        x = epoch + (step + 1) / max(1, steps_per_epoch)
        for key in ("loss", "accuracy"):
            if _finite(logs.get(key)):
                self.series[key].append(x, float(logs[key]))
                self._dirty = True

    def add_epoch(self, epoch: int, logs: dict) -> None:
        for key in ("val_loss", "val_accuracy"):
            if _finite(logs.get(key)):
                self.series[key].append(epoch + 1, float(logs[key]))
                self._dirty = True

    def points_drawn(self) -> int:
        """How many points the curves show now (what was last passed to setData)."""
        return sum(len(c.xData) if c.xData is not None else 0 for c in self.curves.values())

    def redraw(self, force: bool = False) -> None:
        """Push new points to the curves; at most every ``MIN_REDRAW_S`` unless ``force`` (a repaint of
        both plots costs tens of ms on a busy 2-core machine, time the training child needs)."""
        now = time.monotonic()
        if not self._dirty or (not force and now - self._last_redraw < MIN_REDRAW_S):
            return
        self._last_redraw = now
        has_points = any(s.n for s in self.series.values())
        if has_points and any(e.text for e in self.empty.values()):
            self._hide_empty()
        elif not has_points and not all(e.text for e in self.empty.values()):
            self._show_empty()
        for key, curve in self.curves.items():
            s = self.series[key]
            curve.setData(s.x, s.y)
        self._dirty = False
        self.redraws += 1


def _finite(v) -> bool:
    try:
        return v is not None and np.isfinite(float(v))
    except (TypeError, ValueError):
        return False
