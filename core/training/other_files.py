"""Test a trained run on files it has never seen and that are not part of its data: a fresh batch of
photos, the recordings of a pump that was not in the training data, the clips of children kept apart for
a paper, last month's orders. Apple's Create ML and Edge Impulse both take a separate test set; this is
ours.

The files are labelled as the training data was: a folder with one subfolder per class (named as the
classes the run learnt; a subset is fine, a new pump may only ever have run normally), or a CSV table
with the run's target column (sensor data given as one long CSV with a label column is not read this
way: put each class's recordings in its own subfolder). Each file is prepared exactly as ``edgeling
predict`` prepares it (the importers' own preprocessing with the run's settings), so the numbers are what
the model does on such files. Every sample counts (none was trained on); files that cannot be read are listed with the reason
and the rest are still scored. The run's own ``metrics.json`` (its test split) is left as it is.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from edgeling.core import runs
from edgeling.core.data.dataset import DataError
from edgeling.core.data.formats import AUDIO_EXTS, IMAGE_EXTS, OTHER_IMAGE_EXTS, TABLE_EXTS
from edgeling.core.data.load import existing_path
from edgeling.core.results_files import OTHER_FILES_SPLIT
from edgeling.core.training import metrics as M
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


def labelled_samples(path: str | os.PathLike, kind: str, task: str, class_names: list[str],
                     meta: dict) -> LabelledSamples:
    """The samples of ``path`` and their labels, in the run's class order; DataError when none can be
    used, naming the file (or folder) and what to change."""
    p = existing_path(Path(path).expanduser())
    if kind == "table":
        return _table_samples(p, task, class_names, meta)
    if not p.is_dir():
        raise DataError(f"{p} is a file. To test a model on {FILES_NAMED[kind]}, choose a folder with one subfolder "
                        f"per class, named as the classes the model knows ({', '.join(class_names)}).", [str(p)])
    return _folder_samples(p, kind, class_names, meta)


def _folder_samples(root: Path, kind: str, class_names: list[str], meta: dict) -> LabelledSamples:
    folders = sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))
    known = {name.casefold(): i for i, name in enumerate(class_names)}
    unknown = [d.name for d in folders if d.name.strip().casefold() not in known]
    if unknown and len(unknown) == len(folders):
        raise DataError(f"None of the folders in {root} ({', '.join(map(repr, unknown[:6]))}) is named as a class "
                        f"this model knows ({', '.join(class_names)}). Choose the folder that holds one subfolder "
                        "per class.", [str(root)])
    if unknown:
        raise DataError(f"{root} has the folder(s) {', '.join(map(repr, unknown))}, which are not classes this "
                        f"model knows ({', '.join(class_names)}). Rename them to one of those, or move them out.",
                        [str(root / n) for n in unknown])
    xs, ys, sources, skipped = [], [], [], []
    for folder in folders:
        label = known[folder.name.strip().casefold()]
        for f in sorted(folder.rglob("*")):
            if not f.is_file() or f.name.startswith(".") or f.name.lower() in SYSTEM_FILES:
                continue
            rel = f.relative_to(root).as_posix()
            if f.suffix.lower() not in FILE_EXTS[kind]:
                skipped.append({"file": rel, "reason": f"not one of the {FILES_NAMED[kind]} this model takes "
                                                       f"(its ending is {f.suffix or 'missing'})"})
                continue
            try:
                x, srcs = samples_from_file(kind, f, meta)
            except DataError as e:
                skipped.append({"file": rel, "reason": str(e)})
                continue
            xs.append(x)
            ys += [label] * len(x)
            sources += [rel + s[len(str(f)):] for s in srcs]  # keeps a window's "#t=..."
    if not xs:
        raise DataError(
            f"No {FILES_NAMED[kind]} could be used in {root}. Put them in subfolders named as the classes the model knows "
            f"({', '.join(class_names)})" + (f"; {len(skipped)} file(s) could not be read, the first: "
                                             f"{skipped[0]['file']}: {skipped[0]['reason']}" if skipped else "")
            + ".", [str(root)] + [s["file"] for s in skipped[:20]])
    return LabelledSamples(np.concatenate(xs), np.asarray(ys, np.int64), sources, skipped)


def _table_samples(path: Path, task: str, class_names: list[str], meta: dict) -> LabelledSamples:
    from edgeling.core.data.csvread import is_missing, normalize_name, read_csv
    from edgeling.core.data.table import check_columns, encode_rows

    if path.is_dir():
        raise DataError(f"{path} is a folder. To test a table model, choose a CSV file with the same columns "
                        f"as the training table, including {meta['target']!r}.", [str(path)])
    table = read_csv(path)
    rows = [dict(zip(table.columns, r)) for r in table.rows]
    sources = [f"{path.name}#row={n}" for n in table.line_numbers]
    check_columns(path, rows, meta)
    target = normalize_name(meta["target"])
    cells = [next((v for k, v in r.items() if normalize_name(k) == target), None) for r in rows]
    if all(c is None for c in cells):
        raise DataError(f"{path.name} has no column {meta['target']!r}, which holds the answers the model is "
                        "tested against. Add it (named as in the training table).", [str(path)])
    keep = [i for i, c in enumerate(cells) if c is not None and not is_missing(str(c))]
    kept = set(keep)
    skipped = [{"file": sources[i], "reason": f"no value in {meta['target']!r}"} for i in range(len(rows))
               if i not in kept]
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
        y = _class_indices(path, labels, [sources[i] for i in keep], class_names, meta, table.decimal_comma)
    x = encode_rows([rows[i] for i in keep], meta)
    return LabelledSamples(x, y, [sources[i] for i in keep], skipped)


def _class_indices(path: Path, labels: list[str], sources: list[str], class_names: list[str],
                   meta: dict, decimal_comma: bool) -> np.ndarray:
    from edgeling.core.data.csvread import numeric_column
    from edgeling.core.data.table import number_name

    index = {name: i for i, name in enumerate(class_names)}
    if (meta.get("target_info") or {}).get("type") == "number":
        nums = numeric_column(labels, decimal_comma=decimal_comma)
        keys = [number_name(v) for v in nums.values] if not nums.not_numbers else labels
    else:
        keys = [" ".join(v.split()) for v in labels]
    folded = {}
    for name in class_names:
        folded.setdefault(name.casefold(), []).append(name)
    keys = [k if k in index or len(folded.get(k.casefold(), [])) != 1 else folded[k.casefold()][0] for k in keys]
    unknown = sorted({k for k in keys if k not in index})
    if unknown:
        first = sources[keys.index(unknown[0])]
        raise DataError(f"{path.name} has the answer(s) {', '.join(map(repr, unknown[:6]))} in "
                        f"{meta['target']!r} (first in {first}), which this model never learnt (it knows "
                        f"{', '.join(class_names)}). Remove those rows, or train on data that has them.",
                        [str(path)])
    return np.array([index[k] for k in keys], np.int64)


def evaluate_on_files(model_path, path: str | os.PathLike, worst: int = 10) -> dict:
    """Metrics on the files in ``path`` (see the module text) of a run's best model, or of an exported
    .onnx / .tflite file run in its own runtime (float or int8: what goes on the device), as
    ``evaluate_run`` gives them for the test split, plus ``data``, ``skipped`` and ``samples`` (each
    sample's answer, as in a run's predictions.json). Nothing is written."""
    from edgeling.core.training.evaluate import prediction_entries
    from edgeling.core.training.predict import is_exported_file

    exported = not isinstance(model_path, runs.Run) and is_exported_file(model_path)
    answer, kind, task, names, meta, about = (_export_model if exported else _run_model)(model_path)
    got = labelled_samples(path, kind, task, names, meta)
    if not exported:
        about["trained_on"] = samples_learnt_from(model_path, got)
    out, latency = answer(got.x)
    if task == "classification":
        result = M.classification_metrics(got.y, M.softmax(out), names, got.sources, worst=worst)
    else:
        result = M.regression_metrics(got.y, out.reshape(-1), got.sources, worst=worst)
    root = Path(path).expanduser().resolve()
    result.update(split=OTHER_FILES_SPLIT, data=str(root), root=str(root if root.is_dir() else root.parent),
                  skipped=got.skipped, samples=prediction_entries(task, got.sources, got.y, out),
                  latency_ms=latency, **about, evaluated=runs.now_iso())
    return result


def samples_learnt_from(run, got: LabelledSamples) -> dict:
    """Which of ``got`` the run learnt from or chose its best epoch with (the same sample, prepared the same
    way, in its training or validation split): ``{"checked": True, "count", "examples"}``, or
    ``{"checked": False, "why"}`` when the run's data cannot be read. Files copied out of the training
    folder would otherwise score far better than new files and be reported as never seen."""
    from edgeling.core.data.dataset import TEST
    from edgeling.core.training.evaluate import open_run_dataset

    run = run if isinstance(run, runs.Run) else runs.load_run(run)
    try:
        ds = open_run_dataset(run)
    except DataError as e:
        return {"checked": False, "why": str(e)}
    dtype = np.asarray(ds.x[:0]).dtype

    def key(sample) -> bytes:
        return hashlib.sha1(np.ascontiguousarray(sample, dtype=dtype).tobytes()).digest()

    learnt = {key(ds.x[i]) for i in np.flatnonzero(np.asarray(ds.splits) != TEST)}
    hits = [source for source, sample in zip(got.sources, got.x) if key(sample) in learnt]
    return {"checked": True, "count": len(hits), "examples": hits[:5]}


def _run_model(run):
    """(answer(x) -> (logits, ms per sample), kind, task, class names, import meta, about) of a run."""
    from edgeling.core.training.evaluate import latency_ms, predict_outputs

    run = run if isinstance(run, runs.Run) else runs.load_run(run)
    model, frontend, spec = runs.load_model(run)
    zoo = runs.zoo_module(run)

    def answer(x):
        return predict_outputs(model, frontend, zoo, x), latency_ms(model, frontend, zoo, x[0])

    return answer, spec.kind, spec.task, list(spec.class_names), spec.meta, {"arch": run.config.get("arch")}


def _export_model(path):
    """As ``_run_model``, for an exported file; a classifier's probabilities become log-probabilities, so
    the metrics' softmax gives them back exactly."""
    from edgeling.core.training.predict import export_outputs, open_export

    runner, meta = open_export(path)
    task = meta.get("task", "classification")

    def answer(x):
        out = export_outputs(runner, meta, x)
        if task == "classification":
            out = np.log(np.maximum(out, 1e-12))
        return out, float(np.median(runner.times_ms)) if runner.times_ms else None

    about = {"model_file": str(Path(path).expanduser().resolve()), "precision": meta.get("precision")}
    return (answer, meta["kind"], task, list(meta.get("class_names") or []), meta["data_meta"], about)
