"""The samples a run is measured on, kept in the run folder: ``RUN/samples.npz``.

Training writes it when it starts: the test samples (the validation samples when the split has no test
samples), the training samples every int8 quantization calibrates on (the same ``CALIBRATION_SAMPLES``
chosen the same way as ``export`` and ``compress`` choose them) and a short hash of every sample the run
learnt from or chose its best epoch with. They are stored as the importer produced them (before the
model's front end), so evaluating, exporting, verifying and int8-quantizing a run give the same numbers
from them as from the data itself.

They make a run independent of its data for everything but further training: when the data was moved,
deleted or changed since, or an update reads the files differently, ``evaluate``, ``export`` and a
``compress`` that only quantizes still work on the run's own samples (and say so), and ``evaluate --on``
still knows which files the run learnt from. Runs trained before this file existed have none; they need
their data as before. Fine-tuning, pruning, distillation and resuming need every training sample, so they
still need the data.

numpy only (the GUI process lists runs); the file holds arrays and JSON text, read with
``allow_pickle=False``.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from edgeling.core.fileio import atomic_write_with

SAMPLES_FILE = "samples.npz"
CALIBRATION_SAMPLES = 300
KEY_BYTES = 12
SAVED_SPLIT_NOTE = "saved_samples"
"""``Dataset.meta`` key on a dataset rebuilt from the run's own samples: why today's data was not used."""


def calibration_indices(train_idx: np.ndarray, count: int = CALIBRATION_SAMPLES) -> np.ndarray:
    """The training samples an int8 quantization calibrates on: a fixed random choice, sorted."""
    train_idx = np.asarray(train_idx)
    if len(train_idx) == 0:
        return train_idx
    rng = np.random.default_rng(0)
    return np.sort(rng.choice(train_idx, size=min(count, len(train_idx)), replace=False))


def sample_key(sample: np.ndarray, dtype) -> bytes:
    """A short hash of one sample as the importer produced it (same bytes, same key)."""
    return hashlib.sha1(np.ascontiguousarray(sample, dtype=dtype).tobytes()).digest()[:KEY_BYTES]


def save_run_samples(run_dir: str | os.PathLike, ds) -> Path:
    """Write ``RUN/samples.npz`` from the dataset the run trains on."""
    from edgeling.core.data.dataset import TEST, TRAIN, VAL

    measured, split = ds.indices(TEST), TEST
    if len(measured) == 0:
        measured, split = ds.indices(VAL), VAL
    calib = calibration_indices(ds.indices(TRAIN))
    dtype = np.asarray(ds.x[:0]).dtype
    learnt = np.flatnonzero(np.asarray(ds.splits) != TEST)
    keys = b"".join(sample_key(ds.x[i], dtype) for i in learnt)
    about = {"kind": ds.kind, "task": ds.task, "class_names": list(ds.class_names), "root": ds.root,
             "measured_split": int(split), "meta": ds.meta, "dtype": dtype.str,
             "calibration_sources": [ds.sources[i] for i in calib],
             "measured_sources": [ds.sources[i] for i in measured]}
    arrays = {"x_calibration": np.asarray(ds.x[calib]), "y_calibration": np.asarray(ds.y)[calib],
              "x_measured": np.asarray(ds.x[measured]), "y_measured": np.asarray(ds.y)[measured],
              "learnt_keys": np.frombuffer(keys, np.uint8),
              "about": np.frombuffer(json.dumps(about, default=str).encode(), np.uint8)}
    return atomic_write_with(Path(run_dir) / SAMPLES_FILE, lambda f: np.savez_compressed(f, **arrays))


def kept_words(ds) -> str:
    """What ``samples.npz`` holds of the user's data, for the training log: the speech walk's clinic laptop held
    314 of the children's clips in a run folder, and only the README said so."""
    from edgeling.core.data.dataset import TEST, TRAIN, VAL

    measured = len(ds.indices(TEST)) or len(ds.indices(VAL))
    n = measured + len(calibration_indices(ds.indices(TRAIN)))
    return (f"The run folder keeps decoded copies of {n:,} of your samples ({SAMPLES_FILE}: the test samples and "
            "those int8 calibrates on), so that evaluating and exporting work when the data is gone. Exported "
            "files hold none of them: if your data is private, share those, not the run folder.")


def has_run_samples(run_dir: str | os.PathLike) -> bool:
    return (Path(run_dir) / SAMPLES_FILE).is_file()


def _read(run_dir: str | os.PathLike, names: tuple[str, ...] | None = None) -> tuple[dict, dict] | None:
    """(arrays, about) from the run's file: the arrays ``names`` (all when None; each is decompressed only
    when read); None when there is no file or it is damaged."""
    path = Path(run_dir) / SAMPLES_FILE
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files if k != "about" and (names is None or k in names)}
            about = json.loads(z["about"].tobytes().decode())
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error):
        return None       # damaged: the run behaves as one without saved samples (its data is needed)
    return arrays, about


def load_run_samples(run_dir: str | os.PathLike, why: str):
    """The run's own samples as a Dataset (calibration samples as its training split, the measured ones as
    its test or validation split), with ``meta[SAVED_SPLIT_NOTE] = why``; None when the run has none."""
    from edgeling.core.data.dataset import TRAIN, Dataset

    got = _read(run_dir)
    if got is None or not {"x_calibration", "y_calibration", "x_measured", "y_measured"} <= set(got[0]):
        return None
    arrays, about = got
    n_calib, n_measured = len(arrays["x_calibration"]), len(arrays["x_measured"])
    sources = list(about["calibration_sources"]) + list(about["measured_sources"])
    x = np.concatenate([arrays["x_calibration"], arrays["x_measured"]])
    y = np.concatenate([arrays["y_calibration"], arrays["y_measured"]])
    splits = np.array([TRAIN] * n_calib + [about["measured_split"]] * n_measured, np.int64)
    meta = dict(about.get("meta") or {}, **{SAVED_SPLIT_NOTE: why})
    return Dataset(kind=about["kind"], task=about["task"], x=x, y=y, class_names=list(about["class_names"]),
                   sources=sources, groups=list(sources), splits=splits, root=str(about.get("root") or ""),
                   meta=meta)


def calibration_samples(run_dir: str | os.PathLike) -> tuple[np.ndarray, np.ndarray] | None:
    """(x, y) of the training samples the run keeps (those int8 calibrates on), as the importer produced them;
    None when it keeps none."""
    got = _read(run_dir, ("x_calibration", "y_calibration"))
    if got is None or not {"x_calibration", "y_calibration"} <= set(got[0]):
        return None
    return got[0]["x_calibration"], got[0]["y_calibration"]


def learnt_keys(run_dir: str | os.PathLike) -> tuple[set[bytes], np.dtype] | None:
    """(keys of the samples the run learnt from, their dtype), or None when the run has no saved samples."""
    got = _read(run_dir, ("learnt_keys",))
    if got is None or "learnt_keys" not in got[0]:
        return None
    arrays, about = got
    raw = arrays["learnt_keys"].tobytes()
    keys = {raw[i:i + KEY_BYTES] for i in range(0, len(raw), KEY_BYTES)}
    if "dtype" in about:
        return keys, np.dtype(about["dtype"])
    older = _read(run_dir, ("x_measured",))   # written before the dtype was in "about" (22 Nov 2026)
    if older is None or "x_measured" not in older[0]:
        return None
    return keys, older[0]["x_measured"].dtype


def saved_samples_sentence(ds, done: str = "measured") -> str | None:
    """What to tell the user when ``ds`` was rebuilt from the run's own samples, else None; ``done`` is
    what happens on them ("measured", "verified")."""
    why = (ds.meta or {}).get(SAVED_SPLIT_NOTE)
    if not why:
        return None
    from edgeling.core.data.dataset import TRAIN

    n = int(len(ds.splits) - np.count_nonzero(np.asarray(ds.splits) == TRAIN))
    if done == "measured":
        return (f"{why} So these numbers are on the {n} samples saved with the run when it was trained, the "
                "same ones it was measured on then.")
    return (f"{why} The file is {done} on the {n} samples saved with the run when it was trained, the same "
            "ones it was measured on then.")
