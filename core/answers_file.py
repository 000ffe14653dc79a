"""The answers of ``edgeling predict`` as a spreadsheet file (``--save-answers``; the app's *Save the
answers…*): one line per file or table row, with the row's own name (order number, reference) when the
table has one, the answer (headed "retourné (predicted)" with the column a table model predicts), how sure the model is, the runner-up, and the notes. Written like the table it
answers when there is one (same separator and decimal mark, so a French Excel opens it in columns), UTF-8
with a byte-order mark (Excel then reads the accents right), atomically. No torch: the app writes it."""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from pathlib import Path

from edgeling.core.fileio import atomic_write_bytes


def answers_dialect(files: list[str]) -> tuple[str, bool]:
    """(separator, decimal comma) of the first readable CSV among ``files``; (",", False) when none."""
    from edgeling.core.data.csvread import read_csv
    from edgeling.core.data.dataset import DataError

    for name in files:
        if Path(name).suffix.lower() not in (".csv", ".tsv", ".txt"):
            continue
        try:
            table = read_csv(name)
        except (DataError, OSError):
            continue
        return table.delimiter, table.decimal_comma
    return ",", False


def answers_text(predictions: list[dict], delimiter: str = ",", decimal_comma: bool = False) -> str:
    """The CSV text (see the module docstring) of ``predict``'s predictions. A recording answered window by
    window gives its own line (the answer over the whole recording) and then one line per window, with the
    second it starts at; a note about a whole table (a total row left out) gets a line of its own."""
    id_column = next((p["row_id_column"] for p in predictions if p.get("row_id_column")), None)
    regression = any("value" in p for p in predictions)
    windows = any(p.get("windows") for p in predictions)
    target = next((p["target"] for p in predictions if p.get("target")), None)
    answer = f"{target} (predicted)" if target else ("value" if regression else "answer")
    header = ["file", "row"] + ([id_column] if id_column else []) + (["window from (s)"] if windows else []) + (
        [answer] if regression else [answer, "confidence", "second answer", "its confidence"]) + ["notes"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)

    def number(v: float, digits: int) -> str:
        text = f"{v:.{digits}f}"
        return text.replace(".", ",") if decimal_comma else text

    shown = short_names([_file_of(p) for p in predictions])

    def line_of(p: dict, start: str = "", notes: list | None = None) -> list[str]:
        row = str(p.get("source", "")).partition("#row=")[2]
        line = [shown.get(_file_of(p), _file_of(p)), row]
        if id_column:
            line.append((p.get("row_id") or "") if p.get("row_id_column") == id_column else "")
        if windows:
            line.append(start)
        said = list(p.get("notes") or []) if notes is None else notes
        if "error" in p:
            line += [""] * (len(header) - len(line) - 1)
            said = [f"not predicted: {p['error']}"]
        elif regression:
            line.append(number(float(p["value"]), 4))
        else:
            top = list(p.get("top") or [])
            second = top[1] if len(top) > 1 else {}
            line += [p.get("label", ""), number(float(p.get("confidence", 0.0)), 3), second.get("label", ""),
                     number(float(second["confidence"]), 3) if second else ""]
        return line + [" / ".join(said)]

    for p in predictions:
        if p.get("file_notes"):        # about the file, not this row: a line of its own
            file = shown.get(_file_of(p), _file_of(p))
            writer.writerow([file] + [""] * (len(header) - 2) + [" / ".join(p["file_notes"])])
        whole_notes = list(p.get("notes") or [])
        if p.get("windows"):
            whole_notes = ["the whole recording (its windows follow)"] + whole_notes
        writer.writerow(line_of(p, notes=whole_notes))
        for w in p.get("windows") or []:
            source = str(w.get("source", ""))
            start = source.rpartition("#t=")[2].split("-")[0] if "#t=" in source else ""
            writer.writerow(line_of(w, number(float(start), 2) if start else ""))
    return buffer.getvalue()


def _file_of(prediction: dict) -> str:
    return str(prediction.get("source", "")).partition("#")[0]


def short_names(paths: list[str]) -> dict[str, str]:
    """Each path by its file name, or with as many of its folders as it takes to tell it from the others
    ("ja/child16_1.wav" and "weiter/child16_1.wav": the same name in two word folders)."""
    parts = {p: tuple(x for x in p.replace("\\", "/").split("/") if x) or (p,) for p in dict.fromkeys(paths)}
    out: dict[str, str] = {}
    k, left = 1, dict(parts)
    while left:
        tails = Counter(names[-k:] for names in parts.values())
        for p, names in list(left.items()):
            if tails[names[-k:]] == 1 or k >= len(names):
                out[p] = "/".join(names[-k:])
                del left[p]
        k += 1
    return out


def write_answers(path: str | os.PathLike, predictions: list[dict], files: list[str]) -> Path:
    """Write the answers file at ``path``, in the dialect of the first table among ``files``."""
    delimiter, decimal_comma = answers_dialect(files)
    return atomic_write_bytes(path, answers_text(predictions, delimiter, decimal_comma).encode("utf-8-sig"))
