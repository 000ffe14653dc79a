"""A forgiving CSV reader shared by the table and sensor-recording importers.

Spreadsheets export CSV in many dialects. This reader works out, from the file itself (the first four in
``csv_dialect.py``):

- the encoding: UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
  "Unicode text"), else cp1252, else latin-1; a fallback is reported (``encoding_fallback``);
- the delimiter: ``,`` ``;`` tab or ``|`` (csv.Sniffer, checked by how consistently each candidate splits
  the first lines);
- whether the first line is a header;
- decimal commas (``3,5`` means 3.5) when the delimiter is not a comma and the numbers say so (numbers
  with currency signs, % and thousands separators: ``csvnumbers.py``);
- total rows at the bottom ("TOTAL;;;42 820,33"): left out, reported as ``total_row`` (``csvtotals.py``);
- notes a logger writes above its table ("# VibroLog VL-300 firmware 2.4.1", "Rate: 100 Hz"): lines at
  the top that start with a comment mark (# // % !) or hold at most half the table's fields, before its
  first full line, are skipped (reported once for all files, as ``notes_skipped``);
- quoted fields, blank lines, and rows with the wrong number of fields (skipped, reported as
  ``ragged_rows`` with their line numbers);
- a last line cut off mid-way, as a file copied or saved while it was still being written ends: fewer
  fields than the header, or (with no line break after it) a last value cut short, "...,-0" where the
  column's values have 3 decimals, "wal" where the column holds "walking" (left out, reported as
  ``cut_off_row``, naming the line).

Anything that is not a readable table raises ``DataError`` with a message naming the file and the fix.
Only the standard library and numpy: the GUI process imports this.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from edgeling.core.data import report as R
from edgeling.core.data.csv_dialect import (
    SNIFF_RECORDS,
    csv_records,
    decode,
    detect_decimal_comma,
    detect_delimiter,
    detect_header,
    trim,
)
from edgeling.core.data.csv_notes import leading_notes, report_notes
from edgeling.core.data.csvnumbers import (  # noqa: F401 - also imported from here
    LARGEST_NUMBER,
    MISSING_MARKERS,
    NumericColumn,
    decimal_mark,
    is_missing,
    numeric_column,
    parse_number,
)
from edgeling.core.data.csvtotals import find_total_rows, report_total_rows, total_word
from edgeling.core.data.dataset import DataError
from edgeling.core.sentences import counted, verb
from edgeling.core.terminal_hint import in_terminal

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
MAX_BYTES = 512 * 1024 * 1024
RAGGED_LISTED = 50
CUT_MIN_ROWS = 10
CUT_ROWS_COMPARED = 1000
"""A last value is judged cut short against the values of the rows just above it: at least CUT_MIN_ROWS,
at most CUT_ROWS_COMPARED (a long recording is not read twice)."""

csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class CsvTable:
    """A CSV file read into strings: every row has exactly ``len(columns)`` fields."""

    path: Path
    columns: list[str]
    rows: list[list[str]]
    line_numbers: list[int]
    """The line in the file where each row starts (1-based, counting the header)."""
    encoding: str
    delimiter: str
    has_header: bool
    decimal_comma: bool
    ragged_lines: list[int] = field(default_factory=list)
    total_lines: list[int] = field(default_factory=list)
    """Lines of rows that sum the rows above ("TOTAL;;;42 820,33"), left out of ``rows``."""
    header: list[str] = field(default_factory=list)
    """The header's names as written (``columns`` names each column once: "Preis (2)", "column 5")."""
    cut_line: tuple[int, str] | None = None
    """(line, what is wrong with it) of a last line cut off mid-way, left out of ``rows``
    (``cut_off_reason``)."""

    def column(self, index: int) -> list[str]:
        return [r[index] for r in self.rows]

    def describe(self) -> dict:
        """Plain facts about the dialect, for ``Dataset.meta``."""
        return {"encoding": self.encoding, "delimiter": self.delimiter, "has_header": self.has_header,
                "decimal_comma": self.decimal_comma}


# ----------------------------------------------------------------------------------------------------
# Values


ENCODING_NAMES = {"cp1252": "Windows Western, cp1252", "latin-1": "Latin-1", "iso-8859-1": "Latin-1",
                  "mac_roman": "old Mac, Mac Roman", "cp850": "old DOS, cp850"}
"""The text formats a spreadsheet of the 1990s-2010s saves in, by a name people may have seen."""

def normalize_name(name: str) -> str:
    """A column name for matching: accents removed, case folded, spaces collapsed ("Retourné " ->
    "retourne")."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def name_keys(name: str) -> set[str]:
    """The forms under which a typed column name matches: ``normalize_name``'s, and with German umlauts
    written out as a keyboard without them types them ("Ruecksendung" for "Rücksendung", "Strasse")."""
    nfc = unicodedata.normalize("NFC", str(name))
    return {normalize_name(nfc), normalize_name(nfc.translate(UMLAUTS))}


def same_name(typed: str, column: str) -> bool:
    """Whether ``typed`` names ``column`` (case, accents and written-out umlauts aside)."""
    return bool(name_keys(typed) & name_keys(column))


# ----------------------------------------------------------------------------------------------------
# Reading


def read_csv(path: str | Path, report: R.Report | None = None, shown: str | None = None) -> CsvTable:
    """Read ``path`` as a table of strings, detecting the dialect. Raises DataError for anything that is
    not a readable table (binary data, no rows, one line of text). ``shown``: how the findings name the file
    (a recording's path in the chosen folder, "cavitation/pump1.csv", as the other findings do; its name by
    default)."""
    path = Path(path)
    report = report if report is not None else R.Report()
    name = shown or path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(
                f"{path} is {size / 1e9:.1f} GB, too large to open as one table. Split it into smaller "
                "CSV files or take a sample of its rows.", files=[str(path)])
        data = path.read_bytes()
    except DataError:
        raise
    except OSError as e:
        raise DataError(f"{path} could not be read ({e.strerror or e}). Check that the file exists and "
                        "that you are allowed to open it.", files=[str(path)]) from None
    if not data.strip():
        raise DataError(f"{path} is empty. Export the table again from your spreadsheet and choose the "
                        "new file.", files=[str(path)])
    text, encoding = decode(data, path)
    if encoding not in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le"):
        report.add(R.ENCODING_FALLBACK,
                   f"{name} was saved in an older text format ({ENCODING_NAMES.get(encoding, encoding)}), "
                   "not the usual UTF-8; Edgeling read it as such. Accented letters should look right, but check "
                   "a few names in the Data page's preview"
                   f"{in_terminal('the column names edgeling inspect prints')}.",
                   "If accented letters look wrong, save the file from your spreadsheet as "
                   "\"CSV UTF-8\".", files=[str(path)], severity="info")
    delimiter = detect_delimiter(text)
    records = _parse(text, delimiter, path, report, name)
    if not records:
        raise DataError(f"{path} has no rows of data. Export the table again from your spreadsheet and "
                        "choose the new file.", files=[str(path)])
    width = Counter(len(r) for _, r in records).most_common(1)[0][0]
    notes = leading_notes(records)
    if notes:
        report_notes(report, path, records[:notes], shown, delimiter)
        records = records[notes:]
    first = records[0][1]
    if 1 < len(first) < width:
        # A header over rows that end with extra empty fields ("a;b" over "1;2;").
        fits = sum(1 for _, r in records if len(trim(r, len(first))) == len(first))
        if fits >= 0.8 * len(records):
            width = len(first)
    has_header = detect_header(records[0][1], [r for _, r in records[1:SNIFF_RECORDS]], width)
    body = records[1:] if has_header else records
    totals = set(find_total_rows([r for _, r in body]))
    rows, lines, ragged = [], [], []
    cut = None
    unfinished = not text.rstrip(" \t\x1a").endswith("\n")   # no line break after the last line
    for k, (line, rec) in enumerate(body):
        if k in totals:
            continue
        rec = trim(rec, width)
        if len(rec) < width and k == len(body) - 1 and len(body) > 1 and unfinished:
            # The last line stops mid-way: a file copied or saved while it was being written.
            cut = (line, f"it stops after {len(rec)} of the {width} fields")
            continue
        if len(rec) != width:
            ragged.append(line)
            continue
        rows.append([v.strip() for v in rec])
        lines.append(line)
    header = (trim(first, width) if has_header else []) + [""] * width
    while width > 1 and not header[width - 1].strip() and all(not r[width - 1] for r in rows):
        # An unnamed, empty last column: the rows ended with an extra delimiter.
        width -= 1
        rows = [r[:width] for r in rows]
    if has_header:
        columns = _column_names(header, width)
    else:
        columns = [f"column {i + 1}" for i in range(width)]
    total_rows = [(line, total_word(rec) or "") for k, (line, rec) in enumerate(body) if k in totals]
    report_total_rows(report, path, total_rows)
    if cut is None and unfinished and lines and body and lines[-1] == body[-1][0]:
        # Was the last value cut short?
        reason = cut_short_value(rows, columns, detect_decimal_comma(rows, delimiter))
        if reason:
            cut = (lines.pop(), reason)
            rows.pop()
    if not rows:
        what = "only a header line" if has_header and not ragged else "no rows that fit the header"
        raise DataError(f"{path} has {what} and no usable rows of data. Check that you exported the "
                        "whole sheet, not only its first line, and choose the new file.", files=[str(path)])
    if ragged:
        shown = ", ".join(str(n) for n in ragged[:RAGGED_LISTED]) + (" ..." if len(ragged) > RAGGED_LISTED
                                                                         else "")
        report.add(R.RAGGED_ROWS,
                   f"{counted(len(ragged), 'row')} of {name} {verb(len(ragged), 'has', 'have')} a different "
                   f"number of fields than the header ({width}) and {verb(len(ragged), 'was', 'were')} left out: "
                   f"{verb(len(ragged), 'line', 'lines')} {shown}. This usually means a "
                   f"{DELIMITER_NAMES[delimiter]} inside a value that is not in quotes.",
                   "Open the file, fix or delete those lines, or export it again from your spreadsheet.",
                   files=[f"{name}#row={n}" for n in ragged[:R.MAX_FILES_LISTED]], severity="warning")
    if cut:
        report.add(R.CUT_OFF_ROW, cut_off_message(name, cut) + " It was left out.",
                   "Nothing to do if the file simply ended there. If it was copied, or saved while it was "
                   "still being written (a recording still running, an export not finished), copy or export it "
                   "again once it is complete.",
                   files=[f"{name}#row={cut[0]}"], severity="warning")
    decimal_comma = detect_decimal_comma(rows, delimiter)
    return CsvTable(path=path, columns=columns, rows=rows, line_numbers=lines, encoding=encoding,
                    delimiter=delimiter, has_header=has_header, decimal_comma=decimal_comma,
                    ragged_lines=ragged, total_lines=[n for n, _ in total_rows], cut_line=cut,
                    header=[" ".join(str(h).split()) for h in header[:width]] if has_header else [])


def cut_off_message(name: str, cut: tuple[int, str]) -> str:
    """'The last line of rec.csv (line 52) is cut off: its last value ...' (``CsvTable.cut_line``)."""
    line, reason = cut
    return f"The last line of {name} (line {line}) is cut off: {reason}."


def cut_short_value(rows: list[list[str]], columns: list[str], decimal_comma: bool) -> str | None:
    """Why the last value of the last row looks cut short against the values above it in its column, or
    None. A number column: the value is not a number ("-."), or has fewer decimals than the column's values
    all have ("-0" under "-0.981"); a column of repeated words: the value is seen nowhere else but begins
    another ("wal" under "walking"). A blank stays a blank (a last row may well have one). Only meaningful
    when no line break follows the value."""
    if len(rows) <= CUT_MIN_ROWS:
        return None
    j = len(rows[-1]) - 1
    cell, name, above = rows[-1][j], columns[j], [r[j] for r in rows[-1 - CUT_ROWS_COMPARED:-1]]
    filled = [v for v in above if v and not is_missing(v)]
    if len(filled) < CUT_MIN_ROWS or not cell or is_missing(cell) or cell in above:
        return None
    numbers = [v for v in filled if parse_number(v, decimal_comma) is not None]
    if len(numbers) >= 0.9 * len(filled):
        if parse_number(cell, decimal_comma) is None:
            return f"its last value, {cell!r} in {name!r}, is not a number where the column holds numbers"
        places, hits = Counter(_decimals(v, decimal_comma) for v in numbers).most_common(1)[0]
        if places and hits >= 0.95 * len(numbers) and _decimals(cell, decimal_comma) < places:
            return (f"its last value, {cell!r} in {name!r}, has fewer decimals than the {places} of the "
                    "values above it")
        return None
    if len(set(filled)) > len(filled) / 2:
        return None   # free text: any value may be new
    longer = sorted({v for v in filled if v.startswith(cell)})
    if longer:
        return f"its last value, {cell!r} in {name!r}, is seen nowhere else but begins {longer[0]!r}"
    return None


def _decimals(value: str, decimal_comma: bool) -> int:
    """Digits after the decimal mark of a number as written ("-0.981" -> 3, "-0" -> 0)."""
    mantissa = re.split(r"[eE]", value.strip())[0]
    mark = "," if decimal_comma else "."
    if mark not in mantissa:
        return 0
    return len(re.match(r"\d*", mantissa.rsplit(mark, 1)[1]).group())


def _parse(text: str, delimiter: str, path: Path, report: R.Report, name: str = "") -> list[tuple[int, list[str]]]:
    name = name or path.name
    spans: list[tuple[int, int]] = []
    try:
        records = list(csv_records(text, delimiter, long_spans=spans))
        if spans:
            plain = _without_quotes(text, delimiter, records)
            if plain is not None:
                first = spans[0][0]
                report.add(R.RAGGED_ROWS,
                           f"In {name}, a quote mark (\") in line {first} opens a value that is never closed; "
                           "the quote marks were read as part of the values, so no row was lost.",
                           "Check the values around that line; if a quote mark is not meant to be there, remove "
                           "it and export the file again.", files=[f"{name}#row={first}"], severity="warning")
                return plain
            listed = ", ".join(f"{a}-{b}" for a, b in spans[:10])
            report.add(R.RAGGED_ROWS,
                       f"In {name}, a quote mark (\") opens a value that runs over many lines (lines "
                       f"{listed}); those lines were read as one value, so rows may be missing.",
                       "Open the file, look for a stray quote mark at the start of those lines, remove it "
                       "or close the quote, and export the file again.",
                       files=[f"{name}#row={a}" for a, _ in spans], severity="warning")
        return records
    except csv.Error as e:
        raise DataError(f"{path} could not be read as a table ({e}). Open it in a spreadsheet, check the "
                        "quotes around values, and export it again as CSV.", files=[str(path)]) from None


def _without_quotes(text: str, delimiter: str, records: list) -> list | None:
    """The file's records with quote marks read as text, when a stray quote swallowed lines (a product note
    '24" Monitor' in a shop export): used when that gives more rows, nearly all of one width. None otherwise."""
    try:
        plain = list(csv_records(text, delimiter, quotes=False))
    except csv.Error:
        return None
    widths = Counter(len(r) for _, r in plain)
    if not widths or len(plain) <= len(records):
        return None
    mode, hits = widths.most_common(1)[0]
    return plain if mode >= 2 and hits >= 0.9 * len(plain) else None


def report_renamed_columns(report: R.Report, table: CsvTable) -> None:
    """Columns named twice, or not at all, get a name of their own ("Preis (2)", "column 5"): said by the table
    importer, so the name in the column lists is not a surprise (the shop walk: the second 'Preis' appeared as
    'Preis (2)' unsaid). Not for sensor recordings: one note per file would drown the rest."""
    path, header, columns = table.path, table.header, table.columns
    if not table.has_header:
        return
    said = [f"column {i + 1} has no name: it is called {name!r}" if not h else
            f"{h!r} is the name of more than one column: column {i + 1} is called {name!r}"
            for i, (h, name) in enumerate(zip(header, columns)) if h != name]
    if said:
        report.add(R.COLUMNS_RENAMED, f"In {path.name}, {'; '.join(said[:6])}{' ...' if len(said) > 6 else ''}.",
                   "Nothing to do, unless you want other names: then rename the columns in the spreadsheet and "
                   "export the file again.", files=[f"{path.name}#column={c}" for c in columns
                                                    if c not in header], severity="info")


def _column_names(header: list[str], width: int) -> list[str]:
    names: list[str] = []
    seen: Counter = Counter()
    for i in range(width):
        name = " ".join(header[i].split()) if i < len(header) else ""
        name = name or f"column {i + 1}"
        key = normalize_name(name)
        seen[key] += 1
        if seen[key] > 1:
            name = f"{name} ({seen[key]})"
            seen[normalize_name(name)] += 1
        names.append(name)
    return names

