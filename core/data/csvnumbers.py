"""Numbers as spreadsheets write them in CSV cells.

``parse_number`` reads, besides plain ``3.5`` and ``-2e3``:

- a decimal comma (``3,5``) when the file uses one, with dots as thousands separators (``1.234,5``; and
  ``1.299`` is 1299 when no cell of its column has a decimal dot: ``dots_group_thousands``);
- thousands separators: no-break spaces (``1 234,5``), groups of exactly three digits after single
  ordinary spaces (``12 345``, ``1 234 567.5``), commas in a file with decimal dots (``1,234.56``);
- a currency sign or code, or a percent sign, before or after the number (``118,73 €``, ``€ 12.50``,
  ``-$1,234.56``, ``CHF 30``, ``12,5 %``): the number is kept as written (``12,5 %`` is 12.5);
- Excel's accounting format for zero, a dash beside the currency (``- €``, ``-   €``, ``€ -``, ``$ -``): 0.

Phone numbers stay text: spaces group thousands only after a first group of 1 to 3 digits that does not
start with 0, with no + before it (``+33 612 345 678`` and ``06 12 34 56 78`` are not numbers).

Only the standard library and numpy: the GUI process imports this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

MISSING_MARKERS = {"", "na", "n/a", "nan", "null", "none", "-", "?", "#n/a", "nd", "n.d."}
# Samples are float32: a cell beyond its range (1e39, "1e300") would become infinity, so it is not a number.
LARGEST_NUMBER = float(np.finfo(np.float32).max)

_NUMBER_RE = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_THOUSANDS_DOT_RE = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$")
_THOUSANDS_DOTS_ONLY_RE = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3}){2,}$")
# "1.299" in a file with decimal commas: a whole number with dots grouping thousands, or 1.299? Read per column
# (``dots_group_thousands``); a first group never starts with 0 ("0.981" is a decimal).
_GROUPED_DOTS_RE = re.compile(r"^[+-]?[1-9]\d{0,2}(?:\.\d{3})+$")
_THOUSANDS_COMMA_RE = re.compile(r"^[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?$")
# With a decimal comma, commas still group thousands when a dot follows or there are several of them.
_THOUSANDS_COMMAS_RE = re.compile(r"^[+-]?[1-9]\d{0,2}(?:(?:,\d{3})+\.\d*|(?:,\d{3}){2,})$")
# No "+" and no leading 0: "+33 612 345 678" and "012 345 678" are phone numbers, not thousands.
_THOUSANDS_SPACE_RE = re.compile(r"^-?[1-9]\d{0,2}(?: \d{3})+(?:[.,]\d*)?$")
# Currency signs and codes, and %, that may stand before or after a number (codes in any case).
_CURRENCY_RE = r"(?:[€$£¥]|chf|eur|usd|gbp)"
_UNIT_RE = r"(?:[€$£¥%]|chf|eur|usd|gbp)"
# Excel's accounting format writes zero as a dash beside the currency: "- €", "-   €", "€ -", "$ -".
_ACCOUNTING_ZERO_RE = re.compile(r"^(?:" + _CURRENCY_RE + r"\s*-|-\s*" + _CURRENCY_RE + r")$", re.IGNORECASE)
_PREFIX_RE = re.compile(r"^(?P<sign>[+-]?)\s*" + _UNIT_RE + r"\s*", re.IGNORECASE)
_SUFFIX_RE = re.compile(r"\s*" + _UNIT_RE + r"$", re.IGNORECASE)


def is_missing(value: str) -> bool:
    return len(value) < 16 and value.strip().casefold() in MISSING_MARKERS


def _strip_units(s: str) -> str:
    """``s`` without a currency sign / code or % before or after the number; a sign written before a
    leading currency sign ("-€12") is kept."""
    if not s or (s[-1].isdigit() and s[0].isdigit()):
        return s
    m = _PREFIX_RE.match(s)
    if m:
        rest = s[m.end():]
        if m.group("sign"):
            if rest[:1] in ("+", "-"):
                return ""  # two signs: not a number
            rest = m.group("sign") + rest
        s = rest
    m = _SUFFIX_RE.search(s)
    if m:
        s = s[: m.start()]
    return s


def _digits(value: str) -> str | None:
    """The number in ``value`` with its sign, digits, dots and commas only (no currency, %, spaces), or
    None when spaces are left that do not group thousands."""
    s = value.strip().replace("\u2212", "-")
    if _ACCOUNTING_ZERO_RE.match(s):  # \s matches no-break spaces too
        return "0"
    s = s.replace("\u00a0", "").replace("\u202f", "")
    s = _strip_units(s)
    if " " in s:
        if not _THOUSANDS_SPACE_RE.match(s):
            return None
        s = s.replace(" ", "")
    return s or None


def parse_number(value: str, decimal_comma: bool = False) -> float | None:
    """The number written in ``value``, or None when it is blank or not a number. With ``decimal_comma``
    "3,5" is 3.5 and "1.234,5" is 1234.5; "3.5" is read as 3.5 either way. Currency signs, % and
    thousands separators are read as described in the module docstring."""
    s = _digits(value)
    if s is None:
        return None
    if decimal_comma:
        if "," in s and _THOUSANDS_COMMAS_RE.match(s):  # "1,234.56", "1,234,567": commas group thousands
            s = s.replace(",", "")
        elif "," in s:
            if _THOUSANDS_DOT_RE.match(s):
                s = s.replace(".", "")
            if s.count(",") != 1:
                return None
            s = s.replace(",", ".")
        elif _THOUSANDS_DOTS_ONLY_RE.match(s):  # "1.234.567"
            s = s.replace(".", "")
    elif "," in s and _THOUSANDS_COMMA_RE.match(s):
        s = s.replace(",", "")
    if not _NUMBER_RE.match(s):
        return None
    v = float(s)
    return v if abs(v) <= LARGEST_NUMBER else None


def decimal_mark(value: str) -> str | None:
    """Which decimal mark the cell shows: "," for "3,5" or "1.234,5 €" (also "1,234", which a file with
    decimal commas means as 1.234), "." for "3.5" or "$1,234.56", None for whole numbers and text."""
    s = _digits(value)
    if s is None:
        return None
    with_comma, with_dot = parse_number(s, True), parse_number(s)
    if "," in s and with_comma is not None and with_comma != with_dot:
        return ","
    if "." in s and with_dot is not None and not _THOUSANDS_DOT_RE.match(s):
        return "."
    return None


@dataclass
class NumericColumn:
    values: np.ndarray
    """float64, NaN where the cell was blank or not a number."""
    blank: int
    not_numbers: list[tuple[int, str]]
    """(row index, text) of non-blank cells that are not numbers."""

    @property
    def numeric_fraction(self) -> float:
        filled = len(self.values) - self.blank
        return 1.0 if filled == 0 else (filled - len(self.not_numbers)) / filled


def dots_group_thousands(values: list[str]) -> bool:
    """In a file whose numbers show decimal commas (``file_shows_decimal_commas``), whether this column's dots
    group thousands: some cells are whole numbers grouped by dots ("1.299", "12.500 €") and none holds a
    decimal dot ("3.5", "0.981", "1.2345"). A German price list writes "19", "49", "1.299": that is 1,299
    euros, not 1.30. A column written with decimal dots keeps them, whatever the rest of the file does."""
    grouped = False
    for v in set(values):
        s = _digits(v)
        if not s or "." not in s or "," in s:
            continue
        if _GROUPED_DOTS_RE.match(s):
            grouped = True
        elif _NUMBER_RE.match(s):
            return False
    return grouped


def file_shows_decimal_commas(rows: list[list[str]]) -> bool:
    """Whether some cell of the file is a number with a decimal comma ("12,50", "1.234,5"): the evidence that
    its dots can group thousands. A ';' file with no comma at all is read as decimal commas by default, but its
    "19.000" says nothing either way, so it keeps reading 19 (the regression walk)."""
    return any(decimal_mark(v) == "," for row in rows[:2000] for v in row)


def without_grouping_dots(value: str) -> str:
    """``value`` with the dots of "1.299" / "12.500 €" taken out; other values as they are."""
    s = _digits(value)
    return value.replace(".", "") if s and _GROUPED_DOTS_RE.match(s) else value


def numeric_column(values: list[str], decimal_comma: bool = False, thousands_dots: bool = False) -> NumericColumn:
    """Read a column of strings as numbers (fast path through numpy, cell by cell when that fails). With
    ``decimal_comma`` and ``thousands_dots`` (the import found this column's dots group thousands, and kept it
    in the column's meta: ``dots_group_thousands``), "1.299" is 1299; else 1.299, as a run trained before the
    rule learnt it."""
    if decimal_comma and thousands_dots:
        values = [without_grouping_dots(v) for v in values]
    n = len(values)
    out = np.full(n, np.nan, dtype=np.float64)
    blank = 0
    bad: list[tuple[int, str]] = []
    simple = [v.replace(",", ".") if decimal_comma else v for v in values]
    try:
        fast = np.asarray(simple, dtype=np.float64) if n else out
        if np.all(np.abs(fast) <= LARGEST_NUMBER) and not any("_" in v for v in simple):
            return NumericColumn(fast.astype(np.float64, copy=False), 0, [])
    except (ValueError, TypeError, OverflowError):
        pass
    seen: dict[str, float | None] = {}  # columns repeat values: parse each distinct one once
    missing = object()
    for i, v in enumerate(values):
        num = seen.get(v, missing)
        if num is missing:
            num = seen[v] = None if is_missing(v) else parse_number(v, decimal_comma)
            if num is None and not is_missing(v):
                seen[v] = num = float("inf")  # marks "not a number"
        if num is None:
            blank += 1
        elif num == float("inf"):
            bad.append((i, v))
        else:
            out[i] = num
    return NumericColumn(out, blank, bad)
