"""The walks: the GUI said file paths where names would do. The Data page's status line began
"/work/main/resources/samples/digits: …", the status bar said "Saved /tmp/…/Sample-words/project.json" after
every change, and the Home page's recent list showed each project's full path, behind a sideways scroll bar at
1024 px. They say names now; the full paths are in tooltips."""

from __future__ import annotations

from edgeling.core.project import create_project
from edgeling.gui.qt import QApplication
from tests.gui.test_main_window import pump_imported


def test_the_data_status_says_the_folder_s_name(window, qtbot):
    page = pump_imported(window, qtbot)
    root = window.state.dataset.root
    assert page.status.text().startswith("pump: ") and str(root) not in page.status.text()
    assert page.status.toolTip() == str(root)


def test_the_status_bar_says_saved_and_the_project_s_name(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    project.device = "esp32-s3"
    window.state.edited()
    assert window.save_project()
    said = window.statusBar().currentMessage()
    assert said == f"Saved {project.name}" and str(project.folder) not in said
    assert str(project.folder) in window.statusBar().toolTip()


def test_the_recent_list_needs_no_sideways_scroll_at_1024(window, tmp_path):
    window.resize(1024, 700)
    deep = tmp_path / "a-long-folder-name-for-projects" / "kept-here-by-the-lab" / "another-level-down"
    for i in range(3):
        create_project(f"Project {i}", deep / f"project-number-{i}-with-a-long-folder-name")
    create_project("Project 0", tmp_path / "elsewhere" / "p0")       # the same name in another place
    home = window.pages["home"]
    home.refresh()
    QApplication.processEvents()
    texts = [home.recent_list.item(i).text() for i in range(home.recent_list.count())]
    assert "Project 1" in texts and not any(str(tmp_path) in t for t in texts)
    assert "Project 0  (elsewhere/p0)" in texts                       # told apart by their folders
    assert "Project 0  (another-level-down/project-number-0-with-a-long-folder-name)" in texts
    assert home.recent_list.horizontalScrollBar().maximum() == 0
