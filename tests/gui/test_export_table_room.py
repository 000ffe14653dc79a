"""Export page at 1024 x 700 after exporting (the vineyard re-walk): the file column shrank to "…" while the size
column kept the full width of "96,672 bytes of model in 599,503 bytes of C text", and the last heading was cut
("(TFLite Micro arena"). The file names now take the room the numbers leave (at least a usual name's width),
the size cell is short (the long sentence is its tooltip) and the headings are short, their meaning in
tooltips."""

from __future__ import annotations

import pytest

from tests.gui.test_export_for_a_pi import exported
from tests.gui.test_vineyard_walk import add_run

NAMES = ("Grape_leaves_run_001_ptq.tflite", "Grape_leaves_run_001_ptq.h")


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_the_file_names_stay_readable_and_every_heading_shows(window, qtbot, size):
    window.resize(*size)
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-001", device="esp32-s3")
    exported(project, NAMES[0], "tflite-int8", "esp32-s3")
    exported(project, NAMES[1], "c-header", "esp32-s3")
    project.exports[-1].update(size_bytes=599503, model_bytes=96672)
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    table = page.table
    qtbot.waitUntil(lambda: table.viewport().width() > 300)
    qtbot.wait(50)
    metrics = table.fontMetrics()
    assert [table.item(r, 0).text() for r in range(2)] == list(NAMES)
    assert table.columnWidth(0) >= metrics.horizontalAdvance(NAMES[0]) + 6      # the whole name shows
    assert table.item(1, 2).text() == "94 KB (C text 585 KB)"      # KB, as the Model and Compress pages
    assert table.item(1, 2).toolTip() == "96,672 bytes of model in 599,503 bytes of C text"
    shown = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
    assert len(shown) == 8
    header = table.horizontalHeader()
    for c in shown:     # every line of every heading fits its column
        text = table.horizontalHeaderItem(c).text()
        assert header.sectionSize(c) >= max(metrics.horizontalAdvance(line) for line in text.split("\n")), text
        assert table.horizontalHeaderItem(c).toolTip()
    assert sum(header.sectionSize(c) for c in shown) <= table.viewport().width()    # nothing cut at the right
    assert table.horizontalHeaderItem(7).text() == "tensor arena\nto reserve"
    assert "tensor arena" in table.horizontalHeaderItem(7).toolTip()
