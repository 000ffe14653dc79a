"""The vineyard re-walk: after reopening her project, whose run-001 had finished, the Train page showed empty
charts ("The loss curve appears here while a model trains") and "Not training.". It now draws the last run's
curves from its history.json and says how it ended (its metrics.json), as when the run finished."""

from __future__ import annotations

import json

from edgeling.core.project import create_project
from tests.gui.test_vineyard_walk import add_run

HISTORY = [{"epoch": e, "loss": 1.0 - 0.1 * e, "accuracy": 0.5 + 0.07 * e, "val_loss": 1.2 - 0.15 * e,
            "val_accuracy": 0.4 + 0.09 * e, "lr": 0.001} for e in range(6)]


def trained_project(tmp_path, accuracy: float, best_epoch: int):
    """A photo project for the ESP32-S3 with one finished 6-epoch run, run-001, and its curves (HISTORY)."""
    project = create_project("vine", tmp_path / "vine")
    project.update(data={"path": str(tmp_path / "photos"), "kind": "images", "options": {}}, device="esp32-s3")
    add_run(project, "run-001")
    run = project.runs_dir / "run-001"
    (run / "history.json").write_text(json.dumps(HISTORY), encoding="utf-8")
    (run / "metrics.json").write_text(json.dumps({"accuracy": accuracy}), encoding="utf-8")
    (run / "run.json").write_text(json.dumps({"status": "finished", "device": "esp32-s3", "best_epoch": best_epoch,
                                              "hyper": {"epochs": 6}}), encoding="utf-8")
    return project


def test_a_reopened_project_shows_its_last_run_on_the_train_page(window, tmp_path):
    project = trained_project(tmp_path, 0.937, 5)
    add_run(project, "run-001-ptq", compressed_from="runs/run-001", passes=["ptq"])     # no curves of its own
    project.save()
    assert window.open_project(str(project.folder))
    window.show_page("train")
    page = window.pages["train"]
    curves = page.curves
    assert not any(e.text for e in curves.empty.values())      # no "The loss curve appears here ..."
    assert curves.points_drawn() == 4 * 6                       # loss, accuracy, both for validation too
    assert list(curves.curves["val_accuracy"].yData) == [h["val_accuracy"] for h in HISTORY]
    assert page.status.text() == "run-001: Training finished: test accuracy 93.7%."

    window.pages["home"].create_button.click()                  # a new project: nothing to show
    assert curves.points_drawn() == 0 and page.status.text() == "Not training."
