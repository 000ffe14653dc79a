"""Evaluate with no run yet at 1024 x 700 (the beekeeper walk, shots/5-evaluate.png): the white "No results yet"
panel was drawn over the top of the Try it box, only its last line and "Choose a file…" showing under it; the
summary's one line had been given 84 pixels more than it needs, taken from the results."""

from __future__ import annotations

from tests.gui.conftest import new_project_page


def _top(widget, page) -> int:
    return widget.mapTo(page, widget.rect().topLeft()).y()


def _bottom(widget, page) -> int:
    return widget.mapTo(page, widget.rect().bottomLeft()).y()


def test_no_results_yet_leaves_the_try_it_box_whole_at_1024(window, qtbot):
    page = new_project_page(window, "evaluate")
    qtbot.wait(100)
    try_box = page.try_drop.parentWidget()
    assert page.runs.currentData() is None and page.heatmap.isVisible()
    assert _bottom(page.views, page) < _top(try_box, page)          # the results end above the Try it box
    assert _bottom(page.results_column, page) < _top(try_box, page)
    assert page.summary.height() <= 3 * page.summary.fontMetrics().lineSpacing()   # one line, not a blank band
