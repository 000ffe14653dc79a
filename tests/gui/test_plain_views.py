"""What a reviewer saw on screen, held where it can be asserted: empty charts say so instead of showing
blank axes, the export list names each file (its path in the tooltip), compressions are named in plain
words, the runtimes by their product names, and the sound previews carry no amplitude numbers (nor any
y-axis numbers that overlap)."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.compress.notes import KEPT_ALONE
from edgeling.core.runs import RUN_FILE
from tests.gui.conftest import close_error_dialogs
from tests.gui.test_pages import dataset

# --- empty states -----------------------------------------------------------------------------------------


def test_the_class_chart_says_no_data_yet_until_there_is_data(window):
    from edgeling.gui.widgets.report_list import NOTHING_CHECKED

    window.pages["home"].create_button.click()
    page = window.pages["data"]
    chart = page.chart
    assert chart.empty.text == "No data yet"
    assert not chart.getAxis("left").isVisible() and not chart.getAxis("bottom").isVisible()
    assert page.report.texts() == [NOTHING_CHECKED]
    window.state.set_dataset(dataset("images"))
    assert chart.empty.text == "" and chart.getAxis("left").isVisible() and chart.counts == {"a": 4, "b": 4, "c": 4}
    assert NOTHING_CHECKED not in page.report.texts()
    window.state.set_dataset(None)                 # e.g. another project, or an import that failed
    assert chart.empty.text == "No data yet" and chart.bars is None and chart.counts == {}
    assert page.report.texts() == [NOTHING_CHECKED]


def test_the_result_charts_say_no_results_yet_without_a_run(window):
    from edgeling.gui.widgets.result_charts import ConfusionHeatmap, RegressionScatter

    window.pages["home"].create_button.click()
    window.show_page("evaluate")
    ev = window.pages["evaluate"]
    assert ev.heatmap.empty.text == "No results yet"
    assert not ev.heatmap.getAxis("left").isVisible() and not ev.heatmap.getAxis("bottom").isVisible()
    heatmap = ConfusionHeatmap()
    heatmap.show_matrix([[3, 1], [0, 4]], ["cat", "dog"])
    assert heatmap.empty.text == "" and heatmap.getAxis("left").isVisible()
    heatmap.show_matrix([], [])
    assert heatmap.empty.text == "No results yet" and not heatmap.matrix.size
    scatter = RegressionScatter()
    assert scatter.empty.text == "No results yet"
    scatter.show_points([1.0, 2.0], [1.1, 1.9])
    assert scatter.empty.text == "" and scatter.n == 2


def test_the_compression_chart_keys_its_colours_above_the_bars(qtbot):
    from edgeling.gui.widgets.compare_chart import NOTHING_COMPRESSED, CompareChart

    chart = CompareChart()
    qtbot.addWidget(chart)
    assert chart.empty.text == NOTHING_COMPRESSED
    chart.show_table({"before": {"accuracy": 0.9, "latency_ms": 10.0}, "after": {"accuracy": 0.9, "latency_ms": 5.0}})
    assert chart.empty.text == "" and [p[0] for p in chart.pairs] == ["accuracy", "latency"]
    title = chart.getPlotItem().titleLabel.text
    assert "before" in title and "after" in title
    assert chart.getPlotItem().legend is None            # no key drawn inside the plot, over a bar
    chart.show_table({})
    assert chart.empty.text == NOTHING_COMPRESSED


# --- previews ---------------------------------------------------------------------------------------------


def test_sound_previews_have_no_amplitude_axis_and_share_one_time_axis(qtbot):
    from edgeling.gui.widgets.previews import TracePreview

    for kind in ("audio", "timeseries"):
        preview = TracePreview(dataset(kind))
        qtbot.addWidget(preview)
        assert len(preview.plots) == 3
        assert preview.plots[0].getAxis("left").isVisible() == (kind != "audio")
        shows_values = [p.getAxis("bottom").style["showValues"] for p in preview.plots]
        assert shows_values == [False, False, True]          # only the lowest plot numbers the time axis
        assert preview.plots[-1].getAxis("bottom").labelText == "time"


def test_sensor_axes_keep_their_numbers_apart(qtbot):
    """Numbers never touch, however short the axis; from a plot's least height (45 px) there are two or more
    (a single "0" said nothing of how big the readings are: the pump walk)."""
    from edgeling.gui.qt import QFontMetrics
    from edgeling.gui.widgets.previews import SparseAxis, nice_step_above
    from edgeling.gui.widgets.trace_axis import TIGHT_LINES

    assert [nice_step_above(s) for s in (0.2, 0.5, 1.0, 2.0, 5.0, 30.0)] == [0.5, 1.0, 2.0, 5.0, 10.0, 50.0]
    axis = SparseAxis("left")
    line = QFontMetrics(axis.font()).height()
    for size in (20, 45, 80, 150, 400):
        levels = axis.tickValues(-1.0, 1.0, size)
        assert len(levels) == 1                               # numbered ticks only
        _step, values = levels[0]
        assert len(values) >= (2 if size >= 45 else 1)        # two numbers when the plot is a plot ...
        for a, b in zip(values, values[1:]):                  # ... and never touching
            assert (b - a) / 2.0 * size >= TIGHT_LINES * line - 1e-9


# --- the export list --------------------------------------------------------------------------------------


def test_the_export_list_names_each_file_with_its_path_and_check_in_the_tooltips(window):
    from edgeling.gui.qt import QStyleOptionViewItem

    window.pages["home"].create_button.click()
    page = window.pages["export"]
    project = window.state.project
    out = project.exports_dir / "run-002-pruned50-ptq-tflite-int8.tflite"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(b"x")
    page._run_name = "run-002-pruned50-ptq"
    page._on_result({"path": str(out), "format": "tflite-int8", "size_bytes": 20016,
                     "verification": {"passed": True, "agreement": 1.0, "runtime": "ai-edge-litert",
                                      "num_samples": 42, "micro_agreement": 1.0}})
    name = page.table.item(0, 0)
    assert name.text() == "run-002-pruned50-ptq-tflite-int8.tflite"
    assert name.toolTip() == "exports/run-002-pruned50-ptq-tflite-int8.tflite"
    assert page.table.item(0, 3).toolTip() == ("Checked in TensorFlow Lite (LiteRT) and in TensorFlow Lite Micro "
                                               "on 42 test samples.")
    option = QStyleOptionViewItem()       # a file name is never broken onto two lines (other cells may be)
    option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
    page.table.itemDelegateForColumn(0).initStyleOption(option, page.table.model().index(0, 0))
    assert not option.features & QStyleOptionViewItem.ViewItemFeature.WrapText
    out.unlink()
    page.refresh()
    assert page.table.item(0, 3).text() == "file missing"
    assert page.table.item(0, 0).toolTip().startswith("exports/run-002-pruned50-ptq-tflite-int8.tflite\n")


def test_a_file_that_fails_its_check_is_reported_with_the_runtimes_name(window, qtbot):
    from edgeling.gui.pages.export import failed_check_words

    window.pages["home"].create_button.click()
    page = window.pages["export"]
    result = {"path": "/p/exports/run-001-ptq-onnx-int8.onnx", "status": "failed", "format": "onnx-int8",
              "verification": {"passed": False, "runtime": "onnxruntime", "agreement": 0.98, "num_samples": 100,
                               "changes_allowed": 3, "accuracy_loss_samples": 2, "accuracy_loss": 0.02,
                               "accuracy_loss_allowed": 0.01,
                               "failures": ["loses 2.00 points of accuracy (2 of 100 test samples; at most 1 "
                                            "allowed)"]}}
    # the limit it failed, not the one it met (the review: "... (at most 3 may differ)" read as a pass)
    said = ("run-001-ptq-onnx-int8.onnx was not written: in its check, the file got 2 more of the 100 test samples "
            "wrong than the model you trained (at most 1 may be). On the "
            "Compress page, make the run int8 with a short re-training (it keeps the answers closer to the "
            "model's), then export the new run. Or export another format instead, such as float TFLite or float "
            "ONNX.")
    assert failed_check_words(result) == said
    from edgeling.gui.pages.export_failure import why_words

    both = {**result["verification"], "agreement": 0.95, "accuracy_loss_samples": 2}
    assert why_words(both) == ("in its check, the file answered 5 of the 100 test samples differently from the model "
                               "you trained (at most 3 may differ), and got 2 more of them wrong (at most 1 may be)")
    changes = {**both, "accuracy_loss_samples": 1}              # only the changes over their limit
    assert why_words(changes).endswith("(at most 3 may differ), and got 1 more of them wrong")
    assert failed_check_words({"error": {"message": "x"}}) is None and failed_check_words(None) is None
    page._cli.last_output = result
    page._out = Path("/p/exports/run-001-ptq-onnx-int8.onnx")
    page._on_failed("The step failed (Export FAILED verification in onnxruntime; ...).", "details")
    assert close_error_dialogs(qtbot) == []             # said once, on the page
    assert page.status.text() == said
    assert "in ONNX Runtime" in page.check_details.text.text() and "loses 2.00 points" in \
        page.check_details.text.text()


# --- compressions in plain words --------------------------------------------------------------------------


def test_passes_are_named_in_plain_words():
    from edgeling.gui.widgets.run_picker import compressed_words, passes_in_words, run_label

    assert passes_in_words(["prune", "ptq"]) == "pruned, int8"
    assert passes_in_words(["distill", "qat"]) == "distilled, int8 with re-training"
    assert passes_in_words([KEPT_ALONE]) == "smaller network trained alone, as it beat the distilled one"
    assert passes_in_words(["something new"]) == "something new"
    assert compressed_words([]) == " (compressed)"
    assert run_label({"id": "run-002-pruned50-ptq", "compressed_from": "runs/run-002", "passes": ["prune", "ptq"],
                      "best": {"accuracy": 1.0}}) == "run-002-pruned50-ptq (compressed: pruned, int8) — test accuracy 100.0%"


def test_the_train_table_names_a_compression_in_plain_words(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    folder = project.runs_dir / "run-002-pruned50-ptq"
    folder.mkdir(parents=True)
    (folder / RUN_FILE).write_text("{}")
    project.add_run(folder, status="finished", compressed_from="runs/run-002", passes=["prune", "ptq"])
    window.state.edited()
    window.show_page("train")
    train = window.pages["train"]
    train._refresh_runs()
    assert train.runs.item(0, 1).text() == "finished (compressed: pruned, int8)"
