"""The column a table model predicts: finding it (``find_target``), encoding its cells as classes or
numbers (``encode_target``), and what to say when the column taken by default cannot be predicted."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgeling.core.data.csvread import CsvTable, is_missing, normalize_name, numeric_column, same_name
from edgeling.core.data.dataset import DataError
from edgeling.core.data.ordering import label_text

MAX_CLASSES_FOR_NUMBERS = 20


def find_target(table: CsvTable, target: str | None) -> int:
    if target is None or not str(target).strip():
        return guess_target(table)[0]
    for i, name in enumerate(table.columns):
        if same_name(target, name):
            return i
    listed = ", ".join(repr(c) for c in table.columns[:40]) + (" ..." if len(table.columns) > 40 else "")
    hint = "" if table.has_header else " The file has no header line, so its columns are numbered."
    raise DataError(f"{table.path} has no column named {target!r}. Its columns are: {listed}.{hint} "
                    "Choose one of these as the target.", files=[str(table.path)])


def _passed_over(table: CsvTable, j: int) -> str | None:
    """Why column ``j`` is no column to predict when nobody chose one, or None when it could be."""
    values = [r[j].strip() for r in table.rows]
    filled = [v for v in values if not is_missing(v)]
    if len(filled) * 2 < len(values):
        return f"blank in {1 - len(filled) / max(len(values), 1):.0%} of the rows"
    distinct = {normalize_name(v) for v in filled}
    if len(filled) >= 2 and len(distinct) == len(filled) \
            and numeric_column(filled, table.decimal_comma).not_numbers:
        return "a different text in every row"
    return None


def guess_target(table: CsvTable) -> tuple[int, str | None]:
    """The column to predict when nobody chose one: the last column, unless it is mostly blank or a
    different text in every row (a comment, an order number), which cannot be learnt; then the nearest
    column before it that can (a last column of one value stays: "only one class" is what to hear then). (index, a sentence saying what was passed over, or None
    when the last column was taken as it could be learnt.) With no such column: the last one, said so."""
    last = len(table.columns) - 1
    skipped = []
    for j in range(last, -1, -1):
        why = _passed_over(table, j)
        if why is None:
            if not skipped:
                return j, None
            passed = "; ".join(f"{table.columns[k]!r} is {w}" for k, w in skipped)
            return j, (f"No column to predict was chosen, so {table.columns[j]!r} was taken: it is the last "
                       f"column that can be learnt ({passed}).")
        skipped.append((j, why))
    passed = "; ".join(f"{table.columns[k]!r} is {w}" for k, w in skipped)
    return last, (f"No column to predict was chosen, and none looks like one ({passed}), so the last column, "
                  f"{table.columns[last]!r}, was tried.")


def encode_target(raw: list[str], name: str, task: str | None, path: Path, decimal_comma: bool = False):
    """(task, y, class_names, info) for the target cells (none blank). Text classes are named as written,
    spaces tidied and in one Unicode form (``ordering.label_text``)."""
    if task not in (None, "classification", "regression"):
        raise DataError(f"Unknown task {task!r}: choose classification or regression.")
    nums = numeric_column(raw, decimal_comma=decimal_comma)
    numeric = not nums.not_numbers
    if task is None:
        task = "regression"
        if not numeric:
            task = "classification"
        else:
            distinct = np.unique(nums.values)
            whole = bool(np.all(nums.values == np.round(nums.values)))
            if whole and (len(distinct) <= 2 or (len(distinct) <= MAX_CLASSES_FOR_NUMBERS
                                                 and len(distinct) <= 0.05 * len(raw))):
                task = "classification"
    if task == "regression":
        if not numeric:
            examples = ", ".join(repr(v) for _, v in nums.not_numbers[:3])
            raise DataError(f"The target column {name!r} of {path} holds text ({examples}), so it cannot be "
                            "predicted as a number. Choose classification, or a column of numbers.",
                            files=[str(path)])
        return task, nums.values.astype(np.float32), [], {"type": "number"}
    if numeric:
        keys = [number_name(v) for v in nums.values]
        class_names = sorted(set(keys), key=lambda k: float(k))
    else:
        keys = [label_text(v) for v in raw]   # in NFC: 'mildiou' typed on a Mac is 'mildiou'
        class_names = sorted(set(keys), key=lambda k: (k.casefold(), k))
    if len(class_names) > 0.5 * len(raw) and len(raw) >= 20:
        raise DataError(
            f"The target column {name!r} of {path} has a different value in almost every row "
            f"({len(class_names)} values in {len(raw)} rows), so there are no groups to learn. Choose the "
            "column that holds what you want to predict" + (", or choose regression to predict it as a "
                                                            "number." if numeric else "."),
            files=[str(path)])
    index = {k: i for i, k in enumerate(class_names)}
    y = np.array([index[k] for k in keys], dtype=np.int64)
    return task, y, class_names, {"type": "number" if numeric else "text"}


def number_name(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


# ----------------------------------------------------------------------------------------------------
# Feature columns: fit (on import) and encode (on import and for prediction)


def how_to_choose_target(columns: list[str], taken: int, why: str | None = None) -> str:
    """What to say when the column taken as the one to predict because none was chosen cannot be; ``why``:
    what ``guess_target`` said when it passed over the last column."""
    others = [c for i, c in enumerate(columns) if i != taken]
    listed = ", ".join(repr(c) for c in others[:40]) + (" ..." if len(others) > 40 else "")
    reason = why or "It was used because it is the last column and no other was chosen."
    return (f"{reason} The other columns are: {listed}. "
            "Choose one in the app with 'Column to predict' on the Data page, or on the command line with "
            "--target NAME.")
