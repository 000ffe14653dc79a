"""Export a trained model to one format, prove the file on its runtime, and write its model card.

``export_model`` is the one entry point (the ``export`` command and the GUI's export job call it). A
verified export is written to ``out_path`` only after it passed: the candidate is first written and
verified in a temporary folder, so a file that fails verification is never left where a finished export
would be; the result then says ``passed: False`` with the numbers.

Classifiers are exported with a softmax at the end (the files output probabilities); the PyTorch
reference is the same model followed by the same softmax.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from edgeling.core.export.errors import ExportError
from edgeling.core.export.files import Staged
from edgeling.core.export.model_card import FEATURES_OUTSIDE
from edgeling.core.export.runtimes import int8_kernels
from edgeling.core.export.verify import FORMATS, verify_export

SUFFIX = {"onnx": ".onnx", "onnx-int8": ".onnx", "tflite": ".tflite", "tflite-int8": ".tflite", "c-header": ".h"}


def _as_dict(spec: Any) -> dict:
    return spec.to_dict() if hasattr(spec, "to_dict") else dict(spec)


def exported_module(model, task: str):
    """What the files compute: the model, plus a softmax for classifiers."""
    import torch

    if task != "classification":
        return model.eval()
    return torch.nn.Sequential(model, torch.nn.Softmax(dim=1)).eval()


def reference_outputs(module, x: np.ndarray, batch_size: int = 256) -> np.ndarray:
    import torch

    outs = []
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            outs.append(module(torch.from_numpy(np.ascontiguousarray(x[i:i + batch_size]))).float().numpy())
    return np.concatenate(outs) if outs else np.zeros((0, 1), np.float32)


def to_graph_layout(x: np.ndarray) -> np.ndarray:
    """Torch layout (N, C, H, W) / (N, C, L) / (N, F) -> the graph's (N, H, W, C) / (N, 1, L, C) / (N, F)."""
    x = np.asarray(x, np.float32)
    if x.ndim == 4:
        return np.ascontiguousarray(x.transpose(0, 2, 3, 1))
    if x.ndim == 3:
        return np.ascontiguousarray(x.transpose(0, 2, 1)[:, None])
    return x


def export_metadata(spec: dict, frontend: dict, input_shape: tuple[int, ...], fmt: str) -> dict:
    """What every exported file says about itself: enough to predict with it alone (``edgeling predict
    FILE``): classes, task, kind of data, the import settings (``data_meta``) and the front end."""
    return {"class_names": list(spec.get("class_names") or []), "task": spec.get("task", "classification"),
            "kind": spec.get("kind"), "input_shape": list(input_shape), "frontend": frontend,
            "data_meta": dict(spec.get("meta") or {}), "format": fmt}


def export_model(model, frontend: dict, spec, x_calib: np.ndarray, x_test: np.ndarray,
                 y_test: np.ndarray | None, fmt: str, out_path: str | os.PathLike, *, verify: bool = True,
                 int8_io: bool = True, device: str | None = None, compression: list | None = None,
                 metrics: dict | None = None, run: str | None = None, int8_file: bytes | None = None) -> dict:
    """Export ``model`` (a trained torch module) as ``fmt`` to ``out_path``.

    ``x_calib`` / ``x_test``: network inputs (the front end already applied, torch layout); ``x_calib``
    are a few hundred training samples for int8 calibration. Returns ``{path, format, size_bytes,
    verification, card, status}``; ``status`` is "done", "failed" (verification failed; nothing written at
    ``out_path``) or "unverified" (``verify=False``). ``int8_file``: the bytes of an int8 .tflite already
    written for this very model (a compressed run's ``model-int8.tflite``); "tflite-int8" and "c-header"
    then use it as it is instead of quantizing again (it is still verified like any other export).
    """
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    spec_d = _as_dict(spec)
    task = spec_d.get("task", "classification")
    x_test = np.asarray(x_test, np.float32)
    x_calib = np.asarray(x_calib, np.float32)
    input_shape = tuple(int(d) for d in x_test.shape[1:])
    module = exported_module(model, task)
    meta = export_metadata(spec_d, frontend, input_shape, fmt)
    if device:      # predict runs an int8 file with the kernels its device runs (runtimes.int8_kernels)
        meta["device"] = str(device)
    out_path = Path(out_path)
    data, extra = _build(fmt, model, module, task, input_shape, x_calib, meta, int8_io, int8_file)
    model_bytes = data

    verification = None
    if verify:
        from edgeling.core.export.scratch import export_temp_dir

        with export_temp_dir("edgeling-export-") as tmp:     # in the cache: a Stop's leftover is cleared later
            candidate = tmp / f"candidate{'.tflite' if fmt == 'c-header' else SUFFIX[fmt]}"
            candidate.write_bytes(data)
            ref = reference_outputs(module, x_test)
            verification = verify_export(candidate, fmt, x_test, y_test, ref, task=task,
                                         kernels=int8_kernels(device, fmt))
    quant = extra.get("input_quantization")
    if verification is not None and (frontend or {}).get("type") in FEATURES_OUTSIDE:
        verification["latency_network_only"] = True    # its features are computed before it, outside the file
    arena = _arena(extra, verification) if fmt in ("tflite-int8", "c-header") else None
    if fmt == "c-header":
        from edgeling.core.devices.catalogue import find_device

        data = _header_bytes(data, out_path, meta, extra, arena, input_shape, find_device(device))
    result = {"path": str(out_path), "format": fmt, "size_bytes": len(data), "model_bytes": len(model_bytes),
              "verification": verification, "card": None,
              "status": "unverified" if verification is None else "done" if verification["passed"] else "failed"}
    if verification is not None and not verification["passed"]:
        return result
    from edgeling.core.export.model_card import build_card, write_model_card

    quantized_here = fmt == "onnx-int8" or (fmt in ("tflite-int8", "c-header") and int8_file is None)
    file_input_shape = extra.get("graph_input_shape") or ["batch", *input_shape]  # ONNX: any batch size
    outputs = len(spec_d.get("class_names") or []) if task == "classification" else 1
    card = build_card(export_path=out_path, fmt=fmt, spec=spec_d, input_shape=file_input_shape,
                      output_shape=extra.get("graph_output_shape") or ["batch", outputs],
                      output_quantization=extra.get("output_quantization"),
                      input_layout=extra["input_layout"], frontend=frontend, input_quantization=quant,
                      metrics=metrics, device=device, compression=compression, verification=verification,
                      size_bytes=len(data), model_bytes=len(model_bytes), run=run,
                      calibration_samples=len(x_calib) if quantized_here else None,
                      arena_reserved=arena["reserved"] if arena else None, model_data=model_bytes)
    result["arena_reserved_bytes"] = arena["reserved"] if arena else None
    if fmt == "c-header":
        from edgeling.core.export.c_header import c_identifier
        from edgeling.core.export.c_names import generic_name_warning

        trained_on = (metrics or {}).get("data") or run or ""     # what the model learnt from, for the suggestion
        warning = generic_name_warning(out_path.name, c_identifier(out_path.stem), meta["class_names"],
                                       Path(str(trained_on)).name if trained_on else "")
        if warning:
            result["warnings"] = [warning]
    result["on_device"] = card.get("on_device")
    from edgeling.core.export.python_runner import RUNNER_FILE, runner_source, writes_runner

    runner = out_path.parent / RUNNER_FILE if writes_runner(fmt, spec_d.get("kind"), device) else None
    if runner is not None:
        card["runner"] = RUNNER_FILE
    staged = Staged()      # the model, its card and labels (and the runner) are renamed in place together
    try:
        staged.add(out_path, data)
        result["card"] = {k: str(v) for k, v in write_model_card(out_path, card, staged).items()}
        if runner is not None:
            result["runner"] = str(staged.add(runner, runner_source()))
    except BaseException:
        staged.discard()
        raise
    staged.commit()     # a failure leaves an earlier export there as it was, and nothing new
    if "labels" not in result["card"]:
        # a number's model over an earlier classifier's export: the class names left there would be read as this
        # model's (review)
        from edgeling.core.export.model_card import card_paths

        card_paths(out_path)["labels"].unlink(missing_ok=True)
    return result


def _build(fmt: str, model, module, task: str, input_shape: tuple[int, ...], x_calib: np.ndarray,
           meta: dict, int8_io: bool, int8_file: bytes | None = None) -> tuple[bytes, dict]:
    if fmt in ("onnx", "onnx-int8"):
        from edgeling.core.export.onnx_export import export_onnx_float, export_onnx_int8, input_layout_name

        data = export_onnx_float(module, input_shape, None, metadata=meta)
        if fmt == "onnx-int8":
            data = export_onnx_int8(data, x_calib, None)
        return data, {"input_layout": input_layout_name(input_shape)}
    from edgeling.core.export.tflite_info import tflite_info
    from edgeling.core.export.tflite_writer import write_tflite
    from edgeling.core.models.lowering import LoweringError, lower

    try:
        graph = lower(model, input_shape, append_softmax=task == "classification")
    except LoweringError as e:
        raise ExportError(f"This model cannot be written as TFLite: {e}") from None
    precision = "float32" if fmt == "tflite" else "int8"
    if int8_file is not None and precision == "int8":
        data = int8_file  # the compression's own int8 file (same weights, same calibration): reused as is
    else:
        data = write_tflite(graph, None, precision=precision, calibration=to_graph_layout(x_calib),
                            int8_io=int8_io or fmt == "c-header", metadata=meta)
    info = tflite_info(data)
    inp, out = info["inputs"][0], info["outputs"][0]
    extra = {"input_layout": "NHWC" if len(inp["shape"]) == 4 else "NC", "graph_input_shape": inp["shape"],
             "graph_output_shape": out["shape"], "operators": info["operators"], "graph": graph}
    if inp["scale"] is not None:
        extra["input_quantization"] = {"scale": inp["scale"], "zero_point": inp["zero_point"]}
    if out["scale"] is not None:
        extra["output_quantization"] = {"scale": out["scale"], "zero_point": out["zero_point"]}
    return data, extra


def _arena(extra: dict, verification: dict | None) -> dict:
    """The tensor arena of an int8 file for TensorFlow Lite Micro: ``measured`` (None when not verified),
    ``estimate`` (with optimized kernels' scratch buffers) and ``reserved``: the larger plus a margin, what
    the C header defines as the size to declare and every card of the file says. The measurement runs TFLite Micro's reference
    kernels on x86-64; a device build with CMSIS-NN or ESP-NN also needs per-conv scratch buffers."""
    from edgeling.core.models.footprint import arena_bytes, arena_to_reserve

    measured = on_board = None
    graph = extra["graph"]
    if verification and verification.get("arena_bytes") is not None:
        measured = max(verification["arena_bytes"], verification.get("arena_required_bytes") or 0)
        # The measurement ran with this computer's 8-byte pointers; a board's are 4 bytes. Taken as it is, it
        # made the reserve larger than the plan's figure for the same model (a tight board: the plan picked a
        # model the export then said did not fit).
        wider = arena_bytes(graph, "int8", pointer_bytes=8)["total"] - arena_bytes(graph, "int8", pointer_bytes=4)["total"]
        on_board = measured - max(0, wider)
    estimate = arena_bytes(graph, "int8", pointer_bytes=4, scratch=True)["total"]
    return {"measured": measured, "measured_on_board": on_board, "estimate": estimate,
            "unverified": verification is None, "reserved": arena_to_reserve(max(on_board or 0, estimate))}


def _header_bytes(model_bytes: bytes, out_path: Path, meta: dict, extra: dict, arena: dict,
                  input_shape, device=None) -> bytes:
    from edgeling.core.export.c_header import c_header_text
    from edgeling.core.export.image_recipe import image_pixel_to_input

    iq = extra.get("input_quantization") or {"scale": 1.0, "zero_point": 0}
    oq = extra.get("output_quantization") or {"scale": 1.0, "zero_point": 0}
    text = c_header_text(model_bytes, name=out_path.stem, labels=meta["class_names"],
                         input_scale=iq["scale"], input_zero_point=iq["zero_point"],
                         output_scale=oq["scale"], output_zero_point=oq["zero_point"],
                         arena_bytes=arena["reserved"], arena_measured=arena["measured"],
                         arena_estimated=arena["estimate"],
                         not_measured_because="the export was not verified" if arena.get("unverified")
                         else "TensorFlow Lite Micro is not available on this computer",
                         input_shape=tuple(extra.get("graph_input_shape") or input_shape),
                         pixel_to_input=image_pixel_to_input(meta.get("frontend") or {},
                                                             extra.get("input_quantization")),
                         comment=f"{meta.get('kind') or ''} {meta.get('task') or ''}".strip(),
                         ops=extra["operators"], frontend=meta.get("frontend") or {},
                         data_meta=meta.get("data_meta") or {},
                         output_said=(f"shape {extra.get('graph_output_shape')}, one probability per label below, "
                                      "in the same order; the answer is the largest"
                                      if meta.get("task") == "classification" else "the predicted value"),
                         device=device, output_shape=tuple(extra.get("graph_output_shape") or ()))
    return text.encode("utf-8")

