"""A run of the open project retrained in a terminal (``train --more``, the robustness walk): the app kept saying
83.9% for the 84.4% model until the project was reopened. A run's files that changed are read again when a page
is shown (and when the window is active again)."""

from __future__ import annotations

import json
import os

from tests.gui.test_train_page import train_window  # noqa: F401 - the fixture
from tests.gui.test_train_resume import HISTORY, _run


def _retrained(run, accuracy: float, epochs: int) -> None:
    """What ``train --more`` leaves: more epochs, a new kept model and its test score."""
    (run / "history.json").write_text(json.dumps(HISTORY[:epochs]), encoding="utf-8")
    (run / "metrics.json").write_text(json.dumps({"accuracy": accuracy}), encoding="utf-8")
    (run / "run.json").write_text(json.dumps({"status": "finished", "hyper": {"epochs": epochs}}), encoding="utf-8")
    later = os.stat(run / "run.json").st_mtime + 5
    for name in ("history.json", "metrics.json", "run.json"):
        os.utime(run / name, (later, later))


def test_a_run_retrained_in_a_terminal_shows_its_new_score(train_window):  # noqa: F811
    project = train_window.state.project
    run = _run(project, "finished", 3)
    (run / "metrics.json").write_text(json.dumps({"accuracy": 0.839}), encoding="utf-8")
    project.save()
    assert train_window.open_project(str(project.folder))
    train_window.show_page("train")
    page = train_window.pages["train"]
    assert page.runs.item(0, 2).text() == "83.9% (test)"
    _retrained(run, 0.844, 4)
    train_window.show_page("evaluate")
    picker = train_window.pages["evaluate"].runs
    labels = [picker.itemText(i) for i in range(picker.count())]
    assert any("84.4%" in label for label in labels)
    train_window.show_page("train")
    assert page.runs.item(0, 2).text() == "84.4% (test)"
    assert page.curves.series["val_accuracy"].n == 4            # its curves as its files now say them
