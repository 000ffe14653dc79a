"""Import a CSV table (a spreadsheet export) as a Dataset of encoded feature rows.

- The target is the column named by ``options.target`` (matched ignoring case and accents), else the last
  column. Rows with a blank target are left out and reported.
- Number columns stay numbers; text columns become categories, one-hot encoded (the 20 most frequent
  values, the rest as "(other)", blanks as "(missing)"). A text column with a different value in nearly every
  row (an order number, a free-text note) and a number column that just counts rows are identifiers: they
  are dropped and reported (``dropped_column``). Columns with one value are dropped (``constant_column``).
- Date columns (2024-03-01, 01/03/2024, 01.03.2024, optionally with a time) are expanded into numeric
  parts: year, month, day of month, day of week (and hour when there is a time); parts that never change
  are left out.
- Blank number cells get the column's median, blank text cells the category "(missing)"; both reported per
  column (``missing_values``). Cells of a number column that are not numbers get the median too, and a
  warning naming them (``not_numbers``). Total rows are left out by ``read_csv``.
- Text target labels are read in one Unicode form (NFC), as class folder names are: an accented label typed
  on a Mac is the same class. Labels differing only in capitals ('Mildew', 'mildew') stay two classes, with
  a warning (``labels_differ_in_case``).
- The task: a text target, or a whole-number target with few values (<= 20 and <= 5% of the rows, or just
  two), is classification; anything else regression. ``options.task`` overrides.

``meta["columns"]`` holds everything ``table_encode.encode_rows`` needs to encode new rows exactly the same way.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.data.checks import finish_dataset
from edgeling.core.data.csvdates import DATE_PARTS, date_parts, detect_date_format
from edgeling.core.data.csvnumbers import (
    dots_group_thousands,
    file_shows_decimal_commas,
    parse_number,
    without_grouping_dots,
)
from edgeling.core.data.csvread import (
    is_missing,
    numeric_column,
    read_csv,
    report_renamed_columns,
    same_name,
)
from edgeling.core.data.dataset import TRAIN, DataError, Dataset
from edgeling.core.data.ordering import label_text, report_labels_differing_in_case
from edgeling.core.data.row_names import name_words
from edgeling.core.data.table_encode import MISSING, OTHER, encode_column
from edgeling.core.data.table_leaks import report_leaks
from edgeling.core.data.table_target import (  # noqa: F401 - number_name: also read from here
    MAX_CLASSES_FOR_NUMBERS,
    encode_target,
    find_target,
    guess_target,
    how_to_choose_target,
    number_name,
)
from edgeling.core.sentences import counted, verb

VERSION = 18  # 2: "- €" (Excel's accounting zero) is 0; phone numbers in groups of three are not numbers;
# 3: a last line cut off mid-way is left out and reported (CUT_OFF_ROW); 4: target labels in one Unicode form
# (NFC: 'mildiou' typed on a Mac and on Windows is one class); labels differing only in capitals are reported;
# 5: text values of feature columns in one Unicode form too ('Électronique' from a Mac and from Windows);
# 6: a mostly blank last column taken as the target asks whether it is the column to predict; 7: with no
# column chosen, a last column that cannot be learnt is passed over; 8: number ranges and date years kept
# 9: a logger's notes above the table ('# firmware 2.4.1', 'Rate: 100 Hz') are skipped (NOTES_SKIPPED)
# 10: in a file with decimal commas, a column whose dots group thousands ("1.299") reads them so (THOUSANDS_DOTS)
# 11: numbers named like a compound identifier ("Bestellnummer", "Kundennr", "OrderId") are dropped
# 12: columns named twice or not at all are reported (COLUMNS_RENAMED)
# 13: a stray quote mark neither changes the delimiter nor swallows the rest of the file (csvread);
# 14: a note line starting with "#" as wide as the table, above a header, is a note (csvread)
# 15: rows under two labels are said to be kept under both until one is deleted (checks)
# 16: a column that alone gives the answer away is a warning (LEAKING_COLUMN, table_leaks.py)
# 17: a date written year-first (2025-03-01) in a day-first or month-first column is read (csvdates.date_parts);
#     a title line above the table is "line 1", not "lines 1-1"; 18: one sensor recording read as a table is said
MAX_CATEGORIES = 20
NUMERIC_MIN_FRACTION = 0.9
ID_MIN_ROWS = 20
ID_DISTINCT_FRACTION = 0.9
# Report codes of this importer (besides the shared ones in report.py).
DATE_EXPANDED = R.DATE_EXPANDED
CATEGORIES_GROUPED = R.CATEGORIES_GROUPED
NOT_NUMBERS = "not_numbers"  # cells of a number column that hold something else ("12..5", "n.c.")
NOT_NUMBERS_SHOWN = 5
NUMBERING_WORDS = frozenset({"id", "no", "nr", "n°", "num", "number", "numero", "#", "ref", "reference", "code",
                             "key", "nummer"})
"""Words of a name (``row_names.name_words``: "Bestellnummer" gives "nummer") that make a whole number with a
different value in every row an identifier, not a quantity."""


def import_dataset(path: Path, options) -> Dataset:
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path} is a folder. To open a table, choose the CSV file itself.", files=[str(path)])
    report = R.Report()
    table = read_csv(path, report)
    report_renamed_columns(report, table)
    if len(table.columns) < 2:
        raise DataError(
            f"{path} has a single column ({table.columns[0]!r}), so there is nothing to predict it from. A "
            "table needs the column to predict plus at least one column to predict it with. If the file "
            "has more columns, check that it uses commas, semicolons or tabs between values.",
            files=[str(path)])
    chosen = str(options.target or "").strip()
    target_idx, why = (find_target(table, chosen), None) if chosen else guess_target(table)
    target_name = table.columns[target_idx]
    if why:
        report.add(R.TARGET_GUESSED, why, "If another column is the one to predict, choose it ('Column to "
                   "predict' on the Data page, or --target NAME).", files=[str(path)], severity="info")
    if not chosen:
        _say_if_a_recording(path, table.columns, target_name, report)
    try:
        return _import_rows(path, table, report, target_idx, target_name, options)
    except DataError as e:
        if chosen or "target column" not in str(e):
            raise
        raise DataError(f"{e} {how_to_choose_target(table.columns, target_idx, why)}", files=e.files) from None


def _say_if_a_recording(path: Path, columns: list[str], target: str, report: R.Report) -> None:
    """One sensor recording (x, y, z) chosen on its own is read as a table predicting its last axis from the
    others, "No problems found" (the GUI walk): said, with the folder to choose instead."""
    from edgeling.core.data.channel_match import axis_of

    axes = [c for c in columns if axis_of(c)]
    if len(axes) >= 2 and target in axes:
        report.add(R.LOOKS_LIKE_RECORDING,
                   f"{path.name} looks like one sensor recording (its columns {', '.join(axes)} are a sensor's axes), so "
                   f"it was read as a table that predicts {target!r} from the others.",
                   "To learn from sensor recordings, choose the folder that holds them: one CSV per recording, in a "
                   "subfolder per class (or with a CSV naming each one's class). If you do want to predict "
                   f"{target!r}, nothing to do.", files=[str(path)], severity="warning")


def _import_rows(path: Path, table, report: R.Report, target_idx: int, target_name: str, options) -> Dataset:

    keep = [i for i, r in enumerate(table.rows) if not is_missing(r[target_idx])]
    dropped_rows = [table.line_numbers[i] for i, r in enumerate(table.rows) if is_missing(r[target_idx])]
    if dropped_rows:
        guessed = not options.target and len(dropped_rows) * 2 > len(table.rows)
        report.add(R.MISSING_VALUES,
                   f"{counted(len(dropped_rows), 'row')} {verb(len(dropped_rows), 'has', 'have')} no value in the target column "
                   f"{target_name!r} and {verb(len(dropped_rows), 'was', 'were')} left out, since there is nothing to learn from them.",
                   (f"Is {target_name!r} the column to predict? It was taken because it is the last column, and "
                    "most of its rows are blank. Choose the column to predict (Column to predict on the Data "
                    "page, or --target NAME)." if guessed else "Fill in the target for those rows if you know it."),
                   files=[f"{path.name}#row={n}" for n in dropped_rows], severity="warning")
    if not keep:
        raise DataError(f"The target column {target_name!r} of {path} is empty in every row. Choose the "
                        "column that holds what you want to predict.", files=[str(path)])
    rows = [table.rows[i] for i in keep]
    lines = [table.line_numbers[i] for i in keep]
    raw_target = [r[target_idx] for r in rows]
    task, y, class_names, target_info = encode_target(raw_target, target_name, options.task, path,
                                                      table.decimal_comma)
    if target_info["type"] == "text":
        counts = np.bincount(y, minlength=len(class_names))
        report_labels_differing_in_case({c: int(n) for c, n in zip(class_names, counts)},
                                        f"in the target column {target_name!r}", ("row", "rows"), report)

    columns, blocks, read = [], [], []
    missing_notes = []
    left_out = _left_out(table, options, target_name, path, report)
    commas_seen = table.decimal_comma and file_shows_decimal_commas(rows)
    for j, name in enumerate(table.columns):
        if j == target_idx or name in left_out:
            continue
        col, block, note = _fit_column(name, [r[j] for r in rows], table.decimal_comma, report, path, lines,
                                       commas_seen)
        if col is None:
            continue
        columns.append(col)
        blocks.append(block)
        read.append((name, [r[j] for r in rows]))
        if note:
            missing_notes.append(note)
    if not columns:
        raise DataError(
            f"{path} has no usable column to predict {target_name!r} from: every other column was empty, "
            "the same in every row, or an identifier such as an order number ("
            + " ".join(p.message for p in report.problems[:4]) + "). "
            "Add columns that describe each row, or choose another target column.",
            files=[str(path)] + [f for p in report.problems for f in p.files])
    if task == "classification":      # a column that gives the answer away (the shop walk: a return date)
        report_leaks(read, y, class_names, table.decimal_comma, report)
    if missing_notes:
        report.add(R.MISSING_VALUES,
                   "Some cells are blank. Blank numbers were filled with the column's middle value (the "
                   "median) and blank text with the category \"(missing)\": "
                   + "; ".join(missing_notes) + ".",
                   "Nothing to do: the model is given the filled values, as it will be for new rows. A column "
                   "that is mostly blank teaches the model little; delete it in your spreadsheet if you like.",
                   files=missing_notes, severity="info")
    x = np.concatenate(blocks, axis=1).astype(np.float32)
    offset = 0
    feature_names = []
    for col in columns:
        col["slice"] = [offset, offset + col["width"]]
        offset += col["width"]
        feature_names += col["features"]

    target_col = table.columns[target_idx]
    groups = [hashlib.sha1("\x1f".join(v for k, v in enumerate(r) if k != target_idx).encode("utf-8",
                                                                                          "surrogatepass"))
              .hexdigest() for r in rows]
    used = {c["name"] for c in columns} | {target_col}
    meta = {"columns": columns, "feature_names": feature_names, "target": target_col, "target_info": target_info,
            "dates": "expanded", "unused_columns": [c for c in table.columns if c not in used], **table.describe()}
    ds = finish_dataset(kind="table", task=task, x=x, y=y, class_names=class_names,
                        sources=[f"{path.name}#row={n}" for n in lines], groups=groups, root=str(path),
                        meta=meta, report=report, content_groups=True, seed=options.seed, split=options.split)
    train = ds.x[ds.splits == TRAIN] if np.any(ds.splits == TRAIN) else ds.x
    ds.meta["feature_mean"] = [float(v) for v in train.mean(axis=0, dtype=np.float64)]
    ds.meta["feature_std"] = [float(v) for v in train.std(axis=0, dtype=np.float64)]
    return ds


def _fit_column(name: str, values: list[str], decimal_comma: bool, report: R.Report, path: Path,
                lines: list[int], commas_seen: bool = False):
    """(column meta, encoded block (N, width), missing-values note) or (None, None, None) if dropped.
    ``lines``: the file line of each value, for messages."""
    n = len(values)
    thousands_dots = decimal_comma and commas_seen and dots_group_thousands(values)
    nums = numeric_column(values, decimal_comma, thousands_dots)
    filled = n - nums.blank
    if filled == 0:
        _dropped(report, path, name, "is blank in every row")
        return None, None, None
    if nums.numeric_fraction >= NUMERIC_MIN_FRACTION:
        return _fit_number(name, nums, values, report, path, lines, thousands_dots)
    fmt = detect_date_format([v for v in values if not is_missing(v)])
    if fmt is not None:
        return _fit_date(name, values, fmt, report, path)
    return _fit_text(name, values, report, path)


def _fit_number(name, nums, values, report, path, lines, thousands_dots=False):
    v = nums.values
    present = v[~np.isnan(v)]
    distinct = np.unique(present)
    if len(distinct) <= 1:
        _constant(report, path, name, number_name(distinct[0]) if len(distinct) else "")
        return None, None, None
    if _counts_rows(name, present, len(v)):
        _dropped(report, path, name, "numbers every row (an identifier, like an order number) and says "
                                     "nothing about the row")
        return None, None, None
    median = float(np.median(present))
    missing = int(np.isnan(v).sum())
    note = f"{name!r}: {nums.blank} blank, filled with {median:g}" if nums.blank else ""
    if nums.not_numbers:
        _not_numbers(report, path, name, [(lines[i], t) for i, t in nums.not_numbers], median)
    col = {"name": name, "type": "number", "fill": median, "width": 1, "features": [name], "missing": missing,
           "range": [float(present.min()), float(present.max())]}   # predict says a value far outside
    col["thousands_dots"] = bool(thousands_dots)   # how "1.299" reads in the files to predict too
    if thousands_dots:
        example = next(t for t in values if without_grouping_dots(t) != t)
        report.add(R.THOUSANDS_DOTS,
                   f"In the column {name!r} of {path.name}, numbers such as {example.strip()!r} were read as "
                   f"{number_name(parse_number(without_grouping_dots(example), True))}: in this file decimals "
                   "are written with a comma, and this column's dots group thousands (none of its numbers has a "
                   "decimal dot).", "Nothing to do, unless those numbers are decimals: then write them with a "
                   "comma (1,299) and import the file again.", files=[f"{path.name}#column={name}"],
                   severity="info")
    return col, encode_column(col, values, nums.values.copy()), note


def _left_out(table, options, target_name: str, path: Path, report: R.Report) -> set[str]:
    """The columns the user chose to leave out (``ImportOptions.leave_out``, matched like the target: case
    and accents aside); DataError naming the columns there are for one that is not in the file."""
    wanted = [w for w in (getattr(options, "leave_out", None) or []) if str(w).strip()]
    if not wanted:
        return set()
    found = {w: next((c for c in table.columns if same_name(w, c)), None) for w in wanted}
    missing = [w for w, c in found.items() if c is None]
    if missing:
        raise DataError(f"{path} has no column named {', '.join(map(repr, missing))} to leave out. Its columns "
                        f"are: {', '.join(map(repr, table.columns))}.", files=[str(path)])
    chosen = set(found.values())
    if target_name in chosen:
        raise DataError(f"{target_name!r} is the column to predict, so it cannot be left out. Choose another "
                        "column to predict, or do not leave this one out.", files=[str(path)])
    report.add(R.DROPPED_COLUMN, f"Left out as you asked: {', '.join(map(repr, sorted(chosen)))}.", "Nothing to do.",
               files=[f"{path.name}#column={c}" for c in sorted(chosen)], severity="info")
    return chosen


def _counts_rows(name: str, present: np.ndarray, n: int) -> bool:
    """A whole-number column with a different value in every row that either goes up by one from row to
    row (a row number) or is called like an identifier (id, no, ref, code, ...)."""
    if n < ID_MIN_ROWS or len(present) < n * ID_DISTINCT_FRACTION:
        return False
    if not np.all(present == np.round(present)) or len(np.unique(present)) < 0.98 * len(present):
        return False
    steps = np.diff(present)  # in file order: a row number goes up by one from row to row
    return bool(np.mean(steps == 1) >= 0.9) or bool(name_words(name) & NUMBERING_WORDS)


def _fit_text(name, values, report, path):
    cells = [label_text(v) for v in values]     # "Électronique" typed on a Mac or on Windows: one value
    present = [c for c in cells if not is_missing(c)]
    counts = Counter(present)
    if len(counts) <= 1 and len(present) == len(cells):
        _constant(report, path, name, present[0] if present else "")
        return None, None, None
    if len(present) >= ID_MIN_ROWS and len(counts) >= ID_DISTINCT_FRACTION * len(present):
        _dropped(report, path, name, f"has a different text in almost every row{' that has one' if len(present) < len(cells) else ''} "
                                     "(an identifier or a free-text note), so there is nothing a model can learn from it")
        return None, None, None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    categories = [k for k, _ in ranked[:MAX_CATEGORIES]]
    if len(ranked) > MAX_CATEGORIES:
        categories.append(OTHER)
    missing = len(cells) - len(present)
    if missing:
        categories.append(MISSING)
    col = {"name": name, "type": "category", "categories": categories, "width": len(categories),
           "features": [f"{name}={c}" for c in categories], "missing": missing,
           "other": len(ranked) > MAX_CATEGORIES}
    note = f"{name!r}: {missing} blank, counted as \"(missing)\"" if missing else ""
    if len(ranked) > MAX_CATEGORIES:
        report.add(CATEGORIES_GROUPED,
                   f"The text column {name!r} has {len(ranked)} different values; the {MAX_CATEGORIES} most "
                   f"frequent are kept and the other {len(ranked) - MAX_CATEGORIES} are grouped as "
                   "\"(other)\".", "Nothing to do, unless the rare values matter: then merge similar ones.",
                   files=[f"{path.name}#column={name}"], severity="info")
    return col, encode_column(col, values), note


def _fit_date(name, values, fmt, report, path):
    parts = date_parts(values, fmt)  # (N, 5) float, NaN where blank or unreadable
    kept = [k for k in range(parts.shape[1]) if len(np.unique(parts[~np.isnan(parts[:, k]), k])) > 1]
    if not kept:
        _constant(report, path, name, "one date")
        return None, None, None
    labels = DATE_PARTS
    fills = [float(np.median(parts[~np.isnan(parts[:, k]), k])) for k in kept]
    missing = int(np.isnan(parts[:, kept[0]]).sum())
    col = {"name": name, "type": "date", "format": fmt, "parts": kept, "fill": fills, "width": len(kept),
           "features": [f"{name} ({labels[k]})" for k in kept], "missing": missing}
    if 0 in kept:     # the year is a number to the model: predict says a year it never learnt from
        years = parts[~np.isnan(parts[:, 0]), 0]
        col["year_range"] = [int(years.min()), int(years.max())]
    note = f"{name!r}: {counted(missing, 'blank or unreadable date')}, filled with the middle date" if missing else ""
    report.add(DATE_EXPANDED,
               f"The date column {name!r} was turned into numbers the model can use: "
               + ", ".join(labels[k] for k in kept) + ".",
               "Nothing to do.", files=[f"{path.name}#column={name}"], severity="info")
    return col, encode_column(col, values), note


def _not_numbers(report: R.Report, path: Path, name: str, cells: list[tuple[int, str]], fill: float) -> None:
    """Cells of a number column that hold something else: not blanks, so said apart from them."""
    shown = ", ".join(f"row {n} {t!r}" for n, t in cells[:NOT_NUMBERS_SHOWN])
    more = f" and {len(cells) - NOT_NUMBERS_SHOWN} more" if len(cells) > NOT_NUMBERS_SHOWN else ""
    report.add(NOT_NUMBERS,
               f"In the number column {name!r} of {path.name}, {counted(len(cells), 'cell')} could not be read as "
               f"numbers: {shown}{more}. {verb(len(cells), 'It was', 'They were')} treated as unknown and filled with the column's middle "
               f"value ({fill:g}).",
               "Correct those cells so they hold only a number (a currency sign or % next to it is fine), "
               "or empty them if the value is unknown, then import the file again.",
               files=[f"{path.name}#row={n}" for n, _ in cells[:R.MAX_FILES_LISTED]], severity="warning")


def _dropped(report: R.Report, path: Path, name: str, why: str) -> None:
    report.add(R.DROPPED_COLUMN, f"The column {name!r} was left out: it {why}.",
               "Nothing to do, unless you think it matters: then check its values.",
               files=[f"{path.name}#column={name}"], severity="info")


def _constant(report: R.Report, path: Path, name: str, value: str) -> None:
    report.add(R.CONSTANT_COLUMN,
               f"The column {name!r} has the same value ({value!r}) in every row, so it cannot help tell "
               "rows apart; it was left out.", "Nothing to do.", files=[f"{path.name}#column={name}"],
               severity="info")
