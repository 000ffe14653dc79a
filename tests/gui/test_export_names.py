"""The files the Export page writes are named after the project and the run (the shop walk: the app offered
"run-001-onnx.onnx", which says neither what the model is for nor anything a person would look for)."""

from __future__ import annotations

from pathlib import Path

from tests.gui.test_export_runner_note import _export_with
from tests.gui.test_vineyard_walk import add_run


def test_exports_are_named_after_the_project_and_the_run(window):
    window.pages["home"].name_edit.setText("Retours")
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-001", device="esp32-s3")
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    for box in page.checks.values():
        box.setChecked(True)
    asked = _export_with(page, project, {})
    names = {a[a.index("--format") + 1]: Path(a[a.index("--out") + 1]).name for a in asked}
    assert names == {"tflite-int8": "Retours-run-001-int8.tflite", "tflite": "Retours-run-001.tflite",
                     "onnx": "Retours-run-001.onnx", "onnx-int8": "Retours-run-001-int8.onnx",
                     "c-header": "Retours_run_001.h"}
    assert sorted(page.table.item(r, 0).text() for r in range(page.table.rowCount())) == sorted(names.values())


def test_a_project_name_with_accents_and_spaces_still_gives_a_c_name_for_the_header():
    from edgeling.gui.pages.export_words import export_file_name

    assert export_file_name("Retours été 2024", "run-002-ptq", "c-header", ".h") == "Retours_ete_2024_run_002_ptq.h"
    assert export_file_name("Retours été", "run-002-ptq", "tflite-int8", ".tflite") == \
        "Retours-été-run-002-ptq-int8.tflite"
