"""Opening the pump sample printed ``QGridLayoutEngine::addItem: Can't add … at cell (0, 1) because it's already
taken``: the sensor preview put the x/y/z key in the first plot's title cell, which holds the class's name. The key
now hangs at the plot's top right corner, beside the name, and no layout cell is given twice."""

from __future__ import annotations

from tests.gui.test_main_window import pump_imported


def test_the_pump_preview_adds_nothing_to_a_taken_layout_cell(window, qtbot, qtlog):
    window.resize(1024, 700)
    page = pump_imported(window, qtbot)
    qtbot.wait(100)
    traces = page.preview
    assert traces.objectName() == "tracePreview" and traces.legend is not None
    taken = [r.message for r in qtlog.records if "already taken" in r.message or "Can't add" in r.message]
    assert not taken, taken
    key = traces.legend.sceneBoundingRect()
    first = traces.plots[0]
    assert key.bottom() <= first.vb.sceneBoundingRect().top() + 1        # above the first class's lines
    assert key.right() <= first.sceneBoundingRect().right() + 1          # inside the plot, at its right
    assert key.left() >= first.titleLabel.sceneBoundingRect().center().x()   # beside the name, not over it
