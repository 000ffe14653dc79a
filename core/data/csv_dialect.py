"""How a CSV file is written: its encoding, its delimiter, whether its first line is a header, and whether
its numbers use a decimal comma. Worked out from the file itself, for ``csvread.read_csv``.
Only the standard library: the GUI process imports this."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from edgeling.core.data.csvnumbers import decimal_mark, is_missing, parse_number
from edgeling.core.data.dataset import DataError

DELIMITERS = (",", ";", "\t", "|")
SNIFF_CHARS = 64 * 1024
SNIFF_RECORDS = 60
LONG_SPAN_LINES = 20


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Text and the encoding it was read with. Raises DataError for binary data."""
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataError(
            f"{path} is a spreadsheet workbook (Excel or LibreOffice), not a CSV file. Open it in your "
            "spreadsheet and use File > Save As > CSV, then choose the .csv file.", files=[str(path)])
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return check_text(data.decode("utf-16"), path), "utf-16"
        except UnicodeDecodeError:
            pass
    head = data[:2000]
    if len(head) >= 8 and head[1::2].count(0) > 0.9 * len(head[1::2]) and head[0::2].count(0) == 0:
        try:  # UTF-16 without a byte-order mark: every other byte of plain text is zero
            return check_text(data.decode("utf-16-le"), path), "utf-16-le"
        except UnicodeDecodeError:
            pass
    if data[:3] == b"\xef\xbb\xbf":
        candidates = ("utf-8-sig", "cp1252", "latin-1")
    else:
        candidates = ("utf-8", "cp1252", "latin-1")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return check_text(text, path), enc
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def check_text(text: str, path: Path) -> str:
    sample = text[:SNIFF_CHARS]
    control = sum(1 for c in sample if (c < " " and c not in "\t\r\n") or "\x7f" <= c <= "\x9f")
    if "\x00" in sample or control > max(2, 0.01 * len(sample)):
        raise DataError(
            f"{path} does not look like a table: it holds binary data, not text. Check that the file is not "
            "damaged (copy it again from where it came from), or choose a CSV file: a spreadsheet saved as CSV "
            "(File > Save As > CSV), or a recording a logger wrote as text.",
            files=[str(path)])
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\x00", "")


def csv_records(text: str, delimiter: str, limit: int | None = None, long_spans: list | None = None,
                quotes: bool = True):
    """(start line, fields) of every non-blank record. Records running over more than
    ``LONG_SPAN_LINES`` lines (a quote that is never closed swallows the lines after it) are appended to
    ``long_spans`` as (first line, last line). ``quotes=False``: quote marks are text, one record a line."""
    reader = (csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', skipinitialspace=False) if quotes
              else csv.reader(io.StringIO(text), delimiter=delimiter, quoting=csv.QUOTE_NONE))
    line = 0
    count = 0
    for rec in reader:
        start = line + 1
        line = reader.line_num
        if not rec or all(not f.strip() for f in rec):
            continue
        if long_spans is not None and line - start >= LONG_SPAN_LINES:
            long_spans.append((start, line))
        yield start, rec
        count += 1
        if limit is not None and count >= limit:
            return


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the same number (> 1) of fields most
    consistently; csv.Sniffer breaks ties. A one-column file gets ","."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    scores = {}
    for d in DELIMITERS:
        if d not in sample:
            continue
        found = []
        for quotes in (True, False):   # a stray quote mark ('12" screen') must not hide the delimiter
            try:
                recs = [r for _, r in csv_records(sample, d, SNIFF_RECORDS, quotes=quotes)]
            except csv.Error:
                continue
            counts = Counter(len(r) for r in recs)
            if counts:
                mode, hits = counts.most_common(1)[0]
                if mode >= 2:
                    found.append((round(hits / len(recs), 2), mode))
        if found:
            scores[d] = max(found)
    if not scores:
        return ","
    best = max(scores.values())
    tied = [d for d, s in scores.items() if s[0] >= best[0] - 0.02]
    if len(tied) == 1:
        return tied[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(tied)).delimiter
        if sniffed in tied:
            return sniffed
    except csv.Error:
        pass
    return max(tied, key=lambda d: scores[d])


def detect_header(first: list[str], rest: list[list[str]], width: int) -> bool:
    """Is ``first`` a header? Votes per column: a text cell over a column of numbers says header, a
    number over numbers says data. A table of text only has a header when no first-row value recurs."""
    rest = [r for r in rest if len(trim(r, width)) == width]
    first = trim(first, width)
    if not rest:
        return not any(parse_number(v) is not None or parse_number(v, True) is not None for v in first)
    header_votes = data_votes = 0
    for j in range(min(width, len(first))):
        col = [r[j] for r in rest if not is_missing(r[j])]
        if not col:
            continue
        nums = sum(1 for v in col if parse_number(v, True) is not None)
        if nums < 0.8 * len(col):
            continue
        if parse_number(first[j], True) is None and not is_missing(first[j]):
            header_votes += 1
        elif parse_number(first[j], True) is not None:
            data_votes += 1
    if header_votes or data_votes:
        return header_votes >= data_votes
    for j in range(min(width, len(first))):
        value = first[j].strip()
        if not value or any(r[j].strip() == value for r in rest):
            return False
    return True


def detect_decimal_comma(rows: list[list[str]], delimiter: str) -> bool:
    """True when the numbers are written with a decimal comma ("3,5"). Only possible when the delimiter
    is not a comma; decided by counting "3,5"-style against "3.5"-style cells."""
    if delimiter == ",":
        return False
    marks = Counter(decimal_mark(v) for row in rows[:500] for v in row)
    comma, dot = marks[","], marks["."]
    return comma > dot or (delimiter == ";" and comma == dot == 0)


def trim(rec: list[str], width: int) -> list[str]:
    """Drop empty fields past ``width`` (spreadsheets often end rows with extra delimiters)."""
    if len(rec) > width:
        extra = rec[width:]
        if all(not f.strip() for f in extra):
            return rec[:width]
    return rec
