"""Prove an exported file on its real runtime: run the whole test split and compare with PyTorch.

Pass criteria: float exports agree with PyTorch on >= 99.5% of test samples (top-1) with max absolute
output difference < 1e-4 for outputs up to 1 (probabilities), else relative to the outputs' scale
(``float_tolerance``); int8 exports agree on >= 97%, or change at most two answers when two are more
than 3% of a small test set (fewer than 67 samples; at 61 samples a 97% rule allows one changed answer),
and lose at most 1 point of accuracy, or one test sample when a sample is worth more than a point (on 99
test samples one flipped answer is 1.01 points, and a plain 1-point rule would fail every int8 file that
changes a single answer).

An int8 TFLite file for a microcontroller (and every C header) is run in LiteRT with its reference kernels,
which compute what TensorFlow Lite Micro computes on the board; for other devices with LiteRT's default
kernels, which those devices run. int8 TFLite files are also run in TensorFlow Lite Micro (where it
installs), compared with LiteRT's reference kernels, and report the arena they used.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from edgeling.core.export.errors import ExportError
from edgeling.core.export.runtimes import (
    DEFAULT_KERNELS,
    REFERENCE_KERNELS,
    LiteRTRunner,
    MicroRunner,
    OnnxRunner,
    latency_times_ms,
    micro_available,
    smallest_working_arena,
)

FORMATS = ("onnx", "onnx-int8", "tflite", "tflite-int8", "c-header")
FLOAT_MIN_AGREEMENT = 0.995
FLOAT_MAX_ABS_DIFF = 1e-4
"""A float file's outputs may differ from PyTorch's by this much, times the outputs' scale (``float_tolerance``)."""
INT8_MIN_AGREEMENT = 0.97
INT8_CHANGES_ALWAYS_ALLOWED = 2
"""int8 may change this many test answers even when they are more than 3% of the test samples."""
INT8_MAX_ACCURACY_LOSS = 0.01
"""int8 may lose this much accuracy, or one test sample when a sample is worth more (see int8_loss_allowed)."""
REGRESSION_INT8_TOLERANCE = 0.02
"""int8 regression: a prediction agrees when within 2% of the reference outputs' range."""


def float_tolerance(ref: np.ndarray) -> float:
    """The largest difference from PyTorch a float file's outputs may have: 1e-4 for outputs within 0..1 (a
    classifier's probabilities), else 1e-4 of their range or 1e-5 of their largest magnitude, whichever is
    larger (as the int8 check scales with the range). float32's rounding grows with the numbers: a price in the thousands differs by about 1e-2 between
    PyTorch and LiteRT with no fault in the file (a fixed 1e-4 failed every such regression export)."""
    ref = np.asarray(ref, np.float32)
    if ref.size == 0:
        return FLOAT_MAX_ABS_DIFF
    span, top = float(np.ptp(ref)), float(np.max(np.abs(ref)))
    return FLOAT_MAX_ABS_DIFF * max(1.0, span, top / 10)      # float32 rounds 1e5 to steps of 0.008


def is_int8(fmt: str) -> bool:
    return fmt in ("onnx-int8", "tflite-int8", "c-header")


def int8_changes_allowed(num_samples: int) -> int:
    """How many of ``num_samples`` test answers an int8 file may change: 3%, or two when that is more."""
    return max(int(np.floor((1 - INT8_MIN_AGREEMENT) * num_samples + 1e-9)), INT8_CHANGES_ALWAYS_ALLOWED)


def int8_agreement_ok(agreement: float, num_samples: int) -> bool:
    changed = round((1 - agreement) * num_samples)
    return agreement >= INT8_MIN_AGREEMENT - 1e-12 or changed <= int8_changes_allowed(num_samples)


def int8_loss_allowed(num_samples: int) -> float:
    """The accuracy an int8 file may lose on ``num_samples`` labelled test samples, as a fraction:
    1 point, or one sample when one sample is worth more than a point (fewer than 100 samples)."""
    return max(INT8_MAX_ACCURACY_LOSS, 1 / num_samples) if num_samples else INT8_MAX_ACCURACY_LOSS


def loss_allowed_words(allowed: float, num_samples: int, unit: bool = False) -> str:
    """'at most 1 allowed' or 'at most 1.01 allowed: one sample' (points of accuracy; with ``unit``
    'at most 1 point allowed', 'at most 1.01 points allowed: one sample')."""
    one_sample = bool(num_samples) and allowed > INT8_MAX_ACCURACY_LOSS + 1e-12
    amount = _points(allowed) if one_sample else f"{100 * INT8_MAX_ACCURACY_LOSS:g}"
    if unit:
        amount += " point" if amount == "1" else " points"
    return f"at most {amount} allowed" + (": one sample" if one_sample else "")


def accuracy_loss_words(r: dict) -> str:
    """'loses 1.01 points of accuracy (1 of 99 test samples; at most 1.01 allowed: one sample)', 'loses no
    accuracy (at most 1 point allowed)', or 'gains 1.01 points of accuracy (1 of 99 test samples)' when the
    file gets more test samples right than PyTorch, for a verification with ``accuracy_loss_allowed``."""
    allowed, n, lost = r["accuracy_loss_allowed"], r["num_samples"], r["accuracy_loss_samples"]
    if lost < 0:
        return f"gains {_points(-r['accuracy_loss'])} points of accuracy ({-lost} of {n} test samples)"
    if lost == 0:
        return f"loses no accuracy ({loss_allowed_words(allowed, n, unit=True)})"
    return (f"loses {_points(r['accuracy_loss'], allowed)} points of accuracy ({lost} of {n} test samples; "
            f"{loss_allowed_words(allowed, n)})")


def _points(fraction: float, other: float | None = None) -> str:
    """A fraction in points of accuracy, to 2 decimals, or more when needed to tell it from ``other``."""
    for digits in range(2, 7):
        text = f"{100 * fraction:.{digits}f}"
        if other is None or abs(fraction - other) < 1e-12 or text != f"{100 * other:.{digits}f}":
            return text
    return text


def verify_export(path: str | os.PathLike, format: str, x_test: np.ndarray, y_test: np.ndarray | None,
                  reference_outputs: np.ndarray, *, task: str = "classification",
                  micro_samples: int = 100, kernels: str = DEFAULT_KERNELS) -> dict:
    """See ``verify_export_outputs``, which also returns the file's outputs on ``x_test``."""
    return verify_export_outputs(path, format, x_test, y_test, reference_outputs, task=task,
                                 micro_samples=micro_samples, kernels=kernels)[0]


def verify_export_outputs(path: str | os.PathLike, format: str, x_test: np.ndarray, y_test: np.ndarray | None,
                          reference_outputs: np.ndarray, *, task: str = "classification",
                          micro_samples: int = 100, kernels: str = DEFAULT_KERNELS) -> tuple[dict, np.ndarray]:
    """Run ``path`` (a .onnx or .tflite file; ``format`` one of FORMATS, "c-header" meaning its int8
    .tflite) on ``x_test`` (network inputs, torch layout) and compare with ``reference_outputs`` (what
    PyTorch gives for the same inputs, in the same form the file outputs, e.g. probabilities). ``kernels``:
    LiteRT's kernels for a .tflite (``runtimes.int8_kernels`` says which the device runs; a C header always
    gets the reference kernels).

    Returns ``{passed, agreement, max_abs_diff, accuracy, reference_accuracy, size_bytes, latency_ms,
    arena_bytes, arena_required_bytes, micro_agreement, runtime, kernels, failures, accuracy_loss,
    accuracy_loss_samples, accuracy_loss_allowed, changes_allowed}``. ``arena_bytes`` is the total TFLite
    Micro's allocator reports, ``arena_required_bytes`` the smallest arena found to work;
    ``accuracy_loss_allowed`` the loss an int8 classifier may have (a fraction: 0.01, or one test sample when
    that is more); ``changes_allowed`` how many test answers an int8 file may change; ``latency_ms`` is
    measured with LiteRT's default kernels (the reference kernels are slow on a PC); ``failures`` lists each
    criterion missed, in words. Also returns the file's outputs on ``x_test`` (N, outputs), so that a caller
    that needs them does not run the whole test split again (a PTQ compression ran it three times).
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
    onnx = format.startswith("onnx")
    kernels = None if onnx else REFERENCE_KERNELS if format == "c-header" else kernels
    runner = OnnxRunner(path) if onnx else LiteRTRunner(path, kernels)
    out = runner.predict(x_test).reshape(len(x_test), -1)
    if out.shape != ref.shape:
        raise ExportError(f"The exported model gives {out.shape[1]} outputs per sample, PyTorch gives "
                          f"{ref.shape[1]}. Export again from the same run.")
    int8 = is_int8(format)
    result = {"runtime": "onnxruntime" if onnx else "ai-edge-litert", "kernels": kernels,
              "size_bytes": path.stat().st_size,
              "latency_ms": float(np.median(latency_times_ms(path, runner, x_test))),
              "max_abs_diff": float(np.max(np.abs(out - ref))), "num_samples": len(x_test),
              "max_abs_diff_allowed": None if int8 else float_tolerance(ref),
              "arena_bytes": None, "arena_required_bytes": None, "micro_agreement": None,
              "changes_allowed": int8_changes_allowed(len(x_test)) if int8 else None}
    result.update(_agreement_and_accuracy(out, ref, y_test, task, int8))
    if format in ("tflite-int8", "c-header") and micro_available():
        x_micro = x_test[:micro_samples]
        reference = out[:micro_samples] if kernels == REFERENCE_KERNELS else \
            LiteRTRunner(path, REFERENCE_KERNELS).predict(x_micro).reshape(len(x_micro), -1)
        result.update(_run_micro(path, x_micro, reference, task))
    result["failures"] = _failures(result, int8)
    result["passed"] = not result["failures"]
    return result, out


def _agreement_and_accuracy(out: np.ndarray, ref: np.ndarray, y: np.ndarray | None, task: str,
                            int8: bool) -> dict:
    if task == "classification":
        agree = float(np.mean(out.argmax(1) == ref.argmax(1)))
        acc = ref_acc = None
        if y is not None:
            y = np.asarray(y).reshape(-1)
            acc = float(np.mean(out.argmax(1) == y))
            ref_acc = float(np.mean(ref.argmax(1) == y))
        result = {"agreement": agree, "accuracy": acc, "reference_accuracy": ref_acc, **_NO_LOSS}
        if int8 and y is not None and len(y):
            lost = int(np.sum(ref.argmax(1) == y) - np.sum(out.argmax(1) == y))
            result.update(accuracy_loss=lost / len(y), accuracy_loss_samples=lost,
                          accuracy_loss_allowed=int8_loss_allowed(len(y)))
        return result
    span = float(np.ptp(ref)) or 1.0
    tol = REGRESSION_INT8_TOLERANCE * span if int8 else float_tolerance(ref)
    agree = float(np.mean(np.all(np.abs(out - ref) <= tol, axis=1)))
    return {"agreement": agree, "accuracy": None, "reference_accuracy": None, **_NO_LOSS}


_NO_LOSS = {"accuracy_loss": None, "accuracy_loss_samples": None, "accuracy_loss_allowed": None}
"""int8 classification with labels: the accuracy lost (a fraction, and in samples: right answers of PyTorch
the file gets wrong, net) and the loss allowed (``int8_loss_allowed``); None for the others."""


def _run_micro(path: Path, x: np.ndarray, litert_out: np.ndarray, task: str) -> dict:
    """TensorFlow Lite Micro on ``x``, compared with LiteRT's reference kernels' ``litert_out``."""
    runner = MicroRunner(path)
    out = runner.predict(x).reshape(len(x), -1)
    arena = runner.measure_arena()
    required = smallest_working_arena(path, x[:1], arena, runner.arena_size)
    if task == "classification":
        agree = float(np.mean(out.argmax(1) == litert_out.argmax(1)))
    else:
        agree = float(np.mean(np.all(np.abs(out - litert_out) <= 0.02 * (np.ptp(litert_out) or 1.0), axis=1)))
    return {"arena_bytes": arena, "arena_required_bytes": required, "micro_agreement": agree,
            "micro_samples": len(x), "micro_latency_ms": float(np.median(runner.times_ms))}


def _failures(r: dict, int8: bool) -> list[str]:
    failures = []
    if int8:
        n = r["num_samples"]
        if not int8_agreement_ok(r["agreement"], n):
            changed = round((1 - r["agreement"]) * n)
            failures.append(f"agrees with PyTorch on {r['agreement']:.1%} of test samples: {changed} of {n} "
                            f"answers changed (needs {INT8_MIN_AGREEMENT:.0%}, or at most "
                            f"{int8_changes_allowed(n)} changed)")
        allowed = r.get("accuracy_loss_allowed")
        if allowed is not None and r["accuracy_loss"] > allowed + 1e-9:
            failures.append(accuracy_loss_words(r))
        if r["micro_agreement"] is not None and not int8_agreement_ok(r["micro_agreement"], r["micro_samples"]):
            failures.append(f"TensorFlow Lite Micro agrees with LiteRT's reference kernels on only "
                            f"{r['micro_agreement']:.1%} of {r['micro_samples']} samples (they compute the same "
                            "int8 arithmetic, so the file is read differently: a fault in Edgeling's file)")
    else:
        if r["agreement"] < FLOAT_MIN_AGREEMENT:
            failures.append(f"agrees with PyTorch on {r['agreement']:.1%} of test samples (needs "
                            f"{FLOAT_MIN_AGREEMENT:.1%})")
        allowed = r.get("max_abs_diff_allowed") or FLOAT_MAX_ABS_DIFF
        if not r["max_abs_diff"] < allowed:
            failures.append(f"outputs differ from PyTorch by up to {r['max_abs_diff']:.2g} (must stay under "
                            f"{allowed:.2g})")
    return failures


def unlearnt_failure_words(metrics: dict | None) -> str:
    """Why a file of a model that has hardly learnt fails its check, and what to do: its answers are near ties
    (every class about as likely) that any rounding flips, so it is the training, not the file ('' for a
    model that learnt; the newcomer run: a 2-epoch words model at 16.7% failed its int8 check with numbers
    and no word on what to do)."""
    from edgeling.core.results_words import baseline_verdict

    verdict = baseline_verdict(metrics or {})
    if verdict not in ("worse", "no better"):
        return ""
    return (f"The model has hardly learnt (test accuracy {metrics['accuracy']:.1%}, {verdict} than always "
            "answering one class): its answers are near ties between classes, which int8's rounding flips. "
            "Train it longer or on more data first, then export again.")
