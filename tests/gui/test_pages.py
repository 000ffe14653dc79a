"""Pages fed with plain data: previews for every kind, the report list, the evaluation views, the plan
table, the export table."""

from __future__ import annotations

import numpy as np

from edgeling.core.data.dataset import Dataset
from edgeling.core.data.report import Report
from tests.gui.conftest import close_error_dialogs


def dataset(kind: str, task: str = "classification", n: int = 12) -> Dataset:
    rng = np.random.default_rng(0)
    x = {"images": (rng.random((n, 8, 8, 1)) * 255).astype(np.uint8),
         "table": rng.random((n, 5)).astype(np.float32),
         "timeseries": rng.random((n, 50, 3)).astype(np.float32),
         "audio": rng.random((n, 400)).astype(np.float32) * 2 - 1}[kind]
    y = (np.arange(n) % 3).astype(np.int64) if task == "classification" else rng.random(n).astype(np.float32)
    report = Report()
    report.add("duplicate", "2 files are exact copies of each other.", "Delete one of each pair.",
               ["a/1.png", "b/1.png"], "warning")
    report.add("corrupt_file", "1 file could not be read.", "Replace or delete it.", ["a/bad.png"], "error")
    return Dataset(kind=kind, task=task, x=x, y=y, class_names=["a", "b", "c"] if task == "classification"
                   else [], sources=[f"f{i}" for i in range(n)], groups=[f"g{i}" for i in range(n)],
                   splits=np.zeros(n, dtype=np.int64), root="/data", meta={"sample_rate": 100.0},
                   report=report)


def test_previews_fit_each_kind(window):
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    for kind, name in (("images", "imagePreview"), ("table", "tablePreview"), ("timeseries", "tracePreview"),
                       ("audio", "tracePreview")):
        window.state.set_dataset(dataset(kind))
        assert page.preview.objectName() == name
        assert page.chart.counts == {"a": 4, "b": 4, "c": 4}
    assert page.preview.plots and len(page.preview.plots) == 3           # one trace per class
    window.state.set_dataset(dataset("table", "regression"))
    assert page.chart.counts == {} and page.chart.bars is not None       # histogram of the target
    texts = page.report.texts()
    assert texts[0].startswith("1 file could not be read") and texts[1].startswith("2 files")
    assert page.report.severities()[:2] == ["error", "warning"]
    top = page.report.topLevelItem(0)
    assert top.child(0).text(0) == "What to do: Replace or delete it." and top.child(1).child(0).text(0) == "a/bad.png"


METRICS = {"accuracy": 0.8, "macro_f1": 0.78, "roc_auc": 0.9, "latency_ms": 1.5, "class_names": ["cat", "dog"],
           "confusion_matrix": [[8, 2], [2, 8]],
           "per_class": {"cat": {"precision": 0.8, "recall": 0.8, "f1": 0.8, "support": 10},
                         "dog": {"precision": 0.8, "recall": 0.8, "f1": 0.8, "support": 10}},
           "worst_samples": [{"source": "x/cat1.png", "true": "cat", "predicted": "dog", "confidence": 0.9},
                             {"source": "x/dog1.png", "true": "dog", "predicted": "cat", "confidence": 0.7}]}


def test_evaluate_shows_matrix_table_and_filters_worst_by_cell(window):
    window.pages["home"].create_button.click()
    page = window.pages["evaluate"]
    page.show_metrics(METRICS)
    assert "accuracy 80.0%" in page.summary.text() and "(macro F1) 78.0%" in page.summary.text()
    page.show_metrics({**METRICS, "majority_baseline": {"class": "dog", "accuracy": 0.5}})
    assert "Better than always answering 'dog' (50.0%)" in page.summary.text()
    page.show_metrics({**METRICS, "num_samples": 20})
    assert ("20 samples measure the accuracy only roughly: on new files like these it is likely between 58% and "
            "92% (95% range)") in page.summary.text()
    page.show_metrics(METRICS)
    assert page.heatmap.matrix.tolist() == [[8, 2], [2, 8]]
    assert page.per_class.rowCount() == 2 and page.per_class.item(1, 0).text() == "dog"
    assert page.worst.count() == 2
    page.heatmap.sig_cell_clicked.emit(0, 1)           # true cat, predicted dog
    assert page.worst.count() == 1 and page.worst.item(0).text().startswith("x/cat1.png: is cat")


def test_prediction_text():
    from edgeling.gui.widgets.prediction_text import prediction_html

    html = prediction_html({"predictions": [{"source": "f.png", "label": "dog", "confidence": 0.9,
                                             "top": [{"label": "dog", "confidence": 0.9},
                                                     {"label": "cat", "confidence": 0.1}]}]})
    assert "<b>dog</b> (90% sure)" in html and "cat: 10.0%" in html
    assert "<b>3.5</b>" in prediction_html({"predictions": [{"source": "r", "value": 3.5}]})


def test_a_file_of_many_rows_shows_every_answer_and_the_notes():
    """Try it with a CSV of 15 new orders: each row's answer is listed (it showed the first one only, "(15
    answers; the first is shown)"), with how many each class got and the notes about unknown values."""
    from edgeling.gui.widgets.prediction_text import ANSWERS_LISTED, prediction_html

    preds = [{"source": f"new.csv#row={i + 2}", "label": "Oui" if i % 5 == 0 else "Non", "confidence": 0.7}
             for i in range(15)]
    html = prediction_html({"predictions": preds, "notes": ["new.csv row 4: 'Canada' in 'Pays' was never seen"]})
    assert html.startswith("15 answers: <b>Non</b> 12, <b>Oui</b> 3")
    assert "row 2: <b>Oui</b> (70% sure)" in html and "row 3: <b>Non</b> (70% sure)" in html
    assert f"row {ANSWERS_LISTED + 1}: " in html and f"row {ANSWERS_LISTED + 2}: " not in html
    assert "… and 3 more (the first 12 are shown)" in html and "<i>Note: new.csv row 4: &#x27;Canada&#x27; in" in html
    windows = [{"source": f"pump.csv#t={t}.00", "label": "normal" if t < 4 else "cavitation", "confidence": 0.9}
               for t in range(6)]
    one = prediction_html({"predictions": [{"source": "pump.csv", "label": "normal", "confidence": 0.6,
                                            "windows": windows}]})
    assert one.startswith("<b>The answer changes along the recording</b>: 6 windows: 4 normal, 2 cavitation; "
                          "cavitation from the window starting at t = 4.0 s.<br>Over the whole recording: "
                          "<b>normal</b> (60% sure)")
    assert "--json" not in html + one and "edgeling predict" not in html


def test_try_it_on_new_orders_names_them_and_saves_the_answers(window, monkeypatch, tmp_path):
    """The shop owner tries a CSV of new orders: each answer says which order (its reference), and "Save
    the answers…" writes them as a spreadsheet in the table's own style."""
    from edgeling.gui.qt import QFileDialog

    window.pages["home"].create_button.click()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    new = tmp_path / "nouvelles.csv"
    new.write_text("Référence;prix\nCMD-1;3,5\nCMD-2;4,5\n", encoding="utf-8")
    page._tried = str(new)
    preds = [{"source": f"{new}#row={i + 2}", "label": "non", "confidence": 0.75, "row_id": f"CMD-{i + 1}",
              "row_id_column": "Référence", "top": [{"label": "non", "confidence": 0.75},
                                                     {"label": "oui", "confidence": 0.25}]} for i in range(2)]
    page._on_prediction({"predictions": preds, "notes": []})
    assert "row 2, CMD-1: <b>non</b> (75% sure)" in page.try_result.text()
    assert not page.save_answers_button.isHidden()
    saved = tmp_path / "answers.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    page.save_answers_button.click()
    assert saved.read_text(encoding="utf-8-sig").splitlines()[1] == "nouvelles.csv;2;CMD-1;non;0,750;oui;0,250;"
    assert "Answers saved in answers.csv" in page.answers_saved.text() and page.answers_saved.isVisibleTo(page)
    page._on_prediction({"predictions": preds[:1], "notes": []})      # one picture: nothing to save as a table
    assert page.save_answers_button.isHidden()


def test_model_page_lists_devices_and_shows_a_plan(window):
    window.pages["home"].create_button.click()
    window.show_page("model")
    page = window.pages["model"]
    assert page.device_box.count() > 1                  # the bundled catalogue
    page.devices = [{"id": "tiny", "name": "Tiny board", "ram_bytes": 256 * 1024, "flash_bytes": 1024 * 1024}]
    page.show_plan({"device": "tiny", "explanation": "ds_cnn uses 112 KB of 256 KB RAM.",
                    "pick": {"arch": "ds_cnn", "knobs": {"width": 32}},
                    "candidates": [{"arch": "tutorial_cnn", "knobs": {}, "params": 5000, "ram_bytes": 300 * 1024,
                                    "flash_bytes": 20000, "latency_ms": 3.0, "fits": False},
                                   {"arch": "ds_cnn", "knobs": {"width": 32}, "params": 22000,
                                    "ram_bytes": 112 * 1024, "flash_bytes": 60000, "latency_ms": 30.0,
                                    "fits": True}]})
    assert page.table.rowCount() == 2
    # The recommended network comes first and is selected; bars show use against the device's limits.
    assert "recommended" in page.table.item(0, 0).text() and page.table.selectionModel().isRowSelected(0)
    assert page.table.cellWidget(0, 2).value() == 437                      # 112 of 256 KB
    assert page.table.cellWidget(1, 2).value() == 1000                     # over the limit: a full bar
    assert page.table.item(1, 5).text().startswith("no")
    assert window.state.project.model == {"arch": "ds_cnn", "knobs": {"width": 32},
                                          "plan_explanation": "ds_cnn uses 112 KB of 256 KB RAM."}
    assert "112 KB" in page.explanation.text()


def test_the_plan_sizes_networks_for_the_data_as_the_data_page_set_it_up(window):
    """'Find networks that fit' ran the plan on the defaults (the last column, 2 s windows) after the user had
    chosen another column or window on the Data page."""
    window.pages["home"].create_button.click()
    project = window.state.project
    project.data = {"path": "/data/pump", "kind": "timeseries", "options": {"window_s": 4.0, "stride_s": 1.0}}
    project.device = "arduino-nano-33-ble-sense"
    page = window.pages["model"]
    started = []
    page._plan_cli.start = started.append
    page._on_plan()
    assert started == [["plan", "/data/pump", "--device", "arduino-nano-33-ble-sense", "--kind", "timeseries",
                        "--window", "4.0", "--stride", "1.0"]]
    project.data = {"path": "/data/plants.csv", "kind": "table", "options": {"target": "species"}}
    page._on_plan()
    assert started[-1][-4:] == ["--kind", "table", "--target", "species"]


def test_export_and_compress_without_a_run_say_what_to_do(window):
    window.pages["home"].create_button.click()
    window.show_page("export")
    window.pages["export"].export_button.click()
    window.show_page("compress")
    window.pages["compress"].run_button.click()
    texts = close_error_dialogs(None)
    assert any("Train a model first" in t and "export" in t for t in texts)
    assert any("Train a model first" in t and "compress" in t for t in texts)


def test_the_data_page_says_what_a_sample_is_and_shows_rows_and_channels_as_the_files_do(window, qtbot):
    """Sensor data: '… windows of sensor data (2.56 s = 128 readings of … at 50 per second, a new window
    every …)' instead of 'samples of timeseries (128 × 3)'; the traces have a legend naming the channels;
    a table preview numbers rows by their line in the file, as the messages do."""
    from pathlib import Path

    from edgeling.core.data.load import open_dataset
    from edgeling.gui.pages.data import what_samples_are
    from edgeling.gui.widgets.previews import TablePreview, TracePreview

    samples = Path(__file__).resolve().parents[2] / "resources" / "samples"
    pump = open_dataset(samples / "pump")
    said = what_samples_are(pump)
    rate, channels = pump.meta["sample_rate"], ", ".join(pump.meta["channels"])
    assert said.startswith(f"windows of sensor data ({pump.meta['window_s']:g} s = {pump.sample_shape[0]} "
                           f"readings of {channels} at {rate:g} per second")
    traces = TracePreview(pump)
    legend = traces.legend
    assert legend is not None and [label.text for _, label in legend.items] == list(pump.meta["channels"])
    orders = open_dataset(samples / "orders" / "commandes.csv")
    table = TablePreview(orders)
    first_line = orders.sources[0].rpartition("#row=")[2]
    assert table.verticalHeaderItem(0).text() == first_line != "1"


def test_a_c_header_export_lists_the_model_bytes_not_only_the_size_of_its_text(window):
    """A C header is C source text (396 KB) holding a 64 KB model: the list said '396,153 bytes', which reads
    as the flash it takes."""
    window.pages["home"].create_button.click()
    page = window.pages["export"]
    header = window.state.project.folder / "pump_model.h"
    header.write_text("// model\n")
    page._run_name = "run-001"
    page._on_result({"path": str(header), "format": "c-header", "size_bytes": 396153, "model_bytes": 63632,
                     "verification": {"passed": True, "agreement": 1.0}})
    assert page.table.item(0, 2).text() == "62 KB (C text 387 KB)"     # KB, as the Model and Compress pages
    assert page.table.item(0, 2).toolTip() == "63,632 bytes of model in 396,153 bytes of C text"
    assert window.state.project.exports[0]["model_bytes"] == 63632
    tflite = window.state.project.folder / "pump_model.tflite"     # export --json gives model_bytes for all
    tflite.write_bytes(b"x")
    page._on_result({"path": str(tflite), "format": "tflite-int8", "size_bytes": 63632, "model_bytes": 63632,
                     "verification": {"passed": True, "agreement": 1.0}})
    sizes = {page.table.item(r, 1).text(): page.table.item(r, 2).text() for r in range(page.table.rowCount())}
    assert sizes["int8 TFLite"] == "62 KB"
