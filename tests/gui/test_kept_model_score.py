"""A user walk: the run lists said "run-001 — best validation accuracy 71.1%", the highest of all its epochs,
while the model the run keeps (best.pt, from the epoch with the lowest validation loss: run.json's best_epoch)
had 62.8% on the validation samples; the 71.1% model is not the one evaluated, compressed or exported. The
labels and the Train page's table now give the kept model's validation accuracy, say it is the kept model's
(and which epoch), and a tooltip says the test score is the one to report. The run lists give the test score
itself when it is known (the vineyard walk: "validation accuracy 76.9%" beside the compressed runs' "test
accuracy 75.0%"), still saying which epoch's model it is, and so does the Train page's table (the upgrade
walk); the validation score only when it is not."""

from __future__ import annotations

import json

import pytest

from edgeling.core.project import create_project
from edgeling.gui.pages.train_last import best_of
from edgeling.gui.qt import Qt
from edgeling.gui.widgets import run_picker
from edgeling.gui.widgets.run_picker import run_label
from tests.gui.conftest import picker_labels
from tests.gui.test_train_page import train_window  # noqa: F401 - the fixture

VAL_ACC = [0.40, 0.52, 0.58, 0.61, 0.628, 0.66, 0.711, 0.69]
VAL_LOSS = [1.30, 1.10, 0.95, 0.90, 0.85, 0.88, 0.93, 1.01]      # lowest at epoch index 4 (epoch 5)
HISTORY = [{"epoch": e, "loss": 1.0 - 0.05 * e, "accuracy": 0.5 + 0.05 * e, "val_loss": VAL_LOSS[e],
            "val_accuracy": VAL_ACC[e]} for e in range(8)]


def _finished_run(tmp_path, metrics: dict):
    """A project for the ESP32-S3 with run-001's folder as 8 epochs of training leave it (kept epoch index 4,
    HISTORY) and its test ``metrics``; the run is not recorded in the project yet."""
    project = create_project("shop", tmp_path / "shop")
    project.update(device="esp32-s3")
    run = project.runs_dir / "run-001"
    run.mkdir(parents=True)
    (run / "run.json").write_text(json.dumps({"status": "finished", "device": "esp32-s3", "best_epoch": 4,
                                              "hyper": {"epochs": 8}}), encoding="utf-8")
    (run / "history.json").write_text(json.dumps(HISTORY), encoding="utf-8")
    (run / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    (run / "samples.npz").write_bytes(b"")
    return project, run


def test_the_kept_epoch_is_the_one_core_keeps():
    assert best_of(HISTORY, 4) == {"val_accuracy": 0.628, "epoch": 5}             # run.json's best_epoch
    assert best_of(HISTORY) == {"val_accuracy": 0.628, "epoch": 5}                # the lowest validation loss
    assert best_of(HISTORY[:3]) == {"val_accuracy": 0.58, "epoch": 3}
    assert best_of([]) == {}
    assert run_label({"id": "run-001", "best": {"val_accuracy": 0.628, "epoch": 5}}) == \
        "run-001 — validation accuracy 62.8% (the model kept, from epoch 5)"         # no test score known
    assert run_label({"id": "run-001", "best": {"val_accuracy": 0.628, "epoch": 5, "accuracy": 0.6}}) == \
        "run-001 — test accuracy 60.0% (the model kept, from epoch 5)"
    assert "test score" in run_picker.KEPT_TIP and "lowest validation loss" in run_picker.KEPT_TIP


def test_a_reopened_project_labels_its_runs_with_the_kept_model(window, tmp_path):
    project, run = _finished_run(tmp_path, {"accuracy": 0.61})
    # recorded as the app did before: the highest validation accuracy of all epochs
    project.add_run(run, status="finished", best={"val_accuracy": 0.711, "epoch": 7, "accuracy": 0.61})
    project.save()
    assert window.open_project(str(project.folder))
    for key in ("evaluate", "export", "compress"):
        labels, picker = picker_labels(window, key), window.pages[key].runs
        assert "run-001 — test accuracy 61.0% (the model kept, from epoch 5)" in labels, (key, labels)
        assert not any("71.1%" in t for t in labels)
        assert picker.itemData(labels.index("run-001 — test accuracy 61.0% (the model kept, from epoch 5)"),
                               Qt.ItemDataRole.ToolTipRole) == run_picker.TEST_TIP
    table = window.pages["train"].runs
    assert table.item(0, 2).text() == "61.0% (test)"                 # the test score, as the pickers give it
    assert table.horizontalHeaderItem(2).text() == "accuracy of the kept model"
    assert "on the validation samples" in table.horizontalHeaderItem(2).toolTip()   # where no test score is known
    assert window.state.project.runs[0]["best"] == {"val_accuracy": 0.628, "epoch": 5, "accuracy": 0.61}


def test_a_run_trained_now_records_its_kept_model(train_window, qtbot):  # noqa: F811
    page = train_window.pages["train"]
    page.epochs.setValue(3)       # the fake job: validation accuracy 55%, 65%, 75%; the loss lowest at epoch 2
    page.extra_params = {"steps": 2, "step_s": 0.01, "val_losses": [0.9, 0.5, 0.7]}
    with qtbot.waitSignal(page.sig_run_ended, timeout=60000) as blocker:
        assert page.start_training()
    status, entry = blocker.args
    assert status == "finished"
    assert entry["best"]["val_accuracy"] == pytest.approx(0.65) and entry["best"]["epoch"] == 2
    assert run_label(entry) == f"run-001 — test accuracy {entry['best']['accuracy']:.1%} (the model kept, from epoch 2)"
    assert page.runs.item(0, 2).text() == f"{entry['best']['accuracy']:.1%} (test)"   # as the pickers


def test_a_run_continued_in_a_terminal_shows_its_new_test_score_when_reopened(window, tmp_path):
    """The review: after `train --more` in a terminal, the run pickers said the old model's test accuracy beside
    the new kept epoch ("test accuracy 62.0% (the model kept, from epoch 6)"; 62% was epoch 3's model)."""
    project, run = _finished_run(tmp_path, {"accuracy": 0.74, "macro_f1": 0.7})
    project.add_run(run, status="finished", best={"val_accuracy": 0.58, "epoch": 3, "accuracy": 0.62})
    project.save()
    assert window.open_project(str(project.folder))
    assert "run-001 — test accuracy 74.0% (the model kept, from epoch 5)" in picker_labels(window, "evaluate")
