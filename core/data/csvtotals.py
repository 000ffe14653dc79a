"""Total rows: a spreadsheet export often ends with a row that sums the rows above it ("TOTAL;;;42 820,33").
Such a row is not an example (it would be read as one more order, and a summed 0/1 column even becomes
a new class), so ``read_csv`` leaves it out and reports it (``total_row``).

A row is a total row when its first non-empty cell is one of ``TOTAL_WORDS`` (any case and accents,
optionally followed by ":"), and either it is among the last rows of the file or its other cells are
blank or numbers. When many rows start with such a word, it is an ordinary value of that column and no
row is left out.

Only the standard library: the GUI process imports this.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from edgeling.core.data import report as R
from edgeling.core.data.csvnumbers import is_missing, parse_number

TOTAL_ROW = "total_row"  # report code
TOTAL_WORDS = {"total", "totals", "totaux", "total general", "grand total", "sous-total", "sous total",
               "subtotal", "sub-total", "sub total", "sum", "somme", "summe", "gesamt", "gesamtsumme",
               "zwischensumme"}
MAX_TOTAL_ROWS = 3
MAX_TOTAL_FRACTION = 0.1


def total_word(record: list[str]) -> str | None:
    """The first non-empty cell of ``record`` when it is a total word ("TOTAL", "Somme :"), else None."""
    first = next((v.strip() for v in record if v.strip()), "")
    if not first or len(first) > 20:
        return None
    decomposed = unicodedata.normalize("NFKD", first)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    key = " ".join(plain.casefold().rstrip(":").split())
    return first if key in TOTAL_WORDS else None


def find_total_rows(records: list[list[str]]) -> list[int]:
    """Indexes in ``records`` (the rows of a file in order, without the header) of the total rows."""
    candidates = [i for i, r in enumerate(records) if total_word(r) is not None]
    if not candidates or len(candidates) > max(MAX_TOTAL_ROWS, MAX_TOTAL_FRACTION * len(records)):
        return []
    found, last = set(candidates), len(records)
    while last > 0 and last - 1 in found:
        last -= 1  # records[last:] are total rows at the bottom of the file
    return [i for i in candidates if i >= last or _numbers_only(records[i])]


def _numbers_only(record: list[str]) -> bool:
    rest = [v for v in record if v.strip()][1:]
    return all(is_missing(v) or parse_number(v, True) is not None or parse_number(v) is not None
               for v in rest)


def report_total_rows(report: R.Report, path: Path, rows: list[tuple[int, str]]) -> None:
    """Report the total rows left out of ``path``: (line number, first cell) each."""
    if not rows:
        return
    if len(rows) == 1:
        line, word = rows[0]
        message = (f"Row {line} of {path.name} starts with {word!r} and looks like a sum of the rows above; "
                   "it was left out.")
    else:
        words = ", ".join(dict.fromkeys(repr(w) for _, w in rows))
        lines = ", ".join(str(n) for n, _ in rows)
        message = (f"Rows {lines} of {path.name} start with {words} and look like sums of the rows above; "
                   "they were left out.")
    report.add(TOTAL_ROW, message,
               "Nothing to do. If such a row is real data, change the word in its first cell and import the "
               "file again.", files=[f"{path.name}#row={n}" for n, _ in rows], severity="info")
