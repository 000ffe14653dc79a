"""The Evaluate page at 1024 x 700 (and 1280 x 800): the per-class table was drawn over the title of the list of
answers once a grey line of score words took its height. The column beside the matrix now keeps each part's
room (it scrolls when the window is shorter still), and the results sit over the Try it box with a bar between
them to drag."""

from __future__ import annotations

import pytest

from edgeling.gui.qt import QApplication, QPoint, QSplitter
from tests.gui.test_evaluate_details import make_run

NAMES = ["cavitation", "loose_mount", "normal", "bearing_wear", "misalignment"]


def _page(window, size):
    n = len(NAMES)
    samples = [{"source": f"{NAMES[i % n]}/pump{i % 5}_rec{i:02d}.csv#t={i}", "true": i % n,
                "predicted": (i + (i % 3 == 0)) % n, "confidence": 0.5 + (i % 5) / 10} for i in range(60)]
    metrics = {"task": "classification", "accuracy": 0.9, "macro_f1": 0.88, "roc_auc": 0.97, "class_names": NAMES,
               "confusion_matrix": [[12 if r == c else 1 for c in range(n)] for r in range(n)],
               "per_class": {c: {"precision": 0.9, "recall": 0.9, "f1": 0.9, "support": 12} for c in NAMES}}
    window.resize(*size)
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-001", metrics, {"root": "/data", "class_names": NAMES, "samples": samples})
    window.state.edited()
    window.show_page("evaluate")
    for _ in range(5):
        QApplication.processEvents()
    return window.pages["evaluate"]


def _span(widget, page) -> tuple[int, int]:
    top = widget.mapTo(page, QPoint(0, 0)).y()
    return top, top + widget.height()


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_the_table_the_lists_title_and_the_list_never_overlap(window, qtbot, size):
    page = _page(window, size)
    assert page.scores_note.isVisible() and page.samples_label.text().startswith("All ")
    table, title, answers = (_span(w, page) for w in (page.per_class, page.samples_label, page.worst))
    assert table[1] <= title[0] and title[1] <= answers[0], (table, title, answers)
    assert title[1] - title[0] >= page.samples_label.heightForWidth(page.samples_label.width())   # every line
    assert answers[1] - answers[0] >= 60                            # two answers, then it scrolls
    assert _span(page.heatmap, page)[1] <= _span(page.crossval, page)[0]


def test_the_results_and_the_try_it_box_share_the_height_by_a_bar(window, qtbot):
    page = _page(window, (1280, 800))
    split = page.findChild(QSplitter, "evaluateSplit")
    results, try_box = split.sizes()
    assert results > try_box > 0          # the results get most of it


LONG_SUMMARY = (" The numbers are only rough: few samples per class, so one more or less moves a class's recall a lot; more "
                "files kept apart give firmer numbers.") * 3


@pytest.mark.parametrize("size", [(1024, 700), (1366, 768)])
def test_a_short_window_scrolls_the_page_and_keeps_the_results_readable(window, qtbot, size):
    """The walk at 1024 x 700: a nine-line summary, the Try it box and cross-validation kept their heights, and the
    matrix got 40 to 100 pixels (its names cut to "c…"), the table two rows, the list of wrong answers one line.
    Now the page's body scrolls and the results keep their room."""
    page = _page(window, size)
    page.summary.setText(page.summary.text() + LONG_SUMMARY)      # as long as the walk's (nine lines)
    for _ in range(5):
        QApplication.processEvents()
    assert page.heatmap.height() >= 250
    assert page.per_class.height() >= page.per_class.rows_height()          # every class's row
    header = page.per_class.horizontalHeader()
    assert header.length() <= page.per_class.viewport().width()             # the samples column whole
    assert page.worst.height() >= 80                                        # a few wrong answers
    assert page.heatmap.getAxis("bottom").shown[:3] == NAMES[:3]            # the names whole, not "c…"
    body = page.body
    assert body.verticalScrollBar().maximum() > 0 if size == (1024, 700) else True
    body.ensureWidgetVisible(page.crossval)              # cross-validation is reached by scrolling
    for _ in range(3):
        QApplication.processEvents()
    bottom = page.crossval.mapTo(body.viewport(), QPoint(0, page.crossval.height())).y()
    assert bottom <= body.viewport().height() + 1
