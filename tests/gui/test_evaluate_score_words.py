"""The Evaluate page says what macro F1 and ROC AUC mean (the pump walk: a maintenance engineer read
"balanced over classes (macro F1) 100.0%, ranking (ROC AUC) 1.00" without a word on either), in core's own words
from results.md: "every class counts the same", "one class against the rest, averaged"."""

from __future__ import annotations

from tests.gui.test_pages import METRICS


def test_macro_f1_and_roc_auc_are_said_in_plain_words(window):
    window.pages["home"].create_button.click()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page.show_metrics(METRICS)
    note = page.scores_note
    assert note.isVisible()
    assert "Macro F1: every class counts the same" in note.text()
    assert "ROC AUC: one class against the rest, averaged" in note.text()
    tip = page.summary.toolTip()
    assert "every class counts the same" in tip and "one class against the rest, averaged" in tip
    assert "0.50 is no better than guessing" in tip


def test_a_number_model_has_no_words_on_scores_it_does_not_have(window):
    window.pages["home"].create_button.click()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page.show_metrics({"task": "regression", "mae": 0.5, "rmse": 0.6, "r2": 0.9})
    assert not page.scores_note.isVisible() and page.summary.toolTip() == ""
