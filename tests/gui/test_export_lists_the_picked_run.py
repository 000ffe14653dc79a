"""The vineyard walk, Export page at 1024 x 700 with run-001 picked: the table listed run-001-ptq's two files,
with no way to tell which run each file was from. The table lists the picked run's files, and the line over it
says whose they are and how many other runs' files there are (listed when their run is picked)."""

from __future__ import annotations

from tests.gui.test_export_for_a_pi import exported
from tests.gui.test_vineyard_walk import add_run


def run_and_its_ptq(window):
    """A new project at 1024 x 700 with run-001 and run-001-ptq made int8 from it, both for the ESP32-S3."""
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-001", device="esp32-s3")
    add_run(project, "run-001-ptq", device="esp32-s3", compressed_from="runs/run-001", passes=["ptq"])
    return project


def test_the_table_lists_the_picked_runs_files(window, qtbot):
    project = run_and_its_ptq(window)
    exported(project, "Vigne-2026-run-001-ptq-int8.tflite", "tflite-int8", "esp32-s3")
    exported(project, "Vigne_2026_run_001_ptq.h", "c-header", "esp32-s3")
    for e in project.exports:
        e["run"] = "run-001-ptq"
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))
    qtbot.wait(20)
    assert page.table.rowCount() == 0
    said = page.files_of.text()
    assert page.files_of.isVisible()
    assert said == "No file exported from run-001 yet (run-001-ptq's 2 files: listed when its run is picked above)."
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001-ptq"))
    qtbot.wait(20)
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == [
        "Vigne-2026-run-001-ptq-int8.tflite", "Vigne_2026_run_001_ptq.h"]
    assert page.files_of.text() == "Files exported from run-001-ptq:"
    assert page.files_of.geometry().bottom() <= page.table.geometry().top()     # over the table, in view
