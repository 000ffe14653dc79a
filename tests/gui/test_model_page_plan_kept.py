"""The Model page's plan is kept with the project: a reopened project showed an empty table and a button to
press again (the plan took seconds in a child process each time). It now shows the candidates it had, with the
network the user chose among them, when the device and the data are as they were.

And a table of candidates was never judged against the wrong board: choosing another device left the table of
the first one up, its "fits" column saying yes or no for a board no longer chosen. The table now goes and the
networks are sized again for the new device; a plan that comes back after the device was changed is not shown."""

from __future__ import annotations

from edgeling.core.project import create_project, load_project
from edgeling.gui.pages.model_plan import plan_key
from tests.gui.test_model_page_limits import PLAN

TUTORIAL = {"arch": "tutorial_cnn", "knobs": {"width": 8}, "params": 3818, "ram_bytes": 5 * 1024,
            "flash_bytes": 7 * 1024, "latency_ms": 1.0, "fits": True}
PLAN3 = {**PLAN, "candidates": PLAN["candidates"] + [TUTORIAL]}


def _project(tmp_path, device="esp32-s3"):
    project = create_project("leaves", tmp_path / "leaves")
    project.update(data={"path": str(tmp_path / "photos"), "kind": "images", "options": {"image_size": 96}},
                   device=device)
    project.save()
    return project


def _open(window, folder):
    assert window.open_project(str(folder))
    window.show_page("model")
    return window.pages["model"]


def _planned(page, plan):
    """The plan as if ``edgeling plan`` had answered it for the project as it is."""
    page._planning_for = plan_key(page.state.project)
    page._on_plan_result(plan)


def _selected(page) -> list[int]:
    return sorted({i.row() for i in page.table.selectedIndexes()})


def test_a_reopened_project_shows_its_plan_with_the_network_chosen_in_it(window, tmp_path, monkeypatch):
    project = _project(tmp_path)
    page = _open(window, project.folder)
    assert page.table.rowCount() == 0
    _planned(page, PLAN3)
    assert page.table.rowCount() == 3 and _selected(page) == [0]            # the pick, chosen
    page.table.selectRow(2)                                                  # the user prefers tutorial_cnn
    assert window.state.project.model == {"arch": "tutorial_cnn", "knobs": {"width": 8}}
    window.state.project.save()
    [kept] = load_project(project.folder).ui["plans"]
    assert kept["for"]["device"] == "esp32-s3" and kept["plan"]["pick"]["arch"] == "mobilenet_v2"

    page = _open(window, project.folder)
    assert page.table.rowCount() == 3
    assert _selected(page) == [2]                                            # not the pick: what was chosen
    assert window.state.project.model == {"arch": "tutorial_cnn", "knobs": {"width": 8}}
    assert "Your choice: tutorial_cnn" in page.explanation.text()
    assert not window.state.project.dirty                                    # reopening changes nothing


def test_a_plan_for_other_data_or_another_device_is_not_shown_on_reopening(window, tmp_path, monkeypatch):
    project = _project(tmp_path)
    page = _open(window, project.folder)
    _planned(page, PLAN3)
    window.state.project.save()
    changed = load_project(project.folder)
    changed.update(data={**changed.data, "options": {"image_size": 64}})    # imported again, smaller pictures
    changed.save()
    page = _open(window, project.folder)
    assert page.table.rowCount() == 0 and "Find networks that fit" in page.explanation.text()


def test_choosing_another_device_sizes_the_networks_again(window, tmp_path, monkeypatch):
    project = _project(tmp_path)
    page = _open(window, project.folder)
    _planned(page, PLAN3)
    asked = []
    monkeypatch.setattr(page, "_on_plan", lambda: asked.append(plan_key(page.state.project)))
    page.device_box.setCurrentIndex(page.device_box.findData("arduino-nano-33-ble-sense"))
    assert page.table.rowCount() == 0 and page.plan is None                 # the ESP32-S3's table is gone
    assert asked and asked[-1]["device"] == "arduino-nano-33-ble-sense"    # and a plan for the Nano asked for
    page.device_box.setCurrentIndex(page.device_box.findData("esp32-s3"))  # back: the kept plan is its own
    assert page.table.rowCount() == 3 and len(asked) == 1


def test_each_device_tried_keeps_its_plan(window, tmp_path):
    project = _project(tmp_path)
    page = _open(window, project.folder)
    _planned(page, PLAN3)
    page.device_box.setCurrentIndex(page.device_box.findData("arduino-nano-33-ble-sense"))
    _planned(page, {**PLAN, "device": "arduino-nano-33-ble-sense"})
    assert page.table.rowCount() == 2
    page.device_box.setCurrentIndex(page.device_box.findData("esp32-s3"))     # compared a moment ago
    assert page.table.rowCount() == 3 and page.plan["device"] == "esp32-s3" and not page._plan_cli.running
    page.device_box.setCurrentIndex(page.device_box.findData("arduino-nano-33-ble-sense"))
    assert page.table.rowCount() == 2 and page.plan["device"] == "arduino-nano-33-ble-sense"
    assert [k["for"]["device"] for k in window.state.project.ui["plans"]] == ["arduino-nano-33-ble-sense",
                                                                             "esp32-s3"]


def test_a_plan_that_answers_after_the_device_changed_is_not_shown(window, tmp_path, monkeypatch):
    project = _project(tmp_path)
    page = _open(window, project.folder)
    page._planning_for = plan_key(page.state.project)                     # asked for the ESP32-S3 ...
    page.device_box.setCurrentIndex(page.device_box.findData("arduino-nano-33-ble-sense"))   # ... then changed
    asked = []
    monkeypatch.setattr(page, "_on_plan", lambda: asked.append(plan_key(page.state.project)))
    page._on_plan_result(PLAN3)
    assert page.table.rowCount() == 0 and "plans" not in window.state.project.ui
    assert asked and asked[-1]["device"] == "arduino-nano-33-ble-sense"


def test_a_plan_kept_for_other_files_in_the_folder_is_not_shown(tmp_path):
    """A kept plan was keyed on the device, the folder and the import options only: photos added to or deleted
    from the folder (a plan's size cap follows the number of samples) still showed the old table."""
    from edgeling.gui.pages.model_plan import keep_plan, stored_plan

    project = _project(tmp_path)
    project.data["files"] = "stamp-before"
    keep_plan(project, plan_key(project), PLAN3)
    assert stored_plan(project) == PLAN3
    project.data["files"] = "stamp-after"          # the Data page read the folder again: other files
    assert stored_plan(project) is None


def test_the_data_page_keeps_which_files_it_read(window, qtbot, tmp_path):
    from edgeling.core.data.cache import files_stamp
    from edgeling.core.resources import samples_dir
    from tests.gui.test_main_window import wait_imported

    window.pages["home"].create_button.click()
    window.pages["data"].import_path(str(samples_dir() / "pump"))
    wait_imported(qtbot, window)
    assert window.state.project.data["files"] == files_stamp(samples_dir() / "pump")
