"""Resume last run on a run that already did all its epochs cleared both charts, said "Training started." and
"finished" two seconds later, and the runs table's best validation accuracy went to "—" (the training job only
says it is already trained). Resume is now greyed out for it, saying why, and nothing shown is reset. A real
Resume draws the run's earlier epochs (its history.json) first, so the curves go on from them instead of
starting at the resumed epoch."""

from __future__ import annotations

import json

from tests.gui.test_train_page import train_window  # noqa: F401 - the fixture

HISTORY = [{"epoch": e, "loss": 1.0 - 0.1 * e, "accuracy": 0.5 + 0.1 * e, "val_loss": 1.1 - 0.1 * e,
            "val_accuracy": 0.6 + 0.1 * e} for e in range(4)]


def _run(project, status: str, epochs_done: int, planned: int = 4):
    run = project.runs_dir / "run-001"
    run.mkdir(parents=True)
    (run / "run.json").write_text(json.dumps({"status": status, "hyper": {"epochs": planned}}), encoding="utf-8")
    (run / "history.json").write_text(json.dumps(HISTORY[:epochs_done]), encoding="utf-8")
    (run / "metrics.json").write_text(json.dumps({"accuracy": 0.9}), encoding="utf-8")
    project.add_run(run, status=status, epochs=planned, best={"val_accuracy": 0.9})
    return run


def test_resume_is_greyed_out_for_a_run_that_did_all_its_epochs(train_window):  # noqa: F811
    page = train_window.pages["train"]
    project = train_window.state.project
    _run(project, "finished", 4)
    project.save()
    assert train_window.open_project(str(project.folder))
    train_window.show_page("train")
    project = train_window.state.project
    page.epochs.setValue(4)
    drawn = page.curves.points_drawn()
    assert drawn == 16 and page.runs.item(0, 2).text() == "90.0% (test)"   # metrics.json: a test score
    assert not page.resume_button.isEnabled()
    assert "run-001 already finished its 4 epochs" in page.resume_button.toolTip()
    assert "raise Epochs above 4" in page.resume_button.toolTip()
    assert not page.start_training(resume=True) and not page.job.running       # asked anyway: nothing reset
    assert "already finished its 4 epochs" in page.status.text()
    assert page.curves.points_drawn() == drawn and page.runs.item(0, 2).text() == "90.0% (test)"
    assert project.runs[0]["status"] == "finished"
    page.epochs.setValue(6)                                  # more epochs: Resume trains it further
    assert page.resume_button.isEnabled()


def test_a_resumed_run_keeps_its_earlier_epochs_on_the_charts(train_window, qtbot):  # noqa: F811
    page = train_window.pages["train"]
    project = train_window.state.project
    _run(project, "stopped", 2)
    train_window.state.edited()
    page.epochs.setValue(4)
    page.extra_params = {"steps": 2, "step_s": 0.01}
    with qtbot.waitSignal(page.sig_run_ended, timeout=60000):
        assert page.start_training(resume=True)
        series = page.curves.series["val_accuracy"]
        assert list(series.x) == [1, 2] and list(series.y) == [0.6, 0.7]     # the epochs done before
        assert page.curves.points_drawn() == 8
        assert page._best == {"val_accuracy": 0.7, "epoch": 2}


def test_the_empty_charts_have_no_legends_until_there_are_curves():
    """The legends ("training", "validation") floated over the empty charts."""
    from edgeling.gui.widgets.live_curves import LiveCurves

    curves = LiveCurves()
    assert not any(p.legend.isVisible() for p in curves.plots.values())
    curves.add_epoch(0, {"val_loss": 1.0, "val_accuracy": 0.5})
    curves.redraw(force=True)
    assert all(p.legend.isVisible() for p in curves.plots.values())
    curves.clear_data()
    assert not any(p.legend.isVisible() for p in curves.plots.values())


def test_the_bar_after_stop_says_the_finished_epochs(train_window):  # noqa: F811
    """After Stop the bar still read "epoch 3 of 4" (the epoch under way) beside "Stopped after 2 finished
    epochs"."""
    page = train_window.pages["train"]
    page._epochs_total = 4
    page.progress.setFormat("epoch 3 of 4")
    page._on_stopped("Stopped ...", {"status": "stopped", "epochs_done": 2})
    assert page.progress.format() == "stopped: 2 of 4 epochs finished" and page.progress.value() == 500
    assert page.status.text().startswith("Stopped after 2 finished epochs")


def test_the_close_question_says_when_the_work_ended_behind_it(train_window, monkeypatch):  # noqa: F811
    """"Training is still running…" stayed up after the training had finished behind it."""
    from edgeling.gui.main_window import MainWindow
    from edgeling.gui.qt import QApplication, QMessageBox, QTimer
    from tests.gui.conftest import REAL_CONFIRM_CLOSE

    busy = [["training"]]
    monkeypatch.setattr(MainWindow, "running_work", lambda self: busy[0])
    seen = []

    def finish_then_answer():
        busy[0] = []                                       # the training ends while the question is up
        QTimer.singleShot(700, answer)

    def answer():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() in ("Stay here", "Keep working")).click()

    QTimer.singleShot(200, finish_then_answer)
    assert not REAL_CONFIRM_CLOSE(train_window, ["training"])
    assert seen == ["Training has finished meanwhile; nothing is running now. Close Edgeling?"]
