"""A float export of run-001-ptq (compressed: int8) wrote run-001's float model under run-001-ptq's name: int8
without re-training leaves the float weights as they were, and a float export writes them. The float formats
are greyed out for such a run, saying whose float model it is."""

from __future__ import annotations

from tests.gui.test_vineyard_walk import add_run, vine_project, vine_window  # noqa: F401


def test_the_float_formats_are_greyed_out_for_a_run_only_made_int8(vine_window, tmp_path):  # noqa: F811
    project = vine_project(tmp_path)
    add_run(project, "run-001-pruned50-ptq", compressed_from="runs/run-001", passes=["prune", "ptq"])
    project.save()
    assert vine_window.open_project(str(project.folder))
    vine_window.show_page("export")
    page = vine_window.pages["export"]
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001-ptq"))
    for fmt in ("tflite", "onnx"):
        box = page.checks[fmt]
        assert not box.isEnabled() and not box.isChecked()
        assert "its float model is run-001's" in box.toolTip() and "choose run-001 above" in box.toolTip()
    assert page.float_note.isVisible() and "run-001-ptq was only made int8" in page.float_note.text()
    assert page.checks["tflite-int8"].isEnabled()
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))            # the original: its own float model
    assert all(page.checks[f].isEnabled() for f in ("tflite", "onnx")) and not page.float_note.isVisible()
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001-pruned50-ptq"))   # pruned: float weights of its own
    assert all(page.checks[f].isEnabled() for f in ("tflite", "onnx"))
