"""The empty state of a chart: its axes hidden and one short sentence in the middle ("No data yet",
"No results yet"), instead of a blank 0–1 chart or axes from -2 to 2 that look broken."""

from __future__ import annotations

from edgeling.gui.qt import QFont, pg


class EmptyText:
    """Shows and hides the sentence on one ``pg.PlotWidget`` (or a ``pg.PlotItem`` of a layout); ``text`` is
    what it says now ("" when the chart shows data)."""

    def __init__(self, plot: pg.PlotWidget):
        self.plot = plot
        self.text = ""
        self._item: pg.TextItem | None = None
        self._title: str | None = None

    def show(self, text: str) -> None:
        self.hide()
        item = self._plot_item()
        for name in ("left", "bottom"):
            item.hideAxis(name)
        if item.titleLabel.isVisible() and item.titleLabel.text:
            self._title = item.titleLabel.text       # given back with the data ("Loss (lower is better)")
        item.setTitle(None)
        color = item.getAxis("left").textPen().color()      # readable in light and dark themes
        self._item = pg.TextItem(text, anchor=(0.5, 0.5), color=color)
        font = QFont(self.plot.font())
        font.setPointSizeF(font.pointSizeF() * 1.15 if font.pointSizeF() > 0 else 11)
        self._item.setFont(font)
        self._item.setPos(0.5, 0.5)
        item.addItem(self._item, ignoreBounds=True)
        item.getViewBox().setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        self.text = text

    def hide(self) -> None:
        """Back to a chart: the axes shown again, the view following its data."""
        if not self.text and self._item is None:
            return
        item = self._plot_item()
        if self._item is not None:
            item.removeItem(self._item)     # nothing happens when a clear() took it already
        self._item, self.text = None, ""
        for name in ("left", "bottom"):
            item.showAxis(name)
        if self._title:
            item.setTitle(self._title)
        item.getViewBox().enableAutoRange()

    def _plot_item(self) -> pg.PlotItem:
        return self.plot.getPlotItem() if hasattr(self.plot, "getPlotItem") else self.plot
