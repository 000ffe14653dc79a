"""The Export page after a verified export of a run no better than always answering the most common class (the
shop walk: "passed … accuracy 83.3%", while always answering 'non' scores 88.7%): core's verdict is said beside
the result; a good run's page stays quiet."""

from __future__ import annotations

import json

from tests.gui.test_export_runner_note import _export_with
from tests.gui.test_vineyard_walk import add_run

SHOP = {"task": "classification", "accuracy": 0.833, "num_samples": 150, "accuracy_range": [0.77, 0.88],
        "majority_baseline": {"class": "non", "accuracy": 0.887, "tied": 1},
        "per_class": {"non": {"precision": 0.915, "recall": 0.895, "support": 133},
                      "oui": {"precision": 0.3, "recall": 0.353, "support": 17}}}


def _exported(window, metrics: dict):
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-001", device="this-computer")
    (project.runs_dir / "run-001" / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    for fmt, box in page.checks.items():
        box.setChecked(fmt == "onnx")
    _export_with(page, project, {"onnx": {"verification": {"passed": True, "agreement": 1.0, "accuracy": 0.833}}})
    assert page.status.text().startswith("Export finished")
    return page


def test_a_run_worse_than_always_answering_non_is_said_beside_the_passed_export(window):
    page = _exported(window, SHOP)
    assert page.table.item(0, 3).text() == "passed"
    assert page.verdict.isVisibleTo(page)
    said = page.verdict.text()
    assert "this model is worse than always answering 'non' (88.7%); it finds 6 of the 17 'oui'." in said
    assert "Evaluate page" in said


def test_a_run_clearly_better_than_that_keeps_the_page_quiet(window):
    good = {**SHOP, "accuracy": 0.97, "accuracy_range": [0.93, 0.99],
            "per_class": {"non": {"recall": 0.99, "support": 133}, "oui": {"recall": 0.82, "support": 17}}}
    page = _exported(window, good)
    assert not page.verdict.isVisibleTo(page) and page.verdict.text() == ""
