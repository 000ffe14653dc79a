"""The vineyard walk: labels.csv of a folder of photos, chosen on its own ("Choose a CSV file…"), gave an error
box saying "Choose the folder…", a status line saying "Choose the column to predict below", and a box offering
diagnosis / file where picking one did nothing. Core now fails such an import with the code LABEL_SHEET_CHOSEN;
the Data page reads the sheet's folder instead and says so in its status line: no error box, no column offered
from the sheet as a table."""

from __future__ import annotations

from pathlib import Path

from edgeling.gui.pages.data_options import CHOOSE_COLUMN
from tests.gui.conftest import close_error_dialogs
from tests.gui.test_data_sheet_column import sheet_folder


def test_a_label_sheet_chosen_alone_reads_its_folder(window, qtbot, tmp_path):
    folder = sheet_folder(tmp_path / "flat")
    window.pages["home"].create_button.click()
    window.show_page("data")
    page = window.pages["data"]
    said = []
    set_text = page.status.setText
    page.status.setText = lambda text: (said.append(text), set_text(text))
    with qtbot.waitSignal(page.sig_imported, timeout=20000):     # before: no import, an error box
        page._on_path_chosen(str(folder / "labels.csv"))     # as "Choose a CSV file…" does
    qtbot.wait(50)
    assert close_error_dialogs(qtbot) == []
    ds = window.state.dataset
    assert ds.kind == "images" and Path(ds.root).resolve() == folder.resolve()
    assert any(t.startswith("labels.csv is the list of labels of its folder: reading the folder flat")
               for t in said), said
    assert not any("column to predict" in t.lower() for t in said), said
    status = page.status.text()
    assert status.startswith("labels.csv is the list of labels of its folder, so the folder flat was read. "), status
    assert "12 pictures" in status, status
    assert page._failed_table is None and page.last_error == ""
    box = page.target_box
    items = [box.itemText(i) for i in range(box.count())]
    assert CHOOSE_COLUMN not in items and "file" not in items and items == ["Reihe", "Befund"]
    project = window.state.project
    assert Path(project.data["path"]).resolve() == folder.resolve() and project.data["kind"] == "images"

