"""Evaluate a trained run on its held-out test split and store ``metrics.json`` in the run."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from edgeling.core import run_samples, runs
from edgeling.core.data.dataset import TEST, DataError
from edgeling.core.data.subject_findings import who_key, who_words
from edgeling.core.results_words import stored_range
from edgeling.core.training import metrics as M


@torch.no_grad()
def predict_outputs(model, frontend: dict, zoo, x: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """Raw model outputs (logits, or values for regression) for samples in dataset layout."""
    model.eval()
    outs = []
    for i in range(0, len(x), batch_size):
        inp = torch.from_numpy(np.ascontiguousarray(zoo.apply_frontend(frontend, x[i:i + batch_size])))
        outs.append(model(inp.float()).float().numpy())
    if not outs:
        return np.zeros((0, 1), np.float32)
    return np.concatenate(outs)


def median_ms(fn, repeats: int = 30) -> float:
    """Median milliseconds of ``fn()`` over ``repeats`` calls, after three warm-up calls."""
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return float(statistics.median(times))


@torch.no_grad()
def latency_ms(model, frontend: dict, zoo, sample: np.ndarray, repeats: int = 30) -> float:
    """Median time of one prediction (front end + network, batch of one) on this computer, on one thread, as
    the exports are timed in their runtimes. With the training's threads, one small prediction waited for the
    others to wake up: the shop walk timed one model at 23.9 ms on 2 threads and 0.11 ms on one, on a busy
    2-core machine (and the speech walk 198 ms against 1.67 ms)."""
    model.eval()
    x = sample[None]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return median_ms(lambda: model(torch.from_numpy(zoo.apply_frontend(frontend, x)).float()), repeats)
    finally:
        torch.set_num_threads(threads)


DATA_CHANGED = "changed_since_training"
"""``Dataset.meta`` key set by ``open_run_dataset`` on today's data when its samples differ from the run's
(and the run has no saved samples to use instead, or the caller needs every training sample)."""


def open_run_dataset(run: runs.Run, data: str | os.PathLike | None = None, whole: bool = False):
    """Re-open the run's data (from the import cache when unchanged). ``data`` says where it is now when it
    was moved (``--data``; the app passes its project's data); it must hold the classes the run learnt.

    When today's data cannot give the run's own samples (moved or deleted, changed, other classes, or read
    differently since an update) the run's saved samples (``run_samples.py``) stand in, marked in
    ``meta``, unless the caller needs ``whole`` training set (fine-tuning); a run without saved samples
    gets the plain message."""
    try:
        ds = _open_todays_data(run, data)
    except DataError as e:
        saved = None if whole else run_samples.load_run_samples(run.path, getattr(e, "reason", None) or str(e))
        if saved is None:
            raise
        return saved
    fp = run.config.get("dataset", {}).get("fingerprint")
    same = fp is not None and fp == runs.dataset_fingerprint(ds)
    if fp and not same and not whole:
        saved = run_samples.load_run_samples(
            run.path, f"The files in {ds.root} changed since this run was trained (or an update reads them "
                      "differently).")
        if saved is not None:
            return saved
    if same and not run_samples.has_run_samples(run.path):
        _save_samples_quietly(run, ds)    # a run from before samples were saved: from now on it has them
    if fp and not same:
        ds.meta[DATA_CHANGED] = True      # evaluate says so (without hashing the samples again)
    return ds


def _save_samples_quietly(run: runs.Run, ds) -> None:
    try:
        run_samples.save_run_samples(run.path, ds)
    except OSError:
        pass          # a read-only run folder: it keeps needing its data, as before


def _data_error(message: str, files: list[str], reason: str) -> DataError:
    """A DataError whose ``reason`` says, without the advice, why today's data is not the run's."""
    e = DataError(message, files)
    e.reason = reason
    return e


def _open_todays_data(run: runs.Run, data):
    from edgeling.core.data.load import ImportOptions, open_dataset

    cfg = run.config
    path = Path(data).expanduser() if data else runs.data_location(run)
    if path is None:
        raise _data_error(f"The data this run was trained on is no longer at {cfg.get('data')} (moved, "
                          "renamed or deleted). Put it back there, or say where it is now: choose it again on the "
                          "Data page of the app, or add --data WHERE_IT_IS_NOW to the command.",
                          [str(cfg.get("data"))],
                          f"The data this run was trained on is no longer at {cfg.get('data')}.")
    try:
        ds = open_dataset(path, kind=cfg.get("dataset", {}).get("kind"),
                          options=ImportOptions(**runs.import_options(cfg)))
    except DataError as e:
        raise _data_error(f"The data this run was trained on cannot be opened: {e}", e.files,
                          f"The data this run was trained on ({path}) cannot be opened.") from None
    trained_shape = (cfg.get("spec") or {}).get("sample_shape")
    if trained_shape is not None and [int(d) for d in trained_shape] != [int(d) for d in ds.sample_shape]:
        raise _data_error(
            f"Edgeling now reads {path} differently from when this run was trained (an update changed how "
            f"{ds.kind} files are read: a sample is {list(ds.sample_shape)} now, it was {list(trained_shape)}), "
            "so this run's own samples cannot be rebuilt to test, check or extend it. Train a new run on this "
            "data. Predicting with this run, or with files exported from it, still works.", [str(path)],
            f"Edgeling now reads {path} differently from when this run was trained (an update changed how "
            f"{ds.kind} files are read).")
    learnt = runs.other_class_names(cfg, ds)
    if learnt is not None:
        raise _data_error(f"{path} holds the classes {', '.join(ds.class_names)}, but this run learnt "
                          f"{', '.join(learnt)}. Choose the data the run was trained on, or train a new run on "
                          "this data.", [str(path)],
                          f"{path} holds the classes {', '.join(ds.class_names)}, not the ones this run learnt.")
    return ds


def evaluate_run(run, ds=None, split: int = TEST, write: bool = True, worst: int = 10, data=None) -> dict:
    """Metrics of the run's best model on ``split`` (default the test split); written to metrics.json."""
    if not isinstance(run, runs.Run):
        run = runs.load_run(run)
    model, frontend, spec = runs.load_model(run)
    zoo = runs.zoo_module(run)
    ds = ds if ds is not None else open_run_dataset(run, data)
    idx = ds.indices(split)
    if len(idx) == 0:
        idx = ds.indices(1)  # no test samples (tiny data): fall back to validation, and say so
        used = "validation"
    else:
        used = "test"
    x, y = ds.x[idx], ds.y[idx]
    sources = [ds.sources[i] for i in idx]
    out, measured_with, int8_ms = run_outputs(run, model, frontend, zoo, x, ds.task)
    if ds.task == "classification":
        result = M.classification_metrics(y, M.softmax(out), ds.class_names, sources, worst=worst)
    else:
        result = M.regression_metrics(y, out.reshape(-1), sources, worst=worst)
    result["split"] = used
    result["kind"] = ds.kind          # for the words: new "rows" of a table, new "files" of the others
    if (ds.meta or {}).get("subjects") and used == "test":
        result["subjects"] = dict(ds.meta["subjects"])  # the split held whole speakers / machines out
        result["subjects"]["who"] = who_key(ds.kind, ds.meta)
        if ds.task == "classification":     # how each of them did: a new speaker may do as well as any of them
            right = np.asarray(out).argmax(1) == np.asarray(y)
            result["subjects"]["right"] = M.per_subject_right(sources, right, list(ds.meta["subjects"]["test"]),
                                                              ds.meta.get("subject_by_file"))
            result["accuracy_range"] = stored_range(result)   # as its sentence counts: one speaker's clips alike
    few = (ds.meta or {}).get("few_subjects")
    if few and not (ds.meta or {}).get("subjects"):    # split file by file: the test's machines are training's too
        from edgeling.core.data.subjects import subject_among

        in_test = {subject_among(s, set(few), ds.meta.get("subject_by_file")) for s in sources} - {None}
        result["same_subjects"] = {"count": len(in_test) or len(few), "of": len(few),   # the GUI walk: 3, not 4
                                   "who": who_words(ds.kind, ds.meta)}
    copies = set((ds.meta or {}).get("cross_label_duplicates") or [])
    if copies:       # the same photo under two labels: one copy is counted wrong whatever the model says
        result["copies_under_two_labels"] = [s for s in sources if s in copies]
    result["model"] = measured_with
    result["latency_ms"] = int8_ms if int8_ms is not None else (
        latency_ms(model, frontend, zoo, ds.x[idx[0] if len(idx) else 0]) if len(ds.x) else None)
    saved_note = run_samples.saved_samples_sentence(ds)
    if saved_note:
        result["note"] = saved_note
    elif (ds.meta or {}).get(DATA_CHANGED):
        result["note"] = "The data changed since this run was trained; these numbers are on today's files."
    result["arch"] = run.config.get("arch")
    result["evaluated"] = runs.now_iso()
    if ds.kind == "table" and (ds.meta or {}).get("delimiter"):   # result CSVs written as the user's table is
        result["csv_dialect"] = {"delimiter": ds.meta["delimiter"], "decimal_comma": bool(ds.meta.get("decimal_comma"))}
    names = table_row_names(ds)
    for sample in (result.get("worst_samples") or []) + (result.get("wrong_samples") or []):
        sample.update(names.get(sample["source"]) or {})
    if write:
        runs.write_metrics(run.path, result)
        write_predictions(run.path, ds, sources, y, out, used, names)
    return result


def table_row_names(ds) -> dict[str, dict]:
    """For a table whose file can be read here: each row's source -> ``{"row_id", "row_id_column"}``, what
    names it for a person (its order number or reference, ``data/row_names.py``), so a wrong answer is
    looked up as "CMD-24011", not "row 812". {} for other data, or when the file cannot be read."""
    if ds.kind != "table" or not Path(str(ds.root)).is_file():
        return {}
    from edgeling.core.data.row_names import row_ids
    from edgeling.core.data.table_encode import read_rows

    try:
        rows, sources = read_rows(ds.root)
    except (DataError, OSError):
        return {}
    column, ids = row_ids(rows, [c["name"] for c in ds.meta.get("columns") or []], ds.meta.get("target"))
    return {s: {"row_id": v, "row_id_column": column} for s, v in zip(sources, ids) if v is not None}


def run_outputs(run, model, frontend: dict, zoo, x: np.ndarray, task: str):
    """(outputs, what measured them, ms per answer or None: the int8 file's time plus the front end's, as a
    float run's is timed). A run with an int8 file (a compression with
    int8) is measured on that file in LiteRT, the model that goes on the device, as its compression table
    is; any other run on its PyTorch model. A classifier's probabilities become log-probabilities, which
    the metrics' softmax turns back exactly."""
    from edgeling.core.compress.int8 import int8_file_outputs

    got = int8_file_outputs(run, zoo.apply_frontend(frontend, x)) if len(x) else None
    if got is None:
        return predict_outputs(model, frontend, zoo, x), "PyTorch float32", None
    out, ms = got
    if ms is not None:   # front end + network, as a float run is timed (the speech GUI walk: 0.81 ms float beside
        ms += frontend_ms(frontend, zoo, x[0])   # 0.037 ms int8, the network alone, "22 times faster")
    return (np.log(np.maximum(out, 1e-12)) if task == "classification" else out), "the int8 file in LiteRT", ms


def frontend_ms(frontend: dict, zoo, sample: np.ndarray, repeats: int = 30) -> float:
    """Median time to prepare one sample for the network (log-mel features, a window's spectrum) here, on one
    thread."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return median_ms(lambda: zoo.apply_frontend(frontend, sample[None]), repeats)
    finally:
        torch.set_num_threads(threads)


PREDICTIONS_FILE = "predictions.json"


def write_predictions(run_dir, ds, sources: list[str], y, out: np.ndarray, split: str,
                      names: dict | None = None) -> None:
    """``predictions.json``: one entry per evaluated sample (source, true, predicted, and for classifiers
    the confidence; a table row's name, ``table_row_names``), so the app can show the samples behind a
    confusion-matrix cell or a scatter plot."""
    from edgeling.core.fileio import atomic_write_json

    samples = prediction_entries(ds.task, sources, y, out)
    for sample in samples:
        sample.update((names or {}).get(sample["source"]) or {})
    atomic_write_json(Path(run_dir) / PREDICTIONS_FILE,
                      {"task": ds.task, "split": split, "root": str(ds.root),
                       "class_names": list(ds.class_names), "samples": samples})


def prediction_entries(task: str, sources: list[str], y, out: np.ndarray) -> list[dict]:
    """One dict per sample: source, true, predicted (class indices), and for classifiers the confidence."""
    if task == "classification":
        probs = M.softmax(out)
        pred = probs.argmax(1)
        return [{"source": s, "true": int(t), "predicted": int(p), "confidence": round(float(c[p]), 4)}
                for s, t, p, c in zip(sources, np.asarray(y).tolist(), pred.tolist(), probs)]
    return [{"source": s, "true": float(t), "predicted": float(p)}
            for s, t, p in zip(sources, np.asarray(y, np.float64).reshape(-1), out.reshape(-1))]
