"""The Data page's sensor plots can be read as amounts (the pump walk: each class's small plot of x, y and z had
a single y number, "0", so how big a reading was could not be told): each plot draws two numbers or more on its
y axis at 1024 x 700, never overlapping, with the unit the import read the recordings in ("1 g"), and sound
clips still have no amplitude axis."""

from __future__ import annotations

import re

import pytest

from tests.gui.test_main_window import pump_imported
from tests.gui.test_pages import dataset

NUMBER = re.compile(r"^(-?\d+(?:\.\d+)?)(?: (.+))?$")


def drawn_numbers(plot) -> list[tuple[object, str]]:
    """(where, text) of each number the plot's y axis draws, as pyqtgraph lays them out to paint."""
    from edgeling.gui.qt import QImage, QPainter

    axis = plot.getAxis("left")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _flags, text in (specs[2] if specs else [])]


def shown_preview(qtbot, ds):
    """The Data page's preview of ``ds`` alone, shown at 600 x 400."""
    from edgeling.gui.widgets.previews import TracePreview

    preview = TracePreview(ds)
    qtbot.addWidget(preview)
    preview.resize(600, 400)
    preview.show()
    qtbot.wait(50)
    return preview


def _read(texts: list[str]) -> tuple[list[float], set[str]]:
    values, units = [], set()
    for text in texts:
        found = NUMBER.match(text)
        assert found, text
        values.append(float(found.group(1)))
        units.add(found.group(2) or "")
    return values, units


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_each_pump_plot_has_two_numbers_or_more_in_g(window, qtbot, size):
    window.resize(*size)
    page = pump_imported(window, qtbot)
    qtbot.wait(200)
    traces = page.preview
    assert traces.objectName() == "tracePreview" and len(traces.plots) == 3
    assert window.state.dataset.meta["axis_units"][0]["unit"] == "g"
    for plot in traces.plots:
        drawn = drawn_numbers(plot)
        values, units = _read([text for _rect, text in drawn])
        assert len(set(values)) >= 2, [text for _rect, text in drawn]
        assert units == {"g"}
        lo, hi = plot.vb.viewRange()[1]
        assert all(lo <= v <= hi for v in values)                     # numbers of the lines shown
        rects = sorted((rect for rect, _text in drawn), key=lambda r: r.top())
        for upper, lower in zip(rects, rects[1:]):                     # one under another, never touching
            assert upper.bottom() <= lower.top(), (upper, lower)
        box = plot.getAxis("left").geometry()
        for rect in rects:                                             # within their plot's axis (4 px past
            assert rect.top() >= -5 and rect.bottom() <= box.height() + 5   # its end at most)
    lefts = {round(plot.vb.sceneBoundingRect().left()) for plot in traces.plots}
    assert len(lefts) == 1                                  # the plots' time axes in line, one under another


def test_the_unit_is_said_only_when_the_import_knows_it(qtbot):
    known = dataset("timeseries")
    known.meta.update(channels=["x", "y", "z"], axis_units=[{"channels": ["x", "y", "z"], "unit": "m/s^2"}])
    unknown = dataset("timeseries")
    unknown.meta.update(channels=["x", "y", "z"])
    partly = dataset("timeseries")        # a gyroscope's channel beside the accelerometer's: no one unit
    partly.meta.update(channels=["x", "y", "gx"], axis_units=[{"channels": ["x", "y"], "unit": "g"}])
    for ds, unit in ((known, "m/s²"), (unknown, ""), (partly, "")):
        preview = shown_preview(qtbot, ds)
        for plot in preview.plots:
            values, units = _read([text for _rect, text in drawn_numbers(plot)])
            assert len(set(values)) >= 2 and units == {unit}


@pytest.mark.parametrize("top", [16384.0, 2000.0, 0.002])
def test_raw_counts_and_small_readings_get_their_numbers_too(qtbot, top):
    """The review: the axis was as wide as "-0.00", and pyqtgraph leaves out a number with no room, so a
    logger's raw counts (+-16384 for 1 g) showed only "0" again."""
    import numpy as np

    ds = dataset("timeseries")
    x = np.asarray(ds.x, dtype=np.float32)
    ds.x = (x - x.mean()) / np.abs(x - x.mean()).max() * top
    ds.meta.update(channels=["x", "y", "z"])
    preview = shown_preview(qtbot, ds)
    for plot in preview.plots:
        values, _units = _read([text for _rect, text in drawn_numbers(plot)])
        assert len(set(values)) >= 2, values
        assert max(abs(v) for v in values) >= top / 4            # the big ones too, not just "0"


def test_sound_clips_still_have_no_amplitude_numbers(qtbot):
    preview = shown_preview(qtbot, dataset("audio"))
    assert all(not plot.getAxis("left").isVisible() for plot in preview.plots)


def test_readable_ticks_give_two_numbers_on_a_short_axis_and_never_crowd_them():
    from edgeling.gui.widgets.trace_axis import TIGHT_LINES, readable_ticks

    line = 14.0
    for lo, hi in ((-1.19, 0.77), (-0.98, 0.92), (-1.0, 1.0), (0.98, 1.02), (-12.0, 12.0), (0.0, 4000.0),
                   (5.0, 5.0001), (-0.3, 0.5)):
        for size in (35, 45, 48, 60, 80, 150, 400):
            step, values = readable_ticks(lo, hi, size, line)
            assert len(values) >= 2, (lo, hi, size, values)
            per_px = (hi - lo) / size
            assert all(lo <= v <= hi for v in values)
            gaps = [(b - a) / per_px for a, b in zip(values, values[1:])]
            assert min(gaps) >= TIGHT_LINES * line - 1e-6, (lo, hi, size, values)
    assert readable_ticks(-1.0, 1.0, 20, line)[1] == [0.0]        # too short for two: one, in the middle
