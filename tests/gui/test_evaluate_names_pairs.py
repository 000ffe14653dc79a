"""The speech walk's Evaluate summary: "3 pairs of classes are mixed up 4 times each (the matrix shows which)",
while the saved results.md named them; and 'Use "Check every sample" on the Evaluate page', "'Test on other
files…' on the Evaluate page", read on the Evaluate page. The pairs are named, and the page says where the steps
are on it."""

from __future__ import annotations

from edgeling.gui.pages.evaluate_summary import summary_text
from tests.gui.test_pages import METRICS

WALK = [{"classes": ["aide", "encore"], "count": 4, "as_second": 4, "as_first": 0},
        {"classes": ["encore", "fini"], "count": 4, "as_second": 0, "as_first": 4},
        {"classes": ["fini", "stop"], "count": 4, "as_second": 4, "as_first": 0},
        {"classes": ["encore", "non"], "count": 3, "as_second": 0, "as_first": 3},
        {"classes": ["non", "stop"], "count": 3, "as_second": 3, "as_first": 0}]


def test_the_pairs_mixed_up_most_are_named():
    said = summary_text({**METRICS, "most_confused": WALK})
    assert "Most often mixed up: aide and encore, encore and fini, and fini and stop (4 times each)" in said
    assert "the matrix shows which" not in said and "encore and non" not in said


def test_the_summary_does_not_send_the_reader_to_the_page_she_is_on():
    few = {"accuracy": 0.389, "num_samples": 36, "split": "test",
           "per_class": {w: {"support": n} for w, n in (("aide", 6), ("encore", 6), ("fini", 8), ("non", 7),
                                                        ("oui", 5), ("stop", 4))},
           "subjects": {"count": 32, "test": ["child16", "child23", "child26"], "who": "speaker",
                        "right": {"child16": {"samples": 10, "right": 4}, "child23": {"samples": 14, "right": 5},
                                  "child26": {"samples": 12, "right": 5}}}}
    said = summary_text(few)
    assert "on the Evaluate page" not in said
    assert "'Test on other files…' above" in said
    assert "Use \"Check every sample\" below: cross-validation tests every speaker" in said
