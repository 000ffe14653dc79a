"""The runtimes exported files are checked in, as people know them. ``verification["runtime"]`` keeps the
Python package's name (``ai-edge-litert``, ``onnxruntime``: what a script reading ``--json`` can install);
every sentence a person reads (CLI, model card, app) says these words."""

from __future__ import annotations

RUNTIME_WORDS = {"ai-edge-litert": "TensorFlow Lite (LiteRT)", "onnxruntime": "ONNX Runtime"}


def runtime_words(runtime) -> str:
    """"TensorFlow Lite (LiteRT)" for "ai-edge-litert"; an unknown name as it is; "its runtime" for none."""
    return RUNTIME_WORDS.get(str(runtime), str(runtime)) if runtime else "its runtime"
