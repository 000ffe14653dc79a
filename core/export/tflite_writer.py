"""Our own ``.tflite`` writer: a layer ``Graph`` (NHWC, folded BN, fused activations) to a TFLite file, in
float32 or full-integer int8, without TensorFlow or any converter (so it works on every OS).

int8 follows the TFLite quantization specification (see ``tflite_quant``) and the kernels' own
constraints: pooling, reshape, pad and mean outputs share their input's scale and zero point; softmax
outputs use scale 1/256 and zero point -128; fused ReLU / ReLU6 are implemented by clamping the output
range; add takes two input scales. With ``int8_io`` the file's input and output are int8 (what
microcontrollers want), otherwise float32 with QUANTIZE / DEQUANTIZE ops at the edges.

Class names, the front-end config and anything else in ``metadata`` are stored as JSON in a metadata
buffer named ``edgeling`` (next to the usual ``min_runtime_version``); the runtimes ignore both.
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from edgeling.core.export.errors import ExportError
from edgeling.core.export.files import json_default, write_export
from edgeling.core.export.tflite_flatbuffer import FlatModel, FlatOp, FlatTensor, serialise
from edgeling.core.export.tflite_quant import (
    SOFTMAX_OUTPUT,
    WEIGHT_AXIS,
    QParams,
    activation_qparams,
    clamp_for_activation,
    quantize_bias,
    quantize_weights,
)
from edgeling.core.models.graph import Graph, Op

METADATA_KEY = "edgeling"
_ACT = {"none": "NONE", "relu": "RELU", "relu6": "RELU6"}
_PAD = {"same": "SAME", "valid": "VALID"}
_SHARES_INPUT_PARAMS = ("avg_pool2d", "max_pool2d", "reshape", "pad", "mean")
# Operator versions that declare int8 support (the runtimes accept any registered version).
_INT8_VERSIONS = {"CONV_2D": 3, "DEPTHWISE_CONV_2D": 3, "FULLY_CONNECTED": 4, "ADD": 2, "AVERAGE_POOL_2D": 2,
                  "MAX_POOL_2D": 2, "MEAN": 2, "PAD": 2, "RELU": 2, "RELU6": 2, "SOFTMAX": 2,
                  "QUANTIZE": 2, "DEQUANTIZE": 2, "RESHAPE": 1}


def write_tflite(graph: Graph, path: str | os.PathLike | None = None, *, precision: str = "float32",
                 calibration: np.ndarray | None = None, int8_io: bool = True,
                 metadata: dict[str, Any] | None = None) -> bytes:
    """Write ``graph`` as a .tflite file (atomically, if ``path`` is given) and return its bytes.

    ``calibration``: int8 only, samples in the graph's input layout (N, *input_shape[1:]) used to find
    activation ranges; a few hundred training samples are plenty.
    """
    graph.validate()
    if len(graph.inputs) != 1 or len(graph.outputs) != 1:
        raise ExportError("TFLite export supports networks with one input and one output.")
    if precision == "float32":
        flat = _FloatBuilder(graph).build()
    elif precision == "int8":
        if calibration is None or len(calibration) == 0:
            raise ExportError("int8 export needs calibration samples (a few training examples).")
        from edgeling.core.export.calibrate import activation_ranges

        ranges = activation_ranges(graph, calibration)
        flat = _Int8Builder(graph, ranges, int8_io).build()
    else:
        raise ExportError(f"Unknown precision {precision!r}: use 'float32' or 'int8'.")
    info = dict(metadata or {})
    info.setdefault("precision", precision)
    info.setdefault("input_layout", "NHWC" if len(graph.tensor(graph.inputs[0]).shape) == 4 else "NC")
    flat.metadata = {"min_runtime_version": b"1.14.0".ljust(16, b"\0"),
                     METADATA_KEY: json.dumps(info, default=json_default).encode("utf-8")}
    data = serialise(flat)
    if path is not None:
        write_export(path, data)
    return data


class _FloatBuilder:
    """Graph tensors become float32 TFLite tensors one to one; ops add their small int32 constants."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.flat = FlatModel()
        self.index: dict[str, int] = {}

    def build(self) -> FlatModel:
        g = self.graph
        self.flat.inputs = [self.tensor(g.inputs[0])]
        for op in g.ops:
            self.flat.ops.append(self.operator(op))
        self.flat.outputs = [self.tensor(g.outputs[0])]
        return self.flat

    # -- tensors ------------------------------------------------------------------------------------
    def tensor(self, name: str) -> int:
        if name not in self.index:
            t = self.graph.tensor(name)
            data = None if t.data is None else np.asarray(t.data, np.float32)
            self.index[name] = self.flat.add_tensor(FlatTensor(name, tuple(t.shape), "float32", data))
        return self.index[name]

    def int32_constant(self, name: str, values) -> int:
        arr = np.asarray(values, np.int32)
        return self.flat.add_tensor(FlatTensor(name, arr.shape, "int32", arr))

    def version(self, opcode: str) -> int:
        return 1

    # -- operators ----------------------------------------------------------------------------------
    def operator(self, op: Op) -> FlatOp:
        a = op.attrs
        ins = [self.tensor(n) for n in op.inputs]
        outs = [self.tensor(n) for n in op.outputs]
        act = _ACT[a.get("activation", "none")]
        name = op.name or op.outputs[0]
        k = op.kind
        if k == "conv2d":
            sh, sw = a.get("stride", (1, 1))
            dh, dw = a.get("dilation", (1, 1))
            return self.make("CONV_2D", ins, outs, "Conv2DOptions",
                             {"Padding": _padding(a), "StrideW": sw, "StrideH": sh, "DilationWFactor": dw,
                              "DilationHFactor": dh, "FusedActivationFunction": _act(act)})
        if k == "depthwise_conv2d":
            sh, sw = a.get("stride", (1, 1))
            dh, dw = a.get("dilation", (1, 1))
            return self.make("DEPTHWISE_CONV_2D", ins, outs, "DepthwiseConv2DOptions",
                             {"Padding": _padding(a), "StrideW": sw, "StrideH": sh, "DilationWFactor": dw,
                              "DilationHFactor": dh, "DepthMultiplier": int(a.get("depth_multiplier", 1)),
                              "FusedActivationFunction": _act(act)})
        if k == "dense":
            return self.make("FULLY_CONNECTED", ins, outs, "FullyConnectedOptions",
                             {"FusedActivationFunction": _act(act)})
        if k == "add":
            return self.make("ADD", ins, outs, "AddOptions", {"FusedActivationFunction": _act(act)})
        if k in ("avg_pool2d", "max_pool2d"):
            kh, kw = a["kernel"]
            sh, sw = a.get("stride", (kh, kw))
            return self.make("AVERAGE_POOL_2D" if k == "avg_pool2d" else "MAX_POOL_2D", ins, outs,
                             "Pool2DOptions", {"Padding": _padding(a), "StrideW": sw, "StrideH": sh,
                                               "FilterWidth": kw, "FilterHeight": kh,
                                               "FusedActivationFunction": _act(act)})
        if k == "mean":
            axes = self.int32_constant(f"{name}/axes", list(a["axes"]))
            return self.make("MEAN", ins + [axes], outs, "ReducerOptions",
                             {"KeepDims": bool(a.get("keepdims", False))})
        if k == "reshape":
            shape = list(self.graph.tensor(op.outputs[0]).shape)
            return self.make("RESHAPE", ins + [self.int32_constant(f"{name}/shape", shape)], outs,
                             "ReshapeOptions", {"NewShape": shape})
        if k == "pad":
            (t, b), (left, r) = a["pads"]
            pads = self.int32_constant(f"{name}/paddings", [[0, 0], [t, b], [left, r], [0, 0]])
            return self.make("PAD", ins + [pads], outs, "PadOptions", {})
        if k in ("relu", "relu6"):
            return self.make(k.upper(), ins, outs)
        if k == "softmax":
            return self.make("SOFTMAX", ins, outs, "SoftmaxOptions", {"Beta": float(a.get("beta", 1.0))})
        raise ExportError(f"The TFLite writer does not support the layer kind {k!r}.")

    def make(self, opcode: str, ins: list[int], outs: list[int], options_type: str = "NONE",
             options: dict | None = None) -> FlatOp:
        return FlatOp(opcode, ins, outs, options_type, options or {}, self.version(opcode))


def _padding(attrs: dict) -> int:
    from edgeling.core.export.tflite_flatbuffer import enum

    return enum("Padding", _PAD[attrs.get("padding", "valid")])


def _act(name: str) -> int:
    from edgeling.core.export.tflite_flatbuffer import enum

    return enum("ActivationFunctionType", name)


class _Int8Builder(_FloatBuilder):
    """Same ops as float; tensors are int8 (biases int32) with quantization parameters."""

    def __init__(self, graph: Graph, ranges: dict[str, tuple[float, float]], int8_io: bool):
        super().__init__(graph)
        self.ranges = ranges
        self.int8_io = int8_io
        self.qp: dict[str, QParams] = {}
        self.consumer: dict[str, Op] = {}
        for op in graph.ops:
            for n in op.inputs[1:]:
                self.consumer[n] = op

    def version(self, opcode: str) -> int:
        return _INT8_VERSIONS.get(opcode, 1)

    def build(self) -> FlatModel:
        g = self.graph
        self._plan_activations()
        x = self.tensor(g.inputs[0])
        if self.int8_io:
            self.flat.inputs = [x]
        else:
            t = g.tensor(g.inputs[0])
            xf = self.flat.add_tensor(FlatTensor(f"{t.name}/float", tuple(t.shape), "float32"))
            self.flat.ops.append(self.make("QUANTIZE", [xf], [x]))
            self.flat.inputs = [xf]
        for op in g.ops:
            self.flat.ops.append(self.operator(op))
        y = self.tensor(g.outputs[0])
        if self.int8_io:
            self.flat.outputs = [y]
        else:
            t = g.tensor(g.outputs[0])
            yf = self.flat.add_tensor(FlatTensor(f"{t.name}/float", tuple(t.shape), "float32"))
            self.flat.ops.append(self.make("DEQUANTIZE", [y], [yf]))
            self.flat.outputs = [yf]
        return self.flat

    def _range(self, name: str) -> tuple[float, float]:
        if name not in self.ranges:
            raise ExportError(f"Calibration found no values for tensor {name!r}; the export cannot continue.")
        return self.ranges[name]

    def _plan_activations(self) -> None:
        g = self.graph
        self.qp[g.inputs[0]] = activation_qparams(*self._range(g.inputs[0]))
        for op in g.ops:
            out = op.outputs[0]
            if op.kind in _SHARES_INPUT_PARAMS:
                self.qp[out] = self.qp[op.inputs[0]]
            elif op.kind == "softmax":
                self.qp[out] = SOFTMAX_OUTPUT
            else:
                act = "relu" if op.kind == "relu" else "relu6" if op.kind == "relu6" else \
                    op.attrs.get("activation", "none")
                self.qp[out] = activation_qparams(*clamp_for_activation(*self._range(out), act))

    def tensor(self, name: str) -> int:
        if name in self.index:
            return self.index[name]
        t = self.graph.tensor(name)
        if t.data is None:
            qp = self.qp[name]
            flat = FlatTensor(name, tuple(t.shape), "int8", None, qp.scale, qp.zero_point)
        else:
            flat = self._constant(name, t.data)
        self.index[name] = self.flat.add_tensor(flat)
        return self.index[name]

    def _constant(self, name: str, data: np.ndarray) -> FlatTensor:
        op = self.consumer.get(name)
        if op is None or op.kind not in ("conv2d", "depthwise_conv2d", "dense"):
            raise ExportError(f"Constant {name!r} is not a weight or bias of a conv or dense layer; "
                              "the int8 writer cannot quantize it.")
        axis = WEIGHT_AXIS[op.kind]
        w_q, w_qp = quantize_weights(self.graph.tensor(op.inputs[1]).data, axis)
        if name == op.inputs[1]:
            return FlatTensor(name, w_q.shape, "int8", w_q, w_qp.scale, w_qp.zero_point, w_qp.axis)
        in_scale = self.qp[op.inputs[0]].scalar_scale
        b_q, b_qp = quantize_bias(data, in_scale, w_qp)
        return FlatTensor(name, b_q.shape, "int32", b_q, b_qp.scale, b_qp.zero_point, 0)
