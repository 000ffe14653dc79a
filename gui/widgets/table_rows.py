"""The Data page's preview of a table: its first rows as the user wrote them (his own columns, his own values:
"28/11/2023", "12,11", a blank), not the numbers the model is given ("Date commande (year)", one column per
category). Light: only the head of a big file is read (core's own CSV reader, on a copy of the first lines)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from edgeling.gui.qt import QAbstractItemView, QTableWidget, QTableWidgetItem

SHOWN_ROWS = 20
HEAD_BYTES = 256 * 1024      # a bigger file is read from a copy of its first lines only
HEAD_LINES = 200             # enough for the reader to tell the separator, the header and the decimal mark


def table_file(root) -> Path | None:
    """The CSV file of a table dataset (its root, or the one table in its folder); None when there is none."""
    from edgeling.core.data.load import single_table_file

    p = Path(str(root))
    try:
        p = single_table_file(p) if p.is_dir() else p
    except Exception:  # noqa: BLE001 - no preview of the user's own rows; the encoded one is shown instead
        return None
    return p if p is not None and p.is_file() else None


def first_rows(path: Path, n: int = SHOWN_ROWS) -> tuple[list[str], list[dict], list[str]] | None:
    """(the columns in the file's order, its first ``n`` rows as dicts of the cells' text, each row's line in
    the file); None when the file cannot be read as a table."""
    from edgeling.core.data.table_encode import read_rows

    try:
        if path.stat().st_size <= HEAD_BYTES:
            rows, sources = read_rows(path)
        else:
            with path.open("rb") as f:
                head = f.read(HEAD_BYTES)
            lines = head.split(b"\n")[:HEAD_LINES]
            with tempfile.TemporaryDirectory(prefix="edgeling-preview-") as folder:
                copy = Path(folder) / path.name    # the same name: the rows' sources name the user's file
                copy.write_bytes(b"\n".join(lines[:-1]) + b"\n")   # the last line may be cut short
                rows, sources = read_rows(copy)
    except Exception:  # noqa: BLE001 - the encoded preview is shown instead, never a traceback
        return None
    if not rows:
        return None
    return list(rows[0].keys()), rows[:n], [str(s).rpartition("#row=")[2] for s in sources[:n]]


class OwnRowsPreview(QTableWidget):
    """The table's first rows, its own columns and values; the column to predict and the columns left out say
    so in their tooltips. The column to predict is shown first, in bold (the shop walk: 'Retourné', the last of
    nine columns, was out of view to the right at 1024 px); the others keep the file's order."""

    def __init__(self, columns: list[str], rows: list[dict], lines: list[str], target: str = "",
                 left_out=(), parent=None):
        super().__init__(len(rows), len(columns), parent)
        self.setObjectName("tablePreview")
        self.setHorizontalHeaderLabels(columns)
        for c, name in enumerate(columns):
            item = self.horizontalHeaderItem(c)
            if name == target:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                item.setToolTip(f"{name}: the column to predict")
            elif name in left_out:
                item.setToolTip(f"{name}: left out (see the findings)")
            else:
                item.setToolTip(name)
        if all(lines):
            self.setVerticalHeaderLabels(lines)     # the file's line numbers, as the findings give them
        for r, row in enumerate(rows):
            for c, name in enumerate(columns):
                self.setItem(r, c, QTableWidgetItem(str(row.get(name) or "")))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setToolTip(f"The first {len(rows)} rows of your table, as you wrote them"
                        + (f"; the column to predict, {target}, first." if target in columns else "."))
        self.resizeColumnsToContents()
        if target in columns:     # moved where it is seen, not in the model (``item(r, c)`` is still the file's c)
            header = self.horizontalHeader()
            header.moveSection(header.visualIndex(columns.index(target)), 0)


def own_rows_preview(ds) -> OwnRowsPreview | None:
    """The preview of a table dataset's own first rows, or None when its file cannot be read now."""
    path = table_file(ds.root)
    read = first_rows(path) if path is not None else None
    if read is None:
        return None
    meta = ds.meta or {}
    return OwnRowsPreview(*read, target=str(meta.get("target") or ""), left_out=meta.get("unused_columns") or ())
