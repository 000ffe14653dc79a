"""Flash and RAM of a layer graph as a TFLite file and a TensorFlow Lite Micro arena. Numpy only.

Flash models the file our TFLite writer (``edgeling.core.export.tflite_writer``) produces from the same
graph: one flatbuffer tensor per graph tensor plus the small int32 constants some ops carry (MEAN axes,
RESHAPE shape, PAD paddings), constant data 16-byte aligned, a float32 scale per channel on int8 conv
weights and biases, and one all-zero int64 zero-point vector per channel count, which the writer stores
once and every per-channel tensor with that many channels points at. The per-tensor / per-file constants below were fitted (least
squares) on 14 files the writer produced (7 models x float32 / int8, from a 3-layer MLP to MobileNetV1
0.25); the fit's overhead error was under 5% of the overhead, i.e. well under 1% of the file sizes.

RAM models TensorFlow Lite Micro's arena: the activations placed by its greedy memory planner (largest
buffer first, each at the lowest offset that does not overlap a buffer alive at the same time, 16-byte
aligned), plus its persistent allocations: a TfLiteEvalTensor per tensor, a NodeAndRegistration per op,
op data (per-channel multipliers and shifts, 8 bytes per output channel, for int8 conv and depthwise conv)
and a fixed interpreter part. The constants were read off ``print_allocations()`` of the tflite-micro
Python interpreter (x86-64, 8-byte pointers) on the same 7 int8 models; a 32-bit microcontroller has
4-byte pointers, so its structs are smaller (``pointer_bytes=4``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from edgeling.core.models.graph import Graph

ALIGN = 16
# flash (fitted on our writer's files, see the module docstring)
FILE_BASE_BYTES = 250
PER_TENSOR_BYTES = 125
PER_QUANTIZED_TENSOR_BYTES = 31
PER_DATA_BUFFER_BYTES = -87  # a constant's own buffer, net of the 16-byte padding counted in its data
PER_QUANT_CHANNEL_BYTES = 4  # a float32 scale per channel, in every quantized tensor
SHARED_ZERO_POINT_BYTES = 8  # an int64 zero point per channel, written once per channel count (shared)
DEFAULT_METADATA_BYTES = 64  # min_runtime_version + a short JSON; pass the real size when known

ELEMENT_BYTES = {"int8": 1, "float32": 4}
_INT32_CONSTANT = {"mean": "axes", "reshape": "shape", "pad": "paddings"}


@dataclass
class FlatTensorInfo:
    name: str
    rank: int
    data_bytes: int
    quant_channels: int


def _round_up(n: int, a: int = ALIGN) -> int:
    return (n + a - 1) // a * a


def flat_tensors(graph: Graph, precision: str) -> list[FlatTensorInfo]:
    """The tensors the TFLite writer emits for ``graph`` (int8 file: int8 input and output)."""
    consumer = {}
    for op in graph.ops:
        for i, name in enumerate(op.inputs):
            consumer.setdefault(name, (op, i))
    seen: list[str] = []
    for name in [*graph.inputs, *(n for op in graph.ops for n in [*op.inputs, *op.outputs]), *graph.outputs]:
        if name not in seen:
            seen.append(name)
    out = []
    for name in seen:
        t = graph.tensor(name)
        rank = len(t.shape)
        if not t.is_constant:
            out.append(FlatTensorInfo(name, rank, 0, 1 if precision == "int8" else 0))
            continue
        n = t.num_elements
        if precision != "int8":
            out.append(FlatTensorInfo(name, rank, 4 * n, 0))
            continue
        op, idx = consumer[name]
        w = graph.tensor(op.inputs[1])
        channels = {"conv2d": w.shape[0], "depthwise_conv2d": w.shape[-1]}.get(op.kind, 1)
        out.append(FlatTensorInfo(name, rank, n if idx == 1 else 4 * n, channels))
    for op in graph.ops:
        if op.kind in _INT32_CONSTANT:
            length = {"mean": len(op.attrs.get("axes", ())), "pad": 8,
                      "reshape": len(graph.tensor(op.outputs[0]).shape)}[op.kind]
            label = f"{op.name or op.outputs[0]}/{_INT32_CONSTANT[op.kind]}"
            out.append(FlatTensorInfo(label, 2 if op.kind == "pad" else 1, 4 * length, 0))
    return out


def flash_bytes(graph: Graph, precision: str, metadata_bytes: int = DEFAULT_METADATA_BYTES) -> dict:
    """Size of the .tflite file: ``{"total", "weights", "overhead"}`` in bytes."""
    tensors = flat_tensors(graph, precision)
    weights = sum(_round_up(t.data_bytes) for t in tensors if t.data_bytes)
    overhead = FILE_BASE_BYTES + metadata_bytes
    for t in tensors:
        overhead += PER_TENSOR_BYTES + len(t.name.encode("utf-8")) + 4 * t.rank
        if t.quant_channels:
            overhead += PER_QUANTIZED_TENSOR_BYTES + PER_QUANT_CHANNEL_BYTES * t.quant_channels
        if t.data_bytes:
            overhead += PER_DATA_BUFFER_BYTES
    for channels in {t.quant_channels for t in tensors if t.quant_channels > 1}:
        overhead += SHARED_ZERO_POINT_BYTES * channels + 8  # the all-zero vector, its length and padding
    return {"total": int(weights + overhead), "weights": int(weights), "overhead": int(overhead)}


# ---- RAM ---------------------------------------------------------------------------------------------
def lifetimes(graph: Graph) -> dict[str, tuple[int, int]]:
    """Activation tensor -> (first op index alive, last op index alive), inclusive, as TFLM computes."""
    last = len(graph.ops) - 1
    span: dict[str, list[int]] = {name: [0, 0] for name in graph.inputs}
    for i, op in enumerate(graph.ops):
        for name in op.inputs:
            if name in span:
                span[name][1] = max(span[name][1], i)
        for name in op.outputs:
            span.setdefault(name, [i, i])
    for name in graph.outputs:
        span[name][1] = last
    return {k: (a, b) for k, (a, b) in span.items()}


def greedy_plan(buffers: list[tuple[int, int, int]]) -> tuple[int, list[int]]:
    """TFLite Micro's greedy planner. ``buffers``: (size, first, last). Returns (arena size, offsets).

    Largest first; among equal sizes the later tensor first (this reproduces the arenas tflite-micro's
    recording allocator reports for ResNet-8 and MobileNetV1, where the order of ties matters); each goes
    at the lowest offset where it does not overlap a placed buffer whose lifetime overlaps its own."""
    order = sorted(range(len(buffers)), key=lambda i: (-buffers[i][0], -i))
    offsets = [0] * len(buffers)
    placed: list[int] = []
    for i in order:
        size, first, last = buffers[i]
        live = sorted((offsets[j], buffers[j][0]) for j in placed
                      if not (buffers[j][2] < first or last < buffers[j][1]))
        offset = 0
        for o, s in live:
            if offset + size <= o:
                break
            offset = max(offset, o + s)
        offsets[i] = offset
        placed.append(i)
    top = max((offsets[i] + buffers[i][0] for i in range(len(buffers))), default=0)
    return top, offsets


def scratch_buffers(graph: Graph) -> list[tuple[int, int, int]]:
    """CMSIS-NN's im2col scratch per conv (int16 copies of the input patch): (bytes, op, op)."""
    out = []
    for i, op in enumerate(graph.ops):
        if op.kind not in ("conv2d", "depthwise_conv2d"):
            continue
        w = graph.tensor(op.inputs[1]).shape
        in_c = graph.tensor(op.inputs[0]).shape[-1]
        if op.kind == "conv2d" and (w[1], w[2]) != (1, 1):
            out.append((_round_up(4 * in_c * w[1] * w[2]), i, i))
        elif op.kind == "depthwise_conv2d":
            out.append((_round_up(2 * in_c * w[1] * w[2]), i, i))
    return out


ARENA_MARGIN = 0.10
ARENA_MARGIN_MIN_BYTES = 1024


def arena_to_reserve(arena: int) -> int:
    """The tensor arena to reserve on the board: the arena plus 10% (at least 1 KB), rounded up to 16 bytes.
    The plan judges a microcontroller's models by it and the C header reserves it, so the figure shown before
    training is the one the export proves (with TFLite Micro's measured arena when that is larger)."""
    extra = max(ARENA_MARGIN_MIN_BYTES, math.ceil(arena * ARENA_MARGIN))
    return int(math.ceil((arena + extra) / 16) * 16)


def arena_bytes(graph: Graph, precision: str = "int8", pointer_bytes: int = 4,
                scratch: bool = False) -> dict:
    """TensorFlow Lite Micro arena: ``{"total", "activations", "persistent", "scratch"}`` in bytes.

    ``pointer_bytes`` 4 for a 32-bit microcontroller, 8 for the x86-64 Python interpreter; ``scratch``
    adds CMSIS-NN's per-conv scratch buffers (optimized kernels; the reference kernels need none)."""
    elem = ELEMENT_BYTES.get(precision, 4)
    spans = lifetimes(graph)
    buffers = [(_round_up(graph.tensor(n).num_elements * elem), a, b) for n, (a, b) in spans.items()]
    extra = scratch_buffers(graph) if scratch else []
    activations, _ = greedy_plan(buffers)
    planned, _ = greedy_plan(buffers + extra)
    n_tensors = len(flat_tensors(graph, precision))
    n_ops = len(graph.ops)
    channels = sum(graph.tensor(op.outputs[0]).shape[-1] for op in graph.ops
                   if op.kind in ("conv2d", "depthwise_conv2d"))
    wide = pointer_bytes >= 8
    persistent = (n_tensors * (24 if wide else 12)           # TfLiteEvalTensor
                  + n_ops * (64 if wide else 36)              # NodeAndRegistration
                  + n_ops * (76 if wide else 60)              # op data structs
                  + (8 * channels if precision == "int8" else 0)  # per-channel multiplier + shift
                  + 2 * (64 if wide else 48) + (64 if wide else 48)  # persistent input/output tensors
                  + (560 if wide else 400) + n_tensors * (8 if wide else 4))  # interpreter, planner
    return {"total": int(planned + persistent), "activations": int(activations),
            "scratch": int(planned - activations), "persistent": int(persistent)}
