"""The Model page's "fits" column is read without a sideways scroll, and a "no" row is as short as the others.

The vineyard walk at 1024x700 (ESP32-S3, grape-leaf photos): the "fits" column ran past the table's right edge
(a sideways scroll bar; unscrolled, "no: needs 45", "(4", "tens"), and "no: needs 450 KB of RAM (446 KB for the
model's tensor arena, ...), 320 KB is available for the model" wrapped to about 12 lines: that row was 183 px
tall, so about six networks were in view. At 1280x800 the same row took 57 px. The cell now says the reason in
a few words ("no: too much RAM", the RAM bar beside it has the figures); its tooltip has the whole sentence.

Also: latencies as the CLI's plan says them (``plan_words.format_ms``): a tiny network on a Raspberry Pi showed
"0.0 ms"."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from edgeling.core.devices.catalogue import get_device
from edgeling.gui.qt import QApplication
from tests.gui.test_model_page_limits import plan_shown

REASON = ("needs 450 KB of RAM (446 KB for the model's tensor arena, 3.8 KB to resize a picture into the input, "
          "not counting the camera frame), 320 KB is available for the model")
PLAN = {  # the walk's plan (its first eight networks), from the project it saved
    "device": "esp32-s3",
    "explanation": "tutorial_cnn (width 4, 128 px pictures) uses 128 KB (125 KB for the model's tensor arena, 3.0 KB "
                   "to resize a picture into the input, not counting the camera frame) of the 320 KB of RAM available "
                   "for the model (512 KB in all) and 28 KB of the 6.0 MB of flash available for the model (8.0 MB "
                   "in all), about 23 ms per prediction (int8, TensorFlow Lite Micro). The data decided the size, not "
                   "the device: bigger models fit, but 364 training pictures are enough for about 36,400 parameters "
                   "at most (a bigger model would learn them by heart rather than what they have in common); this one "
                   "has 24,987. More data would allow a bigger one.",
    "budget": {"ram_bytes": 327680, "flash_bytes": 6291456, "ram_headroom": 0.25, "flash_headroom": 0.25},
    "pick": {"arch": "tutorial_cnn", "knobs": {"resolution": 128, "width": 4}},
    "candidates": [
        {"arch": "tutorial_cnn", "knobs": {"resolution": 128, "width": 4}, "params": 24987, "ram_bytes": 128000,
         "input_ram_bytes": 3072, "flash_bytes": 28259, "latency_ms": 23.433, "fits": True},
        {"arch": "tutorial_cnn", "knobs": {"resolution": 160, "width": 4}, "params": 38811, "ram_bytes": 198960,
         "input_ram_bytes": 3840, "flash_bytes": 42083, "latency_ms": 36.48, "fits": True},
        {"arch": "mobilenet_v2", "knobs": {"alpha": 0.1, "last_channels": 128, "resolution": 128}, "params": 47299,
         "ram_bytes": 303600, "input_ram_bytes": 3072, "flash_bytes": 98372, "latency_ms": 68.973, "fits": True},
        {"arch": "mobilenet_v2", "knobs": {"alpha": 0.1, "last_channels": 256, "resolution": 128}, "params": 52035,
         "ram_bytes": 304736, "input_ram_bytes": 3072, "flash_bytes": 105412, "latency_ms": 69.485, "fits": True},
        {"arch": "tutorial_cnn", "knobs": {"resolution": 128, "width": 8}, "params": 50547, "ram_bytes": 200192,
         "input_ram_bytes": 3072, "flash_bytes": 54051, "latency_ms": 64.322, "fits": True},
        {"arch": "mobilenet_v2", "knobs": {"alpha": 0.1, "last_channels": 256, "resolution": 160}, "params": 52035,
         "ram_bytes": 456800, "input_ram_bytes": 3840, "flash_bytes": 105412, "latency_ms": 107.591, "fits": False,
         "why_not": [REASON]},
        {"arch": "tutorial_cnn", "knobs": {"resolution": 224, "width": 4}, "params": 75675, "ram_bytes": 388192,
         "input_ram_bytes": 5376, "flash_bytes": 78946, "latency_ms": 71.27, "fits": False,
         "why_not": ["needs 384 KB of RAM (379 KB for the model's tensor arena, 5.2 KB to resize a picture into the "
                     "input, not counting the camera frame), 320 KB is available for the model"]},
        {"arch": "tutorial_cnn", "knobs": {"resolution": 160, "width": 8}, "params": 78195, "ram_bytes": 311696,
         "input_ram_bytes": 3840, "flash_bytes": 81699, "latency_ms": 100.368, "fits": True},
    ]}


def _tip(item) -> str:
    """A tooltip's words on one line (it is wrapped to lines of 80 characters)."""
    return " ".join(item.toolTip().split())


def _cut(table) -> list[str]:
    """The texts of the network and "fits" cells that their row is too short to show wrapped to their column."""
    from edgeling.gui.qt import QRect, QStyle, Qt

    padding = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)    # as Qt lays out text
    cut = []
    for r in range(table.rowCount()):
        for col in (0, 5):
            text = table.item(r, col).text()
            room = QRect(0, 0, table.columnWidth(col) - padding, 10000)
            needs = table.fontMetrics().boundingRect(room, int(Qt.TextFlag.TextWordWrap), text).height()
            if needs > table.rowHeight(r):
                cut.append(text)
    return cut


def _shown(window, qtbot, size):
    page = plan_shown(window, size, PLAN, measure=False)
    qtbot.wait(50)
    QApplication.processEvents()
    return page


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_the_fits_column_is_in_view_and_a_no_row_is_no_taller_than_the_others(window, qtbot, size):
    page = _shown(window, qtbot, size)
    table = page.table
    assert table.horizontalScrollBar().maximum() == 0, "a sideways scroll to see the fits column"
    header = table.horizontalHeader()
    assert header.sectionViewportPosition(5) + header.sectionSize(5) <= table.viewport().width()
    no_row = next(r for r, c in enumerate(page._cands) if c.get("why_not") == [REASON])
    cell = table.item(no_row, 5)
    assert cell.text() == "no: too much RAM"
    assert REASON[1:] in _tip(cell)                            # the whole reason ("Needs 450 KB ...")
    yes_heights = [table.rowHeight(r) for r, c in enumerate(page._cands) if c.get("fits")]
    assert table.rowHeight(no_row) <= max(yes_heights), (table.rowHeight(no_row), yes_heights)
    assert table.rowHeight(no_row) <= 2 * table.fontMetrics().lineSpacing() + 12
    assert _cut(table) == []
    page.leave_project()


def test_rows_follow_the_window_shown_after_the_plan(window, qtbot):
    """A reopened project's plan is shown before the window takes its size: at 1024x700 the rows kept the
    heights they had for wider columns, and a "no" cell read "no: too much ..."."""
    page = _shown(window, qtbot, (1280, 800))
    window.resize(1024, 700)
    qtbot.wait(50)
    QApplication.processEvents()
    assert page.table.horizontalScrollBar().maximum() == 0
    assert _cut(page.table) == []
    page.leave_project()


def test_each_reason_in_a_few_words(window, qtbot):
    slow = {"arch": "audio_cnn", "knobs": {"width": 64}, "params": 9_000_000, "ram_bytes": 900 * 1024,
            "flash_bytes": 9 * 1024 * 1024, "latency_ms": 250.0, "fits": False,
            "why_not": ["needs 900 KB of RAM, 320 KB is available for the model",
                        "needs 9.0 MB of flash, 6.0 MB is available for the model",
                        "takes about 250 ms per prediction, the budget is 100 ms"]}
    page = _shown(window, qtbot, (1024, 700))
    page.show_plan({**PLAN, "candidates": [PLAN["candidates"][0], slow]})
    cell = page.table.item(1, 5)
    assert cell.text() == "no: too much RAM, too much flash, too slow"
    assert "Needs 9.0 MB of flash, 6.0 MB is available" in _tip(cell)
    assert "Takes about 250 ms per prediction, the budget is 100 ms" in _tip(cell)
    assert page.table.item(0, 5).text() == "yes"
    page.leave_project()


def test_a_tiny_latency_is_not_zero(window, qtbot):
    """A Raspberry Pi runs a tiny network in 0.04 ms: the latency column said "0.0 ms" ("{lat:.1f} ms")."""
    tiny = {"arch": "audio_cnn", "knobs": {"width": 4}, "params": 800, "ram_bytes": 2048, "flash_bytes": 4096,
            "latency_ms": 0.04, "fits": True}
    pi = {**PLAN, "device": "raspberry-pi-4", "budget": None, "candidates": [
        PLAN["candidates"][0], tiny, {**tiny, "knobs": {"width": 8}, "latency_ms": 1.57},
        {**tiny, "knobs": {"width": 16}, "latency_ms": 1196.321}]}
    page = _shown(window, qtbot, (1024, 700))
    page.devices = [asdict(get_device("raspberry-pi-4", measure=False))]
    page.show_plan(pi)
    said = [page.table.item(r, 4).text() for r in range(4)]
    assert said == ["23 ms", "0.04 ms", "1.6 ms", "1.2 s"]           # as `edgeling plan` says them
    page.leave_project()
