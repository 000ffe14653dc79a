"""The vineyard walk's Train page said "Training finished: test accuracy 73.3%." just above a runs table whose
cell said a bare "65.9%": the kept model's validation accuracy (only the column's tooltip said so). The cell now
says which score it is: the test accuracy where known, "(test)", as a compressed run's (the upgrade walk); the
run choosers on Evaluate, Compress and Export say which score they give (the test accuracy, as the compressed
runs', where known), and Evaluate's summary "Test results"."""

from __future__ import annotations

from tests.gui.test_train_reopened import trained_project
from tests.gui.test_vineyard_walk import add_run


def test_each_accuracy_on_screen_says_whether_it_is_validation_or_test(window, tmp_path):
    project = trained_project(tmp_path, 0.733, 2)
    project.runs[0]["best"] = {"val_accuracy": 0.659, "epoch": 3, "accuracy": 0.733}
    add_run(project, "run-001-ptq", compressed_from="runs/run-001", passes=["ptq"])
    project.runs[1]["best"] = {"accuracy": 0.722}
    project.save()
    assert window.open_project(str(project.folder))
    window.show_page("train")
    page = window.pages["train"]
    assert page.status.text() == "run-001: Training finished: test accuracy 73.3%."
    kept = page.runs.item(0, 2)
    assert kept.text() == "73.3% (test)"      # as the line above; not HISTORY's 58.0% validation (the upgrade walk)
    assert "test samples" in kept.toolTip()
    assert page.runs.item(1, 2).text() == "72.2% (test)"                       # the compressed run's
    for key in ("evaluate", "compress", "export"):
        window.show_page(key)
        picker = window.pages[key].runs
        labels = [picker.itemText(i) for i in range(picker.count())]
        # the test score, as the compressed run's below (the vineyard walk compared 76.9% validation with 75.0% test)
        assert "run-001 — test accuracy 73.3% (the model kept, from epoch 3)" in labels, (key, labels)
        assert any(t.startswith("run-001-ptq (compressed: int8) — test accuracy 72.2%") for t in labels), labels
