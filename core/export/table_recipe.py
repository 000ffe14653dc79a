"""How to build a table model's input from a row, for the model card: the steps, and a table of every
input (which column, how, its blank value, its mean and std), full precision, so a reseller's software
can feed the ONNX file exactly as Edgeling does."""

from __future__ import annotations


def table_steps(frontend: dict, data_meta: dict) -> list[str]:
    if not data_meta.get("columns"):
        return []
    comma = "a decimal comma (1 234,50)" if data_meta.get("decimal_comma") else "a decimal point (1234.50)"
    steps = [f"Make the {len(frontend.get('mean') or [])} inputs from the row's columns as the table below says "
             f"(a blank cell gets the value shown). Numbers were written with {comma}; a number or date that "
             "cannot be read counts as blank. Text must equal a value below exactly (spaces at either end "
             "removed; capitals count).",
             "A text that is not listed for its column (a value the training never had) gives that column's "
             "\"none of the other values\" input 1 when it has one, else 0 on every one of its inputs.",
             "Standardise each: x[i] = (value[i] - mean[i]) / std[i], with the mean and std in the table."]
    unused = data_meta.get("unused_columns") or []
    if unused:
        steps.append(f"Columns the model does not read (leave them out, or ignore them): {', '.join(map(repr, unused))}.")
    return steps


DATE_ORDERS = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year-month-day"}


def table_inputs(data_meta: dict, frontend: dict) -> list[str]:
    """A Markdown table: which column (and how) makes each input of a table model, with its mean / std."""
    mean, std = frontend.get("mean") or [], frontend.get("std") or []
    rows = ["| input | column | value | mean | std |", "| --- | --- | --- | --- | --- |"]
    for col in data_meta.get("columns") or []:
        first = int(col["slice"][0])
        for j in range(int(col["width"])):
            i = first + j
            if col["type"] == "number":
                how = f"the number (blank: {col['fill']:g})"
            elif col["type"] == "date":
                part = str(col["features"][j]).rsplit("(", 1)[-1].rstrip(")")
                how = (f"the {part} of the date (written {DATE_ORDERS.get(col['format'], col['format'])}; "
                       f"blank: {col['fill'][j]:g})" + (", Monday = 0" if part == "weekday" else ""))
            else:
                value = col["categories"][j]
                cell = {"(missing)": "blank", "(other)": "none of this column's other values"}.get(
                    value, f'"{value}"')
                how = f"1 if the cell is {cell}, else 0"
            stats = (f"{mean[i]:.10g} | {std[i]:.10g}" if i < len(mean) and i < len(std) else " | ")
            rows.append(f"| {i} | {col['name']} | {how} | {stats} |")
    return rows
