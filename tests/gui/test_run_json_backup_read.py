"""The app's pages read a run's settings as core does: run.json, or its backup copy when run.json is damaged
(the review: the terminal used the backup, but the Export page then ticked formats for the project's device,
not the run's, and other pages read nothing)."""

from __future__ import annotations


def test_the_export_page_finds_the_run_s_device_in_the_backup(window, tmp_path):
    from edgeling.core import runs
    from tests.gui.test_vineyard_walk import add_run

    window.pages["home"].create_button.click()
    project = window.state.project
    project.update(device="this-computer")
    add_run(project, "run-001", device="raspberry-pi-4")
    folder = project.runs_dir / "run-001"
    runs.write_config(folder, runs.read_json(folder / runs.RUN_FILE))      # as training writes it: with a copy
    (folder / runs.RUN_FILE).write_text('{"status": "fini')               # then cut short
    page = window.pages["export"]
    window.show_page("export")
    assert page.runs.run_folder() == folder
    assert page.run_device_id() == "raspberry-pi-4"
