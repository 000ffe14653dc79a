"""The Train page over a real child process (a fake training job without torch): live curves, Stop, a
killed child, and runs recorded in the project so they are there after reopening."""

from __future__ import annotations

import os
import signal

import pytest

from edgeling.core.project import load_project
from tests.gui.conftest import close_error_dialogs, shown_window

FAKE = "tests.gui.tiny_jobs.fake_training"


def answering(seen: list):
    """A function that clicks ``button_text`` in the open question and records its text in ``seen``."""
    from edgeling.gui.qt import QApplication, QMessageBox

    def answer(button_text):
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    return answer


def start_long_training(page, qtbot, batches_seen: int = 1) -> None:
    """Start a fake training run long enough to act on while it runs, and wait for its first batches."""
    page.epochs.setValue(100)
    page.extra_params = {"steps": 10, "step_s": 0.05}
    page.start_training()
    qtbot.waitUntil(lambda: page.curves.series["loss"].n >= batches_seen, timeout=60000)


def finished_run(project, name: str = "run-001"):
    """A finished run's folder as training leaves it (run.json, metrics.json), added to ``project``."""
    import json

    run = project.runs_dir / name
    run.mkdir(parents=True)
    (run / "run.json").write_text(json.dumps({"status": "finished"}))
    (run / "metrics.json").write_text(json.dumps({"accuracy": 0.8}))
    project.add_run(run, status="finished", best={"val_accuracy": 0.94})
    return run


@pytest.fixture
def train_window(qtbot, tmp_path):
    w = shown_window(qtbot, FAKE)
    w.pages["home"].name_edit.setText("Trainer")
    w.pages["home"].create_button.click()
    (tmp_path / "data").mkdir(exist_ok=True)     # there, but not imported here
    w.state.project.update(data={"path": str(tmp_path / "data"), "kind": "images"})
    w.show_page("train")
    yield w
    w.close()


def test_curves_update_while_training_and_the_run_is_recorded(train_window, qtbot):
    page = train_window.pages["train"]
    page.epochs.setValue(3)
    page.extra_params = {"steps": 4, "step_s": 0.08}
    drawn_while_running = []
    page.job.sig_tick.connect(lambda: drawn_while_running.append(page.curves.points_drawn())
                              if page.job.running else None)
    assert page.curves.empty["loss"].text.startswith("The loss curve appears here")   # not blank axes
    with qtbot.waitSignal(page.sig_run_ended, timeout=60000) as blocker:
        assert page.start_training()
        assert not page.start_button.isEnabled() and page.stop_button.isEnabled()
    status, entry = blocker.args
    assert status == "finished"
    # At least two redraws happened during training, with more points on the later one.
    growing = [n for n in drawn_while_running if n > 0]
    assert len(growing) >= 2 and growing[-1] > growing[0]
    assert page.curves.series["loss"].n == 12 and page.curves.series["val_accuracy"].n == 3
    assert not any(e.text for e in page.curves.empty.values())
    title = page.curves.plots["loss"].titleLabel
    assert title.isVisible() and title.text == "Loss (lower is better)"     # the titles came back
    x_range = page.curves.plots["loss"].getViewBox().viewRange()[0]
    assert x_range[0] < 0.1 and 3.0 <= x_range[1] < 3.2          # the whole run's epochs, fixed
    assert page.progress.value() == 1000
    assert entry["best"]["val_accuracy"] == pytest.approx(0.75)
    assert page.runs.rowCount() == 1 and page.runs.item(0, 1).text() == "finished"
    train_window.save_project()
    reopened = load_project(train_window.state.project.folder)
    assert reopened.runs[0]["status"] == "finished" and reopened.runs[0]["best"]["val_accuracy"] == 0.75


def test_stop_mid_training(train_window, qtbot):
    page = train_window.pages["train"]
    start_long_training(page, qtbot, batches_seen=2)
    with qtbot.waitSignal(page.sig_run_ended, timeout=10000) as blocker:
        page.stop_button.click()
    assert blocker.args[0] == "stopped"
    assert page.start_button.isEnabled() and not page.stop_button.isEnabled()
    assert page.resume_button.isEnabled()
    assert train_window.state.project.runs[-1]["status"] == "stopped"


def test_killed_training_child_shows_a_message_and_the_app_stays_usable(train_window, qtbot):
    page = train_window.pages["train"]
    start_long_training(page, qtbot, batches_seen=1)
    with qtbot.waitSignal(page.sig_run_ended, timeout=10000) as blocker:
        os.kill(page.job.handle.pid, signal.SIGKILL)
    assert blocker.args[0] == "failed"
    texts = close_error_dialogs(qtbot)
    assert texts and "ended unexpectedly" in texts[0] and "killed" in texts[0]
    assert "ended unexpectedly" in page.status.text()
    # Usable: another run starts and finishes.
    page.epochs.setValue(1)
    page.extra_params = {"steps": 2, "step_s": 0.01}
    with qtbot.waitSignal(page.sig_run_ended, timeout=60000) as blocker:
        page.start_training()
    assert blocker.args[0] == "finished"
    assert [r["status"] for r in train_window.state.project.runs] == ["failed", "finished"]


def test_training_needs_data_first(qtbot):
    from edgeling.gui.app import create_main_window

    w = create_main_window(page_kwargs={"train": {"target": FAKE}})
    qtbot.addWidget(w)
    w.pages["home"].create_button.click()
    assert not w.pages["train"].start_training()
    texts = close_error_dialogs(qtbot)
    assert texts == ["Choose your data first, on the Data page."]
    w.close()


def test_closing_the_window_mid_training_keeps_the_run_as_interrupted(train_window, qtbot):
    page = train_window.pages["train"]
    start_long_training(page, qtbot, batches_seen=1)
    pid = page.job.handle.pid
    folder = train_window.state.project.folder
    train_window.close()
    assert not page.job.running
    assert load_project(folder).runs[-1]["status"] == "interrupted"
    assert not os.path.exists(f"/proc/{pid}") or "zombie" in open(f"/proc/{pid}/status").read().lower()


def test_closing_mid_training_asks_first_and_keep_working_keeps_it_running(train_window, qtbot, monkeypatch):
    from edgeling.gui.main_window import MainWindow
    from edgeling.gui.qt import QTimer
    from tests.gui.conftest import REAL_CONFIRM_CLOSE

    monkeypatch.setattr(MainWindow, "confirm_close", REAL_CONFIRM_CLOSE)  # the real question this time
    page = train_window.pages["train"]
    start_long_training(page, qtbot, batches_seen=1)
    seen = []
    answer = answering(seen)
    QTimer.singleShot(200, lambda: answer("Keep working"))
    train_window.close()
    assert seen == ["Training is still running in this project. Stop it and close Edgeling?"]
    assert train_window.isVisible() and page.job.running

    QTimer.singleShot(200, lambda: answer("Stop and close"))
    train_window.close()
    assert len(seen) == 2 and not train_window.isVisible() and not page.job.running
    assert load_project(train_window.state.project.folder).runs[-1]["status"] == "interrupted"


def test_opening_another_project_mid_training_asks_and_leaves_the_run_in_its_own_project(train_window, qtbot,
                                                                                        monkeypatch):
    from edgeling.gui.main_window import MainWindow
    from edgeling.gui.qt import QTimer
    from tests.gui.conftest import REAL_CONFIRM_CLOSE

    monkeypatch.setattr(MainWindow, "confirm_close", REAL_CONFIRM_CLOSE)
    page = train_window.pages["train"]
    first = train_window.state.project
    start_long_training(page, qtbot, batches_seen=1)
    seen = []
    answer = answering(seen)
    QTimer.singleShot(200, lambda: answer("Keep working"))
    train_window._on_new_project("Other", "")
    assert seen == ["Training is still running in this project. Stop it and open the other project?"]
    assert train_window.state.project is first and page.job.running

    QTimer.singleShot(200, lambda: answer("Stop and open"))
    train_window._on_new_project("Other", "")
    other = train_window.state.project
    assert other is not first and other.name == "Other" and not page.job.running
    assert load_project(first.folder).runs[-1]["status"] == "interrupted"
    qtbot.wait(500)   # nothing of the first project's job may arrive in the second
    assert other.runs == [] and page.runs.rowCount() == 0 and page.progress.value() == 0
    assert page.status.text() == "Not training." and not close_error_dialogs(qtbot)


def test_a_stop_says_what_resume_will_do_in_the_apps_words(train_window):
    page = train_window.pages["train"]
    page._on_stopped("Stopped after 3 finished epochs. ... train again with the same folder to continue.",
                     {"status": "stopped", "epochs_done": 3})
    assert page.status.text() == "Stopped after 3 finished epochs. Resume last run carries on from there."
    page._on_stopped("Stopped before the first epoch finished ...", {"status": "stopped", "epochs_done": 0})
    assert page.status.text() == "Stopped before the first epoch finished, so nothing was kept."


def test_resume_after_choosing_another_device_says_what_to_do(train_window, qtbot):
    import json

    page = train_window.pages["train"]
    project = train_window.state.project
    run = project.runs_dir / "run-001"
    run.mkdir(parents=True)
    (run / "run.json").write_text(json.dumps({"device": "esp32-s3", "status": "stopped"}))
    project.add_run(run, status="stopped")
    project.update(device="arduino-nano-33-ble-sense")
    assert not page.start_training(resume=True) and not page.job.running
    texts = close_error_dialogs(qtbot)
    assert texts and "run-001 was trained for the device esp32-s3" in texts[0] and "Start training" in texts[0]
    (run / "run.json").write_text(json.dumps({"device": "arduino-nano-33-ble-sense", "arch": "ds_cnn"}))
    project.update(model={"arch": "mobilenet_v1"})        # another network chosen on the Model page
    assert not page.start_training(resume=True)
    texts = close_error_dialogs(qtbot)
    assert texts and "trained as the model ds_cnn" in texts[0] and "on the Model page" in texts[0]


def test_a_run_folder_deleted_by_hand_is_shown_missing_and_not_offered(train_window, qtbot):
    """The folder of run-001 was deleted in the file manager: the Train table says so, Evaluate, Compress and
    Export do not offer it (they speak as for a project without a run), Resume says what to do instead of
    training a fresh run-001, and the project keeps the entry, so the run returns when the folder does."""
    import shutil

    page = train_window.pages["train"]
    project = train_window.state.project
    run = finished_run(project)
    train_window.state.edited()
    for name in ("evaluate", "compress", "export"):
        train_window.show_page(name)
        assert train_window.pages[name].runs.currentData() == "runs/run-001"
    kept = project.runs_dir.parent / "put-aside"
    shutil.move(run, kept)

    train_window.show_page("train")
    assert page.runs.item(0, 1).text() == "folder missing (was finished)"
    for name in ("evaluate", "compress", "export"):
        train_window.show_page(name)
        picker = train_window.pages[name].runs
        assert picker.count() == 1 and picker.currentData() is None and picker.run_folder() is None
        assert "run-001 is missing" in picker.currentText()
    assert train_window.pages["evaluate"].summary.text().startswith("Train a model first")
    train_window.pages["export"].export_button.click()
    texts = close_error_dialogs(qtbot)
    assert texts == ["Train a model first (Train page); then export it here."]

    train_window.show_page("train")
    project.update(device="esp32-s3")
    assert not page.start_training(resume=True) and not page.job.running
    assert close_error_dialogs(qtbot) == ["run-001's folder is gone (moved or deleted); press Start training "
                                          "for a new run."]
    assert not run.exists() and [r["folder"] for r in project.runs] == ["runs/run-001"]

    shutil.move(kept, run)    # put back: usable again
    train_window.show_page("home")
    train_window.show_page("train")
    assert page.runs.item(0, 1).text() == "finished"
    train_window.show_page("export")
    assert train_window.pages["export"].runs.run_folder() == run.resolve()

    (run / "run.json").unlink()   # its run.json alone gone: not a usable run either
    train_window.show_page("train")
    assert page.runs.item(0, 1).text() == "folder missing (was finished)"
    train_window.show_page("evaluate")
    assert train_window.pages["evaluate"].runs.run_folder() is None


def test_a_run_deleted_while_its_page_stays_open_shows_missing_when_the_window_is_active_again(train_window):
    """The user keeps a page open, deletes the run's folder (and the exported file) in the file manager and
    comes back to the window: the page shows them missing at once (before, only after switching pages)."""
    import json
    import shutil

    project = train_window.state.project
    run = project.runs_dir / "run-001"
    export = project.folder / "model.onnx"
    project.add_run(run, status="finished", best={"val_accuracy": 0.94})
    project.add_export(str(export), format="onnx", verification={"passed": True}, size_bytes=4)
    for name in ("train", "evaluate", "export"):
        run.mkdir(parents=True)
        (run / "run.json").write_text(json.dumps({"status": "finished"}))
        (run / "metrics.json").write_text(json.dumps({"accuracy": 0.8}))
        export.write_bytes(b"onnx")
        train_window.state.edited()
        train_window.show_page("home")
        train_window.show_page(name)
        page = train_window.pages[name]
        if name == "train":
            assert page.runs.item(0, 1).text() == "finished"
        else:
            assert page.runs.run_folder() == run.resolve()
        shutil.rmtree(run)
        export.unlink()
        train_window.window_activated()     # what changeEvent calls when the window is active again
        if name == "train":
            assert page.runs.item(0, 1).text() == "folder missing (was finished)"
        else:
            assert page.runs.run_folder() is None and "run-001 is missing" in page.runs.currentText()
        if name == "export":
            assert page.table.item(0, 3).text() == "file missing"


def test_a_run_folder_put_back_while_evaluate_is_open_shows_its_results_again(train_window):
    """Deleted, then put back: the picker offered the run again but the page kept saying "Train a model
    first" (the picker only said it changed when the choice differed from the run put back)."""
    import shutil

    project = train_window.state.project
    run = finished_run(project)
    train_window.state.edited()
    train_window.show_page("evaluate")
    page = train_window.pages["evaluate"]
    assert page.summary.text().startswith("Test results: accuracy 80.0%")
    aside = project.runs_dir.parent / "aside"
    shutil.move(run, aside)
    train_window.window_activated()
    assert page.summary.text().startswith("Train a model first")
    shutil.move(aside, run)
    train_window.window_activated()
    assert page.runs.run_folder() == run.resolve()
    assert page.summary.text().startswith("Test results: accuracy 80.0%")


def test_a_new_run_never_takes_the_name_of_a_missing_one(train_window):
    """run-002's folder is gone but its entry is kept: the next run is not written over that entry."""
    page = train_window.pages["train"]
    project = train_window.state.project
    project.update(device="esp32-s3")
    (project.runs_dir / "run-001").mkdir(parents=True)
    project.add_run(project.runs_dir / "run-001", status="failed")
    project.add_run(project.runs_dir / "run-003", status="finished")   # deleted by hand
    started = []
    page.job.start = lambda target, params, log: started.append(params["out"]) or True
    assert page.start_training()
    assert started == [str(project.runs_dir / "run-003-b")]
    assert [r["folder"] for r in project.runs] == ["runs/run-001", "runs/run-003", "runs/run-003-b"]


def test_resume_after_choosing_other_data_says_what_to_do_and_new_runs_skip_compressed_ones(train_window, qtbot,
                                                                                           tmp_path):
    import json

    page = train_window.pages["train"]
    project = train_window.state.project
    old_data = tmp_path / "first photos"
    old_data.mkdir()
    run = project.runs_dir / "run-001"
    run.mkdir(parents=True)
    (run / "run.json").write_text(json.dumps({"data": str(old_data), "status": "stopped"}))
    project.add_run(run, status="stopped")
    project.add_run(project.runs_dir / "run-001-ptq", status="finished", compressed_from="runs/run-001")
    assert not page.start_training(resume=True) and not page.job.running
    texts = close_error_dialogs(qtbot)
    assert texts and f"run-001 was trained on {old_data}" in texts[0] and "Data page" in texts[0]
    page.extra_params = {"steps": 1, "step_s": 0.0}
    page.epochs.setValue(1)
    assert page.start_training()
    assert page._run_dir.name == "run-002"               # not run-003: run-001-ptq is run-001's
    qtbot.waitUntil(lambda: not page.job.running, timeout=60000)


def test_the_plan_s_pick_is_trained_with_the_plan_s_words_not_chosen_by_you(train_window):
    """The speech walk: run.json said "chosen by you" for the network the ★ plan had picked, and the Compress
    page's teacher check reads that to know which run is the one sized for the device."""
    page = train_window.pages["train"]
    project = train_window.state.project
    project.model = {"arch": "ds_cnn", "knobs": {"width": 32}, "plan_explanation": "ds_cnn (width 32) uses 90 KB"}
    params = page.job_params(project.runs_dir / "run-001")
    assert params["arch"] == "ds_cnn" and params["arch_reason"] == "ds_cnn (width 32) uses 90 KB"
    project.model = {"arch": "mlp"}              # a network picked by hand: core's "chosen by you"
    assert page.job_params(project.runs_dir / "run-001")["arch_reason"] is None
