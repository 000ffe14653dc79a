"""What a press of "Export and check" said is of the run it exported (walk 6: "Export finished." stayed on
screen above "No file exported from run-001 yet" once run-001 was picked after exporting run-001-ptq): hidden
while another run is picked, shown again when that run is picked back."""

from __future__ import annotations

from tests.gui.test_export_lists_the_picked_run import run_and_its_ptq


def test_export_finished_is_said_only_under_the_run_it_exported(window, qtbot):
    run_and_its_ptq(window)
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001-ptq"))
    started = []
    page._cli.start = lambda args: started.append(args) or True
    for fmt, box in page.checks.items():
        box.setChecked(fmt == "tflite-int8")
    page._on_export()
    assert started and "runs/run-001-ptq" in started[0][1].replace("\\", "/")
    page._cli.sig_result.emit({"path": str(page._out), "format": "tflite-int8", "size_bytes": 5,
                               "verification": {"passed": True, "agreement": 1.0, "accuracy": 0.9}})
    qtbot.wait(20)
    assert page.status.text() == "Export finished." and page.status.isVisible()

    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))
    qtbot.wait(20)
    assert page.files_of.text().startswith("No file exported from run-001 yet")
    assert not page.status.isVisible()       # nothing was exported from the run shown

    page.runs.setCurrentIndex(page.runs.findData("runs/run-001-ptq"))
    qtbot.wait(20)
    assert page.status.isVisible() and page.status.text() == "Export finished."
