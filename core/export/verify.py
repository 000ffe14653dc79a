"""Prove an exported file on its real runtime: run the whole test split and compare with PyTorch.

Pass criteria: float exports agree with PyTorch on >= 99.5% of test samples (top-1) with max absolute
output difference < 1e-4; int8 exports agree on >= 97% and lose at most 1 point of accuracy. int8 TFLite
files are also run in TensorFlow Lite Micro (where it installs), which reports the arena it used.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from edgeling.core.export.errors import ExportError
from edgeling.core.export.runtimes import (
    LiteRTRunner,
    MicroRunner,
    OnnxRunner,
    micro_available,
    smallest_working_arena,
)

FORMATS = ("onnx", "onnx-int8", "tflite", "tflite-int8", "c-header")
FLOAT_MIN_AGREEMENT = 0.995
FLOAT_MAX_ABS_DIFF = 1e-4
INT8_MIN_AGREEMENT = 0.97
INT8_MAX_ACCURACY_LOSS = 0.01
REGRESSION_INT8_TOLERANCE = 0.02
"""int8 regression: a prediction agrees when within 2% of the reference outputs' range."""


def is_int8(fmt: str) -> bool:
    return fmt in ("onnx-int8", "tflite-int8", "c-header")


def verify_export(path: str | os.PathLike, format: str, x_test: np.ndarray, y_test: np.ndarray | None,
                  reference_outputs: np.ndarray, *, task: str = "classification",
                  micro_samples: int = 100) -> dict:
    """Run ``path`` (a .onnx or .tflite file; ``format`` one of FORMATS, "c-header" meaning its int8
    .tflite) on ``x_test`` (network inputs, torch layout) and compare with ``reference_outputs`` (what
    PyTorch gives for the same inputs, in the same form the file outputs, e.g. probabilities).

    Returns ``{passed, agreement, max_abs_diff, accuracy, reference_accuracy, size_bytes, latency_ms,
    arena_bytes, arena_required_bytes, micro_agreement, runtime, failures}``. ``arena_bytes`` is the total
    TFLite Micro's allocator reports, ``arena_required_bytes`` the smallest arena found to work;
    ``failures`` lists each criterion missed, in words.
    """
    if format not in FORMATS:
        raise ExportError(f"Unknown export format {format!r}; choose one of {', '.join(FORMATS)}.")
    path = Path(path)
    x_test = np.asarray(x_test, np.float32)
    if len(x_test) == 0:
        raise ExportError("There are no test samples to verify the export with: the data is too small to set "
                          "any aside. Add more files and train again into a new folder, or export with "
                          "--no-verify (the file is then not checked).", 2)
    ref = np.asarray(reference_outputs, np.float32).reshape(len(x_test), -1)
    runner = OnnxRunner(path) if format.startswith("onnx") else LiteRTRunner(path)
    out = runner.predict(x_test).reshape(len(x_test), -1)
    if out.shape != ref.shape:
        raise ExportError(f"The exported model gives {out.shape[1]} outputs per sample, PyTorch gives "
                          f"{ref.shape[1]}. Export again from the same run.")
    int8 = is_int8(format)
    result = {"runtime": "onnxruntime" if format.startswith("onnx") else "ai-edge-litert",
              "size_bytes": path.stat().st_size, "latency_ms": float(np.median(runner.times_ms)),
              "max_abs_diff": float(np.max(np.abs(out - ref))), "num_samples": len(x_test),
              "arena_bytes": None, "arena_required_bytes": None, "micro_agreement": None}
    result.update(_agreement_and_accuracy(out, ref, y_test, task, int8))
    if format in ("tflite-int8", "c-header") and micro_available():
        result.update(_run_micro(path, x_test[:micro_samples], out[:micro_samples], task))
    result["failures"] = _failures(result, int8)
    result["passed"] = not result["failures"]
    return result


def _agreement_and_accuracy(out: np.ndarray, ref: np.ndarray, y: np.ndarray | None, task: str,
                            int8: bool) -> dict:
    if task == "classification":
        agree = float(np.mean(out.argmax(1) == ref.argmax(1)))
        acc = ref_acc = None
        if y is not None:
            y = np.asarray(y).reshape(-1)
            acc = float(np.mean(out.argmax(1) == y))
            ref_acc = float(np.mean(ref.argmax(1) == y))
        return {"agreement": agree, "accuracy": acc, "reference_accuracy": ref_acc}
    span = float(np.ptp(ref)) or 1.0
    tol = REGRESSION_INT8_TOLERANCE * span if int8 else FLOAT_MAX_ABS_DIFF
    agree = float(np.mean(np.all(np.abs(out - ref) <= tol, axis=1)))
    return {"agreement": agree, "accuracy": None, "reference_accuracy": None}


def _run_micro(path: Path, x: np.ndarray, litert_out: np.ndarray, task: str) -> dict:
    runner = MicroRunner(path)
    out = runner.predict(x).reshape(len(x), -1)
    arena = runner.measure_arena()
    required = smallest_working_arena(path, x[:1], arena, runner.arena_size)
    if task == "classification":
        agree = float(np.mean(out.argmax(1) == litert_out.argmax(1)))
    else:
        agree = float(np.mean(np.all(np.abs(out - litert_out) <= 0.02 * (np.ptp(litert_out) or 1.0), axis=1)))
    return {"arena_bytes": arena, "arena_required_bytes": required, "micro_agreement": agree,
            "micro_latency_ms": float(np.median(runner.times_ms))}


def _failures(r: dict, int8: bool) -> list[str]:
    failures = []
    if int8:
        if r["agreement"] < INT8_MIN_AGREEMENT:
            failures.append(f"agrees with PyTorch on {r['agreement']:.1%} of test samples (needs "
                            f"{INT8_MIN_AGREEMENT:.0%})")
        if r["accuracy"] is not None and r["reference_accuracy"] is not None and \
                r["reference_accuracy"] - r["accuracy"] > INT8_MAX_ACCURACY_LOSS + 1e-9:
            failures.append(f"loses {100 * (r['reference_accuracy'] - r['accuracy']):.1f} points of accuracy "
                            f"(at most {100 * INT8_MAX_ACCURACY_LOSS:.0f} allowed)")
        if r["micro_agreement"] is not None and r["micro_agreement"] < INT8_MIN_AGREEMENT:
            failures.append(f"TensorFlow Lite Micro agrees with LiteRT on only {r['micro_agreement']:.1%} "
                            "of samples")
    else:
        if r["agreement"] < FLOAT_MIN_AGREEMENT:
            failures.append(f"agrees with PyTorch on {r['agreement']:.1%} of test samples (needs "
                            f"{FLOAT_MIN_AGREEMENT:.1%})")
        if not r["max_abs_diff"] < FLOAT_MAX_ABS_DIFF:
            failures.append(f"outputs differ from PyTorch by up to {r['max_abs_diff']:.2g} (must stay under "
                            f"{FLOAT_MAX_ABS_DIFF:g})")
    return failures
