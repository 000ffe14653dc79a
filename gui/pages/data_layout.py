"""The Data page's views: the preview and the class counts side by side, and the findings below them the whole
width of the page (beside the chart they showed 2 of the shop table's 9 findings at 1280 x 800). The findings get
the height their sentences need, up to two thirds of the room; the preview keeps the rest, and never less than it
needs to be read (the pump walk: 13 findings squeezed three sensor plots to flat lines): the findings scroll."""

from __future__ import annotations

from edgeling.gui.qt import QLabel, QSplitter, Qt, QVBoxLayout, QWidget
from edgeling.gui.widgets.class_chart import ClassBarChart
from edgeling.gui.widgets.report_list import ReportList

PREVIEW_MIN = 150        # the preview's least height, in pixels, unless it says it needs more (readable_height)
REPORT_SHARE = 2 / 3     # the findings' most of the room
REPORT_MIN = 100         # the findings' least height beside a tall preview: two or three of them, then scroll
SLACK = 24               # the page settles after the import (its status line wraps), and a line may wrap later


def build_views(page) -> QSplitter:
    """Make ``page.preview`` (in ``page.left_layout``), ``page.chart`` and ``page.report``; the splitter holding
    them, to add to the page."""
    top = QSplitter(Qt.Orientation.Horizontal)
    left = QWidget()
    page.left_layout = QVBoxLayout(left)
    page.left_layout.setContentsMargins(0, 0, 0, 0)
    page.preview = QLabel("The preview appears here.")
    page.left_layout.addWidget(page.preview, 1)
    top.addWidget(left)
    page.chart = ClassBarChart()
    top.addWidget(page.chart)
    top.setSizes([650, 350])
    split = QSplitter(Qt.Orientation.Vertical)
    split.setObjectName("dataSplit")
    split.setChildrenCollapsible(False)
    page.report = ReportList()
    page.report.show_empty()
    split.addWidget(top)
    split.addWidget(page.report)
    split.setStretchFactor(0, 1)      # a taller or shorter window changes the preview; the findings keep theirs
    split.setStretchFactor(1, 0)
    split.setSizes([300, 200])
    return split


def preview_least(preview) -> int:
    """The height the preview needs to be read: sensor traces say theirs (a plot per class), others
    ``PREVIEW_MIN``."""
    need = getattr(preview, "readable_height", None)
    return max(PREVIEW_MIN, int(need())) if callable(need) else PREVIEW_MIN


def share_height(split: QSplitter, report: ReportList, preview=None) -> None:
    """Give the findings the height they need (at most ``REPORT_SHARE`` of the room, leaving the preview
    what it needs to be read, ``preview_least``), the preview the rest."""
    total = sum(split.sizes())
    if total <= 0:
        return
    least = min(preview_least(preview), max(0, total - REPORT_MIN))
    wanted = min(report.wanted_height() + SLACK, int(total * REPORT_SHARE), max(0, total - least))
    wanted = max(wanted, min(total // 4, 120, total - least))
    split.setSizes([total - wanted, wanted])


def keep_preview_readable(split: QSplitter, preview) -> None:
    """After the window shrank: the findings give the preview back the height it needs, down to theirs
    (``REPORT_MIN``); a splitter shrinks the preview first."""
    sizes = split.sizes()
    total = sum(sizes)
    if len(sizes) != 2 or total <= 0:
        return
    least = min(preview_least(preview), max(0, total - REPORT_MIN))
    if sizes[0] < least:
        split.setSizes([least, total - least])
