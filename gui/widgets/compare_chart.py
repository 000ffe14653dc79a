"""The before/after chart of a compression: accuracy, flash, peak RAM and latency, each as a pair of bars.

The four numbers have different units, so each pair is drawn relative to the "before" model (before =
100 %); the labels under the bars give the real values. Plain dicts in (the table of
``edgeling compress --json``), no torch."""

from __future__ import annotations

from edgeling.core.compress.compare import value
from edgeling.gui.qt import pg
from edgeling.gui.widgets.empty_plot import EmptyText

METRICS = (("accuracy", "accuracy"), ("flash_bytes", "flash"), ("needs_ram_bytes", "RAM needed"),
           ("latency_ms", "latency"))
BEFORE_BRUSH = (120, 120, 120, 200)
AFTER_BRUSH = (40, 140, 220, 230)
NOTHING_COMPRESSED = "Nothing compressed yet"


def legend_html(short: bool = False) -> str:
    """The key of the two colours, for the chart's title line: above the bars, so it never covers one;
    ``short``: "after" alone, for a narrow chart (at 1024 x 700 the key was cut to "after comp")."""
    def swatch(rgba) -> str:
        return f'<span style="color: rgb({rgba[0]}, {rgba[1]}, {rgba[2]})">&#9632;</span>'
    return (f"{swatch(BEFORE_BRUSH)} before&nbsp;&nbsp;&nbsp;{swatch(AFTER_BRUSH)} after"
            + ("" if short else " compressing"))


def relative_pairs(table: dict) -> list[tuple[str, float, float]]:
    """``(label, before %, after %)`` for each metric both columns have; before is always 100."""
    before, after = table.get("before") or {}, table.get("after") or {}
    out = []
    for key, label in METRICS:
        b, a = value(before, key), value(after, key)
        if isinstance(b, (int, float)) and isinstance(a, (int, float)) and b:
            out.append((label, 100.0, 100.0 * float(a) / float(b)))
    return out


class CompareChart(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("compareChart")
        self.setMouseEnabled(x=False, y=False)
        self.setMenuEnabled(False)
        self.setLabel("left", "% of the model before compressing")
        self.pairs: list[tuple[str, float, float]] = []
        self._items: list = []
        self.empty = EmptyText(self)
        self.empty.show(NOTHING_COMPRESSED)

    def show_table(self, table: dict | None) -> None:
        for item in self._items:
            self.removeItem(item)
        self._items = []
        self.pairs = relative_pairs(table or {})
        if not self.pairs:
            self.getAxis("bottom").setTicks(None)
            self.empty.show(NOTHING_COMPRESSED)
            return
        self.empty.hide()
        self._fit_key()
        xs = list(range(len(self.pairs)))
        before = pg.BarGraphItem(x=[x - 0.18 for x in xs], height=[p[1] for p in self.pairs], width=0.34,
                                 brush=BEFORE_BRUSH, name="before")
        after = pg.BarGraphItem(x=[x + 0.18 for x in xs], height=[p[2] for p in self.pairs], width=0.34,
                                brush=AFTER_BRUSH, name="after")
        for item in (before, after):
            self.addItem(item)
            self._items.append(item)
        color = self.getAxis("left").textPen().color()        # readable in light and dark themes
        for x, (_label, _b, a) in zip(xs, self.pairs):
            text = pg.TextItem(f"{a:.0f}%", anchor=(0.5, 1.0), color=color)
            text.setPos(x + 0.18, a)
            self.addItem(text)
            self._items.append(text)
        self.getAxis("bottom").setTicks([[(x, p[0]) for x, p in zip(xs, self.pairs)]])
        top = max(110.0, max(p[2] for p in self.pairs) * 1.15)
        self.setYRange(0, top, padding=0)
        self.setXRange(-0.6, len(self.pairs) - 0.4, padding=0)

    def _fit_key(self) -> None:
        """The whole key when the chart has room for it, else the short one."""
        if not getattr(self, "pairs", None) or self.__dict__.get("plotItem") is None:   # being built or closed
            return
        self.setTitle(legend_html())
        if self.getPlotItem().titleLabel.item.boundingRect().width() > self.width() - 10:
            self.setTitle(legend_html(short=True))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_key()
