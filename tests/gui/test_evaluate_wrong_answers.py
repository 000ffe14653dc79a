"""The Evaluate page's list under the matrix says what it holds (the pump walk: under "Worst-classified samples" it
listed right answers, "is cavitation, the model said cavitation (73% sure)"): the wrong answers first, then the
right answers the model was least sure of under a heading of their own."""

from __future__ import annotations

from edgeling.gui.qt import Qt
from tests.gui.test_evaluate_details import make_run

NAMES = ["cavitation", "loose_mount", "normal"]
RIGHT_UNSURE = [{"source": f"cavitation/pump4_rec06.csv#t={t}", "true": "cavitation", "predicted": "cavitation",
                 "p_true": c, "confidence": c} for t, c in ((3, 0.73), (15, 0.79))]
WRONG = {"source": "normal/pump2_rec01.csv#t=4", "true": "normal", "predicted": "loose_mount", "p_true": 0.3,
         "confidence": 0.6}


def _metrics(worst: list[dict]) -> dict:
    return {"task": "classification", "accuracy": 0.9, "class_names": NAMES,
            "confusion_matrix": [[30, 0, 0], [0, 32, 0], [0, 1, 29]], "worst_samples": worst}


def _page(window, metrics: dict, predictions: dict):
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-001", metrics, predictions)
    window.state.edited()
    window.show_page("evaluate")
    return window.pages["evaluate"]


def test_right_answers_are_not_called_worst_classified(window):
    samples = [{"source": s["source"], "true": 0, "predicted": 0, "confidence": s["confidence"]}
               for s in RIGHT_UNSURE]
    page = _page(window, _metrics(RIGHT_UNSURE), {"root": "/data", "class_names": NAMES, "samples": samples})
    title = page.samples_label.text()
    assert "Worst-classified" not in title
    assert title.startswith("No wrong answers. The least sure answers, all right")
    assert page.worst.texts()[0].endswith("is cavitation, the model said cavitation (73% sure)")


def test_wrong_answers_come_first_then_the_unsure_right_ones(window):
    samples = [{"source": "normal/pump2_rec01.csv#t=4", "true": 2, "predicted": 1, "confidence": 0.6},
               {"source": "normal/pump2_rec01.csv#t=9", "true": 2, "predicted": 0, "confidence": 0.9},
               {"source": "cavitation/pump4_rec06.csv#t=3", "true": 0, "predicted": 0, "confidence": 0.73}]
    worst = [RIGHT_UNSURE[0], WRONG, RIGHT_UNSURE[1]]        # core's order: lowest probability on the true class
    page = _page(window, _metrics(worst), {"root": "/data", "class_names": NAMES, "samples": samples})
    assert page.samples_label.text().startswith("All 2 wrong answers, surest first, then the least sure right ones")
    texts = page.worst.texts()
    assert texts[0].endswith("is normal, the model said cavitation (90% sure)")      # every mistake, surest first
    assert texts[1].endswith("is normal, the model said loose_mount (60% sure)")
    assert texts[2] == "Right, but the model was unsure:"
    assert not page.worst.item(2).flags() & Qt.ItemFlag.ItemIsSelectable       # a heading, not a sample
    assert texts[3].endswith("is cavitation, the model said cavitation (73% sure)")


def test_without_every_answer_the_wrong_ones_of_the_least_sure_come_first(window):
    window.pages["home"].create_button.click()
    page = window.pages["evaluate"]
    page.show_metrics(_metrics([RIGHT_UNSURE[0], WRONG]))
    assert page.samples_label.text().startswith("Wrong answers among the least sure, then the least sure right ones")
    assert page.worst.texts()[0].endswith("is normal, the model said loose_mount (60% sure)")
