"""The Evaluate page's words (the digits walk): "1 test sample of 9 that the model took for 7" read as one sample
out of nine; it says "of class 9" now. "Most often mixed up: 1 and 2 (1 time)" named one pair at random among
many mixed up once each; a pair is named only when it stands out."""

from __future__ import annotations

from edgeling.gui.pages.evaluate_summary import summary_text
from tests.gui.test_evaluate_details import make_run
from tests.gui.test_pages import METRICS


def _pair(a, b, n):
    return {"classes": [a, b], "count": n, "as_second": n, "as_first": 0}



def test_a_cell_s_samples_are_said_of_class(window, tmp_path):
    window.pages["home"].create_button.click()
    project = window.state.project
    samples = [{"source": "9/a.png", "true": 0, "predicted": 1, "confidence": 0.6},
               {"source": "9/b.png", "true": 0, "predicted": 0, "confidence": 0.9}]
    make_run(project, "run-001", {**METRICS, "class_names": ["9", "7"]},
             {"task": "classification", "root": str(tmp_path), "class_names": ["9", "7"], "samples": samples})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page.heatmap.sig_cell_clicked.emit(0, 1)
    assert page.samples_label.text() == "1 test sample of class 9 that the model took for 7:"
    page.heatmap.sig_cell_clicked.emit(0, 0)
    assert page.samples_label.text() == "1 test sample of class 9 recognised correctly:"
    page.heatmap.sig_cell_clicked.emit(1, 0)
    assert page.worst.texts() == ["No test sample of class 7 was taken for 9."]


def test_a_mixed_up_pair_is_named_only_when_it_stands_out():
    ones = summary_text({**METRICS, "most_confused": [_pair("1", "2", 1), _pair("3", "8", 1), _pair("4", "9", 1)]})
    assert "1 and 2" not in ones and "No two classes are mixed up more than once" in ones
    one = summary_text({**METRICS, "most_confused": [_pair("4", "9", 3), _pair("1", "2", 1)]})
    assert "Most often mixed up: 4 and 9 (3 times)" in one
    two = summary_text({**METRICS, "most_confused": [_pair("4", "9", 3), _pair("3", "8", 3), _pair("1", "2", 1)]})
    assert "Most often mixed up: 4 and 9, and 3 and 8 (3 times each)" in two
    many = summary_text({**METRICS, "most_confused": [_pair(str(i), str(i + 1), 2) for i in range(5)]})
    assert "Several pairs of classes are mixed up 2 times each" in many and "0 and 1" not in many
    assert "mixed up" not in summary_text({**METRICS, "most_confused": []})
