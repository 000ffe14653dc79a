"""The vineyard walk: the run pickers said "run-001 — validation accuracy 76.9%" beside "run-001-ptq
(compressed: int8) — test accuracy 75.0%" and "run-001-pruned50ch — test accuracy 69.2%": the technician
compared two kinds of number. Every run now gives its test accuracy where it is known (a trained run's is
measured when it finishes), with the validation score only for a run whose test score is not known."""

from __future__ import annotations

from edgeling.gui.qt import Qt
from edgeling.gui.widgets import run_picker
from edgeling.gui.widgets.run_picker import run_label
from tests.gui.conftest import picker_labels
from tests.gui.test_train_page import train_window  # noqa: F401 - the fixture
from tests.gui.test_train_reopened import trained_project
from tests.gui.test_vineyard_walk import add_run


def test_the_run_pickers_give_one_kind_of_score(window, tmp_path):
    project = trained_project(tmp_path, 0.769, 2)
    project.runs[0]["best"] = {"val_accuracy": 0.80, "epoch": 3, "accuracy": 0.769}
    add_run(project, "run-001-ptq", compressed_from="runs/run-001", passes=["ptq"])
    project.runs[1]["best"] = {"accuracy": 0.75}
    add_run(project, "run-001-pruned50ch", compressed_from="runs/run-001", passes=["prune"])
    project.runs[2]["best"] = {"accuracy": 0.692}
    project.save()
    assert window.open_project(str(project.folder))
    for key in ("evaluate", "compress", "export"):
        labels, picker = picker_labels(window, key), window.pages[key].runs
        assert len(labels) == 3 and not any("validation" in t for t in labels), (key, labels)
        assert all(" — test accuracy " in t for t in labels), (key, labels)
        mine = next(t for t in labels if t.startswith("run-001 "))
        assert mine == "run-001 — test accuracy 76.9% (the model kept, from epoch 3)", (key, labels)
        tip = picker.itemData(labels.index(mine), Qt.ItemDataRole.ToolTipRole)
        assert tip == run_picker.TEST_TIP and "test samples" in tip


def test_a_score_on_the_validation_samples_is_not_called_a_test_score():
    """Data with no test samples: the run's score was measured on the validation samples (metrics' split)."""
    entry = {"id": "run-001", "best": {"val_accuracy": 0.7, "epoch": 2, "accuracy": 0.7, "split": "validation"}}
    assert run_label(entry) == "run-001 — validation accuracy 70.0% (the model kept, from epoch 2)"
    assert run_label({"id": "run-002", "best": {}}) == "run-002"


def test_a_run_measured_on_its_validation_samples_says_so(train_window, qtbot):  # noqa: F811
    page = train_window.pages["train"]
    page.epochs.setValue(2)
    page.extra_params = {"steps": 2, "step_s": 0.01, "metrics_split": "validation"}
    with qtbot.waitSignal(page.sig_run_ended, timeout=60000) as blocker:
        assert page.start_training()
    status, entry = blocker.args
    assert status == "finished" and entry["best"]["split"] == "validation"
    assert " — validation accuracy " in run_label(entry) and "test" not in run_label(entry)
