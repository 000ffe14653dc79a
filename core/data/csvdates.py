"""Dates and times in CSV cells: year-month-day or day-month-year, with an optional time and zone; times of
day alone ("08:00:00.005"), and dates alone beside them in a column of their own.

Used by the table importer (a date column becomes year, month, day, weekday, hour) and by sensor
recordings (a timestamp column becomes seconds). Only the standard library and numpy.
"""

from __future__ import annotations

import re

import numpy as np

from edgeling.core.data.csvread import is_missing

_TIME = r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}(?:[.,]\d+)?))?)?\s*(Z|[+-]\d{2}:?\d{2})?"
_YMD_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + "$")
_DMY_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})" + _TIME + "$")
DATE_PARTS = ("year", "month", "day", "weekday", "hour")


def _date_fields(value: str, fmt: str) -> tuple[int, int, int, float] | None:
    m = (_YMD_RE if fmt == "ymd" else _DMY_RE).match(value.strip())
    if not m:
        return None
    a, b, c = int(m.group(1)), int(m.group(2)), int(m.group(3))
    y, mo, d = (a, b, c) if fmt == "ymd" else (c, b, a) if fmt == "dmy" else (c, a, b)
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1 <= y <= 9999):
        return None
    hour = float(m.group(4)) + float(m.group(5)) / 60 if m.group(4) else float("nan")
    return y, mo, d, hour


def detect_date_format(values: list[str]) -> str | None:
    """"ymd" (2024-03-01), "dmy" (01/03/2024, 01.03.2024) or "mdy" (03/31/2024) when at least 90% of the
    non-blank ``values`` are dates written that way; None otherwise. Day-first is assumed when both
    orders fit."""
    sample = [v for v in values if not is_missing(v)][:500]
    if not sample:
        return None
    for fmt in ("ymd", "dmy", "mdy"):
        ok = [f for f in (_date_fields(v, fmt) for v in sample) if f is not None]
        if len(ok) >= 0.9 * len(sample):
            return fmt
    return None


def date_parts(values: list[str], fmt: str) -> np.ndarray:
    """(N, 5) float64: year, month, day of month, day of week (0 = Monday), hour; NaN where a cell is
    blank or not a date in ``fmt``, or in year-month-day (2025-03-01 cannot be read another way: the shop
    walk's new software wrote its dates so, and rows of a model trained on 01/03/2025 lost every date)."""
    import datetime as _dt

    out = np.full((len(values), len(DATE_PARTS)), np.nan)
    seen: dict[str, tuple | None] = {}
    for i, v in enumerate(values):
        if v not in seen:
            f = _date_fields(v, fmt) or (_date_fields(v, "ymd") if fmt != "ymd" else None)
            seen[v] = None
            if f is not None:
                y, mo, d, hour = f
                try:
                    seen[v] = (y, mo, d, _dt.date(y, mo, d).weekday(), hour)
                except ValueError:
                    pass
        if seen[v] is not None:
            out[i] = seen[v]
    return out


def datetime_seconds(values: list[str], fmt: str = "ymd") -> np.ndarray:
    """Seconds since 1970 for ISO date-times ("2024-03-01T12:00:00.250", "2024-03-01 12:00:00Z",
    "2024-03-01T12:00:00+02:00"), or with ``fmt`` "dmy" / "mdy" day-first or month-first ones
    ("10.05.2024 08:00:00.005"); NaN where a cell is not one. Times without a zone are taken as UTC.
    Parsed here rather than by datetime.fromisoformat, which reads fewer forms before Python 3.11."""
    import calendar

    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        m = (_YMD_RE if fmt == "ymd" else _DMY_RE).match(v.strip())
        if not m or not m.group(4):
            continue
        a, b, c, hh, mm = (int(m.group(k)) for k in range(1, 6))
        y, mo, d = (a, b, c) if fmt == "ymd" else (c, b, a) if fmt == "dmy" else (c, a, b)
        sec = float(m.group(6).replace(",", ".")) if m.group(6) else 0.0
        if not (1 <= mo <= 12 and 1 <= d <= 31 and hh < 24 and mm < 60 and sec < 61):
            continue
        offset = 0
        tz = m.group(7)
        if tz and tz != "Z":
            digits = tz[1:].replace(":", "")
            offset = (1 if tz[0] == "+" else -1) * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
        out[i] = calendar.timegm((y, mo, d, hh, mm, 0, 0, 0, 0)) + sec - offset
    return out


_CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2}(?:[.,]\d+)?)\s*(?:([AaPp])\.?[Mm]\.?)?$")
DAY = 86400.0


def time_of_day_seconds(values: list[str]) -> np.ndarray:
    """Seconds since midnight for times of day with seconds ("08:00:00.005", "8:00:00,005", "8:00:00 PM"), as
    loggers and spreadsheets write them without a date; NaN where a cell is not one. A time earlier than the
    one before by more than 12 hours is the next day's (a recording past midnight)."""
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        m = _CLOCK_RE.match(v.strip())
        if not m:
            continue
        hh, mm, sec = int(m.group(1)), int(m.group(2)), float(m.group(3).replace(",", "."))
        if m.group(4):
            if not 1 <= hh <= 12:
                continue
            hh = hh % 12 + (12 if m.group(4) in "Pp" else 0)
        if hh < 24 and mm < 60 and sec < 61:
            out[i] = hh * 3600 + mm * 60 + sec
    ok = np.flatnonzero(~np.isnan(out))
    if len(ok) > 1:
        days = np.concatenate([[0], np.cumsum(np.diff(out[ok]) < -DAY / 2)])
        out[ok] += days * DAY
    return out


def date_seconds(values: list[str]) -> np.ndarray:
    """Seconds since 1970 at the start of the day for cells that are dates alone ("2024-05-10", "10.05.2024"),
    in the order most cells are written in (``detect_date_format``); NaN elsewhere, and for a date with a time."""
    import calendar

    out = np.full(len(values), np.nan)
    fmt = detect_date_format(values)
    if fmt is None:
        return out
    seen: dict[str, float] = {}
    for i, v in enumerate(values):
        if v not in seen:
            seen[v] = float("nan")
            f = _date_fields(v, fmt)
            if f is not None and np.isnan(f[3]) and ":" not in v:
                seen[v] = float(calendar.timegm((f[0], f[1], f[2], 0, 0, 0, 0, 0, 0)))
        out[i] = seen[v]
    return out
