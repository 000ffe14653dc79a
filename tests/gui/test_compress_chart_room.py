"""At 1024 x 700 the compress chart got about 230 pixels beside its table, and its key ("■ before ■ after
compressing") was cut to "■ before ■ after comp". The key is shorter when the chart is narrow."""

from __future__ import annotations

from edgeling.gui.qt import QApplication
from edgeling.gui.widgets.compare_chart import CompareChart
from tests.gui.tiny_jobs import TABLE


def test_the_charts_key_is_whole_in_a_narrow_chart(qtbot):
    chart = CompareChart()
    qtbot.addWidget(chart)
    chart.resize(230, 300)
    chart.show()
    chart.show_table(TABLE)
    for width in (230, 500, 200):
        chart.resize(width, 300)
        for _ in range(3):
            QApplication.processEvents()
        title = chart.getPlotItem().titleLabel
        assert "before" in title.text and "after" in title.text
        assert title.item.boundingRect().width() <= chart.width() - 10, (width, title.text)
    chart.resize(500, 300)
    QApplication.processEvents()
    assert "after compressing" in chart.getPlotItem().titleLabel.text     # the whole words when there is room
