"""The Model page's table of candidate networks: one row each, with bars for RAM and flash against what the
device leaves for the model, the latency, and whether it fits (and why not)."""

from __future__ import annotations

import textwrap

from edgeling.core.models.autosize import needs_ram
from edgeling.core.models.plan_words import format_ms
from edgeling.gui.pages.model_limits import bar, input_tip, storage_word
from edgeling.gui.pages.plain_terms import knob_tip
from edgeling.gui.qt import QHeaderView, QTableWidgetItem

COLUMNS = ["network", "parameters", "RAM", "flash", "latency", "fits"]   # "storage" for a Pi, a phone, a PC
FITS_MAX_PX = 150      # the "fits" column at most; a longer cell ("no: too much RAM, too slow") wraps


def short_reason(reason: str, storage: str) -> str:
    """One of core's ``why_not`` sentences in a few words for the "fits" cell ("needs 450 KB of RAM (446 KB for
    the model's tensor arena, ...), 320 KB is available for the model" is "too much RAM"); the bars beside it
    give the figures and the cell's tooltip the whole sentence. A sentence not recognised keeps its first
    clause ("needs 450 KB of RAM")."""
    if reason.startswith("needs ") and " of RAM" in reason:
        return "too much RAM"
    if reason.startswith("needs ") and f" of {storage}" in reason:
        return f"too much {storage}"
    if reason.startswith("takes about "):
        return "too slow"
    return reason.split(" (")[0].split(", ")[0]


def fits_item(c: dict, storage: str) -> QTableWidgetItem:
    """ "yes", or "no: " and the reasons in a few words ("no: too much RAM"); the whole reasons in the tooltip.
    The whole reasons in the cell wrapped to 12 lines at 1024x700 (rows 183 px tall, six networks in view)."""
    if c.get("fits"):
        return QTableWidgetItem("yes")
    reasons = [str(r) for r in c.get("why_not") or []]
    short = c.get("why_not_short") or [short_reason(r, storage) for r in reasons]   # a plan kept from before
    item = QTableWidgetItem("no: " + ", ".join(dict.fromkeys(map(str, short))))
    lines = [textwrap.fill(r[:1].upper() + r[1:] + ".", 80) for r in reasons]    # a plain tooltip does not wrap
    item.setToolTip("\n".join(lines) if lines else "It does not fit.")
    return item


def fill_candidates(table, cands: list[dict], labels: list[str], pick: dict, limits: dict, device: dict) -> int:
    """Fill ``table`` with ``cands`` (labelled ``labels``); returns the row of ``pick``, or -1."""
    picked_row = -1
    table.setHorizontalHeaderItem(3, QTableWidgetItem(storage_word(device)))
    fits_header = QTableWidgetItem(COLUMNS[5])
    fits_header.setToolTip('Whether the network fits the device. Point at a "no" for the whole reason, with figures.')
    table.setHorizontalHeaderItem(5, fits_header)
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
        # format_ms, as the CLI's plan says it: a tiny network on a Raspberry Pi is "0.04 ms", not "0.0 ms"
        table.setItem(r, 4, QTableWidgetItem(format_ms(lat) if isinstance(lat, (int, float)) else "—"))
        table.setItem(r, 5, fits_item(c, storage_word(device)))
    # The "fits" cells are short ("no: too much RAM"): that column is as wide as they are (at most FITS_MAX_PX,
    # a longer one wraps) and the network column takes the room left (at 1280 px its names stand on one line).
    # The whole reasons in the cells had made the column run past the right edge at 1024 px (a sideways scroll
    # bar) and a "no" row 183 px tall. Rows follow the columns' widths (ResizeToContents): a plan shown before
    # the window took its size (a project reopened) had one-line rows, its "no" cells cut ("no: too much ...").
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for col in range(1, 6):
        table.resizeColumnToContents(col)
    table.setColumnWidth(5, min(table.columnWidth(5), FITS_MAX_PX))
    for col in (2, 3):
        table.setColumnWidth(col, max(table.columnWidth(col), 170))
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
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
