"""Notes a logger writes above its table ("# VibroLog VL-300 firmware 2.4.1", "Rate: 100 Hz"): which lines
at the top of a CSV are notes rather than its header, and the one finding that says so for all files
(``notes_skipped``). Used by ``csvread.read_csv``; only the standard library."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from edgeling.core.data import report as R
from edgeling.core.data.csv_dialect import SNIFF_RECORDS
from edgeling.core.data.csvnumbers import parse_number

COMMENT_MARKS = ("#", "//", "%", "!")
MAX_NOTE_LINES = 50


def _filled(rec: list[str]) -> int:
    """Fields up to the last one holding something: spreadsheets pad rows with empty fields ('5.69;4.01;ok;;;')."""
    n = len(rec)
    while n and not rec[n - 1].strip():
        n -= 1
    return n


def leading_notes(records: list[tuple[int, list[str]]]) -> int:
    """How many records at the top are a logger's notes rather than the table: each with fewer filled fields
    than the table's rows ('Commandes 2024;;;' over four columns counts one) and either starting with a comment
    mark or filling at most half of them. A header as long as its rows' filled fields is never a note, however
    the rows are padded. None when they would be the whole file or more than MAX_NOTE_LINES (then the file is
    something else, and said so later)."""
    width = Counter(_filled(r) for _, r in records[:SNIFF_RECORDS * 4]).most_common(1)[0][0]
    k = 0
    while k < len(records) and k <= MAX_NOTE_LINES:
        rec = records[k][1]
        filled = _filled(rec)
        marked = ",".join(rec).lstrip().startswith(COMMENT_MARKS)
        if marked and filled >= width and _prose(rec) and k + 1 < len(records) and _all_names(records[k + 1][1]):
            k += 1      # '# logger FW 1.2, pump 1, sensor ADXL345, units g' above 'timestamp,x,y,z': a note
            continue    # ('# time,x,y,z' over a units row or numbers, '# colour,shape' over text: the header)
        if filled >= width or not (marked or filled <= width // 2):
            break
        k += 1
    return k if 0 < k < len(records) and k <= MAX_NOTE_LINES else 0


def _prose(rec: list[str]) -> bool:
    """Whether a marked line reads as a note rather than column names: most of its fields hold a number or
    several words ('logger FW 1.2', 'pump 1'), where a header's are single names ('time', 'x')."""
    fields = [v.strip().lstrip("#/%!").strip() for v in rec if v.strip()]
    wordy = [v for v in fields if any(c.isdigit() for c in v) or len(v.split()) > 1]
    return bool(fields) and 2 * len(wordy) >= len(fields)


def _all_names(rec: list[str]) -> bool:
    """A record of names only (a header): every filled field is text, not a number."""
    filled = [v for v in rec if v.strip()]
    return bool(filled) and all(parse_number(v) is None and parse_number(v, True) is None for v in filled)


def report_notes(report: R.Report, path: Path, notes: list[tuple[int, list[str]]], shown: str | None = None,
                 delimiter: str = ";") -> None:
    """One finding for every file whose top lines were notes, quoting the first file's first note as it is
    written (its fields joined by the file's ``delimiter``: the pump walk read its commas quoted as ';')."""
    where = shown or (f"{path.parent.name}/{path.name}" if path.parent.name else path.name)
    last = notes[-1][0]
    entry = f"{where} (line 1)" if last == 1 else f"{where} (lines 1-{last})"      # not "lines 1-1" (the shop walk)
    said = report.by_code(R.NOTES_SKIPPED)
    if said:
        said[0].files.append(entry)
        quoted = re.search(r'\(".*"\)', said[0].message)
        said[0].message = _notes_message(f"{len(said[0].files)} files", quoted.group(0) if quoted else "")
        return
    joiner = {"\t": "  ", ",": ", ", ";": "; "}.get(delimiter, delimiter + " ")
    example = joiner.join(f.strip() for f in notes[0][1] if f.strip())
    example = example if len(example) <= 80 else example[:77] + "..."
    report.add(R.NOTES_SKIPPED, _notes_message(shown or path.name, f'("{example}")'),
               "Nothing to do if they are a title or notes your spreadsheet, logger or program writes above its "
               "table.",
               files=[entry], severity="info")


def _notes_message(where: str, example: str) -> str:
    return (f"In {where}, the lines above the table are notes, not data {example}. They were skipped, and "
            "the table was read from the line after them.")
