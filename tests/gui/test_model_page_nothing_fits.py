"""A device nothing fits (the robustness walk): "Find networks that fit" left the table empty under "Press 'Find
networks that fit'…", the reason only in a dialog. The reason (core's message) now stands on the page."""

from __future__ import annotations

from edgeling.core.project import create_project
from tests.gui.conftest import close_error_dialogs

WHY = ("No network fits ESP32-S3 for these 1 s clips: the smallest needs 410 KB of RAM and 320 KB is free. "
       "Choose a device with more memory, or try shorter clips.")


def test_the_reason_nothing_fits_is_said_on_the_page(window, qtbot, tmp_path):
    project = create_project("hive", tmp_path / "hive")
    project.update(data={"path": str(tmp_path / "clips"), "kind": "audio", "options": {}}, device="esp32-s3")
    project.save()
    assert window.open_project(str(project.folder))
    window.show_page("model")
    page = window.pages["model"]
    asked = []
    page._plan_cli.start = lambda args: asked.append(args) or True
    page.plan_button.click()
    assert asked and asked[-1][0] == "plan"
    page._plan_cli.last_output = {"error": {"message": WHY, "exit_code": 2}}
    page._plan_cli.sig_failed.emit(WHY, "")
    assert page.table.rowCount() == 0
    assert page.explanation.text() == WHY and "Press" not in page.explanation.text()
    assert page.plan_button.isEnabled()
    close_error_dialogs(qtbot)
