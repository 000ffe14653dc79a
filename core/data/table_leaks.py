"""A column that gives the answer away: alone, it tells the class of nearly every row, by being blank or
filled, by its values, or by one threshold on its numbers.

Such a column is usually written after the fact: a return date filled in only for returned orders, a status
set once the outcome is known. The shop walk's 'Date de retour' was blank in all 911 'Non' rows; the model
trained on it scored 99.3%, and on the next month's orders, where that column is blank, it answered 'Non' for
all 60. Edgeling cannot know when a column is filled in, so it says what it sees and lets the user decide.

Said (as a warning) when one column alone is right for ``LEAK_ACCURACY`` of the rows, and right for at least
``LEAK_OF_MISTAKES`` of the rows that always answering the most common class gets wrong; values seen fewer than
``MIN_VALUE_ROWS`` times do not count (an identifier would give every row away).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.data.csvnumbers import is_missing, numeric_column
from edgeling.core.terminal_hint import in_terminal

LEAK_ACCURACY = 0.97
LEAK_OF_MISTAKES = 0.8
"""... and it gets right at least this share of the rows always answering the most common class gets wrong (the
regression walk: with 10% returns, 100% right was only 9.9 points above the 90.1% of always 'Non')."""
MIN_VALUE_ROWS = 3
MIN_ROWS = 30
MAX_ROWS = 20_000


def _majority_right(labels) -> int:
    return max(Counter(labels).values()) if len(labels) else 0


def _by_blank(values: list[str], y: np.ndarray) -> tuple[float, str] | None:
    blank = np.array([is_missing(v) for v in values])
    if blank.all() or not blank.any():
        return None
    right = _majority_right(y[blank].tolist()) + _majority_right(y[~blank].tolist())
    return right / len(y), "blank"


def _by_value(values: list[str], y: np.ndarray) -> tuple[float, str] | None:
    rows: dict[str, list[int]] = defaultdict(list)
    for v, label in zip(values, y.tolist()):
        rows[" ".join(v.split()).lower()].append(label)
    common = [labels for labels in rows.values() if len(labels) >= MIN_VALUE_ROWS]
    if len(common) < 2:
        return None
    rare = [label for labels in rows.values() if len(labels) < MIN_VALUE_ROWS for label in labels]
    right = sum(_majority_right(labels) for labels in common) + _majority_right(rare)
    return right / len(y), "values"


def _by_threshold(values: list[str], y: np.ndarray, decimal_comma: bool) -> tuple[float, str] | None:
    nums = numeric_column(values, decimal_comma)
    x = np.asarray(nums.values, np.float64)
    ok = np.isfinite(x)
    if ok.sum() < MIN_ROWS or nums.numeric_fraction < 0.9 or len(np.unique(x[ok])) < 2:
        return None
    order = np.argsort(x[ok], kind="stable")
    xs, ys = x[ok][order], y[ok][order]
    classes, codes = np.unique(ys, return_inverse=True)
    below = np.cumsum(np.eye(len(classes), dtype=np.int32)[codes], axis=0)   # class counts up to each row
    above = below[-1] - below
    cuts = np.flatnonzero(xs[:-1] != xs[1:])      # between two different values (the regression walk: a loop
    best = int((below[cuts].max(1) + above[cuts].max(1)).max()) if len(cuts) else 0   # took 4.8 s on 100k rows)
    return (best + _majority_right(y[~ok].tolist())) / len(y), "threshold"


def report_leaks(named_values: list[tuple[str, list[str]]], y: np.ndarray, class_names: list[str],
                 decimal_comma: bool, report: R.Report) -> None:
    """One LEAKING_COLUMN finding naming each column that alone tells the class of nearly every row
    (``named_values``: the columns the model reads, with their raw cells, row by row as ``y``)."""
    y = np.asarray(y, np.int64)
    if len(y) < MIN_ROWS or len(class_names) < 2:
        return
    if len(y) > MAX_ROWS:        # a share of 97% is measured as well on 20,000 rows, and a big table imports
        keep = np.sort(np.random.default_rng(0).choice(len(y), MAX_ROWS, replace=False))   # as fast as before
        y = y[keep]
        named_values = [(name, [values[i] for i in keep]) for name, values in named_values]
    baseline = _majority_right(y.tolist()) / len(y)
    found = []
    for name, values in named_values:
        tries = [t for t in (_by_blank(values, y), _by_threshold(values, y, decimal_comma),
                             _by_value(values, y)) if t is not None]
        if not tries:
            continue
        share, how = max(tries, key=lambda t: t[0])     # on a tie, the simplest way to say it (blank first)
        if share >= LEAK_ACCURACY and share - baseline >= LEAK_OF_MISTAKES * (1 - baseline):
            found.append((name, share, how, _how_words(how, values, y, class_names)))
    if not found:
        return
    names = [name for name, *_ in found]
    said = "; ".join(f"{name!r} alone gives the right answer for {share:{'.1%' if 0.995 <= share < 1 else '.0%'}} "
                     f"of the rows ({words})"
                     for name, share, _, words in found)
    report.add(R.LEAKING_COLUMN,
               f"{said}. A column like this is often filled in after the fact (a return date, a status set once "
               "the outcome is known), so new rows do not have it yet, and a model that leans on it answers them "
               "wrongly.",
               "If it is not known at the time you want a prediction, leave it out: \"Columns the model reads…\" "
               f"on the Data page{in_terminal('--leave-out ' + repr(names[0]))}. If it is, keep it.",
               files=names, severity="warning")


def _how_words(how: str, values: list[str], y: np.ndarray, class_names: list[str]) -> str:
    if how != "blank":
        return "each of its values goes with one answer" if how == "values" else \
            "rows above one value of it have one answer, rows below it another"
    blank = np.array([is_missing(v) for v in values])
    parts = []
    for c, name in enumerate(class_names):
        mine = y == c
        if mine.any():
            k = int((blank & mine).sum())
            parts.append(f"blank in {k:,} of the {int(mine.sum()):,} {name!r} rows")
    return ", ".join(parts)
