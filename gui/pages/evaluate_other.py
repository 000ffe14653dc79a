"""Where the files are that "Test on other files…" (Evaluate page) tests a run on, asked as the run's data
was laid out: a CSV for a table run; for a sensor run one long CSV with the label column it was trained
with, or a folder with one subfolder per class (the layout it was trained on is offered first); for
pictures and clips a folder with one subfolder per class (or the files with a CSV list of their classes, as
core reads it for training). Reads only the run's run.json."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.runs import read_config
from edgeling.gui.qt import QFileDialog, QInputDialog

TABLE_FILTER = "Tables (*.csv *.tsv *.txt);;All files (*)"
FOLDERS = "A folder with one subfolder per class, or with a CSV list of each recording's class (one CSV per recording)"
FOLDER_TITLE = "Test on which folder (one subfolder per class, or the files and a CSV list of their classes)?"


def ask_files_to_test(parent, run_folder: Path, start: str) -> str | None:
    """The file or folder the user chose, or None when they cancelled."""
    config = read_config(run_folder) or {}
    kind = (config.get("dataset") or {}).get("kind")
    if kind == "table":
        path, _ = QFileDialog.getOpenFileName(parent, "Test on which table (CSV with the column to predict)?",
                                              start, TABLE_FILTER)
        return path or None
    if kind == "timeseries":
        meta = (config.get("spec") or {}).get("meta") or {}
        column = meta.get("label_column") or (config.get("import_options") or {}).get("target")
        one_csv = (f"One long CSV with the labels in its column '{column}'" if column else
                   "One long CSV with a label column (what happens in each row)")
        items = [one_csv, FOLDERS] if meta.get("mode") == "long_csv" else [FOLDERS, one_csv]
        picked, ok = QInputDialog.getItem(parent, "How are the recordings kept?",
                                          "Test on recordings kept as:", items, 0, False)
        if not ok:
            return None
        if picked == one_csv:
            path, _ = QFileDialog.getOpenFileName(parent, "Test on which recording (CSV with a label column)?",
                                                  start, TABLE_FILTER)
            return path or None
    return QFileDialog.getExistingDirectory(parent, FOLDER_TITLE, start) or None
