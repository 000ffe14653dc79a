"""The Data page keeps its sensor plots readable when the import has many findings (the pump walk: 13 warnings
took the room and squeezed the three classes' traces to flat lines); the findings scroll instead."""

from __future__ import annotations

import pytest

from tests.gui.test_main_window import pump_imported

LONG = ("4 row(s) of pump1_2026-03-0{i}_rec{i:02d}.csv have a different number of fields than the header (4) and "
        "were left out: line(s) 2, 3, 4, 5. This usually means a semicolon inside a value that is not in quotes.")


def _with_many_findings(window, qtbot, n: int = 14):
    page = pump_imported(window, qtbot)
    ds = window.state.dataset
    for i in range(n):
        ds.report.add("bad_rows", LONG.format(i=i), "Fix the rows.", [f"pump1_rec{i:02d}.csv"])
    window.state.set_dataset(ds)
    qtbot.wait(200)      # the page settles (the status line wraps)
    return page


def _plot_heights(page) -> list[int]:
    assert page.preview.objectName() == "tracePreview"
    return [int(plot.vb.height()) for plot in page.preview.plots]


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_sensor_plots_keep_their_height_beside_many_findings(window, qtbot, size):
    window.resize(*size)
    page = _with_many_findings(window, qtbot)
    heights = _plot_heights(page)
    assert len(heights) == 3 and min(heights) >= 45, heights     # the lines' shape can be seen
    report = page.report
    assert report.height() >= 100                                 # some findings to read, the rest scroll
    assert report.verticalScrollBar().maximum() > 0


def test_a_smaller_window_takes_its_room_from_the_findings(window, qtbot):
    window.resize(1280, 800)
    page = _with_many_findings(window, qtbot, n=4)
    window.resize(1024, 700)
    qtbot.wait(200)
    assert min(_plot_heights(page)) >= 45
    assert page.report.height() >= 100


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_the_channels_key_is_above_the_plots_not_over_the_first_classs_lines(window, qtbot, size):
    """The pump walk: with short plots the x/y/z key covered part of the first class's trace; it is now beside
    the first class's name, above its lines."""
    window.resize(*size)
    page = _with_many_findings(window, qtbot)
    traces = page.preview
    legend = getattr(traces, "legend", None) or traces.plots[0].legend
    assert legend is not None and legend.isVisible()
    key = legend.sceneBoundingRect()
    for plot in traces.plots:
        assert not key.intersects(plot.vb.sceneBoundingRect()), (key, plot.vb.sceneBoundingRect())
    assert key.bottom() <= traces.plots[0].vb.sceneBoundingRect().top()
    assert min(_plot_heights(page)) >= 45                # the plots keep their height beside the key
