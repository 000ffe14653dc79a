"""What an answer for a table row must say about the row (``predict``, the answers file): cells the model
could not read or never saw, blanks it filled, values outside what it learnt from. Per row, except what is
normal for a column and would only flood the answers (a value among the rare ones grouped as "(other)":
one note for the file)."""

from __future__ import annotations

from collections import Counter

import numpy as np


def row_notes(rows: list[dict], meta: dict, decimal_comma: bool) -> tuple[list[list[str]], list[str]]:
    """(one list of notes per row, notes about the file as a whole)."""
    said = [[] for _ in rows]
    file_said: list[str] = []
    for part in (unseen_category_notes(rows, meta, file_said), unreadable_number_notes(rows, meta, decimal_comma),
                 filled_and_outside_notes(rows, meta, decimal_comma)):
        for mine, more in zip(said, part):
            mine.extend(more)
    return said, file_said


def filled_and_outside_notes(rows: list[dict], meta: dict, decimal_comma: bool) -> list[list[str]]:
    """One list of notes per row: a blank number or date the model was given the column's middle value for
    (as the import filled them), and a number or a date's year well outside what the training rows held
    (the model never learnt what happens there: its answer is a guess)."""
    from edgeling.core.data.csvdates import date_parts
    from edgeling.core.data.csvread import is_missing, numeric_column
    from edgeling.core.data.table_encode import column_cells

    notes: list[list[str]] = [[] for _ in rows]
    columns = [c for c in meta.get("columns") or [] if c.get("type") in ("number", "date")]
    cells = column_cells(rows, [c["name"] for c in columns])
    for col in columns:
        name, texts = col["name"], cells[col["name"]]
        blank = [i for i, t in enumerate(texts) if is_missing(t)]
        if col["type"] == "date":       # written so that it cannot be read: said, not filled in silence
            read = ~np.isnan(date_parts(texts, col["format"])[:, 0])
            example = {"dmy": "01/03/2025 or 2025-03-01", "mdy": "03/01/2025 or 2025-03-01"}.get(
                col["format"], "2025-03-01")
            for i in np.flatnonzero(~read).tolist():
                if not is_missing(texts[i]):
                    notes[i].append(f"{texts[i].strip()!r} in {name!r} is not a date Edgeling can read (write it as "
                                    f"{example}); the model was given the middle date of the training rows instead")
        for i in blank:
            fill = (f"the column's middle value ({float(col['fill']):.4g})" if col["type"] == "number"
                    else "the middle date of the training rows")
            notes[i].append(f"{name!r} is blank; the model was given {fill}, as in training")
        if col["type"] == "number" and col.get("range"):
            lo, hi = col["range"]
            margin = 0.1 * (hi - lo)
            values = numeric_column(texts, decimal_comma, bool(col.get("thousands_dots"))).values
            for i in np.flatnonzero((values > hi + margin) | (values < lo - margin)).tolist():
                notes[i].append(f"{values[i]:g} in {name!r} is outside what the model learnt from ({lo:g} to "
                                f"{hi:g}); its answer there is a guess")
        if col["type"] == "date" and col.get("year_range"):
            first, last = col["year_range"]
            years = date_parts(texts, col["format"])[:, 0]
            for i in np.flatnonzero((years > last) | (years < first)).tolist():
                notes[i].append(f"the year {int(years[i])} in {name!r} is outside the years the model learnt "
                                f"from ({first} to {last}); it uses the year as a number, so its answer may drift")
    return notes


def unreadable_number_notes(rows: list[dict], meta: dict, decimal_comma: bool) -> list[list[str]]:
    """One list of notes per row: each cell of a number column that is not blank but cannot be read as a
    number ('n.c.', '12..5 €'); the model was given the column's middle value instead, as at import."""
    from edgeling.core.data.csvread import numeric_column
    from edgeling.core.data.table_encode import column_cells

    notes: list[list[str]] = [[] for _ in rows]
    numbers = [col for col in meta.get("columns") or [] if col.get("type") == "number"]
    cells = column_cells(rows, [col["name"] for col in numbers])
    for col in numbers:
        for i, text in numeric_column(cells[col["name"]], decimal_comma,
                                      bool(col.get("thousands_dots"))).not_numbers:
            notes[i].append(f"{text.strip()!r} in {col['name']!r} is not a number; the model was given the "
                            f"column's middle value ({float(col['fill']):.4g}) instead")
    return notes


def unseen_category_notes(rows: list[dict], meta: dict, file_notes: list | None = None) -> list[list[str]]:
    """One list of notes per row: each value of a category column that the training data never had (the
    import's encoding, ``meta["columns"]``, lists the values it knows). Such a value is encoded as none of
    the known values (all zeros), or as "(other)" when the column grouped its rare values so (the rare values
    are not listed, so there the note cannot tell rare from never seen). That is normal for such a column (a
    shop's many occasional customers): with ``file_notes`` it is said there once, with how many rows."""
    from edgeling.core.data.csvread import is_missing
    from edgeling.core.data.table_encode import column_cells, known_category

    notes: list[list[str]] = [[] for _ in rows]
    grouped: Counter = Counter()
    categories = [col for col in meta.get("columns") or [] if col.get("type") == "category"]
    cells = column_cells(rows, [col["name"] for col in categories])
    for col in categories:
        known = [c for c in col.get("categories") or [] if c not in ("(other)", "(missing)")]
        by_case = {c.casefold(): c for c in known}
        for i, text in enumerate(cells[col["name"]]):
            cell = known_category(" ".join(text.split()), known)
            if is_missing(cell) and "(missing)" not in (col.get("categories") or []):
                notes[i].append(f"{col['name']!r} is blank, which it never was in training; the model treats it "
                                "as none of the known values, so its answer may be a guess.")
                continue
            if is_missing(cell):     # the shop walk: a blank number was said, a blank category not
                notes[i].append(f"{col['name']!r} is blank; the model was given \"(missing)\", as blank cells "
                                "were in training")
                continue
            if cell in known:
                continue
            near = by_case.get(cell.casefold())
            hint = f" (it differs from the known {near!r} in capitals only)" if near else ""
            if col.get("other") and file_notes is not None and not near:
                grouped[col["name"]] += 1            # normal for this column: said once for the file
            elif col.get("other"):  # the rare training values were grouped too: it may be one of them
                notes[i].append(f"{cell!r} in {col['name']!r} is not one of the values the model knows by name "
                                f"(it was rare in training, or never there){hint}; the model counts it with the "
                                'rare values grouped as "(other)".')
            else:
                notes[i].append(f"{cell!r} in {col['name']!r} was never seen in training{hint}; the model "
                                "treats it as none of the known values.")
    for name, count in grouped.items():
        col = next(c for c in categories if c["name"] == name)
        known = len([c for c in col["categories"] if c not in ("(other)", "(missing)")])
        file_notes.append(f"{count} of the {len(rows)} rows have a {name!r} the model knows only among the rare "
                          f"values it groups as \"(other)\" (it keeps the {known} most common by name): normal "
                          "for a column with many values, such as occasional customers.")
    return notes
