"""The GUI's own words said jargon (the walks): "Exporting tflite-int8 and checking it…" and the Export table's
format column ("tflite-int8", "c-header"), "samples/s" on the Train page. They say the format's plain name and
"samples a second" now. "RTOS" (the device catalogue's note on the
ESP32-S3) and "MACs" (the Compress table's row and note) are core's words, shared with the terminal: the GUI
says what they mean in a tooltip."""

from __future__ import annotations

from edgeling.core.jobs.events import BatchEnd
from edgeling.gui.pages.plain_terms import jargon_tip
from tests.gui.test_evaluate_details import export_two_formats, make_export, make_run
from tests.gui.test_model_page_limits import plan_shown
from tests.gui.test_pages import METRICS


def test_the_export_status_says_the_format_s_plain_name(window):
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-001", METRICS, {"samples": []})
    window.state.edited()
    export, started = export_two_formats(window)
    assert started == ["tflite-int8"]
    assert export.status.text() == "Exporting int8 TFLite and checking it…"


def test_the_train_page_says_samples_a_second(window):
    window.pages["home"].create_button.click()
    page = window.pages["train"]
    page._epochs_total = 3
    page._on_event(BatchEnd(0, 1, 4, {"loss": 0.5}, samples_per_s=1234.0, eta_s=30.0))
    assert page.eta.text().endswith("1,234 samples a second") and "/s" not in page.eta.text()


def test_macs_are_explained_in_tooltips_and_the_operating_system_in_words(window):
    page = plan_shown(window)
    assert "the board's operating system (FreeRTOS)" in page.limits_note.text()    # the catalogue's own words
    compress = window.pages["compress"]
    compress.show_table({"before": {"accuracy": 0.9, "macs": 2000}, "after": {"accuracy": 0.89, "macs": 1000}},
                        ["To really shrink flash, RAM and the work per answer, remove whole channels."])
    rows = [compress.table.item(r, 0) for r in range(compress.table.rowCount())]
    macs = next(i for i in rows if "MACs" in i.text())
    assert "multiplications and additions" in macs.toolTip()
    assert jargon_tip("accuracy", "flash") == ""


def test_the_export_table_says_the_formats_plain_names(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    make_run(project, "run-001", METRICS, {"samples": []})
    make_export(project, "m-int8.tflite", b"x" * 10, format="tflite-int8", run="run-001")
    make_export(project, "m.h", b"x" * 10, format="c-header", run="run-001")
    window.state.edited()
    window.show_page("export")
    table = window.pages["export"].table
    said = {table.item(r, 0).text(): table.item(r, 1) for r in range(table.rowCount())}
    assert said["m-int8.tflite"].text() == "int8 TFLite" and said["m.h"].text() == "C header"
    assert said["m-int8.tflite"].toolTip() == "TFLite, int8 (microcontrollers) (in the terminal: --format tflite-int8)"
