"""The vineyard walk, Evaluate at 1024 x 700 on first opening a project: the per-class table's "samples" column
was cut behind a horizontal scroll bar. Qt's stretched last section kept "samples" 100 pixels wide, 36 more than
the table had. The table sizes its columns to its width: the last one takes the room left; when the one-line
headings do not fit, they take two lines; the class names stay whole while they can."""

from __future__ import annotations

import json

from edgeling.gui.pages.plain_terms import PER_CLASS_HEADINGS
from edgeling.gui.qt import QApplication
from tests.gui.test_per_class_table import metrics_for
from tests.gui.test_train_reopened import trained_project

VINE = ["background (no leaf)", "black rot", "healthy", "mildiou é"]


def _opened(window, qtbot, tmp_path, width: int, height: int):
    """The Evaluate page as the walk first saw it: a project with a run, opened, then the page shown."""
    project = trained_project(tmp_path, 0.769, 2)
    metrics = {**metrics_for(VINE), "split": "test", "num_samples": 52}
    (project.runs_dir / "run-001" / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    project.save()
    window.resize(width, height)
    assert window.open_project(str(project.folder))
    window.show_page("evaluate")
    QApplication.processEvents()
    qtbot.wait(100)
    table = window.pages["evaluate"].per_class
    assert table.rowCount() == len(VINE)
    return table


def _all_in_view(table) -> None:
    header, room = table.horizontalHeader(), table.viewport().width()
    last = table.columnCount() - 1
    assert header.length() <= room and table.horizontalScrollBar().maximum() == 0, (header.length(), room)
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= room
    assert header.sectionSize(last) >= table.fontMetrics().horizontalAdvance("samples")


def test_every_column_shows_at_1024(window, qtbot, tmp_path):
    table = _opened(window, qtbot, tmp_path, 1024, 700)
    _all_in_view(table)
    widest = max(table.fontMetrics().horizontalAdvance(n) for n in VINE)
    assert table.columnWidth(0) >= widest                          # the class names whole
    last_row = table.visualItemRect(table.item(len(VINE) - 1, 0))
    assert last_row.bottom() <= table.viewport().height()          # every class in view, as before
    column = window.pages["evaluate"].results_column
    split = column.parentWidget()
    while split is not None and not hasattr(split, "setSizes"):
        split = split.parentWidget()
    total = sum(split.sizes())
    split.setSizes([total - 380, 380])                  # the bar dragged: a narrower table
    QApplication.processEvents()
    qtbot.wait(50)
    _all_in_view(table)
    assert "\n" in table.horizontalHeaderItem(1).text()            # "said right" over "(precision)"


def test_a_wide_window_keeps_the_headings_on_one_line(window, qtbot, tmp_path):
    table = _opened(window, qtbot, tmp_path, 1600, 900)
    assert [table.horizontalHeaderItem(c).text() for c in range(4)] == list(PER_CLASS_HEADINGS)
    _all_in_view(table)
