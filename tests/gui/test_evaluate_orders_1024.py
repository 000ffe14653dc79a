"""The orders walk (a shop's table, a model for this computer) at 1024 x 700: the Try it answer about a CSV was
cut at its twelfth line, its rows behind a scroll bar inside the page's own scrolling body, and the list of wrong
answers kept room for 2.5 of them (its room counted one line an answer; at 1024 px each takes two). Each is read
whole now, at 1024 x 700 as at 1280 x 800."""

from __future__ import annotations

import pytest

from edgeling.gui.qt import QApplication
from tests.gui.test_evaluate_details import make_run

NAMES = ["non", "oui"]
NOTES = ["commandes.csv rows 14, 39, 62, 68, 83, 102, 107, 127, 134 and 170 (and 31 more rows): 'délai de "
         "livraison (jours)' is blank; the model was given the column's middle value (4), as in training",
         "commandes.csv rows 252, 399, 528, 638, 714, 786 and 974: 'prix unitaire (€)' is blank; the model was "
         "given the column's middle value (55.29), as in training"]


def _sample(i: int, true: int, predicted: int) -> dict:
    return {"source": f"commandes.csv#row={i + 2}", "true": true, "predicted": predicted,
            "confidence": 0.5 + (i % 45) / 100, "row_id": f"CMD-{24000 + i}", "row_id_column": "n° commande"}


def _page(window, size):
    samples = [_sample(i, int(i % 4 == 0), int(i % 4 == 0) ^ int(i % 5 == 0)) for i in range(99)]
    matrix = [[0, 0], [0, 0]]
    for s in samples:
        matrix[s["true"]][s["predicted"]] += 1
    wrong = [dict(s, true=NAMES[s["true"]], predicted=NAMES[s["predicted"]]) for s in samples
             if s["true"] != s["predicted"]]
    metrics = {"task": "classification", "num_samples": 99, "accuracy": 0.768, "accuracy_range": [0.675, 0.840],
               "macro_f1": 0.722, "roc_auc": 0.799, "class_names": NAMES, "confusion_matrix": matrix,
               "per_class": {"non": {"precision": 0.879, "recall": 0.795, "f1": 0.835, "support": 73},
                             "oui": {"precision": 0.545, "recall": 0.692, "f1": 0.610, "support": 26}},
               "most_confused": [{"classes": NAMES, "count": 23, "as_second": 15, "as_first": 8}],
               "majority_baseline": {"class": "non", "accuracy": 0.737, "tied": 1}, "split": "test",
               "latency_ms": 0.028, "worst_samples": wrong, "wrong_samples": wrong}
    window.resize(*size)
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-001", metrics,
             {"task": "classification", "root": "/nowhere/commandes.csv", "class_names": NAMES, "samples": samples})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page._predict.start = lambda args: True
    return page


def _settle(qtbot):
    for _ in range(5):
        qtbot.wait(30)
        QApplication.processEvents()


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
@pytest.mark.parametrize("rows", [8, 1000])
def test_the_answer_about_a_csv_and_the_wrong_answers_are_read_whole(window, qtbot, size, rows):
    page = _page(window, size)
    page.try_file("/somewhere/commandes.csv")
    page._predict.sig_result.emit({"notes": NOTES, "predictions": [
        {"source": f"commandes.csv#row={i + 2}", "row_id": f"CMD-{24000 + i}", "label": NAMES[i % 3 == 0],
         "confidence": 0.74} for i in range(rows)]})
    _settle(qtbot)
    answer = page.try_scroll
    assert answer.verticalScrollBar().maximum() == 0, "the answer scrolls inside its box"
    box = answer.parentWidget()
    body = page.body
    top = box.mapTo(body.widget(), box.rect().topLeft()).y() - body.verticalScrollBar().value()
    assert 0 <= top and top + box.height() <= body.viewport().height(), "the Try it box is not all in view"
    assert not page.save_answers_button.visibleRegion().isEmpty()

    wrong = page.worst
    assert wrong.count() == sum(s["true"] != s["predicted"] for s in page.predictions["samples"])
    answer_height = wrong.visualItemRect(wrong.item(0)).height()
    assert wrong.viewport().height() >= 3 * answer_height, (wrong.viewport().height(), answer_height)
    body.verticalScrollBar().setValue(0)                       # scrolled back up: the results in view
    _settle(qtbot)
    column = page.results_column
    at = wrong.mapTo(body.widget(), wrong.rect().topLeft()).y()
    assert at + 3 * answer_height <= body.viewport().height(), "three wrong answers are not in view at the top"
    assert column.verticalScrollBar().maximum() == 0
