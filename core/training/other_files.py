"""Test a trained run on files it has never seen and that are not part of its data: a fresh batch of
photos, the recordings of a pump that was not in the training data, the clips of children kept apart for
a paper, last month's orders. Apple's Create ML and Edge Impulse both take a separate test set; this is
ours.

The files are labelled as the training data was: a folder with one subfolder per class (named as the classes
the run learnt; a subset is fine), pictures or clips with a CSV naming each one's label (``label_table``), a CSV
table with the run's target column, or, for sensor data, one long CSV (or a folder of them) with the run's label
column. Each file is prepared exactly as ``edgeling predict`` prepares it (a long CSV is cut as the import cut the
run's own), so the numbers are what the model does on such files. Files that cannot be read are listed with the
reason and the rest are still scored. The run's own ``metrics.json`` (its test split) is left as it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from edgeling.core import run_samples, runs
from edgeling.core.data.dataset import DataError
from edgeling.core.data.formats import AUDIO_EXTS, IMAGE_EXTS, OTHER_IMAGE_EXTS, TABLE_EXTS
from edgeling.core.data.load import existing_path
from edgeling.core.results_words import OTHER_FILES_SPLIT
from edgeling.core.sentences import counted, verb
from edgeling.core.training import metrics as M
from edgeling.core.training.class_match import class_indices, match_class_names
from edgeling.core.training.other_files_models import export_model, run_model
from edgeling.core.training.other_files_subjects import by_subject
from edgeling.core.training.predict import samples_from_file

FILE_EXTS = {"images": IMAGE_EXTS | OTHER_IMAGE_EXTS, "audio": AUDIO_EXTS, "timeseries": TABLE_EXTS}
SYSTEM_FILES = {"thumbs.db", "desktop.ini"}   # written by the system into photo folders; not the user's
FILES_NAMED = {"images": "pictures", "audio": "audio clips", "timeseries": "sensor recordings (CSV)"}


@dataclass
class LabelledSamples:
    x: np.ndarray
    y: np.ndarray
    sources: list[str]                                         # relative to the folder (or file#row=N)
    skipped: list[dict] = field(default_factory=list)          # {"file", "reason"}
    notes: list[str] = field(default_factory=list)             # "normal/a.csv: recorded at 100 per second; ..."
    names: dict = field(default_factory=dict)                  # a table's row source -> {"row_id", "row_id_column"}
    subjects: dict = field(default_factory=dict)               # file -> who, from a label sheet's column
    subjects_from: str = ""                                    # "the column 'child' of labels.csv"


def labelled_samples(path: str | os.PathLike, kind: str, task: str, class_names: list[str],
                     meta: dict) -> LabelledSamples:
    """The samples of ``path`` and their labels, in the run's class order; DataError when none can be
    used, naming the file (or folder) and what to change."""
    p = existing_path(Path(path).expanduser())
    if kind == "table":
        return _table_samples(p, task, class_names, meta)
    listed = _listed_files(p, kind, class_names, meta.get("sheet_label_column")) if p.is_dir() else None
    if kind == "timeseries" and listed is None and (p.is_file() or not _subfolders(p)):   # not files and a sheet
        return _long_csv_samples(p, class_names, meta)
    if not p.is_dir():
        raise DataError(f"{p} is a file. To test a model on {FILES_NAMED[kind]}, choose a folder with one subfolder "
                        f"per class, named as the classes the model knows ({', '.join(class_names)}).", [str(p)])
    return _folder_samples(p, kind, class_names, meta, listed)


def _subfolders(root: Path) -> list[Path]:
    return sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))


def _long_csv_samples(path: Path, class_names: list[str], meta: dict) -> LabelledSamples:
    """The windows of one long sensor CSV with a label column, or of each such CSV directly in a folder."""
    from edgeling.core.data.load import refuse_a_label_sheet
    from edgeling.core.data.new_recordings import labelled_windows

    if path.is_file():      # the regression walk: the label sheet of a folder was read as a recording
        refuse_a_label_sheet(path)
    files = [path] if path.is_file() else sorted(
        f for f in path.iterdir() if f.is_file() and not f.name.startswith(".") and f.suffix.lower() in TABLE_EXTS)
    if not files or (files == [path] and path.suffix.lower() not in TABLE_EXTS):
        raise DataError(f"{path} is {'not a CSV file' if path.is_file() else 'a folder with no CSV files in it'}. "
                        "To test a model on sensor recordings, choose one long CSV with the label column it was "
                        "trained with, or a folder with one subfolder per class, named as the classes the model "
                        f"knows ({', '.join(class_names)}).", [str(path)])
    xs, labels, sources, skipped, columns, notes = [], [], [], [], [], []
    for f in files:
        try:
            got = labelled_windows(f, meta, meta.get("label_column"))
        except DataError as e:
            if len(files) == 1:
                raise
            skipped.append({"file": f.name, "reason": str(e)})
            continue
        xs.append(got.x)
        labels += got.labels
        sources += got.sources
        skipped += got.skipped
        notes += got.notes
        columns.append(got.column)
    if not labels:
        raise DataError(f"No part of {path.name} could be tested" + (f": {skipped[0]['file']}: {skipped[0]['reason']}"
                        if skipped else "") + ". Each class needs rows with its label lasting at least one window "
                        f"({float(meta['window_s']):.2f} s).", [str(path)])
    y = class_indices(path, labels, sources, class_names, columns[0], ("label", "labels"))
    return LabelledSamples(np.concatenate(xs), y, sources, skipped, notes)


def _folder_samples(root: Path, kind: str, class_names: list[str], meta: dict, listed) -> LabelledSamples:
    """The samples of a folder: the files its sheet labels (``listed``: ``_listed_files``, read once by the
    caller), else its class folders' files."""
    if listed is not None:
        files, skipped, sheet, said = listed
        got = _file_samples(root, kind, files, skipped, meta, class_names)
        got.notes = said + got.notes
        if sheet is not None:
            got.subjects, got.subjects_from = sheet[0], f"the column '{sheet[1]}' of {sheet[2]}"
        return got
    folders = _subfolders(root)
    known, unknown, unclear = match_class_names([d.name for d in folders], class_names)
    if unknown and len(unknown) == len(folders):
        raise DataError(f"None of the folders in {root} ({', '.join(map(repr, unknown[:6]))}) is named as a class "
                        f"this model knows ({', '.join(class_names)}). Choose the folder that holds one subfolder "
                        "per class.", [str(root)])
    said = []
    if unknown:
        said.append(f"{root} has the {'folder' if len(unknown) == 1 else 'folders'} "
                    f"{', '.join(map(repr, unknown))}, which {verb(len(unknown), 'is not a class', 'are not classes')} this "
                    f"model knows ({', '.join(class_names)}). Rename {verb(len(unknown), 'it', 'them')} to one of those, or move "
                    f"{verb(len(unknown), 'it', 'them')} out.")
    if unclear:
        said.append(f"{'It' if unknown else root} has {verb(len(unclear), 'a folder', 'folders')} whose class is unclear: "
                    f"{'; '.join(unclear.values())}. The model tells those classes apart by their capitals, as "
                    "its training data did. Name each folder exactly as its class.")
    if said:
        raise DataError(" ".join(said), [str(root / n) for n in [*unknown, *unclear]])
    files = [(f, known[folder.name]) for folder in folders for f in sorted(folder.rglob("*"))
             if f.is_file() and not f.name.startswith(".") and f.name.lower() not in SYSTEM_FILES]
    return _file_samples(root, kind, files, [], meta, class_names)


def _listed_files(root: Path, kind: str, class_names: list[str],
                  label_column: str | None = None) -> tuple[list, list[dict], tuple | None, list[str]] | None:
    """([(file, class index)], the files skipped, ``Listing.sheet_subjects()``: who each file is, notes) when the
    training import would take the labels of the pictures
    or clips in ``root`` from a CSV there (its own listing decides: for clips the class folders come first, and
    a sheet naming none of the files is passed over), else None: the class folders are read."""
    from edgeling.core.data import report as R
    from edgeling.core.data.audio_files import list_audio_files
    from edgeling.core.data.image_files import list_image_files
    from edgeling.core.data.recording_files import list_recording_files

    listed_by = {"images": list_image_files, "audio": list_audio_files, "timeseries": list_recording_files}.get(kind)
    if listed_by is None or not any(f.suffix.lower() in (".csv", ".tsv") for f in root.iterdir() if f.is_file()):
        return None
    report, said = R.Report(), []
    try:
        listing = listed_by(root, report, label_column)    # the column the run's sheet gave its labels in
    except DataError:
        if not label_column:
            return None
        try:     # the new session's sheet names it otherwise (the speech walk: 'Catégorie', trained on 'Étiquette')
            listing = listed_by(root, report, None)
        except DataError:
            return None
        said = [f"{listing.labels_from} has no column '{label_column}' (the one the run learnt from): its labels were "
                f"read from '{listing.label_column}'"] if listing.labels_from != "folders" else []
    if listing.labels_from == "folders" or not listing.files:
        return None
    labels = [label for _, label in listing.files]
    y = class_indices(root / listing.labels_from, labels, [rel for rel, _ in listing.files], class_names,
                      listing.label_column, ("label", "labels"))
    skipped = [{"file": f, "reason": p.message} for p in report.problems if p.severity != "info" for f in p.files]
    return [(root / rel, int(c)) for (rel, _), c in zip(listing.files, y)], skipped, listing.sheet_subjects(), said


def _file_samples(root: Path, kind: str, files: list[tuple[Path, int]], skipped: list[dict],
                  meta: dict, class_names: list[str]) -> LabelledSamples:
    """The samples of ``files`` (each with its class index); files that cannot be used are added to ``skipped``."""
    says_nothing = _left_out_note(kind)
    xs, ys, sources, notes = [], [], [], []
    for f, label in files:
        rel = f.relative_to(root).as_posix()
        if f.suffix.lower() not in FILE_EXTS[kind]:
            skipped.append({"file": rel, "reason": f"not one of the {FILES_NAMED[kind]} this model takes "
                                                   f"(its ending is {f.suffix or 'missing'})"})
            continue
        said: list = []
        try:
            x, srcs = samples_from_file(kind, f, meta, said)
        except DataError as e:
            skipped.append({"file": rel, "reason": str(e)})
            continue
        left_out = [n for sample in said for n in sample if says_nothing and says_nothing in n]
        if left_out:    # silent, or mostly cut off: the import leaves it out, so the test does too (regression walk)
            skipped.append({"file": rel, "reason": left_out[0].split(":", 1)[0] + ": the import leaves such a clip out"})
            continue
        notes += [(rel, n) for n in dict.fromkeys(n for sample in said for n in sample)]
        xs.append(x)
        ys += [label] * len(x)
        sources += [with_end(rel + s[len(str(f)):], meta) for s in srcs]  # a window: "#t=3.00-5.00"
    if not xs:
        raise DataError(
            f"No {FILES_NAMED[kind]} could be used in {root}. Put them in subfolders named as the classes the model knows "
            f"({', '.join(class_names)})" + (f"; {counted(len(skipped), 'file')} could not be read, the first: "
                                             f"{skipped[0]['file']}: {skipped[0]['reason'].rstrip('.')}" if skipped else "")
            + ".", [str(root)] + [s["file"] for s in skipped[:20]])
    return LabelledSamples(np.concatenate(xs), np.asarray(ys, np.int64), sources, skipped, _said_once(notes))


def _left_out_note(kind: str) -> str | None:
    """What a sound clip's note says when the import would leave the clip out (silent, mostly cut off)."""
    if kind != "audio":
        return None
    from edgeling.core.data.audio import SAYS_NOTHING

    return SAYS_NOTHING


def with_end(source: str, meta: dict) -> str:
    """A window named by its start ("a.csv#t=3.00", as predict names it) with its end too ("a.csv#t=3.00-5.00"),
    as the import names the run's own windows (the pump walk's Evaluate list said "from 0.0 s" for these and
    "from 3.0 s to 5.0 s" for the test's)."""
    file, found, start = source.partition("#t=")
    window_s = meta.get("window_s")
    if not found or "-" in start or not isinstance(window_s, (int, float)):
        return source
    try:
        return f"{file}#t={float(start):.2f}-{float(start) + float(window_s):.2f}"
    except ValueError:
        return source


def _said_once(notes: list[tuple[str, str]], listed: int = 3) -> list[str]:
    """Each note once, with the files it concerns: "normal/a.csv, normal/b.csv and 4 more: recorded at ..."."""
    files: dict[str, list[str]] = {}
    for rel, note in notes:
        files.setdefault(note, []).append(rel)
    said = []
    for note, rels in files.items():
        shown = rels if len(rels) <= listed + 1 else [*rels[:listed], f"{len(rels) - listed} more"]
        said.append((shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]) + f": {note}")
    return said


def _table_samples(path: Path, task: str, class_names: list[str], meta: dict) -> LabelledSamples:
    from edgeling.core.data.csvread import DELIMITER_NAMES, is_missing, normalize_name, read_csv
    from edgeling.core.data.table_encode import check_columns, encode_rows

    if path.is_dir():
        raise DataError(f"{path} is a folder. To test a table model, choose a CSV file with the same columns "
                        f"as the training table, including {meta['target']!r}.", [str(path)])
    table = read_csv(path)
    rows = [dict(zip(table.columns, r)) for r in table.rows]
    sources = [f"{path.name}#row={n}" for n in table.line_numbers]
    check_columns(path, rows, meta, answers=True)
    target = normalize_name(meta["target"])
    cells = [next((v for k, v in r.items() if normalize_name(k) == target), None) for r in rows]
    if all(c is None for c in cells):
        raise DataError(f"{path.name} has no column {meta['target']!r}, which holds the answers the model is "
                        "tested against. Add it (named as in the training table).", [str(path)])
    keep = [i for i, c in enumerate(cells) if c is not None and not is_missing(str(c))]
    kept = set(keep)
    skipped = [{"file": sources[i], "reason": f"no value in {meta['target']!r}"} for i in range(len(rows))
               if i not in kept]
    skipped += [{"file": f"{path.name}#row={n}", "reason": "a different number of fields than the header (a "
                 f"{DELIMITER_NAMES.get(table.delimiter, 'separator')} inside a value that is not in quotes?)"}
                for n in table.ragged_lines]      # the newcomer: such a row was dropped, unsaid
    if not keep:
        raise DataError(f"The column {meta['target']!r} of {path.name} is empty in every row.", [str(path)])
    labels = [str(cells[i]).strip() for i in keep]
    if task == "regression":
        from edgeling.core.data.csvread import numeric_column

        nums = numeric_column(labels, decimal_comma=table.decimal_comma)
        if nums.not_numbers:
            line, value = nums.not_numbers[0]
            raise DataError(f"{path.name}: {meta['target']!r} holds {value!r} in {sources[keep[line]]}, not a "
                            "number.", [str(path)])
        y = nums.values.astype(np.float32)
    else:
        numbers = (meta.get("target_info") or {}).get("type") == "number"
        y = class_indices(path, labels, [sources[i] for i in keep], class_names, meta["target"], ("answer", "answers"),
                           numbers, table.decimal_comma)
    x = encode_rows([rows[i] for i in keep], meta, table.decimal_comma)
    return LabelledSamples(x, y, [sources[i] for i in keep], skipped, *_rows_said(rows, keep, sources, meta,
                                                                              table.decimal_comma))


def _rows_said(rows, keep: list[int], sources: list[str], meta: dict, decimal_comma: bool):
    """(notes, names) for the rows tested, as ``predict`` says them: a category never seen, a blank filled
    (each note once, with its rows), and what names each row (its order number). The shop walk: the wrong
    answers of --on had no order numbers, and nothing was said of the unseen 'Animalerie'."""
    from edgeling.core.data.row_names import row_ids
    from edgeling.core.training.predict import aggregated_notes
    from edgeling.core.training.table_notes import row_notes

    kept = [rows[i] for i in keep]
    said_rows, said_file = row_notes(kept, meta, decimal_comma)
    notes = aggregated_notes([{"source": sources[i], "notes": n, "file_notes": said_file if k == 0 else []}
                              for k, (i, n) in enumerate(zip(keep, said_rows))])     # worded as predict says them
    column, ids = row_ids(kept, [c["name"] for c in meta.get("columns") or []], meta.get("target"))
    names = {sources[i]: {"row_id": v, "row_id_column": column} for i, v in zip(keep, ids) if v is not None}
    return notes, names


def evaluate_on_files(model_path, path: str | os.PathLike, worst: int = 10) -> dict:
    """Metrics on the files in ``path`` (see the module text) of a run's best model, or of an exported
    .onnx / .tflite file run in its own runtime (float or int8: what goes on the device), as
    ``evaluate_run`` gives them for the test split, plus ``data``, ``skipped`` and ``samples`` (each
    sample's answer, as in a run's predictions.json). Nothing is written."""
    from edgeling.core.training.evaluate import prediction_entries
    from edgeling.core.training.predict import is_exported_file

    exported = not isinstance(model_path, runs.Run) and is_exported_file(model_path)
    if not exported and not isinstance(model_path, runs.Run):
        model_path = runs.load_run(model_path)      # read once: the model, the learnt keys, the shift all use it
    answer, kind, task, names, meta, about = (export_model if exported else run_model)(model_path)
    got = labelled_samples(path, kind, task, names, meta)
    source = None if exported else model_path
    if exported:      # the run it was exported from, as its card says: files it learnt from are said too
        from edgeling.core.export.model_card import run_of_export  # (the upgrade walk: 198 of 226, unsaid)

        source = run_of_export(model_path, about.pop("frontend", None))
    if source is not None:
        about["trained_on"] = samples_learnt_from(source, got)
    out, latency = answer(got.x)
    if task == "classification":
        result = M.classification_metrics(got.y, M.softmax(out), names, got.sources, worst=worst)
    else:
        result = M.regression_metrics(got.y, out.reshape(-1), got.sources, worst=worst)
    if task == "classification":
        by_subject(result, got, kind, np.asarray(out).reshape(len(got.y), -1).argmax(1) == got.y, meta)
        if source is not None and result.get("subjects"):     # which of them the run met in training
            known = set(source.config.get("dataset", {}).get("learnt_subjects") or [])
            result["subjects"]["learnt"] = sorted(set(result["subjects"]["test"]) & known)
        if source is not None:      # the vineyard and shop walks: why the files tested score lower, unsaid
            from edgeling.core.training.input_shift import say_how_they_differ

            say_how_they_differ(result, source, kind, got.x, got.y, names)
    for sample in (result.get("worst_samples") or []) + (result.get("wrong_samples") or []):
        sample.update(got.names.get(sample["source"]) or {})      # "row 394 (N° commande CMD-10392)"
    root = Path(path).expanduser().resolve()
    result.update(split=OTHER_FILES_SPLIT, kind=kind, data=str(root), root=str(root if root.is_dir() else root.parent),
                  skipped=got.skipped, notes=got.notes, samples=prediction_entries(task, got.sources, got.y, out),
                  latency_ms=latency, **about, evaluated=runs.now_iso())
    return result


def samples_learnt_from(run, got: LabelledSamples) -> dict:
    """Which of ``got`` the run learnt from or chose its best epoch with (the same sample, prepared the same
    way, in its training or validation split): ``{"checked": True, "count", "examples"}``, or
    ``{"checked": False, "why"}`` when the run's data cannot be read (a run trained before it saved its
    samples' keys, ``run_samples.py``, with its data gone). Files copied out of the training
    folder would otherwise score far better than new files and be reported as never seen."""
    from edgeling.core.data.dataset import TEST
    from edgeling.core.training.evaluate import open_run_dataset

    run = run if isinstance(run, runs.Run) else runs.load_run(run)
    saved = run_samples.learnt_keys(run.path)   # what the run learnt, as read when it was trained
    if saved is not None:
        learnt, dtype = saved
    else:
        try:
            ds = open_run_dataset(run, whole=True)
        except DataError as e:
            return {"checked": False, "why": str(e)}
        dtype = np.asarray(ds.x[:0]).dtype
        learnt = {run_samples.sample_key(ds.x[i], dtype)
                  for i in np.flatnonzero(np.asarray(ds.splits) != TEST)}
    hits = [source for source, sample in zip(got.sources, got.x)
            if run_samples.sample_key(sample, dtype) in learnt]
    return {"checked": True, "count": len(hits), "examples": hits[:5]}
