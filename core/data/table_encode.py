"""Rows of a table encoded exactly as its import did (``table.py``): the rows of a new file to predict or to
test on, read, checked for the model's columns, and turned into the model's inputs by ``meta["columns"]``."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.data.csvdates import date_parts
from edgeling.core.data.csvread import is_missing, normalize_name, numeric_column, read_csv
from edgeling.core.data.dataset import DataError
from edgeling.core.data.ordering import label_text

OTHER = "(other)"
MISSING = "(missing)"


def known_category(cell: str, known) -> str:
    """``cell`` (spaces tidied) as the training wrote it among ``known``: in one Unicode form (NFC), as the
    import stores categories; as it is when a run from before stored it otherwise, or it is not known."""
    nfc = label_text(cell)
    return nfc if nfc in known else cell


def encode_column(col: dict, values: list[str], numbers: np.ndarray | None = None,
                  decimal_comma: bool | None = None) -> np.ndarray:
    """Encode one column's raw cells as ``col`` (from ``meta["columns"]``) says: (N, col["width"]).
    ``decimal_comma``: the decimal mark of the file the cells come from (``read_csv`` detects it); None
    (cells typed or passed in) reads "3,5" as 3.5."""
    n = len(values)
    if col["type"] == "number":
        if numbers is None:
            numbers = numeric_column(values, decimal_comma=True if decimal_comma is None else decimal_comma,
                                     thousands_dots=bool(col.get("thousands_dots"))).values
        return np.where(np.isnan(numbers), col["fill"], numbers).reshape(n, 1).astype(np.float32)
    if col["type"] == "date":
        parts = date_parts(values, col["format"])[:, col["parts"]]
        fill = np.asarray(col["fill"], dtype=np.float64)
        return np.where(np.isnan(parts), fill, parts).astype(np.float32)
    out = np.zeros((n, col["width"]), dtype=np.float32)
    index = {c: i for i, c in enumerate(col["categories"])}
    column_of: dict[str, int | None] = {}
    for v in set(values):
        cell = known_category(" ".join(v.split()), index)
        if is_missing(cell):
            column_of[v] = index.get(MISSING)
        elif cell in index:
            column_of[v] = index[cell]
        else:
            column_of[v] = index.get(OTHER) if col.get("other") else None
    for i, v in enumerate(values):
        k = column_of[v]
        if k is not None:
            out[i, k] = 1.0
    return out


def encode_rows(rows: list[dict], meta: dict, decimal_comma: bool | None = None) -> np.ndarray:
    """Encode new rows (column name -> cell, as text or numbers; missing keys count as blank) exactly as
    the import did: float32 (len(rows), len(meta["feature_names"])). Unknown categories count as "other"
    (all zeros when the column had no "other"). ``decimal_comma``: the decimal mark of the rows' file
    (``read_table_rows``), so "1,234" in a comma-separated file is 1234 as at import, not 1.234."""
    out = np.zeros((len(rows), len(meta["feature_names"])), dtype=np.float32)
    cells = column_cells(rows, [col["name"] for col in meta["columns"]])
    for col in meta["columns"]:
        a, b = col["slice"]
        out[:, a:b] = encode_column(col, cells[col["name"]], decimal_comma=decimal_comma)
    return out


def column_cells(rows: list[dict], names: list[str]) -> dict[str, list[str]]:
    """Each named column's cells as text, one per row (a column named differently in case or accents is
    found, as at import; a missing key is a blank cell)."""
    normalized = [{normalize_name(k): v for k, v in r.items()} for r in rows]
    out = {}
    for name in names:
        key = normalize_name(name)
        values = (r.get(name, nr.get(key)) for r, nr in zip(rows, normalized))
        out[name] = ["" if v is None else _cell_text(v) for v in values]
    return out


def check_columns(path: str | Path, rows: list[dict], meta: dict, answers: bool = False) -> None:
    """A file to predict must have every column the model was trained on (blank cells are fine: they
    are filled in as at import), and with ``answers`` (a test) the column of answers too. Without this, a
    missing column would be filled in silently and the model would answer confidently about data it never
    saw. Each missing column is said with the file's column most like it, if any (the shop walk: a new
    program's export named 'Catégorie' 'Famille', 'Date' 'Date commande' and 'Retourné' 'Retour')."""
    import difflib

    names = [k for r in rows[:1] for k in r if k]
    have = {normalize_name(k) for k in names}
    wanted = [c["name"] for c in meta["columns"]] + ([meta["target"]] if answers and meta.get("target") else [])
    missing = [c for c in wanted if normalize_name(c) not in have]
    if not missing:
        return
    known = {normalize_name(c) for c in wanted}
    spare = {normalize_name(k): k for k in names if normalize_name(k) not in known}

    def said(column: str) -> str:
        key = normalize_name(column)
        # a name inside the other ('date' in 'date commande'), when both are words, not a letter ('x' in 'taxe':
        # the review), else a close spelling
        like = [k for k in spare if min(len(k), len(key)) >= 4 and (key in k or k in key)] or \
            difflib.get_close_matches(key, list(spare), 1, 0.6)
        return f"{column!r} (the file has {spare[like[0]]!r})" if like else repr(column)

    raise DataError(
        f"{Path(path).name} lacks {len(missing)} of the {len(wanted)} columns the model "
        f"{'was trained on and tested against' if answers else 'was trained on'}: "
        f"{', '.join(said(c) for c in missing[:8])}{' ...' if len(missing) > 8 else ''}. Rename those columns in "
        "the file's first line to the names the model learnt, or export the rows with the same columns as the "
        "training table (empty cells are fine).", [str(path)])


def new_columns(rows: list[dict], meta: dict) -> list[str]:
    """The file's columns that the training table did not have (neither read by the model, nor its target, nor
    left out there): the model does not read them, which is said (the shop walk: 'Commentaire', unsaid)."""
    known = {normalize_name(c["name"]) for c in meta.get("columns") or []}
    known |= {normalize_name(c) for c in [meta.get("target"), *(meta.get("unused_columns") or [])] if c}
    return [k for k in (rows[0] if rows else {}) if k and normalize_name(k) not in known]


def read_rows(path: str | Path, report: R.Report | None = None) -> tuple[list[dict], list[str]]:
    """The rows of a CSV file (any dialect ``read_csv`` understands) as dicts for ``encode_rows``, and a
    source per row (``file.csv#row=N``); total rows are left out as at import (and reported in
    ``report``). Raises DataError for a file that is not a readable table."""
    rows, sources, _ = read_table_rows(path, report)
    return rows, sources


def read_table_rows(path: str | Path, report: R.Report | None = None) -> tuple[list[dict], list[str], bool]:
    """``read_rows`` plus the file's decimal mark (True: "3,5"), to pass to ``encode_rows``."""
    path = Path(path)
    table = read_csv(path, report)
    rows = [dict(zip(table.columns, r)) for r in table.rows]
    return rows, [f"{path.name}#row={n}" for n in table.line_numbers], table.decimal_comma


def _cell_text(v) -> str:
    if isinstance(v, float | np.floating):
        return repr(float(v))
    return str(v)
