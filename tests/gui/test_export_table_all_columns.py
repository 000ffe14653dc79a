"""A user walk at 1366 x 768: the Export page's table cut off its 8th column ("RAM to reserve") once a format had
failed: the check cells ("FAILED in TensorFlow Lite (LiteRT) and in TensorFlow Lite Micro", "last attempt FAILED;
earlier file kept") kept their one-line width and the file column its usual width, so the row scrolled
sideways. The long texts of the other columns now wrap onto more lines, the file names are cut in the middle,
and every column stays in view, at 1366 x 768 and at 1024 x 700."""

from __future__ import annotations

import pytest

from edgeling.gui.qt import QFont
from tests.gui.test_export_for_a_pi import exported
from tests.gui.test_vineyard_walk import add_run

FAILED = {"passed": False, "runtime": "ai-edge-litert",
          "failures": ["LiteRT agrees on 80% of the samples", "TensorFlow Lite Micro agrees on 81.5% of the samples"]}


@pytest.mark.parametrize("size, font_scale", [((1366, 768), 1.3), ((1024, 700), 1.0)])
def test_every_column_shows_after_a_failed_format(window, qtbot, size, font_scale):
    """At 1366 x 768 with a larger font than the tests' (the user's screen: 1.3 times as wide), and at 1024 x 700."""
    font = QFont(window.font())
    font.setPointSizeF(font.pointSizeF() * font_scale)
    window.setFont(font)
    window.resize(*size)
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-001", device="esp32-s3")
    exported(project, "Grape_leaves_run_001_ptq.tflite", "tflite-int8", "esp32-s3")
    exported(project, "Grape_leaves_run_001_ptq.h", "c-header", "esp32-s3")
    project.exports[-1].update(size_bytes=599503, model_bytes=96672)
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    page._failed_rows = [     # as _on_failed leaves them: the header failed again (its earlier file is kept) ...
        {"name": "Grape_leaves_run_001_ptq.h", "format": "c-header", "reason": "It failed.", "verification": FAILED},
        # ... and int8 ONNX failed, written nowhere
        {"name": "Grape_leaves_run_001_ptq_int8.onnx", "format": "onnx-int8", "reason": "It failed.",
         "verification": FAILED}]
    page.refresh()
    table = page.table
    qtbot.waitUntil(lambda: table.viewport().width() > 300)
    qtbot.wait(50)
    assert table.item(2, 3).text() == "FAILED in TensorFlow Lite (LiteRT) and in TensorFlow Lite Micro"
    assert table.item(1, 3).text() == "last attempt FAILED; earlier file kept"
    header, metrics = table.horizontalHeader(), table.fontMetrics()
    shown = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
    assert len(shown) == 8
    assert sum(header.sectionSize(c) for c in shown) <= table.viewport().width()    # nothing cut at the right
    assert not table.horizontalScrollBar().isVisible()
    for c in shown:       # every heading fits its column, and every word of every cell
        text = table.horizontalHeaderItem(c).text()
        assert header.sectionSize(c) >= max(metrics.horizontalAdvance(line) for line in text.split("\n")), text
        for r in range(table.rowCount() if c else 0):
            words = table.item(r, c).text().split()
            assert header.sectionSize(c) >= max(metrics.horizontalAdvance(w) for w in words), (r, c)
    assert header.sectionSize(0) >= 12 * metrics.averageCharWidth()      # a name cut in its middle, still readable
    if header.sectionSize(3) < metrics.horizontalAdvance(table.item(2, 3).text()):     # wrapped: a taller row
        assert table.rowHeight(2) >= 2 * metrics.height()
