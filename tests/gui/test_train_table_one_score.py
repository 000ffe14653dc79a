"""The upgrade walk's Train page said "run-001: Training finished: test accuracy 100.0%" above a runs table whose
cell for run-001 said "72.4% (validation)", while the compressed runs in the same column showed their test
accuracy. The column now gives one kind of number, as the run pickers do: the test accuracy where it is known,
said "(test)"; the validation accuracy only for a run with no test score, said "(validation)"."""

from __future__ import annotations

import re

from tests.gui.test_train_reopened import trained_project
from tests.gui.test_vineyard_walk import add_run


def test_the_runs_table_gives_the_test_score_where_known(window, tmp_path):
    project = trained_project(tmp_path, 1.0, 2)
    project.runs[0]["best"] = {"val_accuracy": 0.724, "epoch": 3, "accuracy": 1.0}
    add_run(project, "run-001-ptq", compressed_from="runs/run-001", passes=["ptq"])
    project.runs[1]["best"] = {"accuracy": 0.758}
    add_run(project, "run-002")                                     # recorded before test scores were kept
    project.runs[2]["best"] = {"val_accuracy": 0.8, "epoch": 2}
    add_run(project, "run-003")                                     # data without test samples
    project.runs[3]["best"] = {"val_accuracy": 0.7, "epoch": 2, "accuracy": 0.7, "split": "validation"}
    project.save()
    assert window.open_project(str(project.folder))
    window.show_page("train")
    page = window.pages["train"]
    table = page.runs
    cells = {table.item(r, 0).text(): table.item(r, 2) for r in range(table.rowCount())}
    assert cells["run-001"].text() == "100.0% (test)"               # as the line above says, not "(validation)"
    assert "test samples" in cells["run-001"].toolTip()
    assert cells["run-001-ptq"].text() == "75.8% (test)"
    assert cells["run-002"].text() == "80.0% (validation)" and "validation samples" in cells["run-002"].toolTip()
    assert cells["run-003"].text() == "70.0% (validation)" and "no test samples" in cells["run-003"].toolTip()
    heading = table.horizontalHeaderItem(2).toolTip()
    assert "(test)" in heading and "(validation)" in heading
    window.show_page("evaluate")                                    # the same number as the run picker's
    picker = window.pages["evaluate"].runs
    for i in range(picker.count()):
        label = picker.itemText(i)
        run = label.split(" ")[0]
        kind, number = re.search(r"(test|validation) accuracy (\d+\.\d%)", label).groups()
        assert cells[run].text() == f"{number} ({kind})", (label, cells[run].text())
