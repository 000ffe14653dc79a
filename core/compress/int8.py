"""int8 for a compression run (PTQ, and the last step of QAT): BatchNorm folded, symmetric int8 weights
(per-channel for conv, per-tensor for dense), per-tensor int8 activations calibrated on training samples. It
is done by writing the int8 TFLite file with the project's writer (``export.tflite_writer``), so the numbers
we report are those of the file the user takes home: its accuracy and macro-F1 are measured by running the
test split in LiteRT, and ``export.verify`` compares it with PyTorch (and runs it in TFLite Micro where that
installs). The test split is run once: the verification's outputs serve the measure and the evaluation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgeling.core.export.errors import ExportError

INT8_FILE = "model-int8.tflite"


def int8_file_outputs(run, x: np.ndarray) -> tuple[np.ndarray, float] | None:
    """A run's int8 file's dequantised outputs (probabilities for classifiers) for network inputs ``x``,
    run in LiteRT with the kernels its device runs (``runtimes.int8_kernels``: a microcontroller's are the
    reference kernels, what TensorFlow Lite Micro computes), and its median ms per answer; None when the
    run has no int8 file or it is damaged (the PyTorch weights still answer; an export quantizes them
    again). ``run``: a ``runs.Run``, or its folder."""
    from edgeling.core.export.runtimes import LiteRTRunner, int8_kernels, latency_times_ms
    from edgeling.core.runs import Run, RunError, load_run

    path = Path(run.path if isinstance(run, Run) else run) / INT8_FILE
    if not path.is_file() or not len(x):
        return None
    try:
        config = run.config if isinstance(run, Run) else load_run(path.parent).config
    except RunError:
        config = {}
    kernels = int8_kernels(config.get("device"))
    known = _MEASURED.get(_measured_key(path, kernels, x))
    if known is not None:       # write_int8 has just run this very file on these inputs
        return known
    try:
        runner = LiteRTRunner(path, kernels)
        out = runner.predict(np.asarray(x, np.float32)).reshape(len(x), -1).astype(np.float64)
        times = latency_times_ms(path, runner, x)
    except ExportError:
        return None
    return out, float(np.median(times))


_MEASURED: dict[tuple, tuple[np.ndarray, float]] = {}
"""The outputs and ms per answer ``write_int8``'s verification measured for the file it wrote, by
``_measured_key``: the evaluation that follows it reads them instead of running the test split again."""


def _measured_key(path: Path, kernels: str, x: np.ndarray) -> tuple:
    import hashlib

    x = np.ascontiguousarray(x, np.float32)
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, kernels, x.shape,
            hashlib.blake2b(x.tobytes(), digest_size=16).hexdigest())


def write_int8(model, spec: dict, frontend: dict, x_calib: np.ndarray, x_test: np.ndarray,
               y_test: np.ndarray | None, out_dir: str | Path, metadata: dict | None = None) -> dict:
    """Write ``out_dir/model-int8.tflite`` (int8 input and output) and measure it.

    ``x_calib`` / ``x_test``: network inputs (front end applied, torch layout). Returns ``{file,
    size_bytes, calibration_samples, accuracy, macro_f1, outputs, verification}``; ``outputs`` are the
    file's dequantised outputs on ``x_test`` (probabilities for classifiers)."""
    from edgeling.core.export.exporter import (
        export_metadata,
        exported_module,
        reference_outputs,
        to_graph_layout,
    )
    from edgeling.core.export.files import write_export
    from edgeling.core.export.runtimes import int8_kernels
    from edgeling.core.export.tflite_writer import write_tflite
    from edgeling.core.export.verify import verify_export_outputs
    from edgeling.core.models.lowering import LoweringError, lower

    task = spec.get("task", "classification")
    x_test = np.asarray(x_test, np.float32)
    input_shape = tuple(int(d) for d in x_test.shape[1:])
    model.eval()
    try:
        graph = lower(model, input_shape, append_softmax=task == "classification")
    except LoweringError as e:
        raise ExportError(f"This model cannot be written as int8 TFLite: {e}") from None
    meta = {**export_metadata(spec, frontend, input_shape, "tflite-int8"), **(metadata or {})}
    data = write_tflite(graph, None, precision="int8", calibration=to_graph_layout(x_calib), int8_io=True,
                        metadata=meta)
    path = Path(out_dir) / INT8_FILE
    write_export(path, data)
    kernels = int8_kernels((metadata or {}).get("device"))
    reference = reference_outputs(exported_module(model, task), x_test)
    verification, outputs = verify_export_outputs(path, "tflite-int8", x_test, y_test, reference, task=task,
                                                  kernels=kernels)
    _MEASURED.clear()       # for the evaluation that follows (int8_file_outputs): one pass of the test split
    _MEASURED[_measured_key(path, kernels, x_test)] = (outputs.astype(np.float64), verification["latency_ms"])
    return {"file": INT8_FILE, "size_bytes": len(data), "calibration_samples": int(len(x_calib)),
            "outputs": outputs, "verification": verification}
