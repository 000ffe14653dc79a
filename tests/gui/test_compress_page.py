"""The Compress page over a real child process running a torch-free stand-in of the compression job: the
form becomes the job's parameters, the new run joins the project with its before/after table and chart,
Stop writes nothing, and a run's last compression is shown again after reopening."""

from __future__ import annotations

import pytest

from edgeling.core.project import load_project
from tests.gui.conftest import close_error_dialogs
from tests.gui.tiny_jobs import TABLE

FAKE = "tests.gui.tiny_jobs.fake_compress"


@pytest.fixture
def compress_window(qtbot):
    from edgeling.gui.app import create_main_window

    w = create_main_window(page_kwargs={"compress": {"target": FAKE}})
    qtbot.addWidget(w)
    w.show()
    w.pages["home"].name_edit.setText("Squeeze")
    w.pages["home"].create_button.click()
    project = w.state.project
    run = project.runs_dir / "run-001"
    run.mkdir(parents=True)
    (run / "run.json").write_text('{"status": "finished"}', encoding="utf-8")
    project.add_run(run, status="finished", best={"val_accuracy": 0.9})
    w.state.edited()
    w.show_page("compress")
    yield w
    w.close()


def add_teacher(window) -> None:
    """A second finished run to learn from ("teacher"), while run-001 stays the run to start from (a run is
    never taught by itself)."""
    project, page = window.state.project, window.pages["compress"]
    run = project.runs_dir / "teacher"
    run.mkdir(parents=True)
    (run / "run.json").write_text('{"status": "finished"}', encoding="utf-8")
    project.add_run(run, status="finished", best={"val_accuracy": 0.95})
    window.state.edited()
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))
    assert page.teacher.currentData() == "runs/teacher"


def test_table_and_chart_from_plain_data(compress_window):
    page = compress_window.pages["compress"]
    page.show_table(TABLE)
    rows = [[page.table.item(r, c).text() for c in range(4)] for r in range(page.table.rowCount())]
    assert rows[0] == ["accuracy", "90.0%", "88.0%", "-2.0 points"]
    assert ["parameters", "1,000", "1,000", "+0%"] in rows
    assert not any(r[0] == "parameters not zero" for r in rows)       # repeats the parameters
    flash = next(r for r in rows if r[0] == "flash")
    assert flash[3] == "-75%"
    assert [(label, round(a)) for label, _b, a in page.chart.pairs] == [
        ("accuracy", 98), ("flash", 25), ("RAM needed", 25), ("latency", 25)]
    assert "int8" in page.table.horizontalHeaderItem(2).text()
    assert "Tiny board" in page.note.text()


def test_int8_run_is_added_to_the_project_and_shown_after_reopening(compress_window, qtbot):
    page = compress_window.pages["compress"]
    project = compress_window.state.project
    page.prune.setValue(30)
    page.structured.setChecked(True)
    with qtbot.waitSignal(page.job.sig_finished, timeout=60000) as blocker:
        assert page.start_compression()
        assert not page.run_button.isEnabled() and page.stop_button.isEnabled()
    params = blocker.args[0]["echo"]
    assert params["quantize"] == "ptq" and params["prune"] == pytest.approx(0.3) and params["structured"]
    assert params["distill_from"] is None and params["run"].endswith("run-001")
    assert params["out"].endswith("run-001-pruned30ch-ptq")
    new = project.runs[-1]
    assert new["folder"] == "runs/run-001-pruned30ch-ptq" and new["compressed_from"] == "runs/run-001"
    assert new["status"] == "finished" and new["best"] == {"accuracy": 0.88}
    assert page.table.rowCount() >= 5 and "new run run-001-pruned30ch-ptq" in page.status.text()
    assert new["passes"] == ["ptq"]                      # the project keeps the pass's own name (the stand-in's)
    assert "run-001-pruned30ch-ptq (int8)." in page.status.text()       # the app says it in plain words
    assert page.run_button.isEnabled() and not page.stop_button.isEnabled()
    # Evaluate and Export offer the new run; Resume on the Train page still means the trained run.
    ev = compress_window.pages["evaluate"]
    ev.runs.refresh()
    assert ev.runs.findData("runs/run-001-pruned30ch-ptq") >= 0
    assert ev.runs.itemText(ev.runs.findData("runs/run-001-pruned30ch-ptq")) == \
        "run-001-pruned30ch-ptq (compressed: int8) — test accuracy 88.0%"
    compress_window.save_project()
    again = load_project(project.folder)
    assert [r["folder"] for r in again.runs] == ["runs/run-001", "runs/run-001-pruned30ch-ptq"]
    # Picking the source run again shows its latest compression (read back from compression.json).
    page.show_table({})
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))
    page.show_saved_table()
    assert page.table.rowCount() >= 5


def test_stop_writes_nothing_and_missing_choices_are_explained(compress_window, qtbot):
    page = compress_window.pages["compress"]
    project = compress_window.state.project
    page.extra_params = {"steps": 200, "step_s": 0.05}
    with qtbot.waitSignal(page.job.sig_stopped, timeout=60000):
        assert page.start_compression()
        qtbot.wait(300)
        page.stop_button.click()
    assert page.status.text().startswith("Stopped")
    assert len(project.runs) == 1 and not (project.runs_dir / "run-001-ptq").exists()

    page.int8.setCurrentIndex(0)
    page.prune.setValue(0)
    assert not page.start_compression()
    assert any("Choose at least one way to compress" in t for t in close_error_dialogs(qtbot))


def test_distillation_names_the_teacher_and_the_runs_say_what_they_are(compress_window, qtbot):
    page = compress_window.pages["compress"]
    add_teacher(compress_window)
    page.int8.setCurrentIndex(0)
    page.distill.setChecked(True)
    with qtbot.waitSignal(page.job.sig_finished, timeout=60000) as blocker:
        assert page.start_compression()
    params = blocker.args[0]["echo"]
    assert params["distill_from"].endswith("teacher") and params["quantize"] is None and params["prune"] is None
    assert params["out"].endswith("run-001-distilled")
    page.runs.refresh()       # the run lists say what each run is (Distil lists trained runs only)
    labels = [page.runs.itemText(i) for i in range(page.runs.count())]
    assert labels == ["run-001-distilled (compressed: distilled) — test accuracy 88.0%",
                      "teacher — validation accuracy 95.0% (the model kept)",
                      "run-001 — validation accuracy 90.0% (the model kept)"]
    assert page.status.text().endswith("Distillation vs the same student trained alone: test accuracy 88.0% "
                                       "vs 86.0% (+2.0 points); kept the distilled student.")


def test_a_distillation_that_kept_the_student_trained_alone_is_not_called_distill(compress_window, qtbot):
    """Older runs (no "label" in their record, as this stand-in's) are named from what they kept."""
    page = compress_window.pages["compress"]
    project = compress_window.state.project
    add_teacher(compress_window)
    page.int8.setCurrentIndex(0)
    page.distill.setChecked(True)
    page.extra_params = {"kept": "alone"}
    with qtbot.waitSignal(page.job.sig_finished, timeout=60000):
        assert page.start_compression()
    label = "distill: the student trained alone was kept, as it did better on validation"
    assert project.runs[-1]["passes"] == [label]          # the project (and the CLI) keep core's name
    said = "smaller network trained alone, as it beat the distilled one"   # the app's words for it
    assert f"new run run-001-distilled ({said})." in page.status.text()
    page.runs.refresh()
    assert page.runs.itemText(0) == f"run-001-distilled (compressed: {said}) — test accuracy 88.0%"
    train = compress_window.pages["train"]
    train._refresh_runs()
    assert train.runs.item(2, 1).text() == f"finished (compressed: {said})"     # after run-001 and teacher
    page.show_table({})
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001-distilled"))
    page.show_saved_table()   # what a later visit shows under the table
    assert "kept the student trained alone, as it did better on the validation samples" in page.note.text()


def test_magnitude_pruning_says_why_flash_ram_and_latency_do_not_drop(compress_window, qtbot):
    page = compress_window.pages["compress"]
    page.int8.setCurrentIndex(0)
    page.prune.setValue(50)
    page.structured.setChecked(False)
    with qtbot.waitSignal(page.job.sig_finished, timeout=60000):
        assert page.start_compression()
    said = ("Pruning set 50% of the weights to zero, but TFLite, TFLite Micro and ONNX Runtime store and compute "
            "the zeros like any other weight: that pruning alone makes the model no smaller and no faster on the "
            "device (only the non-zero parameters drop, not flash, RAM or latency). To really shrink flash, RAM "
            "and the work per answer, remove whole channels: tick \"remove whole channels\" next to Prune away.")
    assert said in page.note.text()
    page.show_table({})
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))
    page.show_saved_table()   # shown again when the run's latest compression is read back
    assert said in page.note.text()

    page.structured.setChecked(True)   # whole channels: no such sentence
    with qtbot.waitSignal(page.job.sig_finished, timeout=60000):
        assert page.start_compression()
    assert page.table.rowCount() and "like any other weight" not in page.note.text()


def test_closing_the_window_mid_compression_leaves_no_half_written_folder(compress_window, qtbot):
    from edgeling.core.compress.compress_job import partial_folder

    page = compress_window.pages["compress"]
    project = compress_window.state.project
    page.extra_params = {"steps": 400, "step_s": 0.05, "write_partial": True}
    assert page.start_compression()
    work = partial_folder(page._out)
    qtbot.waitUntil(work.exists, timeout=60000)
    compress_window.close()  # the autouse fixture answers "Stop and close"
    assert not page.job.running
    assert not work.exists() and not page._out.exists()
    assert (project.runs_dir / "run-001").is_dir()


def test_a_run_whose_data_moved_gets_the_projects_data(compress_window, tmp_path, monkeypatch):
    """The user moved the data and chose it again on the Data page: Compress and Export hand the project's
    data to the run (``--data``), as the run's own recorded place is gone."""
    from edgeling.core import runs

    project = compress_window.state.project
    run = project.runs_dir / "run-001"
    runs.write_config(run, {"data": str(tmp_path / "gone"), "status": "finished"})
    data = tmp_path / "chosen again"
    data.mkdir()
    project.data = {"path": str(data)}
    assert compress_window.pages["compress"].params()["data"] == str(data)

    export = compress_window.pages["export"]
    started = []
    monkeypatch.setattr(export._cli, "start", started.append)
    compress_window.show_page("export")
    export._run, export._run_name, export._queue = run, "run-001", [("onnx", ".onnx")]
    export._next()
    assert started and started[0][-2:] == ["--data", str(data)]

    (tmp_path / "gone").mkdir()  # back in its place: the run uses its own
    assert compress_window.pages["compress"].params()["data"] is None


def test_the_comparison_table_shows_every_column_without_scrolling(compress_window):
    """With the row names in plain words ('multiply-adds per answer (MACs)') the 'change' column was cut off
    behind a horizontal scroll bar in the screenshot's window."""
    from edgeling.gui.qt import QApplication

    compress_window.resize(1280, 800)
    page = compress_window.pages["compress"]
    compress_window.show_page("compress")
    before = {"accuracy": 0.95, "macro_f1": 0.95, "params": 3818, "nonzero_params": 3818, "macs": 94720,
              "flash_bytes": 17 * 1024, "ram_bytes": 12 * 1024, "latency_ms": 2.0, "arch": "tutorial_cnn",
              "precision": "float32", "device_name": "ESP32-S3 (camera / dev boards)"}
    after = {**before, "flash_bytes": 6900, "ram_bytes": 5000, "latency_ms": 0.96, "precision": "int8"}
    page.show_table({"before": before, "after": after})
    header = page.table.horizontalHeader()
    last = page.table.columnCount() - 1
    for size in ((1280, 800), (1024, 700)):
        compress_window.resize(*size)
        QApplication.processEvents()
        right = header.sectionViewportPosition(last) + page.table.sizeHintForColumn(last)
        assert right <= page.table.viewport().width(), size          # every number whole, the change too
    assert page.table.item(1, 0).toolTip() == page.table.item(1, 0).text()
