"""What a vineyard technician met (600 photos, an ESP32-S3 that runs only int8 TFLite): Compress and Export
start from the newest run, an int8 run is not made int8 again, a project copied without its photos opens
quietly and says what still works, Export ticks what a microcontroller needs and says what to do when a
format fails (naming the check that failed), and Train says when a finished run has hardly learnt."""

from __future__ import annotations

import json

import pytest

from edgeling.core.project import create_project
from tests.gui.conftest import close_error_dialogs, shown_window
from tests.gui.test_main_window import make_images

FAKE_TRAIN = "tests.gui.tiny_jobs.fake_training"
MICRO_FAILURE = ("TensorFlow Lite Micro agrees with LiteRT's reference kernels on only 81.5% of 54 samples (they "
                 "compute the same int8 arithmetic, so the file is read differently: a fault in Edgeling's file)")


def add_run(project, name: str, device: str = "esp32-s3", samples: bool = True, **info) -> dict:
    """A finished run's folder as training or compression leaves it, recorded in ``project``."""
    run = project.runs_dir / name
    run.mkdir(parents=True)
    (run / "run.json").write_text(json.dumps({"status": "finished", "device": device}), encoding="utf-8")
    if samples:
        (run / "samples.npz").write_bytes(b"")    # only its presence counts here
    return project.add_run(run, status="finished", best={"val_accuracy": 0.9}, **info)


def vine_project(tmp_path, name: str = "vine"):
    """A saved project as the technician left it: run-001, and run-001-ptq made int8 from it."""
    project = create_project(name, tmp_path / name)
    project.update(data={"path": str(tmp_path / "photos"), "kind": "images", "options": {}}, device="esp32-s3")
    add_run(project, "run-001")
    add_run(project, "run-001-ptq", compressed_from="runs/run-001", passes=["ptq"])
    project.save()
    return project


@pytest.fixture
def vine_window(qtbot, tmp_path):
    w = shown_window(qtbot, FAKE_TRAIN)
    yield w
    w.close()
    close_error_dialogs(qtbot)


def messages(window) -> list[str]:
    """The texts of the error dialogs this window shows (all of them are then closed)."""
    from edgeling.gui.qt import QApplication, QMessageBox

    texts = [box.text() for box in QApplication.topLevelWidgets()
             if isinstance(box, QMessageBox) and box.isVisible() and box.parent() is not None
             and box.parent().window() is window]
    close_error_dialogs(None)
    return texts


# --- 1. Compress and Export start from the newest run --------------------------------------------------------


def test_after_reopening_and_training_compress_and_export_start_from_the_new_run(vine_window, qtbot, tmp_path):
    make_images(tmp_path / "photos")
    project = vine_project(tmp_path)
    assert vine_window.open_project(str(project.folder))
    qtbot.waitUntil(lambda: vine_window.state.dataset is not None, timeout=60000)
    compress, export = vine_window.pages["compress"], vine_window.pages["export"]
    vine_window.show_page("compress")
    assert compress.runs.currentData() == "runs/run-001-ptq"      # the newest run when the project opened

    vine_window.show_page("train")
    train = vine_window.pages["train"]
    train.epochs.setValue(1)
    train.extra_params = {"steps": 2, "step_s": 0.01}
    with qtbot.waitSignal(train.sig_run_ended, timeout=60000):
        assert train.start_training()
    assert vine_window.state.project.runs[-1]["folder"] == "runs/run-002"
    for page in (compress, export):
        vine_window.show_page(page.key)
        assert page.runs.currentData() == "runs/run-002", page.key
    assert compress.int8.currentData() == "ptq"       # a float run: int8 is offered as before
    assert messages(vine_window) == []


def test_another_project_opens_on_its_own_newest_run_not_a_run_of_the_same_name(vine_window, tmp_path):
    first = vine_project(tmp_path, "first")
    second = create_project("second", tmp_path / "second")
    add_run(second, "run-001")
    add_run(second, "run-002")
    second.save()
    assert vine_window.open_project(str(first.folder))
    compress = vine_window.pages["compress"]
    compress.runs.setCurrentIndex(compress.runs.findData("runs/run-001"))    # picked by hand
    assert vine_window.open_project(str(second.folder))
    for key in ("compress", "export", "evaluate"):
        assert vine_window.pages[key].runs.currentData() == "runs/run-002", key


def test_the_newest_run_is_the_one_that_finished_last():
    from edgeling.gui.widgets.run_picker import newest_first

    runs = [{"id": "run-001", "created": "2026-05-01T10:00:00", "finished": "2026-05-01T12:00:00"},  # resumed
            {"id": "run-002", "created": "2026-05-01T11:00:00", "finished": "2026-05-01T11:30:00"},
            {"id": "run-002-ptq", "created": "2026-05-01T11:40:00"},        # recorded before "finished"
            {"id": "run-003", "created": "2026-05-01T11:40:00"}]            # the same second: later in the list
    assert [r["id"] for r in newest_first(runs)] == ["run-001", "run-003", "run-002-ptq", "run-002"]


def test_an_int8_run_is_not_offered_to_be_made_int8_again(vine_window, tmp_path):
    project = vine_project(tmp_path)
    assert vine_window.open_project(str(project.folder))
    vine_window.show_page("compress")
    page = vine_window.pages["compress"]
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001-ptq"))
    assert page.int8.currentData() == ""                       # "no"
    model = page.int8.model()
    assert [model.item(i).isEnabled() for i in range(page.int8.count())] == [True, False, False]
    assert page.int8_note.isVisible()
    assert page.int8_note.text().startswith("run-001-ptq is already int8, so it cannot be made int8 again.")
    assert "start from run-001" in page.int8_note.text()

    page.int8.setCurrentIndex(2)           # int8 with re-training chosen anyway (e.g. by the keyboard)
    assert not page.start_compression()
    said = messages(vine_window)
    assert len(said) == 1 and said[0].startswith("run-001-ptq is already int8")
    assert not (project.runs_dir / "run-001-ptq-qat").exists()

    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))   # a float run: the int8 choice is back
    assert page.int8.currentData() == "ptq" and not page.int8_note.isVisible()
    assert all(model.item(i).isEnabled() for i in range(page.int8.count()))


# --- 2. A project copied to another computer without its photos ----------------------------------------------


def visible_placeholders(page) -> int:
    """How many "The preview appears here." the page shows, once the window has caught up (a widget put
    into a layout is shown on the next pass of the event loop)."""
    from edgeling.gui.qt import QApplication, QLabel

    QApplication.processEvents()
    return sum(1 for label in page.findChildren(QLabel)
               if label.text() == "The preview appears here." and label.isVisible())


def test_a_project_whose_photos_are_not_here_opens_quietly_and_says_what_still_works(vine_window, qtbot,
                                                                                       tmp_path):
    project = vine_project(tmp_path)                       # tmp_path / "photos" was never made here
    add_run(project, "run-000", samples=False)             # trained before runs kept their samples
    project.save()
    assert vine_window.open_project(str(project.folder))
    page = vine_window.pages["data"]
    qtbot.waitUntil(lambda: not page.importing, timeout=30000)
    qtbot.wait(50)
    assert messages(vine_window) == []                # no modal error on opening
    said = page.status.text()
    assert said.startswith(f"The data folder {tmp_path / 'photos'} is not on this computer")
    assert "run-001 and run-001-ptq can still be evaluated and exported (each keeps its own test samples); " \
           "run-000 needs the data." in said
    assert "choose the folder again above (Choose a folder…)" in said
    assert visible_placeholders(page) == 1
    assert vine_window.state.project.data["path"] == str(tmp_path / "photos")   # kept for when it comes back

    make_images(tmp_path / "photos")                       # put back (or copied over) while the app is open
    vine_window.show_page("data")
    vine_window.window_activated()
    qtbot.waitUntil(lambda: vine_window.state.dataset is not None, timeout=60000)
    assert messages(vine_window) == []


def test_every_run_with_its_samples_can_still_be_used(vine_window, qtbot, tmp_path):
    project = vine_project(tmp_path)
    assert vine_window.open_project(str(project.folder))
    said = vine_window.pages["data"].status.text()
    assert "The trained runs can still be evaluated and exported: each run keeps the test samples it is " \
           "measured on." in said


def test_the_preview_placeholder_is_shown_once_after_projects_change(vine_window, tmp_path):
    page = vine_window.pages["data"]
    for name in ("a", "b", "c"):
        vine_window.pages["home"].name_edit.setText(name)
        vine_window.pages["home"].create_button.click()
    vine_window.show_page("data")
    assert visible_placeholders(page) == 1


# --- 3. Export for a board that runs only int8 ---------------------------------------------------------------


def ticked(page) -> set:
    return {fmt for fmt, box in page.checks.items() if box.isChecked()}


def test_export_ticks_what_the_runs_device_needs(vine_window, tmp_path):
    project = vine_project(tmp_path)
    assert vine_window.open_project(str(project.folder))
    vine_window.show_page("export")
    page = vine_window.pages["export"]
    assert ticked(page) == {"tflite-int8", "c-header"}
    assert page.device_note.isVisible() and "microcontroller" in page.device_note.text()
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))   # run-001-ptq's float model is run-001's
    page.checks["tflite"].setChecked(True)                 # the user's own ticks stay while the device does
    page.on_shown()
    assert ticked(page) == {"tflite-int8", "c-header", "tflite"}

    project = vine_window.state.project
    add_run(project, "run-002", device="raspberry-pi-4")   # trained again for a Raspberry Pi
    vine_window.state.edited()
    assert page.runs.currentData() == "runs/run-002"
    assert ticked(page) == {"tflite-int8", "onnx"}          # today's defaults there
    assert not page.device_note.isVisible()


def export_failing(window, fmt: str, verification: dict):
    """Press Export with one format ticked; the command fails its check with ``verification``."""
    page = window.pages["export"]
    page._cli.start = lambda args: True
    for f, box in page.checks.items():
        box.setChecked(f == fmt)
    page._on_export()
    page._cli.last_output = {"path": str(page._out), "format": fmt,
                             "status": "failed", "verification": verification}
    page._cli.sig_failed.emit("Export FAILED verification.", "")
    return page


def test_a_failed_micro_check_names_micro_and_says_what_fits_the_board(vine_window, qtbot, tmp_path):
    project = vine_project(tmp_path)
    assert vine_window.open_project(str(project.folder))
    vine_window.show_page("export")
    page = vine_window.pages["export"]
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))
    page = export_failing(vine_window, "tflite-int8", {
        "passed": False, "runtime": "ai-edge-litert", "agreement": 1.0, "accuracy": 0.46, "num_samples": 54,
        "micro_agreement": 0.815, "micro_samples": 54, "failures": [MICRO_FAILURE]})
    assert messages(vine_window) == []                   # said once, on the status line
    said = page.status.text()
    assert said.startswith("vine-run-001-int8.tflite was not written: on the board, the file would answer 10 of "
                           "54 test samples differently from how it answers on this computer.")
    assert "LiteRT" not in said and "PyTorch" not in said
    # LiteRT's check passed with the reference kernels, whose arithmetic TFLite Micro shares: Edgeling's fault
    assert said.endswith("This is a fault in Edgeling's file, not in your model: send Edgeling's log file with a "
                         "note of what you were doing (Details says where it is), so it can be fixed.")
    assert "train longer" not in said and "another format" not in said and "re-training" not in said
    numbers = page.check_details.text.text()
    assert numbers.startswith("Checked in TensorFlow Lite Micro on 54 test samples:") and MICRO_FAILURE in numbers
    assert "edgeling-studio.log" in numbers
    # The failure is listed with the exports, with its reason.
    row = page.table.rowCount() - 1
    assert [page.table.item(row, c).text() for c in range(5)] == [
        "vine-run-001-int8.tflite", "int8 TFLite", "not written", "FAILED in TensorFlow Lite Micro", "100.0%"]
    assert page.table.item(row, 3).toolTip() == f"{said}\n{numbers}"
    export_failing(vine_window, "tflite-int8", {            # the int8 model itself changed too many answers
        "passed": False, "runtime": "ai-edge-litert", "agreement": 0.9, "accuracy": 0.46, "num_samples": 61,
        "changes_allowed": 2,
        "failures": ["agrees with PyTorch on 90.0% of test samples: 6 of 61 answers changed (needs 97%, or at "
                     "most 2 changed)"]})
    said = page.status.text()
    assert said.endswith("On the Compress page, make the run int8 with a short re-training (it keeps the answers "
                         "closer to the model's), then export the new run.")   # no other format runs on an ESP32-S3


def test_an_int8_failure_on_a_raspberry_pi_offers_its_float_formats(vine_window, qtbot, tmp_path):
    project = create_project("pi", tmp_path / "pi")
    add_run(project, "run-001", device="raspberry-pi-4")
    project.save()
    assert vine_window.open_project(str(project.folder))
    vine_window.show_page("export")
    export_failing(vine_window, "tflite-int8", {
        "passed": False, "runtime": "ai-edge-litert", "agreement": 0.9,
        "failures": ["loses 3.70 points of accuracy (2 of 54 test samples; at most 1.85 allowed: one sample)"]})
    said = vine_window.pages["export"].status.text()
    assert said.startswith("pi-run-001-int8.tflite was not written: ")
    assert said.endswith("On the Compress page, make the run int8 with a short re-training (it keeps the answers "
                         "closer to the model's), then export the new run. Or export float TFLite or float ONNX "
                         "instead, which Raspberry Pi 4 Model B (4 GB) also runs.")


def test_a_run_already_made_int8_with_re_training_is_told_to_train_longer_first():
    from edgeling.gui.pages.export import failure_advice

    assert failure_advice("c-header", None, ["qat"]).startswith(
        "This run was already made int8 with re-training: train a new run for longer")


# --- 4. Train says when a run has hardly learnt --------------------------------------------------------------


def finish_training(window, qtbot, metrics: dict, epochs: int = 4) -> str:
    """Train a (fake) run whose evaluation wrote ``metrics``; the Train page's status once it finished."""
    page = window.pages["train"]
    page.epochs.setValue(epochs)
    page.extra_params = {"steps": 1, "step_s": 0.0, "write_metrics": metrics}
    with qtbot.waitSignal(page.sig_run_ended, timeout=60000):
        assert page.start_training()
    return page.status.text()


def test_a_run_that_barely_learnt_says_so_and_what_to_do(vine_window, qtbot, tmp_path):
    vine_window.pages["home"].create_button.click()
    (tmp_path / "photos").mkdir(exist_ok=True)
    vine_window.state.project.update(data={"path": str(tmp_path / "photos"), "kind": "images"})
    vine_window.show_page("train")
    said = finish_training(vine_window, qtbot, {
        "task": "classification", "accuracy": 0.459, "num_samples": 61, "accuracy_range": [0.34, 0.58],
        "majority_baseline": {"class": "healthy", "accuracy": 1 / 3, "tied": 3}})
    assert said == ("Training finished: test accuracy 45.9%, only a little better than the 33.3% of always "
                    "answering any one class: the model has learnt little so far. Train longer (more epochs "
                    "than 4), or check the data on the Data page.")


def test_finished_words_name_the_accuracy_and_the_most_common_class():
    from edgeling.gui.pages.train import finished_words

    base = {"class": "healthy", "accuracy": 0.6, "tied": 1}
    assert finished_words({"accuracy": 0.97, "accuracy_range": [0.9, 0.99], "majority_baseline": base}) == \
        "Training finished: test accuracy 97.0%."
    assert finished_words({"accuracy": 0.55, "majority_baseline": base}, 10) == (
        "Training finished: test accuracy 55.0%, no better than the 60.0% of always answering the most common "
        "class (healthy): the model has learnt little so far. Train longer (more epochs than 10), or check the "
        "data on the Data page.")
    # Well above by its score, but measured on so few samples that it may be no better: said too.
    assert "not clearly better" in finished_words(
        {"accuracy": 0.9, "num_samples": 20, "accuracy_range": [0.55, 0.98], "majority_baseline": base})
    # The upgrade walk: "67.9%, not clearly better than the 35.7% ...: the model has learnt little so far" read
    # as a contradiction; the reason is the few test samples, and so is the advice.
    assert finished_words({"accuracy": 0.679, "num_samples": 28, "accuracy_range": [0.31, 0.91],
                           "majority_baseline": {"class": "normal", "accuracy": 0.357, "tied": 1}}, 2) == (
        "Training finished: test accuracy 67.9%, not clearly better than the 35.7% of always answering the most "
        "common class (normal): measured on 28 samples, it could really be as low as 31%. For a surer number "
        "use \"Check every sample\" on the Evaluate page; more data helps both.")
    assert finished_words({"accuracy": None}) == "Training finished."
    # The shop walk: validation loss lowest at epoch 1 of 15, then rising while training accuracy reached 87%:
    # learning the rows by heart, where "train longer" makes it worse.
    assert finished_words({"accuracy": 0.55, "majority_baseline": base}, 15, 1) == (
        "Training finished: test accuracy 55.0%, no better than the 60.0% of always answering the most common "
        "class (healthy). It did best on the validation samples at epoch 1 of 15 and after that learnt the "
        "training samples by heart, so more epochs will not help. More data will help most; a smaller model "
        "(Model page) may help too. Check the data on the Data page as well.")
    assert "Train longer" in finished_words({"accuracy": 0.55, "majority_baseline": base}, 15, 12)


def test_the_train_page_gives_the_terminal_s_verdict():
    """The review: 55% on 500 samples against 35.7% was "Only a little better" in the terminal and "not clearly
    better ... could really be as low as 51%" on the Train page, which worked out a verdict of its own."""
    from edgeling.core.results_words import baseline_sentence
    from edgeling.gui.pages.train import finished_words

    m = {"accuracy": 0.55, "num_samples": 500, "accuracy_range": [0.506, 0.593],
         "majority_baseline": {"class": "healthy", "accuracy": 0.357, "tied": 1}}
    assert baseline_sentence(m).startswith("Only a little better than always answering 'healthy' (35.7%)")
    assert finished_words(m).startswith("Training finished: test accuracy 55.0%, only a little better than the "
                                        "35.7% of always answering the most common class (healthy)")
