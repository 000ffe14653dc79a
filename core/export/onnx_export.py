"""ONNX exports: float32 through torch's TorchScript exporter, int8 static QDQ through onnxruntime.

Why the TorchScript exporter (``dynamo=False``): on this stack it exports our models in ~0.2 s, silently
and at opset 17, while the torch.export-based one takes ~5 s per model, prints pages of progress, and
its down-conversion to opset 17 fails on ReduceMean (checked with torch 2.13 / onnxscript).

Class names, the input layout, the front-end config and anything else in ``metadata`` go into the model's
``metadata_props`` (values that are not strings are stored as JSON).
"""

from __future__ import annotations

import io
import json
import logging
import os
import warnings
from typing import Any

import numpy as np

from edgeling.core.export.errors import ExportError
from edgeling.core.export.files import json_default, write_export

OPSET = 17
INPUT_NAME = "input"
OUTPUT_NAME = "output"


def export_onnx_float(model, input_shape: tuple[int, ...], path: str | os.PathLike | None = None, *,
                      metadata: dict[str, Any] | None = None) -> bytes:
    """``model`` (a torch module producing what the file should output, e.g. probabilities) for inputs of
    torch shape ``input_shape`` (no batch); the batch dimension is dynamic. Returns the file's bytes."""
    import torch

    model.eval()
    example = torch.zeros((1, *input_shape), dtype=torch.float32)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            torch.onnx.export(model, (example,), buf, dynamo=False, opset_version=OPSET,
                              input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                              dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}})
        except Exception as e:  # noqa: BLE001 - torch raises many kinds for unsupported layers
            raise ExportError(f"This model could not be exported to ONNX: {str(e).splitlines()[0][:300]}") from None
    data = with_metadata(compact_names(buf.getvalue()), {**(metadata or {}), "precision": "float32",
                                          "input_layout": input_layout_name(input_shape)})
    if path is not None:
        write_export(path, data)
    return data


def export_onnx_int8(float_onnx: bytes, calibration: np.ndarray, path: str | os.PathLike | None = None, *,
                     metadata: dict[str, Any] | None = None) -> bytes:
    """Static int8 QDQ quantization of a float ONNX model: per-channel symmetric int8 weights, per-tensor
    int8 activations calibrated (min/max) on ``calibration`` (network inputs, torch layout)."""
    import onnxruntime
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    from edgeling.core.no_telemetry import disable_runtime_telemetry

    disable_runtime_telemetry(onnxruntime)      # its calibration runs sessions too (Windows' event tracing)
    calibration = np.asarray(calibration, np.float32)
    if len(calibration) == 0:
        raise ExportError("int8 export needs calibration samples (a few training examples).")

    class _Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self._it = iter(calibration)

        def get_next(self):
            x = next(self._it, None)
            return None if x is None else {INPUT_NAME: x[None]}

    from edgeling.core.export.scratch import export_temp_dir

    with export_temp_dir("edgeling-onnx-") as tmp:      # in the cache: a Stop's leftover is cleared later
        src, dst = tmp / "float.onnx", tmp / "int8.onnx"
        src.write_bytes(float_onnx)
        previous = logging.root.manager.disable
        logging.disable(logging.WARNING)  # its advice to pre-process is for large vision models
        try:
            quantize_static(str(src), str(dst), _Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                            activation_type=QuantType.QInt8, weight_type=QuantType.QInt8,
                            extra_options={"ActivationSymmetric": False, "WeightSymmetric": True})
        except Exception as e:  # noqa: BLE001 - onnxruntime raises its own types
            raise ExportError(f"int8 quantization of the ONNX model failed: {str(e).splitlines()[0][:300]}") from None
        finally:
            logging.disable(previous)
        data = dst.read_bytes()
    data = with_metadata(compact_names(data), {**read_onnx_metadata(float_onnx), **(metadata or {}),
                                               "precision": "int8"})
    if path is not None:
        write_export(path, data)
    return data


def compact_names(data: bytes) -> bytes:
    """Give every inner tensor a short name (t0, t1, ...) and drop the optional shape annotations
    (value_info; runtimes infer them): the exporter's and the quantizer's names ("/0/conv/Conv_output_0_
    QuantizeLinear_Output", ...) are stored at every use and made up a fifth of an int8 file. The graph's
    input and output keep their names; the computation is unchanged (every export is verified after)."""
    import onnx

    model = onnx.load_from_string(data)
    graph = model.graph
    keep = {v.name for v in graph.input} | {v.name for v in graph.output}
    names: dict[str, str] = {}

    def short(name: str) -> str:
        if not name or name in keep:
            return name
        if name not in names:
            names[name] = f"t{len(names)}"
        return names[name]

    for init in graph.initializer:
        init.name = short(init.name)
    for i, node in enumerate(graph.node):
        node.name = f"n{i}"
        node.input[:] = [short(n) for n in node.input]
        node.output[:] = [short(n) for n in node.output]
        if any(a.type == onnx.AttributeProto.GRAPH for a in node.attribute):
            raise ExportError("compact_names does not handle sub-graphs")  # none of our families has one
    del graph.value_info[:]
    return model.SerializeToString()


def with_metadata(data: bytes, metadata: dict[str, Any]) -> bytes:
    import onnx

    model = onnx.load_from_string(data)
    existing = {p.key: p for p in model.metadata_props}
    for key, value in metadata.items():
        text = value if isinstance(value, str) else json.dumps(value, default=json_default)
        if key in existing:
            existing[key].value = text
        else:
            model.metadata_props.add(key=key, value=text)
    set_producer(model)
    return model.SerializeToString()


def set_producer(model) -> None:
    """Say who made the file and what it is: producer Edgeling at its own version (torch's exporter wrote
    its version there, onnxruntime's quantizer its own), and a short description (``doc_string``, shown by
    Netron and other viewers) from the file's metadata: what it answers, its classes, where its card is."""
    from edgeling.core import __version__

    model.producer_name = "edgeling"
    model.producer_version = __version__
    model.doc_string = describe_model(_decoded_metadata(model))


def describe_model(meta: dict[str, Any]) -> str:
    from edgeling.core.export.model_card import answers_sentence

    task = meta.get("task") or "classification"
    classes = [str(c) for c in meta.get("class_names") or []]
    data_meta = meta.get("data_meta") if isinstance(meta.get("data_meta"), dict) else {}
    lines = [f"Made with Edgeling. {answers_sentence(meta.get('kind'), task, classes, data_meta)}"]
    frontend = meta.get("frontend") if isinstance(meta.get("frontend"), dict) else {}
    if frontend.get("type") == "table" and frontend.get("mean") is not None:
        columns = len(data_meta.get("columns") or [])
        lines.append(f"Input: one row of {frontend.get('num_features') or len(frontend['mean'])} numbers: the "
                     f"table's {columns or 'used'} columns encoded as the card lists them (a number as it is, a "
                     "category as one 0/1 per value), then each standardised: (x - mean) / std, with the mean and "
                     "std in the metadata 'frontend'. Without that last step every answer is wrong, with no "
                     "error.")
    if task == "regression":
        lines.append("Output: the predicted value.")
    elif classes:
        lines.append("Output: one probability per class, in this order: "
                     + ", ".join(f"{i} = {c}" for i, c in enumerate(classes)) + " (also in the metadata "
                     "class_names). The answer is the class with the largest value.")
    lines.append("The full model card (how to prepare an input, the verification) is written next to this file: "
                 "its name with .card.md added (model.onnx -> model.onnx.card.md).")
    return "\n".join(lines)


def read_onnx_metadata(data: bytes) -> dict[str, Any]:
    """metadata_props of an ONNX file, JSON values decoded."""
    import onnx

    return _decoded_metadata(onnx.load_from_string(data))


def _decoded_metadata(model) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in model.metadata_props:
        try:
            out[p.key] = json.loads(p.value)
        except ValueError:
            out[p.key] = p.value
    return out


def input_layout_name(input_shape: tuple[int, ...]) -> str:
    return {3: "NCHW", 2: "NCL", 1: "NC"}.get(len(input_shape), "N" + "x" * len(input_shape))

