"""Evaluate page details fed with plain files: the samples behind a confusion-matrix cell (from the run's
predictions.json, with thumbnails), the regression scatter, and "Try it" with an exported file. Model
page: adding a custom device, with plain messages for mistakes."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from tests.gui.conftest import close_error_dialogs
from tests.gui.test_pages import METRICS


def make_run(project, name: str, metrics: dict, predictions: dict):
    run = project.runs_dir / name
    run.mkdir(parents=True)
    (run / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    (run / "predictions.json").write_text(json.dumps(predictions), encoding="utf-8")
    (run / "run.json").write_text(json.dumps({"status": "finished"}), encoding="utf-8")
    project.add_run(run, status="finished")
    return run


def make_export(project, name: str, content: bytes, **info):
    """A file in the project's exports folder, listed in the project as an export (verified)."""
    path = project.exports_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    project.add_export(path, size_bytes=len(content), verification={"passed": True}, **info)
    return path


def test_clicking_a_cell_lists_its_samples_with_thumbnails(window, tmp_path):
    window.pages["home"].create_button.click()
    project = window.state.project
    root = tmp_path / "pics"
    (root / "cat").mkdir(parents=True)
    Image.fromarray(np.zeros((8, 8), np.uint8)).save(root / "cat" / "c1.png")
    samples = [{"source": "cat/c1.png", "true": 0, "predicted": 1, "confidence": 0.6},
               {"source": "cat/c2.png", "true": 0, "predicted": 0, "confidence": 0.9},
               {"source": "dog/d1.png", "true": 1, "predicted": 1, "confidence": 0.8}]
    make_run(project, "run-001", METRICS, {"task": "classification", "root": str(root),
                                           "class_names": ["cat", "dog"], "samples": samples})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    assert page.views.currentWidget() is page.heatmap and page.heatmap.matrix.shape == (2, 2)
    page.heatmap.sig_cell_clicked.emit(0, 1)
    assert page.worst.texts() == ["cat/c1.png: is cat, the model said dog (60% sure)"]
    item = page.worst.item(0)
    assert not item.icon().isNull() and item.toolTip() == str(root / "cat" / "c1.png")
    assert page.samples_label.text() == "1 test sample of class cat that the model took for dog:"
    page.heatmap.sig_cell_clicked.emit(1, 0)
    assert page.worst.texts() == ["No test sample of class dog was taken for cat."]
    page.heatmap.sig_cell_clicked.emit(1, 1)
    assert page.worst.texts() == ["dog/d1.png: is dog, the model said dog (80% sure)"]


def test_regression_runs_show_a_scatter(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    samples = [{"source": f"t.csv:row {i}", "true": float(i), "predicted": float(i) + 0.5} for i in range(6)]
    make_run(project, "run-001", {"task": "regression", "mae": 0.5, "rmse": 0.5, "r2": 0.9,
                                  "worst_samples": samples[:2]},
             {"task": "regression", "root": "/data", "samples": samples})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    assert page.views.currentWidget() is page.scatter and page.scatter.n == 6
    x, y = page.scatter.dots.getData()
    assert list(x) == [0, 1, 2, 3, 4, 5] and list(y) == [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]
    assert "mean absolute error 0.5" in page.summary.text() and page.worst.count() == 2


def test_try_it_with_an_exported_file_passes_the_file(window, qtbot):
    window.pages["home"].create_button.click()
    project = window.state.project
    make_run(project, "run-001", METRICS, {"samples": []})
    bad = make_export(project, "model.onnx", b"not a model", format="onnx")
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    assert page.try_with.count() == 2
    page.try_with.setCurrentIndex(1)
    started = []
    page._predict.start = lambda args: started.append(args) or True
    page.try_file("/some/picture.png")
    assert started == [["predict", str(bad.resolve()), "/some/picture.png"]]
    page._predict.sig_failed.emit("/some/picture.png does not exist.", "")
    texts = close_error_dialogs(qtbot)
    assert texts == ["/some/picture.png does not exist."]   # predict's own message, nothing added to it


def test_an_export_deleted_by_hand_shows_as_missing_and_is_not_offered_to_try(window, qtbot):
    window.pages["home"].create_button.click()
    project = window.state.project
    make_run(project, "run-001", METRICS, {"samples": []})
    for name in ("kept.onnx", "gone.tflite"):
        make_export(project, name, b"x" * 7280, format="onnx" if name.endswith("onnx") else "tflite")
    window.state.edited()
    (project.exports_dir / "gone.tflite").unlink()
    window.show_page("export")
    table = window.pages["export"].table
    checks = {table.item(r, 0).text(): table.item(r, 3).text() for r in range(table.rowCount())}
    assert checks == {"kept.onnx": "passed", "gone.tflite": "file missing"}     # the name; the path in its tooltip
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    assert [page.try_with.itemText(i) for i in range(page.try_with.count())] == [
        "Ask the trained run", "Ask the exported file kept.onnx"]
    page.try_with.setCurrentIndex(1)
    (project.exports_dir / "kept.onnx").unlink()      # gone while the page is shown
    started = []
    page._predict.start = lambda args: started.append(args) or True
    page.try_file("/some/picture.png")
    assert not started and page.try_with.count() == 1
    texts = close_error_dialogs(qtbot)
    assert texts and texts[0].startswith("The exported file kept.onnx is gone (moved or deleted).")
    assert [e["path"] for e in project.exports] == ["exports/kept.onnx", "exports/gone.tflite"]  # kept listed


def test_adding_a_custom_device(window, qtbot):
    window.pages["home"].create_button.click()
    window.show_page("model")
    page = window.pages["model"]
    dialog = page.add_custom_device()
    assert not dialog.save()
    assert "Give the device a name" in dialog.message.text()
    dialog.name.setText("My sensor board")
    dialog.ram_kb.setValue(1)
    assert not dialog.save() and "1 KB of RAM is not plausible" in dialog.message.text()
    dialog.ram_kb.setValue(192)
    dialog.clock.setValue(0)
    assert not dialog.save() and "MHz is not plausible" in dialog.message.text()
    dialog.clock.setValue(80)
    dialog.core.setCurrentIndex(dialog.core.findData("cortex-m33"))
    assert dialog.save()
    assert page.device_box.currentData() == "custom-my-sensor-board"
    assert window.state.project.device == "custom-my-sensor-board"
    assert "192 KB" in page.device_box.currentText()


def _evaluate_page_with_a_run(window, tmp_path):
    window.pages["home"].create_button.click()
    project = window.state.project
    make_run(project, "run-001", METRICS, {"task": "classification", "root": str(tmp_path),
                                           "class_names": ["cat", "dog"], "samples": []})
    window.state.edited()
    window.show_page("evaluate")
    return window.pages["evaluate"]


def test_save_results_writes_numbers_and_the_confusion_matrix_pictures(window, tmp_path):
    page = _evaluate_page_with_a_run(window, tmp_path)
    assert page.save_button.isEnabled()
    files = page.save_results(str(tmp_path / "paper"))
    names = sorted(p.name for p in files)
    assert sorted(p.name for p in (tmp_path / "paper").iterdir()) == names  # no temporary files left
    assert names == ["confusion_matrix.csv", "confusion_matrix.pdf", "confusion_matrix.png",
                     "confusion_matrix.svg", "most_confused.csv", "per_class.csv", "results.md"]
    pdf = (tmp_path / "paper" / "confusion_matrix.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")  # complete, not cut off
    png = Image.open(tmp_path / "paper" / "confusion_matrix.png")
    assert png.width >= 1000
    svg = (tmp_path / "paper" / "confusion_matrix.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and svg.rstrip().endswith("</svg>") and ">8<" in svg.replace(" ", "")  # the cell counts are text, not pixels
    # the PNG is the same picture as the SVG core wrote (drawn from it): dark-blue cells on white, readable
    colours = {c for _, c in png.convert("RGB").getcolors(1 << 20)}
    assert (255, 255, 255) in colours and any(b > 90 and r < 60 for r, g, b in colours)    # the blue scale
    assert "Test results of run-001" in (tmp_path / "paper" / "results.md").read_text(encoding="utf-8")


def test_save_results_into_a_folder_that_cannot_be_written_says_so(window, tmp_path, qtbot):
    page = _evaluate_page_with_a_run(window, tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert page.save_results(str(blocker / "sub")) == []
    texts = close_error_dialogs(qtbot)
    assert len(texts) == 1 and "could not be written" in texts[0]


def test_testing_on_other_files_shows_those_results_until_back(window, qtbot):
    window.pages["home"].create_button.click()
    project = window.state.project
    run = make_run(project, "run-001", METRICS, {"samples": []})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    assert page.other_button.isEnabled() and not page.back_button.isVisibleTo(page)
    started = []
    page._evaluate.start = lambda args: started.append(args) or True
    page.test_on_other_files("/photos/june")
    assert started == [["evaluate", str(run.resolve()), "--on", "/photos/june"]]
    assert not page.other_button.isEnabled() and "Testing the model on june …" in page.summary.text()

    other = dict(METRICS, split="other files", data="/photos/june", root="/photos/june", num_samples=7,
                 accuracy=0.5, skipped=[{"file": "cat/x.png", "reason": "not a picture"}],
                 samples=[{"source": "dog/d7.png", "true": 1, "predicted": 0, "confidence": 0.7}])
    page._evaluate.sig_result.emit(other)
    page.heatmap.sig_cell_clicked.emit(1, 0)
    assert page.worst.texts() == ["dog/d7.png: is dog, the model said cat (70% sure)"]
    text = page.summary.text()
    assert text.startswith("Results on 7 samples in /photos/june") and "accuracy 50.0%" in text
    assert "cat/x.png" in text and page.back_button.isVisibleTo(page) and page.other_button.isEnabled()
    page._evaluate.sig_result.emit(dict(other, trained_on={"checked": True, "count": 5, "examples": ["cat/a.png"]}))
    assert "WARNING: 5 of the 7 samples are ones the run learnt from" in page.summary.text()
    page.back_button.click()
    assert page.summary.text().startswith("Test results") and not page.back_button.isVisibleTo(page)

    page.test_on_other_files("/photos/july")
    page._evaluate.sig_failed.emit("/photos/july has the folder(s) 'zz', which are not classes this model knows.", "")
    texts = close_error_dialogs(qtbot)
    assert texts and "'zz'" in texts[0]
    assert page.other_button.isEnabled() and page.summary.text().startswith("Test results")


def test_another_project_shows_none_of_the_first_ones_results(window, qtbot):
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-001", METRICS, {"samples": []})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page.try_result.setText("The model says: <b>cat</b>")
    assert page.heatmap.matrix.shape == (2, 2)
    started = []
    page._evaluate.start = lambda args: started.append(args) or True
    page.test_on_other_files("/photos/june")
    window._on_new_project("Second", "")
    window.show_page("evaluate")
    assert page.heatmap.matrix.size == 0 and page.try_result.text() == "" and page.per_class.rowCount() == 0
    assert page.summary.text().startswith("Train a model first") and page.other_button.isEnabled()


def test_a_second_file_tried_while_the_first_is_asked_about_replaces_it(window):
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-001", METRICS, {"samples": []})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    calls = []
    page._predict.kill = lambda: calls.append("kill")
    page._predict.start = lambda args: calls.append(args[-1]) or True
    page.try_file("/p/top_01.png")
    page.try_file("/p/bottom_01.png")
    assert calls == ["kill", "/p/top_01.png", "kill", "/p/bottom_01.png"]
    assert "bottom_01.png" in page.try_result.text()


def export_two_formats(window):
    """Press Export for tflite-int8 and onnx with the export commands faked: (page, formats started)."""
    window.show_page("export")
    export = window.pages["export"]
    started = []
    export._cli.start = lambda args: started.append(args[args.index("--format") + 1]) or True
    for fmt, box in export.checks.items():
        box.setChecked(fmt in ("tflite-int8", "onnx"))
    export._on_export()
    return export, started


def test_the_run_box_waits_for_other_files_and_export_goes_on_after_a_failed_format(window, qtbot):
    window.pages["home"].create_button.click()
    project = window.state.project
    make_run(project, "run-001", METRICS, {"samples": []})
    make_run(project, "run-002", METRICS, {"samples": []})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page._evaluate.start = lambda args: True
    page.test_on_other_files("/photos/june")
    assert not page.runs.isEnabled()          # results shown must be the chosen run's
    page._evaluate.sig_result.emit(dict(METRICS, split="other files", data="/photos/june", num_samples=3))
    assert page.runs.isEnabled()

    export, started = export_two_formats(window)
    first = started[-1]
    export._cli.sig_failed.emit(f"Export FAILED verification ({first}).", "")
    assert len(started) == 2 and started[1] != first     # the other format is still exported
    export._cli.sig_result.emit({"path": str(project.exports_dir / "m.onnx"), "format": started[1],
                                 "size_bytes": 10, "verification": {"passed": True}})
    assert export.status.text().startswith("Export finished: 1 of 2 files written and checked. ")
    assert "was not written: the export did not finish (the message says why)" in export.status.text()
    assert export.runs.isEnabled()
    assert any("FAILED verification" in t for t in close_error_dialogs(qtbot))


def test_an_export_checked_on_the_samples_saved_with_the_run_says_so(window):
    """The run's data was moved away: the export is verified on the samples the run saved, and the page
    says why once, after the last format."""
    window.pages["home"].create_button.click()
    project = window.state.project
    make_run(project, "run-001", METRICS, {"samples": []})
    window.state.edited()
    export, started = export_two_formats(window)
    note = ("The data this run was trained on is no longer at /photos. The file is verified on the 60 samples "
            "saved with the run when it was trained, the same ones it was measured on then.")
    for i in range(2):      # each result starts the next format
        export._cli.sig_result.emit({"path": str(project.exports_dir / f"m{i}.x"), "format": started[i],
                                     "size_bytes": 10, "verification": {"passed": True}, "note": note})
    assert len(started) == 2
    assert export.status.text() == f"Export finished. {note}"


def test_a_plan_cut_short_by_another_project_leaves_the_button_usable(window):
    window.pages["home"].create_button.click()
    model = window.pages["model"]
    model.plan_button.setEnabled(False)        # as while "Sizing networks…" runs
    window._on_new_project("Second", "")
    assert model.plan_button.isEnabled()


def test_damaged_results_are_measured_again_not_sent_to_the_command_line(window):
    window.pages["home"].create_button.click()
    run = make_run(window.state.project, "run-001", METRICS, {"samples": []})
    (run / "metrics.json").write_text("{ damaged")
    page = window.pages["evaluate"]
    started = []
    page._evaluate.start = lambda args: started.append(args) or True
    window.state.edited()
    window.show_page("evaluate")
    assert started and started[-1][:2] == ["evaluate", str(run.resolve())]
    assert "measuring them again" in page.summary.text() and "edgeling" not in page.summary.text()
    page._evaluate.sig_result.emit(dict(METRICS, split="test", num_samples=20))
    assert page.summary.text().startswith("Test results") and page.runs.isEnabled()


def test_other_files_can_be_tested_with_an_exported_file_of_the_run(window, monkeypatch):
    from edgeling.gui.qt import QFileDialog, QInputDialog

    window.pages["home"].create_button.click()
    project = window.state.project
    make_run(project, "run-001", METRICS, {"samples": []})
    model = make_export(project, "run-001-tflite-int8.tflite", b"model", format="tflite-int8", run="run-001")
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    started, offered = [], []
    page._evaluate.start = lambda args: started.append(args) or True
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "/photos/june")

    def pick(parent, title, label, items, current, editable):
        offered.extend(items)
        return items[1], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    page.other_button.click()
    assert offered[0] == "The trained run run-001" and "run-001-tflite-int8.tflite (tflite-int8)" in offered[1]
    assert started == [["evaluate", str(model.resolve()), "--on", "/photos/june"]]
    page._evaluate.sig_result.emit(dict(METRICS, split="other files", data="/photos/june", num_samples=4,
                                        model_file=str(model), precision="int8"))
    assert page.summary.text().startswith("Results of run-001-tflite-int8.tflite (int8) on 4 samples")


def test_a_sensor_run_is_tested_on_a_long_csv_or_a_folder_as_it_was_trained(window, qtbot, monkeypatch):
    from edgeling.gui.qt import QFileDialog, QInputDialog

    window.pages["home"].create_button.click()
    project = window.state.project
    run = make_run(project, "run-001", METRICS, {"samples": []})
    (run / "run.json").write_text(json.dumps({"status": "finished", "dataset": {"kind": "timeseries"},
                                              "spec": {"meta": {"mode": "long_csv", "label_column": "activity"}}}))
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    started, offered = [], []
    page._evaluate.start = lambda args: started.append(args) or True
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("/logs/june.csv", ""))
    titles = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: titles.append(a[1]) or "/logs/july")

    def pick(parent, title, label, items, current, editable):
        offered.append(list(items))
        return items[choice], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    choice = 0
    page.other_button.click()
    assert offered[0] == ["One long CSV with the labels in its column 'activity'",
                          "A folder with one subfolder per class, or with a CSV list of each recording's class "
                          "(one CSV per recording)"]     # core reads a label sheet for recordings too
    assert started == [["evaluate", str(run.resolve()), "--on", "/logs/june.csv"]]
    page._evaluate.sig_failed.emit("stopped", "")    # the button is usable again
    close_error_dialogs(qtbot)
    choice = 1
    page.other_button.click()
    assert started[1] == ["evaluate", str(run.resolve()), "--on", "/logs/july"]
    assert titles == ["Test on which folder (one subfolder per class, or the files and a CSV list of their classes)?"]
    page._evaluate.sig_failed.emit("stopped", "")
    close_error_dialogs(qtbot)
    (run / "run.json").write_text(json.dumps({"status": "finished", "dataset": {"kind": "timeseries"},
                                              "spec": {"meta": {"mode": "folders"}}}))
    choice = 0
    page.other_button.click()
    assert offered[2][0].startswith("A folder") and "a label column" in offered[2][1]
    assert started[2] == ["evaluate", str(run.resolve()), "--on", "/logs/july"]
