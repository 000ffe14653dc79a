"""Which sensor recordings a dataset folder holds and which class each belongs to: one subfolder per class
(``cavitation/pump3_rec01.csv``), or recordings plus a label sheet in the folder that names each one's label
(``file,state,pump``; read by ``label_table.py``, as for pictures and sound clips; its column that says
which machine was recorded keeps each one's recordings in one split). A CSV of readings with a label column
(long format) is no sheet: it names no recordings, and is read by ``timeseries._long_csv``.

Class folders win over a sheet beside them, as for sound clips; a sheet is read when there are fewer than
two class folders, or a label column is asked for and the sheet has it."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from edgeling.core.data import report as R
from edgeling.core.data.csvnumbers import parse_number
from edgeling.core.data.dataset import DataError
from edgeling.core.data.label_table import Listing, Media, from_label_table, read_rows
from edgeling.core.data.ordering import natural_order

CSV_EXTS = {".csv", ".tsv", ".txt"}
RECORDINGS = Media("recording", "recordings", frozenset(CSV_EXTS), "recordings/pump3_rec01.csv")
SHEET_HEAD = 16 << 10       # bytes of a CSV read to tell a label sheet from a recording (each loose CSV's start)


def layout(root: Path) -> tuple[list[Path], list[Path]]:
    """(class folders holding CSV files, CSV files directly in root)."""
    class_dirs, loose = [], []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and any(csv_files(entry)):
            class_dirs.append(entry)
        elif entry.is_file() and entry.suffix.lower() in CSV_EXTS:
            loose.append(entry)
    return class_dirs, loose


def csv_files(folder: Path):
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in CSV_EXTS:
                yield Path(dirpath) / name


def sheet_listing(root: Path, class_dirs: list[Path], loose: list[Path], report: R.Report,
                  label_column: str | None = None) -> Listing | None:
    """The recordings a label sheet directly in ``root`` gives a label (the first such sheet, in name order), or
    None: two or more class folders (and no label column asked for), or no CSV there names recordings. What
    the sheet could not use is added to ``report``. A label column the sheet lacks is no error here: it may
    be the column of a long CSV of readings."""
    if not loose or (len(class_dirs) >= 2 and not label_column):
        return None
    every = [p.relative_to(root).as_posix() for p in csv_files(root)]
    for table in sorted(loose, key=lambda p: natural_order(p.name)):
        others = [rel for rel in every if rel != table.name]
        if not names_files(table, others):
            continue
        said = R.Report()
        try:
            listing = from_label_table(root, table.name, others, said, label_column, RECORDINGS)
        except DataError:
            continue
        if listing is not None and listing.files:
            report.problems.extend(said.problems)
            return listing
    return None


def list_recording_files(root: Path, report: R.Report, label_column: str | None = None) -> Listing:
    """As ``audio_files.list_audio_files`` for recordings: the sheet's listing, or (labels_from "folders") the
    class folders' files."""
    class_dirs, loose = layout(root)
    listing = sheet_listing(root, class_dirs, loose, report, label_column)
    if listing is not None:
        return listing
    files = [(p.relative_to(root).as_posix(), d.name) for d in class_dirs for p in csv_files(d)]
    return Listing(files=files, class_names=sorted({c for _, c in files}, key=natural_order), labels_from="folders")


def _folded(name: str) -> str:
    return unicodedata.normalize("NFC", name).lower()


def names_files(table: Path, files: list[str]) -> bool:
    """Whether the start of ``table`` has a cell naming a CSV file, or one of ``files`` by its name or stem: a
    label sheet, not a recording (read cheaply: a recording can be megabytes)."""
    names = {_folded(os.path.basename(f)) for f in files} | {_folded(os.path.splitext(os.path.basename(f))[0])
                                                             for f in files}
    for row in read_rows(table, head=SHEET_HEAD)[:200]:
        for cell in row:
            base = _folded(cell.replace("\\", "/").rsplit("/", 1)[-1])
            if not base:
                continue
            if os.path.splitext(base)[1] in CSV_EXTS:
                return True
            # a reading ("2") is no file name, even beside 2.csv (the review: recordings named 1.csv ... 40.csv
            # holding whole numbers were taken as the sheet)
            if base in names and parse_number(base) is None and parse_number(base, True) is None:
                return True
    return False
