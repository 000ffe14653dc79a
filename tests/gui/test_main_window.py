"""The window: navigation, projects (new, autosave, reopen as left, damaged file), bad data folders."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from edgeling.core.project import create_project, load_project
from tests.gui.conftest import close_error_dialogs


def make_images(root, classes=("cats", "dogs"), n=6):
    rng = np.random.default_rng(0)
    for cls in classes:
        (root / cls).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            Image.fromarray((rng.random((10, 10, 3)) * 255).astype("uint8")).save(root / cls / f"{i}.png")
    return root


def wait_imported(qtbot, window):
    qtbot.waitUntil(lambda: not window.pages["data"].importing, timeout=60000)


def reopen_project(qtbot, window):
    """The window's project saved, the window closed, and the project opened in a new main window at 1024x700,
    its data imported again: what a user who quits and comes back sees."""
    from edgeling.gui.app import create_main_window

    project = window.state.project
    project.save()
    window.close()
    again = create_main_window()
    qtbot.addWidget(again)
    again.resize(1024, 700)
    again.show()
    assert again.open_project(str(project.folder))
    wait_imported(qtbot, again)
    return again

def choose_column(page, qtbot, window, name: str) -> None:
    """Pick ``name`` in the Data page's 'Column to predict' as a user does, and wait for the import."""
    i = page.target_box.findText(name)
    assert i > 0, name
    page.target_box.setCurrentIndex(i)
    page.target_box.activated.emit(i)
    wait_imported(qtbot, window)

def pump_imported(window, qtbot):
    """A new project with the bundled pump recordings imported; the Data page."""
    from pathlib import Path

    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(Path(__file__).resolve().parents[2] / "resources" / "samples" / "pump"))
    wait_imported(qtbot, window)
    return page




def test_pages_need_a_project_and_keyboard_shortcuts_navigate(window, qtbot):
    assert window.current_page().key == "home"
    assert not window.show_page("train")                 # disabled until a project is open
    assert window.current_page().key == "home"
    window.pages["home"].name_edit.setText("Leaves")
    qtbot.keyClick(window.pages["home"].name_edit, "\r")
    assert window.state.project.name == "Leaves"
    assert window.current_page().key == "data"
    for action in window.actions():
        if action.shortcut().toString() == "Ctrl+4":
            action.trigger()
    assert window.current_page().key == "train"


def test_import_autosave_and_reopen_exactly_as_left(window, qtbot, tmp_path):
    data = make_images(tmp_path / "photos")
    window.pages["home"].name_edit.setText("Pets")
    window.pages["home"].create_button.click()
    project = window.state.project
    window.pages["data"].import_path(str(data))
    wait_imported(qtbot, window)
    ds = window.state.dataset
    assert ds is not None and ds.num_samples == 12
    assert window.pages["data"].chart.counts == {"cats": 6, "dogs": 6}
    assert window.pages["data"].preview.count() == 12          # thumbnails, per class
    assert window.pages["data"].report.texts()                 # findings listed (too few samples)
    window.show_page("train")
    qtbot.waitUntil(lambda: load_project(project.folder).ui.get("page") == "train", timeout=5000)
    saved = load_project(project.folder)
    assert saved.data["path"] == str(data) and saved.data["kind"] == "images"
    window.close()

    from edgeling.gui.app import create_main_window

    again = create_main_window()
    qtbot.addWidget(again)
    assert again.open_project(str(project.folder))
    assert again.current_page().key == "train"
    wait_imported(qtbot, again)                                # the data is reopened (from the cache)
    assert again.state.dataset.num_samples == 12
    again.close()


def test_corrupted_project_file_shows_a_message_and_the_app_stays_usable(window, qtbot, tmp_path):
    p = create_project("Shop", tmp_path / "shop")
    p.update(device="this-computer")
    p.save()
    p.file.write_text("{ not json", encoding="utf-8")
    assert not window.open_project(str(p.folder))
    texts = []
    from edgeling.gui.qt import QApplication, QMessageBox

    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and "damaged" in boxes[0].text() and str(p.file) in boxes[0].text()
    backup = [b for b in boxes[0].buttons() if b.text() == "Open the backup copy"]
    assert backup, "the dialog offers the backup copy"
    backup[0].click()
    texts = close_error_dialogs(qtbot)
    assert window.state.project is not None and window.state.project.device == "this-computer"
    assert not any("damaged" in t for t in texts)
    window.show_page("home")                                   # still usable: navigate, create
    window.pages["home"].name_edit.setText("Fresh")
    window.pages["home"].create_button.click()
    assert window.state.project.name == "Fresh"


def test_a_folder_of_broken_files_gives_a_clear_message(window, qtbot, tmp_path):
    bad = tmp_path / "broken"
    for cls in ("a", "b"):
        (bad / cls).mkdir(parents=True)
        for i in range(3):
            (bad / cls / f"{i}.png").write_text("this is not a picture", encoding="utf-8")
    window.pages["home"].create_button.click()
    window.pages["data"].import_path(str(bad))
    wait_imported(qtbot, window)
    texts = close_error_dialogs(qtbot)
    report = window.pages["data"].report.texts()
    # Either the import is refused with a message naming the folder, or each file is reported.
    assert texts or report
    if texts:
        assert str(bad) in texts[0] and "traceback" not in texts[0].lower()
        assert window.state.dataset is None
    else:
        assert "error" in window.pages["data"].report.severities()
    # The app stays usable: a good folder imports afterwards.
    window.pages["data"].import_path(str(make_images(tmp_path / "good")))
    wait_imported(qtbot, window)
    assert window.state.dataset is not None and window.state.dataset.num_samples == 12


def test_an_empty_folder_is_a_plain_message(window, qtbot, tmp_path):
    (tmp_path / "empty").mkdir()
    window.pages["home"].create_button.click()
    window.pages["data"].import_path(str(tmp_path / "empty"))
    wait_imported(qtbot, window)
    texts = close_error_dialogs(qtbot)
    assert texts and "empty" in texts[0]
    assert window.pages["data"].last_error == texts[0]


def test_samples_open_as_new_projects(window, qtbot, tmp_path):
    make_images(tmp_path / "samples" / "digits", classes=("zero", "one"))
    window.pages["home"].refresh()
    item = window.pages["home"].sample_list.item(0)
    assert item.text().startswith("digits")
    window.pages["home"]._on_sample_activated(item)
    assert window.state.project.name == "Sample digits"
    wait_imported(qtbot, window)
    assert window.state.dataset.class_names == ["one", "zero"] or window.state.dataset.num_classes == 2
    assert window.pages["home"].recent_list.count() >= 1


def test_a_sample_folder_holding_one_table_opens_the_table(window, qtbot, tmp_path):
    (tmp_path / "samples" / "orders").mkdir(parents=True)
    rows = ["amount;shop;returned"] + [f"{(i % 7) * 10};{'A' if i % 3 else 'B'};{'yes' if i % 2 else 'no'}"
                                       for i in range(30)]
    (tmp_path / "samples" / "orders" / "orders.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    window.pages["home"].refresh()
    item = window.pages["home"].sample_list.item(0)
    assert item.text().startswith("orders")
    window.pages["home"]._on_sample_activated(item)
    assert window.state.project.name == "Sample orders"
    wait_imported(qtbot, window)
    assert window.state.dataset is not None and window.state.dataset.kind == "table"


def test_table_column_to_predict_can_be_changed(window, qtbot, tmp_path):
    csv = tmp_path / "orders.csv"
    rows = ["amount;country;returned"] + [f"{10 + i};{'FR' if i % 2 else 'DE'};{'yes' if i % 3 else 'no'}"
                                         for i in range(40)]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(csv))
    wait_imported(qtbot, window)
    assert window.state.dataset.meta["target"] == "returned"
    assert page.preview.objectName() == "tablePreview" and page.target_box.isVisibleTo(window)
    choose_column(page, qtbot, window, "country")
    assert window.state.dataset.meta["target"] == "country"
    assert window.state.dataset.class_names == ["DE", "FR"]
    assert window.state.project.data["options"] == {"target": "country"}


def test_a_table_whose_last_column_cannot_be_predicted_offers_the_other_columns(window, qtbot, tmp_path):
    """The last column (a free-text comment, two rows alike, so it is not passed over as a different text in
    every row) is taken by default and cannot be predicted: the import fails with a message, and the page
    offers the table's columns so the user can pick the one to predict (before, the box stayed hidden and
    the app had no way to choose)."""
    from edgeling.gui.pages.data_options import CHOOSE_COLUMN

    csv = tmp_path / "commandes.csv"
    rows = ["montant;pays;retourné;commentaire"] + [
        f"{(7 * i) % 13};{'FR' if i % 2 else 'BE'};{'oui' if i % 3 else 'non'};note {i % 39}" for i in range(40)]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(csv))
    qtbot.waitUntil(lambda: not page.importing, timeout=60000)
    texts = close_error_dialogs(qtbot)
    assert texts and "no groups to learn" in texts[0] and "'Column to predict'" in texts[0]
    assert window.state.dataset is None and page.target_box.isVisibleTo(window)
    assert [page.target_box.itemText(i) for i in range(page.target_box.count())] == [
        CHOOSE_COLUMN, "retourné", "pays", "montant"]
    assert "Choose the column to predict below" in page.status.text()
    choose_column(page, qtbot, window, "retourné")
    assert window.state.dataset.meta["target"] == "retourné"
    assert window.state.dataset.class_names == ["non", "oui"]
    assert window.state.project.data["options"] == {"target": "retourné"}


def test_sensor_windows_can_be_set_on_the_data_page(window, qtbot):
    """The CLI has --window / --stride; the app had no way to choose them. The Data page shows the window and
    step the import used, and a new value cuts the recordings again (and is kept in the project)."""
    page = pump_imported(window, qtbot)
    ds = window.state.dataset
    assert page.window_box.isVisibleTo(window) and page.window_box.value() == pytest.approx(ds.meta["window_s"])
    before = ds.num_samples
    page.stride_box.setValue(round(float(ds.meta["stride_s"]) * 2, 2))
    page.stride_box.editingFinished.emit()
    qtbot.waitUntil(lambda: window.state.dataset is not ds and not page.importing, timeout=60000)
    assert window.state.dataset.meta["stride_s"] == pytest.approx(round(float(ds.meta["stride_s"]) * 2, 2))
    assert window.state.dataset.num_samples < before
    assert window.state.project.data["options"]["stride_s"] == pytest.approx(round(float(ds.meta["stride_s"]) * 2, 2))
    assert "a new window every" in page.status.text()


def test_a_failing_table_chosen_after_other_data_offers_its_own_columns(window, qtbot, tmp_path):
    """Pump recordings first, then a table whose last column cannot be predicted: the column picked must
    read that table (it re-read the pump folder: "… is a folder. To open a table, choose the CSV file itself"),
    and the pump data is not shown beside the failed table."""
    from pathlib import Path

    pump = Path(__file__).resolve().parents[2] / "resources" / "samples" / "pump"
    csv = tmp_path / "plants.csv"
    csv.write_text("height;leaf;species;comment\n" + "".join(
        f"{(7 * i) % 13};{'rs'[i % 2]};{'ab'[i % 3 % 2]};note {i % 39}\n" for i in range(40)), encoding="utf-8")
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(pump))
    wait_imported(qtbot, window)
    page._on_path_chosen(str(csv))              # what choosing or dropping a file does
    qtbot.waitUntil(lambda: not page.importing, timeout=60000)
    assert close_error_dialogs(qtbot) and window.state.dataset is None
    assert not page.window_box.isVisibleTo(window)
    choose_column(page, qtbot, window, "species")
    assert not close_error_dialogs(qtbot)
    assert window.state.dataset.kind == "table" and window.state.dataset.meta["target"] == "species"
    assert window.state.project.data["options"] == {"target": "species"}


def test_a_window_that_does_not_work_is_not_kept(window, qtbot):
    """30 s windows on recordings shorter than that fail: the project keeps the windows that worked (it kept
    30 s, so training failed later), the page says the data shown is still the last import's, and the boxes
    show its values again."""
    page = pump_imported(window, qtbot)
    ds = window.state.dataset
    page.window_box.setValue(300.0)
    page.window_box.editingFinished.emit()
    qtbot.waitUntil(lambda: not page.importing, timeout=60000)
    texts = close_error_dialogs(qtbot)
    assert texts and "shorter than one window" in texts[0]
    assert window.state.dataset is ds and "window_s" not in (window.state.project.data.get("options") or {})
    assert page.window_box.value() == pytest.approx(ds.meta["window_s"])
    assert "That setting could not be used" in page.status.text() and "still the last import's" in page.status.text()


def test_an_import_still_running_when_another_project_opens_lands_in_neither(window, qtbot, tmp_path):
    """The first project's import finishes after the second project opened: the second keeps its own
    data (imported after it), and the first project's data is not written into it."""
    own = make_images(tmp_path / "own photos", classes=("leaf", "stem"))
    second = create_project("Second", str(tmp_path / "Second"))
    second.update(data={"path": str(own), "kind": "images", "options": {}})
    second.save()
    window.pages["home"].name_edit.setText("First")
    window.pages["home"].create_button.click()
    window.pages["data"].import_path(str(make_images(tmp_path / "first photos")))
    assert window.open_project(str(second.folder))        # while the first import is still running
    wait_imported(qtbot, window)
    qtbot.waitUntil(lambda: window.state.dataset is not None, timeout=60000)
    wait_imported(qtbot, window)
    assert window.state.project.name == "Second" and window.state.dataset.class_names == ["leaf", "stem"]
    assert load_project(second.folder).data["path"] == str(own)
    assert not close_error_dialogs(qtbot)


def test_a_project_open_in_another_window_is_not_opened_twice_without_asking(window, qtbot, tmp_path):
    from edgeling.core.project import LOCK_FILE
    from edgeling.gui.qt import QApplication, QMessageBox

    shared = create_project("Shared", str(tmp_path / "Shared"))
    (shared.folder / LOCK_FILE).write_text("1\n")          # another Edgeling window (a living process)
    assert not window.open_project(str(shared.folder))
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and "open in another Edgeling window" in boxes[0].text()
    assert window.state.project is None
    anyway = next(b for b in boxes[0].buttons() if b.text() == "Open it here anyway")
    anyway.click()
    close_error_dialogs(qtbot)
    assert window.state.project.folder == shared.folder
    assert (shared.folder / LOCK_FILE).read_text().split()[0] == str(__import__("os").getpid())
    window.close()
    assert not (shared.folder / LOCK_FILE).exists()       # released when the window closes


def test_home_reaches_every_project_in_the_projects_folder_and_forgets_missing_ones(window, qtbot, monkeypatch):
    """Projects beyond the recent list are listed from the default projects folder, "Open a project folder…"
    starts there, and greyed (moved or deleted) entries can be taken off the list."""
    import shutil

    from edgeling.core.project import projects_root
    from edgeling.core.recent_projects import forget_recent, recent_projects
    from edgeling.gui.qt import QFileDialog, Qt

    home = window.pages["home"]
    old = create_project("Old one")
    recent = create_project("Recent one")
    gone = create_project("Gone one")
    forget_recent(old.folder)                # fell off the recent list long ago
    shutil.rmtree(gone.folder)               # deleted in the file manager
    (projects_root() / "not-a-project").mkdir()
    home.refresh()
    rows = [(home.recent_list.item(i).text(), home.recent_list.item(i).data(Qt.ItemDataRole.UserRole),
             bool(home.recent_list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled))
            for i in range(home.recent_list.count())]
    assert rows == [("Gone one  (missing)", str(gone.folder), False),      # the names; the paths in tooltips
                    ("Recent one", str(recent.folder), True),
                    ("Other projects in Edgeling's projects folder:", None, False),
                    ("Old one", str(old.folder), True)]
    assert home.recent_list.item(1).toolTip().startswith(f"{recent.folder}\nLast saved ")
    assert home.recent_list.item(2).toolTip() == str(projects_root())

    home._on_recent_activated(home.recent_list.item(3))
    assert window.state.project is not None and window.state.project.folder == old.folder

    assert home.forget_button.isEnabled()
    home.forget_button.click()
    assert [r["path"] for r in recent_projects()] == [str(old.folder), str(recent.folder)]
    assert not home.forget_button.isEnabled()
    assert [home.recent_list.item(i).text() for i in range(home.recent_list.count())] == [
        "Old one", "Recent one"]

    asked = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: asked.append(a) or "")
    home.open_button.click()
    assert asked and asked[0][2] == str(projects_root())
