"""The Evaluate page's per-class table shows every class of a handful without scrolling.

With six words (ja, nein, stopp, weiter, zurück, hallo) the table needed scrolling to show "zurück", the last
one, while the list below it had room to spare."""

from __future__ import annotations

from edgeling.gui.qt import QApplication
from tests.gui.conftest import new_project_page

WORDS = ["hallo", "ja", "nein", "stopp", "weiter", "zurück"]   # as the run lists them


def metrics_for(names: list[str]) -> dict:
    n = len(names)
    return {"accuracy": 0.9, "macro_f1": 0.9, "class_names": names,
            "confusion_matrix": [[12 if r == c else 0 for c in range(n)] for r in range(n)],
            "per_class": {name: {"precision": 0.9, "recall": 0.9, "f1": 0.9, "support": 12} for name in names}}


def test_six_classes_show_without_scrolling_and_many_scroll(window, qtbot):
    page = new_project_page(window, "evaluate", (1280, 800))
    page.show_metrics(metrics_for(WORDS))
    QApplication.processEvents()
    table = page.per_class
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() == 0, timeout=3000)
    last = table.visualItemRect(table.item(len(WORDS) - 1, 0))
    assert table.item(5, 0).text() == "zurück" and 0 < last.bottom() <= table.viewport().height()
    assert page.worst.height() > 80                     # the list below keeps room of its own
    many = [f"class {i}" for i in range(40)]
    page.show_metrics(metrics_for(many))
    QApplication.processEvents()
    assert table.rowCount() == 40 and table.verticalScrollBar().maximum() > 0    # many classes scroll
    assert table.height() < window.height()


def test_ten_classes_in_a_small_window_leave_the_label_below_readable(window, qtbot):
    """Ten digits at the screenshot's window size: the table kept a minimum of every row and was drawn over
    the label under it ('1 test sample of class 9 that the model took for 7')."""
    page = new_project_page(window, "evaluate", (1180, 760))
    page.show_metrics(metrics_for([str(d) for d in range(10)]))
    QApplication.processEvents()
    table, label = page.per_class, page.samples_label
    assert table.geometry().bottom() < label.geometry().top()
    assert page.heatmap._labels[0].color.name() in ("#000000", "#ffffff")   # a count on every cell


def test_counts_contrast_with_their_cells(window):
    """White on the dark blue of a full row, near-black on the white of an empty cell (the saved picture's
    colours, core/confusion_picture)."""
    window.pages["home"].create_button.click()
    page = window.pages["evaluate"]
    page.show_metrics(metrics_for(WORDS))
    colours = [t.color.name() for t in page.heatmap._labels]
    assert colours[0] == "#ffffff" and colours[1] == "#1a1a1a"     # the diagonal (12) white; the zeros dark
