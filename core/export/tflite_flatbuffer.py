"""Serialise a flat list of tensors and operators to the bytes of a ``.tflite`` file.

This module knows the file format only (flatbuffers + the ``tflite`` schema package); which tensors and
operators a network needs is decided in ``tflite_writer``. Conventions the runtimes expect: file identifier
``TFL3``, model version 3, buffer 0 an empty sentinel, every ``OperatorCode`` setting both
``builtin_code`` and ``deprecated_builtin_code``, constant data aligned to 16 bytes.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from typing import Any

import flatbuffers
import numpy as np

TENSOR_TYPES = {"float32": 0, "int32": 2, "int8": 9}
NUMPY_TYPES = {"float32": np.float32, "int32": np.int32, "int8": np.int8}


def schema(name: str):
    """The generated module ``tflite.<name>`` (builder functions live on the module, not the class)."""
    importlib.import_module(f"tflite.{name}")
    return sys.modules[f"tflite.{name}"]


def enum(name: str, member: str) -> int:
    return int(getattr(getattr(schema(name), name), member))


@dataclass
class FlatTensor:
    name: str
    shape: tuple[int, ...]
    dtype: str = "float32"
    data: np.ndarray | None = None
    scale: np.ndarray | None = None
    zero_point: np.ndarray | None = None
    quantized_dimension: int = 0


@dataclass
class FlatOp:
    opcode: str
    """BuiltinOperator member, e.g. ``CONV_2D``."""
    inputs: list[int]
    outputs: list[int]
    options_type: str = "NONE"
    """BuiltinOptions member, e.g. ``Conv2DOptions``."""
    options: dict[str, Any] = field(default_factory=dict)
    """Field name (as in ``Conv2DOptionsAdd<Field>``) to value; vectors are lists of int32."""
    version: int = 1


@dataclass
class FlatModel:
    tensors: list[FlatTensor] = field(default_factory=list)
    ops: list[FlatOp] = field(default_factory=list)
    inputs: list[int] = field(default_factory=list)
    outputs: list[int] = field(default_factory=list)
    metadata: dict[str, bytes] = field(default_factory=dict)
    description: str = "Edgeling"

    def add_tensor(self, tensor: FlatTensor) -> int:
        self.tensors.append(tensor)
        return len(self.tensors) - 1


def serialise(model: FlatModel) -> bytes:
    b = flatbuffers.Builder(1024 + sum(t.data.nbytes for t in model.tensors if t.data is not None))
    blobs: list[bytes | None] = [None]  # buffer 0: empty sentinel
    tensor_buffer: list[int] = []
    for t in model.tensors:
        if t.data is None:
            tensor_buffer.append(0)
        else:
            blobs.append(np.ascontiguousarray(t.data, dtype=NUMPY_TYPES[t.dtype]).tobytes())
            tensor_buffer.append(len(blobs) - 1)
    meta_buffers: dict[str, int] = {}
    for key, blob in model.metadata.items():
        blobs.append(blob)
        meta_buffers[key] = len(blobs) - 1

    buffers = [_buffer(b, blob) for blob in blobs]
    codes: list[tuple[str, int]] = []
    for op in model.ops:
        if (op.opcode, op.version) not in codes:
            codes.append((op.opcode, op.version))
    code_offsets = [_operator_code(b, name, version) for name, version in codes]
    shared: dict = {}  # quantization vectors written once, referenced by every tensor with the same values
    tensors = [_tensor(b, t, buf, shared) for t, buf in zip(model.tensors, tensor_buffer)]
    ops = [_operator(b, op, codes.index((op.opcode, op.version))) for op in model.ops]

    sg = schema("SubGraph")
    t_vec = _offsets(b, sg.SubGraphStartTensorsVector, tensors)
    in_vec = _int_vector(b, model.inputs)
    out_vec = _int_vector(b, model.outputs)
    op_vec = _offsets(b, sg.SubGraphStartOperatorsVector, ops)
    sg_name = b.CreateString("main")
    sg.SubGraphStart(b)
    sg.SubGraphAddTensors(b, t_vec)
    sg.SubGraphAddInputs(b, in_vec)
    sg.SubGraphAddOutputs(b, out_vec)
    sg.SubGraphAddOperators(b, op_vec)
    sg.SubGraphAddName(b, sg_name)
    subgraph = sg.SubGraphEnd(b)

    md = schema("Metadata")
    metas = []
    for key, index in meta_buffers.items():
        name = b.CreateString(key)
        md.MetadataStart(b)
        md.MetadataAddName(b, name)
        md.MetadataAddBuffer(b, index)
        metas.append(md.MetadataEnd(b))

    m = schema("Model")
    codes_vec = _offsets(b, m.ModelStartOperatorCodesVector, code_offsets)
    sg_vec = _offsets(b, m.ModelStartSubgraphsVector, [subgraph])
    buf_vec = _offsets(b, m.ModelStartBuffersVector, buffers)
    meta_vec = _offsets(b, m.ModelStartMetadataVector, metas) if metas else None
    desc = b.CreateString(model.description)
    m.ModelStart(b)
    m.ModelAddVersion(b, 3)
    m.ModelAddOperatorCodes(b, codes_vec)
    m.ModelAddSubgraphs(b, sg_vec)
    m.ModelAddDescription(b, desc)
    m.ModelAddBuffers(b, buf_vec)
    if meta_vec is not None:
        m.ModelAddMetadata(b, meta_vec)
    b.Finish(m.ModelEnd(b), file_identifier=b"TFL3")
    return bytes(b.Output())


def _aligned_bytes(b: flatbuffers.Builder, data: bytes, alignment: int = 16) -> int:
    b.StartVector(1, len(data), alignment)
    b.head = b.head - len(data)
    b.Bytes[b.head:b.head + len(data)] = data
    return b.EndVector()


def _buffer(b: flatbuffers.Builder, blob: bytes | None) -> int:
    mod = schema("Buffer")
    data = _aligned_bytes(b, blob) if blob else None
    mod.BufferStart(b)
    if data is not None:
        mod.BufferAddData(b, data)
    return mod.BufferEnd(b)


def _operator_code(b: flatbuffers.Builder, name: str, version: int) -> int:
    mod = schema("OperatorCode")
    code = enum("BuiltinOperator", name)
    mod.OperatorCodeStart(b)
    mod.OperatorCodeAddDeprecatedBuiltinCode(b, min(code, 127))
    mod.OperatorCodeAddBuiltinCode(b, code)
    mod.OperatorCodeAddVersion(b, version)
    return mod.OperatorCodeEnd(b)


def _int_vector(b: flatbuffers.Builder, values, dtype=np.int32) -> int:
    return b.CreateNumpyVector(np.asarray(list(values), dtype=dtype))


def _offsets(b: flatbuffers.Builder, start_fn, offsets: list[int]) -> int:
    start_fn(b, len(offsets))
    for off in reversed(offsets):
        b.PrependUOffsetTRelative(off)
    return b.EndVector()


def _shared_vector(b: flatbuffers.Builder, values: np.ndarray, cache: dict) -> int:
    """One vector per distinct content: tables with equal quantization vectors (above all the all-zero
    int64 zero points of per-channel weights and biases, 8 bytes a channel) point at the same bytes. A
    flatbuffer offset may be referenced from any number of tables; readers (LiteRT, TFLite Micro, the
    flatbuffers verifier) only follow offsets, so the file means exactly the same."""
    key = (values.dtype.str, values.tobytes())
    if key not in cache:
        cache[key] = b.CreateNumpyVector(values)
    return cache[key]


def _quantization(b: flatbuffers.Builder, t: FlatTensor, cache: dict | None = None) -> int:
    mod = schema("QuantizationParameters")
    cache = {} if cache is None else cache
    scale = _shared_vector(b, np.asarray(t.scale, dtype=np.float32).reshape(-1), cache)
    zp = _shared_vector(b, np.asarray(t.zero_point, dtype=np.int64).reshape(-1), cache)
    mod.QuantizationParametersStart(b)
    mod.QuantizationParametersAddScale(b, scale)
    mod.QuantizationParametersAddZeroPoint(b, zp)
    mod.QuantizationParametersAddQuantizedDimension(b, t.quantized_dimension)
    return mod.QuantizationParametersEnd(b)


def _tensor(b: flatbuffers.Builder, t: FlatTensor, buffer_index: int, cache: dict | None = None) -> int:
    mod = schema("Tensor")
    quant = _quantization(b, t, cache) if t.scale is not None else None
    name = b.CreateString(t.name)
    shape = _int_vector(b, t.shape)
    mod.TensorStart(b)
    mod.TensorAddShape(b, shape)
    mod.TensorAddType(b, TENSOR_TYPES[t.dtype])
    mod.TensorAddBuffer(b, buffer_index)
    mod.TensorAddName(b, name)
    if quant is not None:
        mod.TensorAddQuantization(b, quant)
    return mod.TensorEnd(b)


def _options(b: flatbuffers.Builder, op: FlatOp) -> int | None:
    if op.options_type == "NONE":
        return None
    name = op.options_type
    mod = schema(name)
    vectors = {k: _int_vector(b, v) for k, v in op.options.items() if isinstance(v, (list, tuple))}
    getattr(mod, f"{name}Start")(b)
    for key, value in op.options.items():
        getattr(mod, f"{name}Add{key}")(b, vectors.get(key, value))
    return getattr(mod, f"{name}End")(b)


def _operator(b: flatbuffers.Builder, op: FlatOp, opcode_index: int) -> int:
    mod = schema("Operator")
    options = _options(b, op)
    ins = _int_vector(b, op.inputs)
    outs = _int_vector(b, op.outputs)
    mod.OperatorStart(b)
    mod.OperatorAddOpcodeIndex(b, opcode_index)
    mod.OperatorAddInputs(b, ins)
    mod.OperatorAddOutputs(b, outs)
    if options is not None:
        mod.OperatorAddBuiltinOptionsType(b, enum("BuiltinOptions", op.options_type))
        mod.OperatorAddBuiltinOptions(b, options)
    return mod.OperatorEnd(b)
