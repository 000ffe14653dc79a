"""The vineyard re-walk: the Evaluate page's panel was titled "Cross-validation: numbers for a paper", which she
read as not for her, though she wanted a number she can trust; and nothing said how long it would take. It is
now "Check every sample (cross-validation)", says it gives a firmer number than one test split, and says how
long: parts x one training, timed from the project's last finished training run (its run.json)."""

from __future__ import annotations

import json

from tests.gui.test_vineyard_walk import add_run


def test_the_panel_speaks_to_everyone_and_says_how_long_it_takes(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    page, panel = window.pages["evaluate"], window.pages["evaluate"].crossval
    assert panel.title() == "Check every sample (cross-validation)"
    assert "paper" not in panel.title() and "publish" not in page.hint_label.text()
    window.show_page("evaluate")
    assert panel.about.text().startswith("A firmer number than one test split")
    assert "5 times as long as one training" in panel.about.text()      # no run timed yet
    assert "5 models" in panel.start_button.toolTip()

    add_run(project, "run-001")    # run-001 trained 6 epochs in 7 minutes 12 s (its run.json)
    run_json = project.runs_dir / "run-001" / "run.json"
    run_json.write_text(json.dumps({"status": "finished", "device": "esp32-s3", "epochs_done": 6,
                                    "created": "2026-11-22T15:59:28+00:00", "updated": "2026-11-22T16:06:40+00:00"}),
                        encoding="utf-8")
    add_run(project, "run-001-ptq", compressed_from="runs/run-001", passes=["ptq"])    # not timed: no training
    window.pages["train"].epochs.setValue(6)
    window.show_page("train")
    window.show_page("evaluate")
    said = panel.about.text()
    assert "About 36 minutes: 5 trainings of 6 epochs, each about 7 minutes as timed from run-001" in said, said
    panel.parts.setValue(10)
    assert "About 72 minutes: 10 trainings" in panel.about.text()
    assert "About 72 minutes" in panel.start_button.toolTip()
    assert "stop at any time" in panel.start_button.toolTip()
    # a run that was stopped and resumed a day later: the time spent training (run.json's train_seconds), not
    # the day between its first and last write
    run_json.write_text(json.dumps({"status": "finished", "device": "esp32-s3", "epochs_done": 6, "train_seconds": 360.0,
                                    "created": "2026-11-21T15:59:28+00:00", "updated": "2026-11-22T16:06:40+00:00"}),
                        encoding="utf-8")
    panel.parts.setValue(5)
    window.show_page("train")
    window.show_page("evaluate")
    assert "About 30 minutes: 5 trainings of 6 epochs, each about 6 minutes" in panel.about.text(), panel.about.text()
