"""The speech walk (finding 4): after reopening a project planned for a Raspberry Pi 4, the Model page called its
storage "flash" (column header, and "Flash bars: against the 22.4 GB of flash.") while the ★ sentence above said
"storage": the kept plan was shown before the device list was read, so the page knew nothing of the device. The
device is now read from the catalogue when the list has not come yet."""

from __future__ import annotations

from edgeling.core.project import create_project
from edgeling.gui.pages.model_plan import plan_key
from tests.gui.test_model_page_pi import plan_for


def test_a_reopened_pi_plan_says_storage(window, tmp_path):
    project = create_project("words", tmp_path / "words")
    project.update(data={"path": str(tmp_path / "clips"), "kind": "audio", "options": {}}, device="raspberry-pi-4")
    project.set_ui("plans", [{"for": plan_key(project), "plan": plan_for("raspberry-pi-4")}])
    project.save()
    assert window.open_project(str(project.folder))
    window.show_page("model")
    page = window.pages["model"]
    assert page.table.rowCount() == 1
    assert page.table.horizontalHeaderItem(3).text() == "storage"
    note = page.limits_note.text()
    assert "Storage bars: against the 22.4 GB of storage available for the model (29.8 GB in all, less 25%" in note
    assert "flash" not in note.lower()
    assert "storage" in page.table.cellWidget(0, 3).toolTip()
    page.leave_project()


def test_a_device_named_with_brackets_gets_no_second_pair():
    """The GUI fixer's look: "on Raspberry Pi 4 Model B (4 GB) (4 GB in all, ...)"."""
    from edgeling.gui.pages.model_limits import plan_limits

    plan = {"budget": {"ram_bytes": 3 * 2**30, "flash_bytes": 22 * 2**30}}
    device = {"name": "Raspberry Pi 4 Model B (4 GB)", "ram_bytes": 4 * 2**30, "flash_bytes": 30 * 2**30,
              "kind": "sbc"}
    said = plan_limits(plan, device)["ram_tip"]
    assert "Model B (4 GB); 4 GB in all, less what the rest" in said and ") (" not in said
