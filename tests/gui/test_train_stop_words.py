"""The robustness walk: Resume then Stop at once said "Stopped before training began." while 7 finished epochs
were kept (and the bar said so); after the app itself was ended mid-run, the reopened page said the run "stopped"
though no Stop was pressed."""

from __future__ import annotations

import pytest

from tests.gui.test_train_page import train_window  # noqa: F401 - the fixture
from tests.gui.test_train_resume import _run


@pytest.fixture(autouse=True)
def _close_boxes():
    """Reopening the fixture's project (its data folder holds no pictures) opens a message box: closed after each
    test, or the next test file finds one box too many (the review)."""
    yield
    from PySide6.QtWidgets import QApplication, QMessageBox

    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox):
            w.close()
            w.deleteLater()


def test_stop_right_after_resume_says_the_epochs_kept(train_window, qtbot):  # noqa: F811
    page = train_window.pages["train"]
    project = train_window.state.project
    _run(project, "stopped", 3)
    train_window.state.edited()
    page.epochs.setValue(10)
    page.extra_params = {"steps": 50, "step_s": 0.05}
    with qtbot.waitSignal(page.sig_run_ended, timeout=60000) as blocker:
        assert page.start_training(resume=True)
        page.job.stop()
    assert blocker.args[0] == "stopped"
    assert page.status.text() == "Stopped after 3 finished epochs. Resume last run carries on from there."
    assert page.progress.format() == "stopped: 3 of 10 epochs finished"


def test_a_run_interrupted_by_the_app_ending_is_not_said_stopped(train_window):  # noqa: F811
    page = train_window.pages["train"]
    project = train_window.state.project
    _run(project, "running", 3)          # the app was ended mid-run: the project still says "running"
    project.save()
    assert train_window.open_project(str(project.folder))
    train_window.show_page("train")
    assert train_window.state.project.runs[0]["status"] == "interrupted"
    assert page.status.text() == ("run-001 was interrupted after 3 finished epochs; Resume last run carries on "
                                  "from there.")
