"""Predict new files with a trained run: each file is prepared exactly as the import prepared the
training data (the importers' own preprocess functions), then through the front end and the network."""

from __future__ import annotations

import csv
import importlib
from pathlib import Path

import numpy as np

from edgeling.core import runs
from edgeling.core.data.dataset import DataError
from edgeling.core.training.evaluate import predict_outputs
from edgeling.core.training.metrics import softmax


def samples_from_file(kind: str, path: Path, meta: dict) -> tuple[np.ndarray, list[str]]:
    """(samples in dataset layout, a source label per sample) for one file."""
    if not path.is_file():
        raise DataError(f"{path} does not exist or is not a file. Check the path.", files=[str(path)])
    if kind == "images":
        from edgeling.core.data.images import preprocess_image

        return preprocess_image(str(path), meta)[None], [str(path)]
    if kind == "audio":
        audio = importlib.import_module("edgeling.core.data.audio")
        clip = np.asarray(audio.preprocess_audio(str(path), meta), np.float32)
        return (clip if clip.ndim == 2 else clip[None]), [str(path)] * (len(clip) if clip.ndim == 2 else 1)
    if kind == "timeseries":
        from edgeling.core.data.timeseries import windows_from_recording

        w = windows_from_recording(path, meta)
        step = float(meta.get("stride_s") or meta.get("window_s") or 0)
        return w, [f"{path}#t={i * step:.2f}" for i in range(len(w))]
    if kind == "table":
        from edgeling.core.data.table import encode_rows

        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        if not rows:
            raise DataError(f"{path} has no rows under its header line. Add rows to predict.", [str(path)])
        return encode_rows(rows, meta), [f"{path}#row={i + 2}" for i in range(len(rows))]
    raise DataError(f"Unknown kind of data {kind!r}.")


def predict_files(run, files: list[str], top: int = 3) -> list[dict]:
    """One dict per prediction: ``source``, ``label`` and ``confidence`` (classification, with the
    ``top`` most likely classes), or ``value`` (regression). A sensor recording gives one prediction per
    window plus a summary for the whole file (mean of the window probabilities)."""
    if not isinstance(run, runs.Run):
        run = runs.load_run(run)
    model, frontend, spec = runs.load_model(run)
    zoo = runs.zoo_module(run)
    results = []
    for name in files:
        x, sources = samples_from_file(spec.kind, Path(name).expanduser(), spec.meta)
        out = predict_outputs(model, frontend, zoo, x)
        if spec.task == "regression":
            results += [{"source": s, "value": float(v)} for s, v in zip(sources, out.reshape(-1))]
            continue
        probs = softmax(out.astype(np.float64))
        rows = [_label(s, p, spec.class_names, top) for s, p in zip(sources, probs)]
        if len(rows) > 1 and spec.kind in ("timeseries", "audio"):
            whole = _label(str(name), probs.mean(0), spec.class_names, top)
            whole["windows"] = rows
            rows = [whole]
        results += rows
    return results


def _label(source: str, p: np.ndarray, names: list[str], top: int) -> dict:
    order = np.argsort(-p, kind="mergesort")[:top]
    return {"source": source, "label": names[int(order[0])], "confidence": float(p[order[0]]),
            "top": [{"label": names[int(i)], "confidence": float(p[i])} for i in order]}
