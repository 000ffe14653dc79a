"""The before/after chart of a compression: accuracy, flash, peak RAM and latency, each as a pair of bars.

The four numbers have different units, so each pair is drawn relative to the "before" model (before =
100 %); the labels under the bars give the real values. Plain dicts in (the table of
``edgeling compress --json``), no torch.

At 1024 x 700 the chart got less width than its plot needed, and the plot was drawn cut at the right: the key read
"after compressi", the last bar's label "65" and its name "laten". The chart now asks for the width its short key
and short names need (``least_width``), and the key and the names are fitted before the plot is laid out."""

from __future__ import annotations

from edgeling.core.compress.compare import value
from edgeling.gui.qt import pg
from edgeling.gui.widgets.empty_plot import EmptyText

METRICS = (("accuracy", "accuracy"), ("flash_bytes", "flash"), ("needs_ram_bytes", "RAM needed"),
           ("latency_ms", "latency"))
BEFORE_BRUSH = (120, 120, 120, 200)
AFTER_BRUSH = (40, 140, 220, 230)
NOTHING_COMPRESSED = "Nothing compressed yet"
SHORT_NAMES = {"RAM needed": "RAM"}     # the bars' names in a narrow chart
LEFT_AXIS = 56      # the left axis with its title and its numbers, in pixels
GROUP_PAD = 14      # room beside the name under each pair of bars


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
        self._fit_key()
        top = max(110.0, max(p[2] for p in self.pairs) * 1.15)
        self.setYRange(0, top, padding=0)
        self.setXRange(-0.6, len(self.pairs) - 0.4, padding=0)

    def _names_width(self, names) -> int:
        """The width the bars' ``names`` need under them, with the left axis beside."""
        metrics = self.fontMetrics()
        return LEFT_AXIS + len(names) * (max((metrics.horizontalAdvance(n) for n in names), default=0) + GROUP_PAD)

    def least_width(self) -> int:
        """The least width the chart is readable at: its short names under the bars, the short key above."""
        names = [SHORT_NAMES.get(label, label) for _key, label in METRICS]
        return max(self._names_width(names), self.fontMetrics().horizontalAdvance("■ before   ■ after") + 20)

    def _fit_key(self, width: int | None = None) -> None:
        """The whole key and names when the chart (``width`` wide) has room for them, else the short ones."""
        if not getattr(self, "pairs", None) or self.__dict__.get("plotItem") is None:   # being built or closed
            return
        width = self.width() if width is None else width
        self.setTitle(legend_html())
        if self.getPlotItem().titleLabel.item.boundingRect().width() > width - 10:
            self.setTitle(legend_html(short=True))
        names = [p[0] for p in self.pairs]
        if self._names_width(names) > width:
            names = [SHORT_NAMES.get(n, n) for n in names]
        self.getAxis("bottom").setTicks([list(enumerate(names))])

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._fit_key(event.size().width() if event is not None else None)   # before the plot is laid out at the
        # new width, so it fits (pyqtgraph calls this with None when it sets its plot)
        super().resizeEvent(event)
