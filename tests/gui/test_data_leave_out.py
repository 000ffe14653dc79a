"""The shop re-walk: core can leave out columns the model must not read (ImportOptions.leave_out, CLI
--leave-out), but the Data page had no way to choose them. "Columns the model reads…" lists the table's
columns (not the one to predict) to untick; the table is read again with options["leave_out"], kept in the
project, and the finding "Left out as you asked: ..." shows."""

from __future__ import annotations

from pathlib import Path

from edgeling.gui.pages.data_leave_out import LeaveOutDialog, reimport_leaving_out, table_columns
from edgeling.gui.qt import Qt

ORDERS = Path(__file__).resolve().parents[2] / "resources" / "samples" / "orders" / "commandes.csv"


def test_columns_can_be_left_out_of_a_table_and_stay_left_out(window, qtbot):
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    window.show_page("data")
    with qtbot.waitSignal(page.sig_imported, timeout=60000):
        page.import_path(str(ORDERS))
    assert page.leave_out_button.isVisible() and page.leave_out_button.text() == "Columns the model reads…"
    ds = window.state.dataset
    columns = table_columns(ds, None)
    names = [n for n, _read, _choosable in columns]
    assert "retourné" not in names and "pays" in names and "taille" in names       # the target is not listed
    dialog = LeaveOutDialog(columns, page)
    qtbot.addWidget(dialog)
    item = dialog.list.findItems("taille", Qt.MatchFlag.MatchExactly)[0]
    item.setCheckState(Qt.CheckState.Unchecked)
    assert dialog.left_out() == ["taille"]

    with qtbot.waitSignal(page.sig_imported, timeout=60000):
        reimport_leaving_out(page, dialog.left_out())
    project = window.state.project
    assert project.data["options"]["leave_out"] == ["taille"]
    assert project.data["options"]["target"] == "retourné"
    assert "taille" not in [c.get("name") for c in window.state.dataset.meta["columns"]]
    assert any("Left out as you asked" in t for t in page.report.texts()), page.report.texts()
    again = {n: (read, choosable) for n, read, choosable in table_columns(window.state.dataset, ["taille"])}
    assert again["taille"] == (False, True)      # listed unticked, and can be ticked again
