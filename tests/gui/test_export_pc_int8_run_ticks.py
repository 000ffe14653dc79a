"""The upgrade walk, on a project for this computer (a PC) after an int8 compression made in the app: the Export
page said "float ONNX is ticked at first", but float ONNX was greyed out (a run only made int8 has no float
model of its own) and nothing was ticked; "Export and check" then said "Tick at least one format to export."
with "The log is in …". The words, the ticks and the greyed formats now agree, and a missing tick is a plain
note without the log."""

from __future__ import annotations

from edgeling.core.project import create_project
from tests.gui.test_vineyard_walk import add_run, messages, ticked, vine_window  # noqa: F401


def pc_project(tmp_path):
    project = create_project("Orders", tmp_path / "Orders")
    project.update(data={"path": str(tmp_path / "orders.csv"), "kind": "table", "options": {}},
                   device="this-computer")
    add_run(project, "run-001", device="this-computer")
    add_run(project, "run-001-ptq", device="this-computer", compressed_from="runs/run-001", passes=["ptq"])
    project.save()
    return project


def _ptq_run_on_export(window, tmp_path):
    """The Export page of the reopened PC project, with run-001-ptq (only made int8) picked."""
    project = pc_project(tmp_path)
    assert window.open_project(str(project.folder))
    window.show_page("export")
    page = window.pages["export"]
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001-ptq"))
    return page


def test_a_pcs_int8_run_ticks_what_it_can_give_and_says_so(vine_window, tmp_path):  # noqa: F811
    page = _ptq_run_on_export(vine_window, tmp_path)
    assert ticked(page) == {"tflite-int8"}
    assert all(page.checks[f].isEnabled() for f in ticked(page))
    for fmt in ("onnx", "tflite"):
        assert not page.checks[fmt].isEnabled() and "its float model is run-001's" in page.checks[fmt].toolTip()
    note = page.device_note.text()
    assert page.device_note.isVisible() and "float ONNX is ticked at first" not in note
    assert "int8 TFLite is ticked at first" in note and "greyed out" in note
    assert page.float_note.isVisible() and "run-001-ptq was only made int8" in page.float_note.text()

    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))     # its own float model: float ONNX, as said
    assert ticked(page) == {"onnx"} and "float ONNX is ticked at first" in page.device_note.text()
    assert not page.float_note.isVisible()


def test_nothing_ticked_is_a_plain_note_without_the_log(vine_window, tmp_path):  # noqa: F811
    from edgeling.gui.qt import QApplication, QMessageBox

    page = _ptq_run_on_export(vine_window, tmp_path)
    for box in page.checks.values():
        box.setChecked(False)
    page.export_button.click()
    boxes = [b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox) and b.isVisible()]
    assert len(boxes) == 1
    assert "The log is in" not in boxes[0].informativeText() and "The log is in" not in boxes[0].text()
    assert boxes[0].icon() == QMessageBox.Icon.Information
    said = messages(vine_window)
    assert said and said[0].startswith("Tick at least one format above to export;")
    assert "float TFLite and float ONNX are greyed out, as run-001-ptq cannot give them" in said[0]
