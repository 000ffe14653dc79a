"""The Export page for a Raspberry Pi: it says when the export wrote ``edgeling_run.py`` beside the file (the
speech walk: nothing on the page told her the script was there, or what it is for), and it offers the C header
only as a file for microcontrollers, not ticked."""

from __future__ import annotations

from tests.gui.test_vineyard_walk import add_run


def _export_with(page, project, results: dict) -> list[list[str]]:
    """Press Export with the CLI answering ``results[format]`` at once (no child process); the commands asked."""
    asked = []

    def start(args):
        asked.append(args)
        fmt, out = args[args.index("--format") + 1], args[args.index("--out") + 1]
        out_path = project.exports_dir / out.rsplit("/", 1)[-1]
        out_path.write_bytes(b"model")
        res = {"path": str(out_path), "format": fmt, "size_bytes": 5,
               "verification": {"passed": True, "agreement": 1.0}, **results.get(fmt, {})}
        page._on_result(res)

    page._cli.start = start
    page._on_export()
    return asked


def test_a_pi_export_says_edgeling_run_py_was_written_and_the_c_header_is_for_microcontrollers(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-001", device="raspberry-pi-4")
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    header = page.checks["c-header"]
    assert not header.isChecked() and header.isEnabled()
    assert "microcontrollers" in header.text()
    assert page.checks["tflite-int8"].isChecked() and page.checks["onnx"].isChecked()

    runner = str(project.exports_dir / "edgeling_run.py")
    asked = _export_with(page, project, {"tflite-int8": {"runner": runner}, "onnx": {"runner": runner}})
    assert len(asked) == 2
    note = page.runner_note
    assert note.isVisibleTo(page)
    said = note.text()
    assert said.startswith("edgeling_run.py was written beside Untitled-project-run-001-int8.tflite and "
                           "Untitled-project-run-001.onnx")
    assert "Raspberry Pi 4" in said and "only Python" in said and "'Run it in Python'" in said

    page.checks["onnx"].setChecked(False)          # an export that wrote no script: the line goes
    _export_with(page, project, {})
    assert not note.isVisibleTo(page) and page.status.text().startswith("Export finished")


def test_a_microcontroller_keeps_the_c_header_ticked_and_gets_no_runner_line(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-001", device="esp32-s3")
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    assert page.checks["c-header"].isChecked() and page.checks["c-header"].text() == "C header for TFLite Micro"
    _export_with(page, project, {})
    assert not page.runner_note.isVisibleTo(page)
