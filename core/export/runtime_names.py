"""The runtimes exported files are checked in, as people know them. ``verification["runtime"]`` keeps the
Python package's name (``ai-edge-litert``, ``onnxruntime``: what a script reading ``--json`` can install);
every sentence a person reads (CLI, model card, app) says these words."""

from __future__ import annotations

FLOAT_FORMATS = ("tflite", "onnx")
RUNTIME_WORDS = {"ai-edge-litert": "TensorFlow Lite (LiteRT)", "onnxruntime": "ONNX Runtime"}


def runtime_words(runtime) -> str:
    """"TensorFlow Lite (LiteRT)" for "ai-edge-litert"; an unknown name as it is; "its runtime" for none."""
    return RUNTIME_WORDS.get(str(runtime), str(runtime)) if runtime else "its runtime"


def checked_in_words(verification: dict, fmt: str | None = None) -> str:
    """Where a file was checked: "TensorFlow Lite (LiteRT)", or for a microcontroller's int8 file "TensorFlow
    Lite (LiteRT) with its reference kernels, which compute what TensorFlow Lite Micro computes on the board".
    A float ``fmt`` never says the board: a microcontroller runs int8 files only (the tester's walk: a float
    .tflite for an ESP32-S3 was said to be checked as on the board)."""
    words = runtime_words(verification.get("runtime"))
    if verification.get("kernels") == "reference" and fmt not in FLOAT_FORMATS:
        words += " with its reference kernels, which compute what TensorFlow Lite Micro computes on the board"
    return words


def changes_words(verification: dict) -> str:
    """"2 of 61 answers changed, at most 2 allowed" for an int8 check, else ""."""
    n, allowed, agreement = verification.get("num_samples"), verification.get("changes_allowed"), \
        verification.get("agreement")
    if not n or allowed is None or agreement is None:
        return ""
    return f"{round((1 - agreement) * n)} of {n} answers changed, at most {allowed} allowed"
