"""Estimates for a model on a device: parameters, MACs, flash, peak RAM and latency.

``estimate(graph, device, precision)`` works on a layer graph with numpy only (the GUI can call it on a
cached graph); ``estimate_model(model, input_shape, device, precision)`` lowers a torch model first and
also reports torch's own parameter count. Every result says which precision and runtime it assumes.

- MACs: conv ``out_h*out_w*out_c*kh*kw*in_c``, depthwise ``out_h*out_w*out_c*kh*kw``, dense ``in*out``
  (``macs``, the figure MLPerf Tiny and the vendors quote); pooling ``out elements*kh*kw``, add and relu one
  per element, mean one per input element (``other_ops``: counted for latency, not in ``macs``).
- flash and RAM: ``footprint.py`` (a model of our TFLite writer's file and of TensorFlow Lite Micro's
  arena). On devices that are not microcontrollers RAM is the model's own memory: the planned activations
  and the weights (ONNX Runtime and TFLite load them). The runtime's own memory is not in ``ram_bytes``:
  it does not depend on the model, it differs between runtimes (float32 runs in ONNX Runtime, int8 in
  LiteRT), and it is only an assumption; ``ram_detail`` states it as ``runtime_not_counted``. (Counted,
  it made every candidate on this computer about 24 MB, and a compression's float32 -> int8 columns
  compare two runtimes' guesses rather than the model.)
- latency: ``cost.latency_ms`` with the device's cost model (cycles per MAC by op kind).

``estimate_tflite(data, device)`` estimates an exported .tflite file (or the model bytes of a C header)
itself, read back into a shape-only graph (``tflite_graph``): the model card's on-device estimate is then
of the very file it describes (a pruned or distilled run included), with the plan's cost model.
"""

from __future__ import annotations

from typing import Any

from edgeling.core.devices.catalogue import Device
from edgeling.core.devices.cost import latency_ms
from edgeling.core.models.footprint import (
    ELEMENT_BYTES,
    arena_bytes,
    arena_to_reserve,
    flash_bytes,
    greedy_plan,
    lifetimes,
)
from edgeling.core.models.graph import Graph, Op, Tensor

MAC_KINDS = ("conv2d", "depthwise_conv2d", "dense")
# Memory a full runtime takes besides the model on a phone / computer (assumption, order of magnitude).
# Stated next to the RAM estimate, not added to it (see the module docstring).
RUNTIME_RAM_BYTES = {"TensorFlow Lite": 2 * 1024 ** 2, "ONNX Runtime": 24 * 1024 ** 2}


def op_macs(graph: Graph, op: Op) -> int:
    """Multiply-accumulates (conv / depthwise / dense) or element operations (others) of one op."""
    out = graph.tensor(op.outputs[0])
    k = op.kind
    if k == "conv2d":
        w = graph.tensor(op.inputs[1]).shape  # [out, kh, kw, in]
        return out.num_elements * w[1] * w[2] * w[3]
    if k == "depthwise_conv2d":
        w = graph.tensor(op.inputs[1]).shape  # [1, kh, kw, out]
        return out.num_elements * w[1] * w[2]
    if k == "dense":
        w = graph.tensor(op.inputs[1]).shape  # [out, in]
        return w[0] * w[1]
    if k in ("avg_pool2d", "max_pool2d"):
        kh, kw = op.attrs["kernel"]
        return out.num_elements * kh * kw
    if k == "mean":
        return graph.tensor(op.inputs[0]).num_elements
    if k == "softmax":
        return 8 * out.num_elements  # exp and divide: a few element operations each
    if k == "reshape":
        return 0
    return out.num_elements  # add, relu, relu6, pad


def count_params(graph: Graph) -> int:
    """Parameters in the graph: every constant (weights and biases after BatchNorm folding)."""
    return int(sum(t.num_elements for t in graph.constants()))


def op_table(graph: Graph) -> list[dict[str, Any]]:
    return [{"name": op.name or op.outputs[0], "kind": op.kind, "macs": int(op_macs(graph, op)),
             "counts_as_macs": op.kind in MAC_KINDS,
             "output_shape": list(graph.tensor(op.outputs[0]).shape)} for op in graph.ops]


def host_ram_bytes(graph: Graph, precision: str, runtime: str) -> dict:
    """RAM the model needs on a phone / computer: planned activations + weights. ``total`` leaves out the
    runtime itself (the same for every model, assumed); ``runtime_not_counted`` states it."""
    elem = ELEMENT_BYTES.get(precision, 4)
    buffers = [(graph.tensor(n).num_elements * elem, a, b) for n, (a, b) in lifetimes(graph).items()]
    activations, _ = greedy_plan(buffers)
    weights = sum(t.num_elements for t in graph.constants()) * (1 if precision == "int8" else 4)
    runtime_bytes = RUNTIME_RAM_BYTES.get(runtime, RUNTIME_RAM_BYTES["TensorFlow Lite"])
    return {"total": int(activations + weights), "activations": int(activations),
            "weights": int(weights), "runtime_not_counted": int(runtime_bytes)}


def estimate(graph: Graph, device: Device, precision: str | None = None,
             metadata_bytes: int | None = None) -> dict[str, Any]:
    """Parameters, MACs, flash, peak RAM and latency of ``graph`` on ``device`` at ``precision``
    ("int8" / "float32"; default: the device's own). Plain JSON-able dict; sizes in bytes."""
    precision = precision or device.default_precision
    if precision not in ELEMENT_BYTES:
        raise ValueError(f"unknown precision {precision!r}; use 'int8' or 'float32'")
    runtime = device.runtime(precision)
    ops = op_table(graph)
    macs = sum(o["macs"] for o in ops if o["counts_as_macs"])
    other = sum(o["macs"] for o in ops if not o["counts_as_macs"])
    flash_kw = {} if metadata_bytes is None else {"metadata_bytes": metadata_bytes}
    flash = flash_bytes(graph, precision, **flash_kw)
    if device.is_microcontroller:   # the arena to reserve, as the C header will: what the plan judges by
        ram = arena_bytes(graph, precision, pointer_bytes=4, scratch=True)
        ram = {**ram, "arena": ram["total"], "total": arena_to_reserve(ram["total"])}
        ram_what = ("the tensor arena to reserve, as the C header does: TensorFlow Lite Micro's arena (activations "
                    "by liveness, runtime structures, optimized kernels' scratch) plus 10%")
    else:
        ram = host_ram_bytes(graph, precision, runtime)
        ram_what = (f"the model's own memory: activations by liveness + weights; {runtime} itself (about "
                    f"{ram['runtime_not_counted'] // 1024 ** 2} MB, assumed) comes on top and is not counted")
    latency = latency_ms(graph, ops, device, precision)
    warnings = []
    if precision not in device.precisions():
        warnings.append(f"{device.name} does not take {precision} models; it takes "
                        + ", ".join(device.formats) + ".")
    params = count_params(graph)
    return {
        "device": device.id,
        "device_name": device.name,
        "precision": precision,
        "runtime": runtime,
        "assumes": f"{precision}, {runtime}",
        "params": params,
        "params_source": "layer graph (BatchNorm folded into the layers before it)",
        "params_graph": params,
        "macs": int(macs),
        "other_ops": int(other),
        "flash_bytes": int(flash["total"]),
        "flash_detail": flash,
        "ram_bytes": int(ram["total"]),
        "ram_detail": {**ram, "what": ram_what},
        "latency_ms": float(latency["ms"]),
        "latency_detail": latency,
        "ops": ops,
        "warnings": warnings,
    }


TFLITE_KINDS = {"CONV_2D": "conv2d", "DEPTHWISE_CONV_2D": "depthwise_conv2d", "FULLY_CONNECTED": "dense",
                "ADD": "add", "AVERAGE_POOL_2D": "avg_pool2d", "MAX_POOL_2D": "max_pool2d", "MEAN": "mean",
                "RESHAPE": "reshape", "PAD": "pad", "RELU": "relu", "RELU6": "relu6", "SOFTMAX": "softmax"}
"""The graph op kind of each TFLite builtin our writer emits; any other builtin (QUANTIZE, ...) is read as
one element operation per output value."""


def tflite_graph(data: bytes) -> Graph:
    """A shape-only ``Graph`` of a .tflite file's first subgraph (constants as zero-memory placeholders), in
    the graph's conventions, which are TFLite's: enough for ``estimate`` (MACs, flash, arena, latency).
    Raises ``ValueError`` for bytes that are not a readable .tflite file."""
    import numpy as np

    from edgeling.core.export.tflite_flatbuffer import schema

    if len(data) < 16 or data[4:8] != b"TFL3":
        raise ValueError("not a .tflite file (no TFL3 identifier)")
    try:
        model = schema("Model").Model.GetRootAs(data, 0)
        names = {v: k for k, v in vars(schema("BuiltinOperator").BuiltinOperator).items() if not k.startswith("_")}
        sg = model.Subgraphs(0)
        zero = np.int8(0)
        tensors = {}
        for i in range(sg.TensorsLength()):
            t = sg.Tensors(i)
            shape = tuple(int(d) for d in t.ShapeAsNumpy()) if t.ShapeLength() else ()
            buf = model.Buffers(t.Buffer()) if t.Buffer() < model.BuffersLength() else None
            constant = buf is not None and buf.DataLength() > 0
            tensors[str(i)] = Tensor(str(i), shape, "int8", np.broadcast_to(zero, shape) if constant else None)
        ops = []
        for i in range(sg.OperatorsLength()):
            o = sg.Operators(i)
            code = model.OperatorCodes(o.OpcodeIndex())
            name = names.get(max(code.BuiltinCode(), code.DeprecatedBuiltinCode()), "")
            ins = [str(v) for v in o.InputsAsNumpy() if v >= 0]
            outs = [str(v) for v in o.OutputsAsNumpy()]
            kind = TFLITE_KINDS.get(name, "relu")
            attrs: dict[str, Any] = {}
            if kind in ("avg_pool2d", "max_pool2d"):
                opt = schema("Pool2DOptions").Pool2DOptions()
                table = o.BuiltinOptions()
                opt.Init(table.Bytes, table.Pos)
                attrs["kernel"] = (int(opt.FilterHeight()), int(opt.FilterWidth()))
            if kind in ("mean", "reshape", "pad"):   # their int32 constant is an attribute in the graph
                if kind == "mean":
                    attrs["axes"] = tuple(range(tensors[ins[1]].shape[0] if tensors[ins[1]].shape else 1))
                ins = ins[:1]
            elif kind == "relu":
                ins = ins[:1]
            ops.append(Op(kind, ins, outs, attrs, f"{name.lower()}_{i}"))
        inputs = [str(v) for v in sg.InputsAsNumpy()]
        outputs = [str(v) for v in sg.OutputsAsNumpy()]
    except (IndexError, ValueError, AttributeError, TypeError, KeyError) as e:
        raise ValueError(f"the .tflite file cannot be read ({e})") from None
    return Graph(tensors, ops, inputs, outputs)


def estimate_tflite(data: bytes, device: Device, precision: str = "int8") -> dict[str, Any]:
    """``estimate`` of a .tflite file's own graph on ``device`` (see ``tflite_graph``)."""
    return estimate(tflite_graph(data), device, precision)


def estimate_model(model, input_shape, device: Device, precision: str | None = None,
                   metadata_bytes: int | None = None) -> dict[str, Any]:
    """``estimate`` for a torch model (input shape in torch layout, no batch); ``params`` is then torch's
    own count (``params_graph`` the count after BatchNorm folding)."""
    from edgeling.core.models.lowering import count_torch_params, lower

    graph = lower(model, input_shape)
    result = estimate(graph, device, precision, metadata_bytes)
    result["params"] = count_torch_params(model)
    result["params_torch"] = result["params"]
    result["params_source"] = "torch model (model.parameters(), BatchNorm scale and shift included)"
    return result
