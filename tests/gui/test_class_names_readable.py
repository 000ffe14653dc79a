"""Class names under the confusion matrix are whole (the pump walk read "loose_mo…" between "cavitation" and
"normal"): a name wider than its cell is whole when its neighbours leave room, else broken after a "_" onto a
second line, or every other name goes a line lower; names of up to 20 characters for three classes."""

from __future__ import annotations

import pytest

from edgeling.gui.qt import QFontMetrics

PUMP = ["cavitation", "loose_mount", "normal"]
LONG = ["bearing_outer_race_1", "loose_mount_bracket", "normal"]


def _metrics(names: list[str]) -> dict:
    n = len(names)
    return {"task": "classification", "accuracy": 0.9, "class_names": names,
            "confusion_matrix": [[10 if i == j else 1 for j in range(n)] for i in range(n)],
            "per_class": {c: {"precision": 0.9, "recall": 0.9, "support": 12} for c in names}}


@pytest.mark.parametrize("names", [PUMP, LONG])
@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_class_names_under_the_matrix_are_whole(window, qtbot, size, names):
    window.resize(*size)
    window.pages["home"].create_button.click()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page.show_metrics(_metrics(names))
    qtbot.wait(100)
    page.heatmap.grab()                      # drawn once, at the page's size
    axis = page.heatmap.getAxis("bottom")
    shown = axis.shown_names(QFontMetrics(page.heatmap.font()))
    assert [n.replace("\n", "") for n in shown] == names, shown


def test_a_name_wider_than_its_cell_is_whole_when_its_neighbours_leave_room(qtbot):
    from edgeling.gui.qt import pg
    from edgeling.gui.widgets.class_axis import GAP, ClassAxis

    plot = pg.PlotWidget(axisItems={"bottom": ClassAxis("bottom")})
    qtbot.addWidget(plot)
    plot.resize(600, 300)
    plot.show()
    axis = plot.getAxis("bottom")
    axis.set_names(PUMP, [0.5, 1.5, 2.5])
    qtbot.wait(50)
    fm = QFontMetrics(plot.font())
    wide, left, right = (fm.horizontalAdvance(n) for n in ("loose_mount", "cavitation", "normal"))
    slot = max(wide - 2, (wide + max(left, right)) / 2 + GAP)   # narrower than the name; room beside it
    assert slot < wide
    plot.setXRange(1.5 - axis.width() / slot / 2, 1.5 + axis.width() / slot / 2, padding=0)
    assert axis.shown_names(fm) == PUMP and not axis.staggered


SHAPES = ["blue squares", "dots", "grüne Dreiecke", "red circles", "stripes 🦓"]


def _drawn(chart) -> list[tuple[str, object, float]]:
    """The names the chart's class axis draws: each with its place in the chart and its whole height."""
    from edgeling.gui.qt import QPainter, QPixmap, QRectF, Qt

    axis = chart.getAxis("bottom")
    pixmap = QPixmap(10, 10)
    painter = QPainter(pixmap)
    painter.setFont(chart.font())
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(painter)
        return [(text, axis.mapRectToScene(rect), painter.boundingRect(
            QRectF(0, 0, 1000, 1000), Qt.AlignmentFlag.AlignCenter, text).height()) for rect, _f, text in texts]
    finally:
        painter.end()


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_every_class_name_under_the_data_pages_chart_is_drawn_whole(window, qtbot, tmp_path, size):
    """The shapes walk: the first bar's name ("blue squares") was left out at 1024x700 (pyqtgraph leaves out
    a name that sticks out past the axis' end, and the names were laid out for 15 pixels of room there), and
    the second line of a name broken in two ("squares", "Dreiecke") was cut off at the chart's bottom."""
    from tests.gui.test_main_window import make_images, wait_imported

    window.resize(*size)
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(make_images(tmp_path / "shapes", classes=SHAPES, n=3)))
    wait_imported(qtbot, window)
    qtbot.wait(100)
    chart = page.chart
    chart.grab()
    drawn = _drawn(chart)
    assert sorted(text.replace("\n", "") for text, _r, _h in drawn) == SHAPES, drawn
    for text, rect, height in drawn:
        assert 0 <= rect.left() and rect.right() <= chart.width(), (text, rect, chart.width())
        assert rect.top() + height <= chart.height() + 1, (text, rect, height, chart.height())
