"""The Data page's preview of a table shows the user's own first rows (the shop walk: it showed encoded columns,
"Date commande (year)", one column per category, rather than his columns and values)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.gui.test_main_window import wait_imported

ORDERS = Path(__file__).resolve().parents[2] / "resources" / "samples" / "orders" / "commandes.csv"


def _imported(window, qtbot, path):
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(path))
    wait_imported(qtbot, window)
    assert window.state.dataset is not None and window.state.dataset.kind == "table"
    return page.preview


def _header(preview) -> list[str]:
    return [preview.horizontalHeaderItem(c).text() for c in range(preview.columnCount())]


def test_a_table_preview_shows_the_first_rows_as_written(window, qtbot):
    preview = _imported(window, qtbot, ORDERS)
    assert preview.objectName() == "tablePreview"
    first_line = ORDERS.read_bytes().decode("cp1252").splitlines()
    columns = first_line[0].split(";")
    assert _header(preview) == columns                     # his columns, in his order; none encoded
    assert not any("(year)" in name or "=" in name for name in _header(preview))
    assert 1 <= preview.rowCount() <= 20
    cells = [preview.item(0, c).text() for c in range(preview.columnCount())]
    assert cells == first_line[1].split(";")               # "14/02/2024", "65,27", blanks: as written
    assert preview.verticalHeaderItem(0).text() == "2"     # the file's line, as the findings name rows
    target = window.state.dataset.meta["target"]
    assert preview.horizontalHeaderItem(columns.index(target)).font().bold()


def test_a_big_table_is_previewed_from_its_first_lines(window, qtbot, tmp_path, monkeypatch):
    from edgeling.gui.widgets import table_rows

    big = tmp_path / "commandes.csv"
    shutil.copy(ORDERS, big)
    monkeypatch.setattr(table_rows, "HEAD_BYTES", 4096)     # the sample stands for a file of many megabytes
    read = []
    real = table_rows.first_rows
    monkeypatch.setattr(table_rows, "first_rows", lambda p, n=20: read.append(p) or real(p, n))
    preview = _imported(window, qtbot, big)
    assert read == [big]
    assert _header(preview)[0] == "n° commande" and preview.rowCount() == 20
    assert preview.item(0, 0).text() == "CMD-24000"


def test_the_status_says_what_a_row_becomes_in_plain_words(window, qtbot):
    _imported(window, qtbot, ORDERS)
    said = window.pages["data"].status.text()
    width = window.state.dataset.sample_shape[0]
    assert f"rows (each row becomes {width} numbers for the model)" in said
    assert "encoded" not in said and "shape" not in said
