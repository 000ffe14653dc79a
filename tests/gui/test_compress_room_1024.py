"""The pump walk at 1024 x 700, after compressing to int8: the chart beside the table was narrower than its plot,
which was drawn cut at the right (the key read "after compressi", the last bar's label "65" and its name
"laten"), and the table's row name read "balanced over classes (macro …". The chart now keeps the width its
plot needs, and the row names are wrapped onto more lines instead of cut."""

from __future__ import annotations

import pytest

from edgeling.gui.qt import QApplication, QRect, Qt
from tests.gui.test_compress_page import compress_window  # noqa: F401 - the fixture: a project with a run

BEFORE = {"accuracy": 1.0, "macro_f1": 1.0, "params": 7171, "nonzero_params": 7171, "macs": 7072,
          "flash_bytes": 35395, "ram_bytes": 2592, "input_ram_bytes": 5116, "needs_ram_bytes": 7708,
          "latency_ms": 2.2345, "precision": "float32", "arch": "spectral_dense",
          "device": "arduino-nano-33-ble-sense", "device_name": "Arduino Nano 33 BLE Sense",
          "quality_measured_on": "PyTorch float32"}
AFTER = {**BEFORE, "flash_bytes": 14752, "ram_bytes": 2160, "needs_ram_bytes": 7276, "latency_ms": 1.461,
         "precision": "int8", "quality_measured_on": "the int8 file in LiteRT", "flash_measured": True}


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_the_chart_is_whole_and_no_row_name_is_cut(compress_window, size):  # noqa: F811
    window = compress_window
    window.resize(*size)
    page = window.pages["compress"]
    page.show_table({"before": BEFORE, "after": AFTER})
    for _ in range(10):
        QApplication.processEvents()
    assert window.width() == size[0]                        # the page fits the window, not the other way round
    chart = page.chart
    plot = chart.getPlotItem()
    assert plot.geometry().width() <= chart.width(), (plot.geometry().width(), chart.width())   # not drawn cut
    assert chart.minimumWidth() >= plot.minimumWidth()      # however the splitter is dragged or the window shrunk
    assert "after compressing" in plot.titleLabel.text
    assert plot.titleLabel.item.boundingRect().width() <= chart.width() - 10
    ticks = [name for _x, name in chart.getAxis("bottom")._tickLevels[0]]
    group = plot.vb.width() / len(ticks)
    assert all(chart.fontMetrics().horizontalAdvance(name) < group for name in ticks), (ticks, group)
    table = page.table
    metrics = table.fontMetrics()
    for r in range(table.rowCount()):
        name = table.item(r, 0).text()
        lines = metrics.boundingRect(QRect(0, 0, table.columnWidth(0) - 8, 10000),
                                     Qt.TextFlag.TextWordWrap, name).height()
        assert lines <= table.rowHeight(r), (name, lines, table.rowHeight(r))     # every line of it shows
    last = table.columnCount() - 1
    assert table.columnViewportPosition(last) + table.columnWidth(last) <= table.viewport().width()
