"""An export whose helper process is killed (as out of memory kills it) and the Export page's Stop (the robustness
walk): the box said "The step failed (Exporting …)", the status line "the message says why" when it did not, and
the table "FAILED" as if the file had failed its check; there was no Stop while an export ran."""

from __future__ import annotations

import sys

import pytest

from tests.gui.conftest import close_error_dialogs
from tests.gui.test_evaluate_details import make_run
from tests.gui.test_pages import METRICS

KILLED = ("import os, signal, sys; sys.stderr.write('Exporting the run as onnx ...\\n'); sys.stderr.flush(); "
          "os.kill(os.getpid(), signal.SIGKILL)")
SLOW = "import sys, time; sys.stderr.write('Exporting the run as onnx ...\\n'); sys.stderr.flush(); time.sleep(60)"


def _export_page(window, monkeypatch, script: str, formats=("onnx",)):
    import edgeling.gui.cli_process as cli

    monkeypatch.setattr(cli, "cli_command", lambda args: (sys.executable, ["-c", script]))
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-001", METRICS, {"samples": []})
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    for fmt, box in page.checks.items():
        box.setChecked(fmt in formats)
        box.setEnabled(True)
    return page


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_export_says_it_did_not_finish_not_that_it_failed_its_check(window, qtbot, monkeypatch):
    page = _export_page(window, monkeypatch, KILLED)
    page._on_export()
    qtbot.waitUntil(lambda: not page._cli.running, timeout=20000)
    texts = close_error_dialogs(qtbot)
    assert len(texts) == 1
    assert "did not finish" in texts[0] and "memory" in texts[0] and "The step failed" not in texts[0]
    assert "Exporting" not in texts[0]
    status = page.status.text()
    assert "was not written: the export did not finish (its helper process was ended" in status
    assert "the message says why" not in status and "check" not in status
    cells = [page.table.item(r, 3).text() for r in range(page.table.rowCount())]
    assert cells == ["did not finish"]
    assert not page.stop_button.isEnabled() and page.export_button.isEnabled()


def test_stop_ends_the_export_under_way_and_skips_the_rest(window, qtbot, monkeypatch):
    page = _export_page(window, monkeypatch, SLOW, formats=("onnx", "tflite"))
    assert not page.stop_button.isEnabled()
    page._on_export()
    assert page._cli.running and page.stop_button.isEnabled() and not page.export_button.isEnabled()
    page.stop_button.click()
    assert not page._cli.running and page._queue == []
    assert page.status.text().startswith("Stopped: ") and "nor the 1 other format after it" in page.status.text()
    assert "earlier file of the same name" in page.status.text()
    assert page.export_button.isEnabled() and page.runs.isEnabled() and not page.stop_button.isEnabled()
    qtbot.wait(300)
    assert close_error_dialogs(qtbot) == []
