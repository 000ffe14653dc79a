"""Which column names a table's rows for a person: the order number, reference or ID the import left out
of the model (an identifier teaches nothing) but the shop owner looks orders up by. Predictions then say
"row 12, CMD-24011" instead of only "row 12". numpy-free; used by ``predict`` and the answers file."""

from __future__ import annotations

import re

from edgeling.core.data.csvread import normalize_name

ID_WORDS = frozenset({"id", "no", "nr", "n°", "num", "number", "nummer", "numero", "#", "ref", "reference", "code",
                      "key", "commande", "order", "invoice", "facture", "sku", "ticket", "name", "nom"})
"""Words in a column name that say it names or numbers the row (accents and case removed)."""


ID_ENDINGS = ("nummer", "number", "nr")
"""Endings of one-word names that number the row, as German, Dutch and Scandinavian compounds do
("Bestellnummer", "Kundennr", "ordernummer"): the shop walk's rising order numbers were read as a feature."""


def name_words(column: str) -> set[str]:
    """The words of a column name as ``ID_WORDS`` holds them: "N° commande" -> {"n°", "commande"}; "OrderId"
    -> {"order", "id"}; a compound ending like an identifier ("Bestellnummer") also gives that ending."""
    split = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(column))          # "OrderId" -> "Order Id"
    plain = normalize_name(split).replace("_", " ").replace("-", " ").replace("#", " # ").replace(".", " ")
    words = set(plain.split())
    return words | {end for w in words for end in ID_ENDINGS if w.endswith(end) and len(w) > len(end) + 2}


def is_id_name(column: str) -> bool:
    """Whether a column's name says it names or numbers the row (``ID_WORDS``, ``ID_ENDINGS``)."""
    return bool(name_words(column) & ID_WORDS)


def row_id_column(rows: list[dict], model_columns: list[str], target: str | None = None) -> str | None:
    """The column that names each row, never one the model reads nor the target: the first called like an
    identifier ("n° commande", "Order ID", "Référence") that is filled in at least half the rows (an order
    of several items repeats its number; a row may lack it); else, for two rows or more, the leftmost column
    of text filled and different in every row (not a measurement that happens to differ)."""
    if not rows:
        return None
    used = {normalize_name(c) for c in model_columns}
    if target:
        used.add(normalize_name(target))
    candidates = []
    for column in rows[0]:
        if column is None or normalize_name(column) in used or not str(column).strip():
            continue
        values = [str(r.get(column) or "").strip() for r in rows]
        if is_id_name(column) and sum(map(bool, values)) * 2 >= len(values):
            return column       # named as one: an order of several items repeats it, a row may lack it
        if all(values) and len(set(values)) == len(values):
            candidates.append((column, values))
    if len(rows) < 2:
        return None
    for column, values in candidates:
        if any(not _is_number(v) for v in values):
            return column
    return None


def row_ids(rows: list[dict], model_columns: list[str], target: str | None = None) -> tuple[str | None, list]:
    """(the naming column or None, each row's value in it, or None per row, also for a row left blank)."""
    column = row_id_column(rows, model_columns, target)
    if column is None:
        return None, [None] * len(rows)
    return column, [str(r.get(column) or "").strip() or None for r in rows]


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        return False
    return True


def place_words(sample: dict) -> str:
    """Where a sample or an answer is from, for a person: the file; for a table row "orders.csv row 12
    (n° commande CMD-24011)" when the table has a column naming its rows; for a window of a recording
    "pump1.csv from 2.0 s to 4.0 s" (a source's "#row=" and "#t=" are Edgeling's own notation)."""
    source = str(sample.get("source", ""))
    file, found, row = source.partition("#row=")
    if found:
        words = f"{file} row {row}"
        if sample.get("row_id") and sample.get("row_id_column"):
            words += f" ({sample['row_id_column']} {sample['row_id']})"
        return words
    file, found, span = source.partition("#t=")
    if found:
        start, _, stop = span.partition("-")
        try:
            return f"{file} from {float(start):.1f} s" + (f" to {float(stop):.1f} s" if stop else "")
        except ValueError:
            return source
    return source
