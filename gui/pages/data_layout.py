"""The Data page's views: the preview and the class counts side by side, and the findings below them the whole
width of the page (beside the chart they showed 2 of the shop table's 9 findings at 1280 x 800). The findings get
the height their sentences need, up to two thirds of the room; the preview keeps the rest."""

from __future__ import annotations

from edgeling.gui.qt import QLabel, QSplitter, Qt, QVBoxLayout, QWidget
from edgeling.gui.widgets.class_chart import ClassBarChart
from edgeling.gui.widgets.report_list import ReportList

PREVIEW_MIN = 150        # the preview's least height, in pixels
REPORT_SHARE = 2 / 3     # the findings' most of the room
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


def share_height(split: QSplitter, report: ReportList) -> None:
    """Give the findings the height they need (at most ``REPORT_SHARE`` of the room, leaving the preview
    ``PREVIEW_MIN``), the preview the rest."""
    total = sum(split.sizes())
    if total <= 0:
        return
    wanted = min(report.wanted_height() + SLACK, int(total * REPORT_SHARE), max(0, total - PREVIEW_MIN))
    wanted = max(wanted, min(total // 4, 120))
    split.setSizes([total - wanted, wanted])
