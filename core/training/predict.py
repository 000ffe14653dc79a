"""Predict new files with a trained run, or with a file exported from it (.onnx / .tflite, float or int8):
each file is prepared exactly as the import prepared the training data (the importers' own preprocess
functions), then through the front end and the network (PyTorch for a run, the file's own runtime for an
export). An exported file carries what this needs in its metadata (classes, import settings, front end),
so predicting with it needs neither the run nor PyTorch."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import numpy as np

from edgeling.core import runs
from edgeling.core.data.dataset import DataError
from edgeling.core.training.metrics import softmax

EXPORT_SUFFIXES = (".onnx", ".tflite")


def samples_from_file(kind: str, path: Path, meta: dict, notes: list | None = None,
                      file_notes: list | None = None, names: list | None = None) -> tuple[np.ndarray, list[str]]:
    """(samples in dataset layout, a source label per sample) for one file. ``notes``, when given, gets one
    list of plain-words notes per sample (for a table: values of a category column never seen in training;
    for a sensor recording, the same for each window: recorded at another rate, cut at a gap; for a sound
    clip: silent, or cut off).
    ``file_notes``, when given, gets the notes about a table file as a whole, said once and about no row (a
    total row, or a last line cut off mid-way, left out); without it they go with the first row's notes.
    ``names``, when given, gets for each row of a table what names it for a person, ``{"column", "value"}``
    (its order number, reference or ID: ``row_names.py``), or None."""
    if not path.is_file():
        raise DataError(f"{path} does not exist or is not a file. Check the path.", files=[str(path)])
    if kind == "images":
        from edgeling.core.data.images import preprocess_image, small_picture_note

        picture = preprocess_image(str(path), meta)[None]
        if notes is not None:     # the vineyard walk: a 1x1 picture was "healthy (44%)" with nothing said
            notes.append([n for n in [small_picture_note(path)] if n])
        return picture, [str(path)]
    if kind == "audio":
        audio = importlib.import_module("edgeling.core.data.audio")
        said: list[str] = []      # silent, cut off: what the import would have left out
        clips, where = audio.prediction_clips(str(path), meta, said)     # a recording: each of its clips
        if notes is not None:
            notes.extend([list(said) for _ in clips])
        return np.asarray(clips, np.float32), [f"{path}{w}" for w in where]
    if kind == "timeseries":
        from edgeling.core.data.new_recordings import recording_windows

        try:
            got = recording_windows(path, meta)  # cut at gaps: each window says where it starts
        except DataError:
            from edgeling.core.data.load import refuse_a_label_sheet

            refuse_a_label_sheet(path)  # the regression walk: a label sheet was told to "record x, y, z"
            raise
        if notes is not None:
            notes.extend([list(got.notes) for _ in got.starts])
        return got.x, [f"{path}#t={t:.2f}" for t in got.starts]
    if kind == "table":
        from edgeling.core.data import report as R
        from edgeling.core.data.table_encode import check_columns, encode_rows, new_columns, read_table_rows
        from edgeling.core.sentences import verb

        report = R.Report()      # total rows and a cut-off last line left out, as at import
        rows, sources, decimal_comma = read_table_rows(path, report)  # any separator, encoding, decimal mark
        if not rows:
            raise DataError(f"{path} has no rows under its header line. Add rows to predict.", [str(path)])
        check_columns(path, rows, meta)
        left_out = [p.message.replace("; it was left out", "; it was not predicted")
                    .replace("; they were left out", "; they were not predicted")
                    .replace(" It was left out.", " It was not predicted.")
                    .replace(" and was left out:", " and was not predicted:")      # a row with too few or too
                    .replace(" and were left out:", " and were not predicted:")    # many fields (the newcomer:
                    for p in report.problems if p.code in ("total_row", R.CUT_OFF_ROW, R.RAGGED_ROWS)]  # unsaid)
        from edgeling.core.data.row_names import row_ids

        named_by = row_ids(rows, [c["name"] for c in meta.get("columns") or []], meta.get("target"))[0]
        extra = [c for c in new_columns(rows, meta) if c != named_by]   # a reference names rows: not ignored
        if extra:
            left_out.append(f"{verb(len(extra), 'the column', 'the columns')} {', '.join(map(repr, extra))} "
                            f"{verb(len(extra), 'was', 'were')} not in the training table, so the model does not "
                            "read " + verb(len(extra), "it", "them"))
        if file_notes is not None:
            file_notes.extend(left_out)             # about the file, not about any row predicted
        if notes is not None:
            from edgeling.core.training.table_notes import row_notes

            said_rows, said_file = row_notes(rows, meta, decimal_comma)
            if file_notes is not None:
                file_notes.extend(said_file)
            elif said_rows:
                said_rows[0].extend(said_file)
            if left_out and file_notes is None and said_rows:
                said_rows[0].extend(left_out)       # said once, with the file's first answer
            notes.extend(said_rows)
        if names is not None:
            from edgeling.core.data.row_names import row_ids

            column, ids = row_ids(rows, [c["name"] for c in meta.get("columns") or []], meta.get("target"))
            names.extend(None if v is None else {"column": column, "value": v} for v in ids)
        return encode_rows(rows, meta, decimal_comma), [f"{path}#{s.split('#', 1)[1]}" for s in sources]
    raise DataError(f"Unknown kind of data {kind!r}.")


PYTORCH = "PyTorch float32"
INT8_FILE_SAID = "the int8 file in LiteRT"
"""Which model answered, in the words ``edgeling evaluate`` uses for its metrics' ``model``."""


def predict_run(run, files: list[str], top: int = 3) -> tuple[list[dict], str]:
    """(``predict_files``'s predictions, which model answered). A run with an int8 file (a compression with
    int8 wrote ``model-int8.tflite``) answers with that file in LiteRT, the model that goes on the device,
    as ``edgeling evaluate`` scores it (``INT8_FILE_SAID``); any other run with its PyTorch model."""
    from edgeling.core.compress.int8 import INT8_FILE, int8_file_outputs
    from edgeling.core.training.evaluate import predict_outputs

    if not isinstance(run, runs.Run):
        run = runs.load_run(run)
    model, frontend, spec = runs.load_model(run)
    zoo = runs.zoo_module(run)
    has_int8 = (Path(run.path) / INT8_FILE).is_file()
    kept = _kept_samples(run, spec.kind)
    used = []

    def one(name: str) -> list[dict]:
        notes: list = []
        file_notes: list = []
        names: list = []
        x, sources = samples_from_file(spec.kind, Path(name).expanduser(), spec.meta, notes, file_notes, names)
        _say_outside(notes, spec.kind, x, kept)
        got = int8_file_outputs(run, zoo.apply_frontend(frontend, x)) if has_int8 else None
        if got is not None:
            out = got[0]
            probs = None if spec.task == "regression" else out / np.maximum(out.sum(1, keepdims=True), 1e-12)
            used.append(INT8_FILE_SAID)
        else:
            out = predict_outputs(model, frontend, zoo, x)
            probs = None if spec.task == "regression" else softmax(out.astype(np.float64))
            used.append(PYTORCH)
        return _results(name, sources, out, probs, spec.kind, spec.class_names, top, notes, file_notes, names,
                        spec.meta.get("target"), _no_reading(spec.kind, spec.meta, x))

    predictions = _each_file(files, one)
    said = " and ".join(dict.fromkeys(used)) or (INT8_FILE_SAID if has_int8 else PYTORCH)
    return predictions, said


def predict_files(run, files: list[str], top: int = 3) -> list[dict]:
    """One dict per prediction: ``source``, ``label`` and ``confidence`` (classification, with the
    ``top`` most likely classes), or ``value`` (regression), and ``notes`` when something about the input
    needs saying (a category value never seen in training); the first row of a table also has
    ``file_notes`` when something about the whole file needs saying (a total row left out). A sensor
    recording gives one prediction per window plus a summary for the whole file (mean of the window
    probabilities). A run with an int8 file answers with it (see ``predict_run``)."""
    return predict_run(run, files, top)[0]


def is_exported_file(path) -> bool:
    return Path(path).suffix.lower() in EXPORT_SUFFIXES


def predict_files_with_export(export_path, files: list[str], top: int = 3) -> list[dict]:
    """As ``predict_files``, with an exported .onnx / .tflite file (float or int8) run in its own runtime
    (onnxruntime / LiteRT). The file outputs probabilities for classifiers (softmax inside)."""
    runner, meta = open_export(export_path)
    kind, task = meta["kind"], meta.get("task", "classification")
    class_names = list(meta.get("class_names") or [])
    from edgeling.core.export.model_card import run_of_export

    source = run_of_export(export_path, meta.get("frontend")) if kind in ("images", "audio") else None
    kept = _kept_samples(source, kind) if source is not None else None

    def one(name: str) -> list[dict]:
        notes: list = []
        file_notes: list = []
        names: list = []
        x, sources = samples_from_file(kind, Path(name).expanduser(), meta["data_meta"], notes, file_notes, names)
        _say_outside(notes, kind, x, kept)
        out = export_outputs(runner, meta, x)
        probs = None if task == "regression" else out / np.maximum(out.sum(1, keepdims=True), 1e-12)
        return _results(name, sources, out, probs, kind, class_names, top, notes, file_notes, names,
                        meta["data_meta"].get("target"), _no_reading(kind, meta["data_meta"], x))

    return _each_file(files, one)


def open_export(export_path):
    """(runner, metadata) of an exported .onnx / .tflite file; a damaged file is refused by its own runtime,
    a file that does not say how to prepare inputs (another program's) with a plain message."""
    from edgeling.core.export.card_device import export_kernels
    from edgeling.core.export.runtimes import read_export_metadata, runner_for

    runner = runner_for(export_path)                 # refuses a damaged file in its runtime's words
    meta = read_export_metadata(export_path)
    kernels = export_kernels(export_path, meta)      # the file's device, else its card's: as its check ran it
    if meta.get("precision") == "int8" and getattr(runner, "kernels", kernels) != kernels:
        runner = runner_for(export_path, kernels)    # a microcontroller's file: the answers it gives there
    if "data_meta" not in meta or not meta.get("kind"):
        raise DataError(f"{export_path} does not say how to prepare files for it (it was exported by an "
                        "older Edgeling, or by another program). Export the run again, or use the run "
                        "folder instead.", files=[str(export_path)])
    return runner, meta


def export_outputs(runner, meta: dict, x: np.ndarray) -> np.ndarray:
    """The exported file's outputs (probabilities for a classifier), float64 (n, outputs), for samples in
    dataset layout: the front end recorded in the file, then its runtime."""
    from edgeling.core.models import frontends

    return runner.predict(frontends.apply(meta.get("frontend") or {}, x)).reshape(len(x), -1).astype(np.float64)


def _kept_samples(run, kind: str):
    """The training samples ``run`` keeps (``samples.npz``), for pictures and clips; None otherwise."""
    from edgeling.core.run_samples import calibration_samples

    got = calibration_samples(run.path) if kind in ("images", "audio") else None
    return None if got is None else got[0]


def _say_outside(notes: list, kind: str, x: np.ndarray, kept) -> None:
    """Add ``outside_training_notes`` to each sample's notes, unless they already say the answer says nothing
    (a silent clip)."""
    if kept is None or len(notes) != len(x):
        return
    from edgeling.core.data.audio import SAYS_NOTHING
    from edgeling.core.training.input_shift import outside_training_notes, outside_training_summary

    if kind == "audio" and len(x) > 1:        # the clips of one recording: said once, for the file
        whole = outside_training_summary(kind, x, kept)
        for said in notes:
            said.extend(whole)
        return
    for said, more in zip(notes, outside_training_notes(kind, x, kept)):
        if more and not any(SAYS_NOTHING in n for n in said):
            said.extend(more)


def _each_file(files: list[str], predict_one) -> list[dict]:
    """Predictions for every file that can be read; a file that cannot gives ``{"source", "error"}`` in
    its place (one bad picture among fifty loses nothing). Only when no file can be read is that an error."""
    results, failed = [], []
    for name in files:
        try:
            results += predict_one(name)
        except DataError as e:
            failed.append(e)
            results.append({"source": str(name), "error": str(e)})
    if failed and len(failed) == len(files):
        raise failed[0] if len(files) == 1 else DataError(
            f"None of the {len(files)} files could be read. The first: {failed[0]}",
            files=[f for e in failed for f in e.files])
    return results


def _no_reading(kind: str, meta: dict, x: np.ndarray) -> np.ndarray | None:
    """For a sensor recording, which windows hold one unchanging reading (a dead or unplugged sensor); None
    for other data, or a run that learnt a class that is still throughout (then stillness is that class)."""
    if kind != "timeseries" or (meta or {}).get("still_classes"):
        return None
    from edgeling.core.data.stuck_sensor import flat_mask

    return flat_mask(x)


def _results(name, sources: list[str], out: np.ndarray, probs: np.ndarray | None, kind: str,
             class_names: list[str], top: int, notes: list | None = None,
             file_notes: list | None = None, names: list | None = None, target: str | None = None,
             no_reading: np.ndarray | None = None) -> list[dict]:
    """The file's predictions. ``notes``: one list per sample, kept on its row; ``file_notes``: about the
    file as a whole (a table's total row left out), kept once as the first row's ``file_notes``, which
    ``aggregated_notes`` says for the file, with no row; ``names``: what names each row (``row_id`` and
    ``row_id_column`` on it); ``target``: a table's column the model predicts (``target`` on each row);
    ``no_reading``: for each window, whether its readings never change (``no_reading: True`` on it, and on the
    whole recording's answer when every window is so: the pump walk's dead sensor got "normal (100%)"; when
    only some are, the recording's answer averages the others)."""
    if probs is None:
        rows = [{"source": s, "value": float(v)} for s, v in zip(sources, out.reshape(-1))]
    else:
        rows = [_label(s, p, class_names, top) for s, p in zip(sources, probs)]
    flags = list(no_reading) if no_reading is not None and len(no_reading) == len(rows) else [False] * len(rows)
    for row, flat in zip(rows, flags):
        if flat:
            row["no_reading"] = True
    for row, said in zip(rows, notes or []):
        if said:
            row["notes"] = list(said)
    for row, named in zip(rows, names or []):
        if named:
            row["row_id"], row["row_id_column"] = named["value"], named["column"]
    if kind == "table" and target:
        for row in rows:
            row["target"] = str(target)
    if file_notes and rows:
        rows[0]["file_notes"] = list(dict.fromkeys(file_notes))
    if probs is None:
        return rows
    if len(rows) > 1 and kind in ("timeseries", "audio"):
        alive = ~np.asarray(flags, bool)
        # the windows whose sensor never changes say nothing: the file's answer is that of the others (the pump
        # walk: "cavitation (67%)" with 25 of its 34 windows stuck, their answers averaged in)
        whole = _label(str(name), probs[alive].mean(0) if alive.any() else probs.mean(0), class_names, top)
        said = list(dict.fromkeys(n for row in rows for n in row.pop("notes", [])))
        if said:  # notes about the whole recording (its rate, its gaps): said once, for the file
            whole["notes"] = said
        whole["windows"] = rows
        if kind == "audio":
            whole["parts"] = "clips"          # a recording cut into clips (audio_windows): said so, not "windows"
        if all(flags):
            whole["no_reading"] = True
        rows = [whole]
    return rows


def _label(source: str, p: np.ndarray, names: list[str], top: int) -> dict:
    order = np.argsort(-p, kind="mergesort")[:top]
    return {"source": source, "label": names[int(order[0])], "confidence": float(p[order[0]]),
            "top": [{"label": names[int(i)], "confidence": float(p[i])} for i in order]}


_OUTSIDE = re.compile(r"^(\S+) in ('.*') is outside what the model learnt from (\([^)]*\))(.*)$")
_OUTSIDE_SAID = "{col} is outside what the model learnt from {rest}"
_NOT_A_DATE = re.compile(r"^('.*') in ('.*') is not a date Edgeling can read (\([^)]*\))(.*)$")
_NOT_A_DATE_SAID = "{col} is not a date Edgeling can read {rest}"


def aggregated_notes(predictions: list[dict], rows_listed: int = 10) -> list[str]:
    """The predictions' notes, each said once with the rows it concerns: "nouvelles.csv row 3: 'Canada' in
    'Pays' was never seen in training; ..." ("rows 3, 7 and 9" when it recurs). A note about a whole file
    (a recording's rate; a table's ``file_notes``, such as a total row left out) is said with no row:
    "rec_0.csv: recorded at ...", or as it is when it names the file itself ("Row 7 of nouvelles.csv starts
    with 'TOTAL' ...")."""
    where: dict[tuple[str, str], list[str]] = {}
    values: dict[tuple[str, str], list[str]] = {}
    naming_its_file = set()
    shown = _short_names([str(p.get("source", "")).partition("#row=")[0].partition("#t=")[0] for p in predictions])
    for p in predictions:
        source = str(p.get("source", ""))
        file, _, row = source.partition("#row=")
        file = shown[file.partition("#t=")[0]]  # a recording with one window: its notes are about the file
        for note in p.get("file_notes") or []:
            where.setdefault((file, note), []).append("")
            if file and file in note:
                naming_its_file.add((file, note))
        for note in p.get("notes") or []:
            far = _OUTSIDE.match(note)      # one note per column, not one per value (the shop walk: 140 lines)
            said_as = _OUTSIDE_SAID
            if far is None:
                far, said_as = _NOT_A_DATE.match(note), _NOT_A_DATE_SAID      # the same for dates (the review)
            key = (file, said_as.format(col=far.group(2), rest=far.group(3) + ": {values}" + far.group(4))) \
                if far else (file, note)
            where.setdefault(key, []).append(row)
            if far:
                values.setdefault(key, []).append(far.group(1))
    said = []
    for (file, note), rows in where.items():
        rows = [r for r in rows if r]
        if not rows:
            said.append(note if (file, note) in naming_its_file else f"{file}: {note}")
            continue
        if (file, note) in values:
            seen = list(dict.fromkeys(values[(file, note)]))
            note = note.replace("{values}", ", ".join(seen[:3]) + (", ..." if len(seen) > 3 else ""))
        first = rows[:rows_listed]
        listed = first[0] if len(first) == 1 else ", ".join(first[:-1]) + " and " + first[-1]
        extra = len(rows) - len(first)
        more = f" (and {extra} more row{'s' * (extra > 1)})" if extra > 0 else ""      # not "1 more rows"
        said.append(f"{file} row{'s' * (len(rows) > 1)} {listed}{more}: {note}")
    return said


def _short_names(files: list[str]) -> dict[str, str]:
    """Each file by its name, or by as much of its path as tells it from another file of the same name (the pump
    walk: loose_mount/pump4_rec01.csv and normal/pump4_rec01.csv both noted as "pump4_rec01.csv")."""
    paths = {f: Path(f).parts for f in dict.fromkeys(files)}
    out = {}
    for f, parts in paths.items():
        depth = 1
        while depth < len(parts) and any(o != f and paths[o][-depth:] == parts[-depth:] for o in paths):
            depth += 1
        out[f] = "/".join(parts[-depth:]) if parts else f
    return out
