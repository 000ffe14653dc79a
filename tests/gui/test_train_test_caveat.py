"""The pump walk: the Train page said "Training finished: test accuracy 100.0%." although the data report had
found that the test split holds windows of the same pumps the model learnt from. The finished sentence now adds
core's own words about it (live, and when the project is reopened)."""

from __future__ import annotations

import json

from edgeling.core.data.report import Report
from edgeling.core.data.subject_findings import report_few_subjects as _report_few_subjects
from tests.gui.test_train_page import train_window  # noqa: F401 - the fixture

CAVEAT = "The test score is measured on machines the model also learnt from, and one it never met may score lower."


def _pump_findings() -> list[dict]:
    """Core's few_subjects finding for five pumps in three classes, as run.json's data_problems keeps it."""
    sources = [f"{c}/pump{p}_rec0{k}.csv#t=0.00-1.00" for c in ("normal", "cavitation", "loose_mount")
               for p in range(1, 6) for k in range(2)]
    y = [i // 10 for i in range(len(sources))]
    report = Report()
    assert _report_few_subjects(sources, y, report, {}, "timeseries")
    return report.as_list()


def test_the_finished_sentence_says_the_test_held_the_same_machines(train_window, qtbot):  # noqa: F811
    problems = _pump_findings()
    assert problems[0]["code"] == "few_subjects" and "t" + CAVEAT[1:] in problems[0]["message"]   # core's words
    page = train_window.pages["train"]
    page.epochs.setValue(2)
    page.extra_params = {"steps": 1, "step_s": 0.0, "data_problems": problems, "data_kind": "timeseries",
                         "write_metrics": {"task": "classification", "accuracy": 1.0}}
    with qtbot.waitSignal(page.sig_run_ended, timeout=60000):
        assert page.start_training()
    assert page.status.text() == f"Training finished: test accuracy 100.0%. {CAVEAT}"

    project = train_window.state.project
    run = project.run_folder(project.runs[0])
    config = json.loads((run / "run.json").read_text(encoding="utf-8"))
    (run / "run.json").write_text(json.dumps({**config, "status": "finished", "hyper": {"epochs": 2}}),
                                  encoding="utf-8")
    (run / "history.json").write_text(json.dumps([{"epoch": e, "loss": 0.5, "val_loss": 0.5} for e in range(2)]),
                                      encoding="utf-8")
    project.save()
    assert train_window.open_project(str(project.folder))
    train_window.show_page("train")
    assert page.status.text() == f"run-001: Training finished: test accuracy 100.0%. {CAVEAT}"


def test_no_caveat_without_the_finding(train_window, qtbot):  # noqa: F811
    page = train_window.pages["train"]
    page.epochs.setValue(1)
    page.extra_params = {"steps": 1, "step_s": 0.0, "write_metrics": {"task": "classification", "accuracy": 0.9}}
    with qtbot.waitSignal(page.sig_run_ended, timeout=60000):
        assert page.start_training()
    assert page.status.text() == "Training finished: test accuracy 90.0%."
