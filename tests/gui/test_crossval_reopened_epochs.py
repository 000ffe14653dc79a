"""A user walk: a project reopened on the Evaluate page said "5 trainings of 10 epochs" in the cross-validation
panel (the Train page's box before the project's data was read), though the project trains for 12 (typed on the
Train page, restored once the data is read); only a visit to the Train page made it say 12. It now says the
project's epochs from the start, and follows the box when the data is read."""

from __future__ import annotations

import json

from tests.core.training_fixtures import make_table_csv
from tests.gui.conftest import shown_window
from tests.gui.test_vineyard_walk import add_run


def test_a_reopened_project_estimates_with_its_own_epochs(qtbot, tmp_path):
    table = tmp_path / "rows.csv"
    make_table_csv(table, n=90)
    w = shown_window(qtbot)
    w.pages["home"].name_edit.setText("Rows")
    w.pages["home"].create_button.click()
    w.pages["data"].import_path(str(table))
    qtbot.waitUntil(lambda: w.state.dataset is not None and not w.pages["data"].importing, timeout=120000)
    train = w.pages["train"]
    assert train.epochs_chooser.proposal != 12
    train.epochs.setValue(12)                     # typed: kept in the project for this data
    project = w.state.project
    add_run(project, "run-001")                   # timed: 6 epochs in 60 s
    (project.runs_dir / "run-001" / "run.json").write_text(json.dumps(
        {"status": "finished", "device": "esp32-s3", "epochs_done": 6, "train_seconds": 60.0}), encoding="utf-8")
    w.show_page("evaluate")
    assert "5 trainings of 12 epochs" in w.pages["evaluate"].crossval.about.text()
    folder = project.folder
    assert w.save_project()
    w.close()

    w = shown_window(qtbot)
    assert w.open_project(str(folder))
    assert w.current_page().key == "evaluate"
    panel = w.pages["evaluate"].crossval
    assert w.state.dataset is None               # the data is still being read ...
    assert "5 trainings of 12 epochs" in panel.about.text(), panel.about.text()    # ... the project's 12 already
    qtbot.waitUntil(lambda: w.state.dataset is not None, timeout=120000)
    assert w.pages["train"].epochs.value() == 12
    assert "5 trainings of 12 epochs" in panel.about.text(), panel.about.text()
    assert "12 epochs" in panel.start_button.toolTip()
    w.pages["train"].epochs.setValue(20)         # typed again (on the Train page): the estimate follows
    assert "5 trainings of 20 epochs" in panel.about.text()
    w.close()
