"""The Model page's table of candidate networks: one row each, with bars for RAM and flash against what the
device leaves for the model, the latency, and whether it fits (and why not)."""

from __future__ import annotations

from edgeling.core.models.autosize import needs_ram
from edgeling.gui.pages.model_limits import bar, input_tip, storage_word
from edgeling.gui.pages.plain_terms import knob_tip
from edgeling.gui.qt import QHeaderView, QTableWidgetItem

COLUMNS = ["network", "parameters", "RAM", "flash", "latency", "fits"]   # "storage" for a Pi, a phone, a PC


def fill_candidates(table, cands: list[dict], labels: list[str], pick: dict, limits: dict, device: dict) -> int:
    """Fill ``table`` with ``cands`` (labelled ``labels``); returns the row of ``pick``, or -1."""
    picked_row = -1
    table.setHorizontalHeaderItem(3, QTableWidgetItem(storage_word(device)))
    for r, c in enumerate(cands):
        is_pick = bool(pick) and c.get("arch") == pick.get("arch") and c.get("knobs") == pick.get("knobs")
        picked_row = r if is_pick else picked_row
        item = QTableWidgetItem(labels[r] + ("  ★ recommended" if is_pick else ""))
        item.setToolTip(knob_tip(c.get("knobs")))
        table.setItem(r, 0, item)
        table.setItem(r, 1, QTableWidgetItem(f"{int(c.get('params', 0)):,}"))
        table.setCellWidget(r, 2, bar(needs_ram(c) if c.get("ram_bytes") is not None else None, limits["ram_bytes"],
                                               limits["ram_tip"] + input_tip(c)))
        table.setCellWidget(r, 3, bar(c.get("flash_bytes"), limits["flash_bytes"], limits["flash_tip"]))
        lat = c.get("latency_ms")
        table.setItem(r, 4, QTableWidgetItem(f"{lat:.1f} ms" if isinstance(lat, (int, float)) else "—"))
        fits = QTableWidgetItem("yes" if c.get("fits") else "no: " + "; ".join(map(str, c.get("why_not") or [])))
        fits.setToolTip(fits.text())
        table.setItem(r, 5, fits)
    # Sized to the content, the "fits" column (long reasons) would push the table wider than the
    # window: it takes what is left instead, and its text wraps.
    # At 1024 px the other columns left it a few pixels ("ye"), behind a sideways scroll bar: the network
    # column is narrower (its names wrap), and the "fits" column stretches to the room left.
    table.setWordWrap(True)
    header = table.horizontalHeader()
    for col in range(5):
        table.resizeColumnToContents(col)
    table.setColumnWidth(0, min(table.columnWidth(0), 210))
    for col in (2, 3):
        table.setColumnWidth(col, max(table.columnWidth(col), 170))
    header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
    return picked_row


def mark_selected_bars(table) -> None:
    """The RAM and flash bars of the selected row drawn to stand out from the selection (``SizeBar.set_selected``);
    the other rows' as usual. Called whenever the selection changes."""
    rows = {i.row() for i in table.selectedIndexes()}
    for r in range(table.rowCount()):
        for col in (2, 3):
            cell = table.cellWidget(r, col)
            if hasattr(cell, "set_selected"):
                cell.set_selected(r in rows)
