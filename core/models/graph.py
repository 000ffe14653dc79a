"""The layer graph: one description of a network, in the terms of the runtimes it is exported to.

A trained torch model is *lowered* to a ``Graph`` once (``edgeling.core.models.lowering.lower``), and
everything downstream reads that graph: the estimates (parameters, MACs, flash, peak RAM by tensor liveness,
latency), the TFLite writer (float32 and int8), and the numpy reference executor used for int8
calibration. Because the estimates and the writer see the same ops and tensors, the RAM and flash
estimates can be checked against the real TFLite Micro arena and file size.

Conventions (TFLite's):
- activations are NHWC for 4-D tensors, batch 1 (``shape[0] == 1``); 3-D inputs of a 1-D CNN are lowered
  to NHWC with H = 1;
- BatchNorm is folded into the preceding conv / dense; ReLU / ReLU6 following conv, depthwise conv, dense
  or add are fused into that op (``attrs["activation"]``);
- conv weights ``[out, kh, kw, in]``, depthwise weights ``[1, kh, kw, out]``, dense weights ``[out, in]``
  (already permuted when a dense layer follows a flatten of an NHWC tensor), biases ``[out]``;
- ``padding`` is ``"same"`` or ``"valid"`` exactly as TFLite computes them; any other padding is an
  explicit ``pad`` op before the layer.

Op kinds and their attrs:
    conv2d            stride (sh, sw), dilation (dh, dw), padding, activation   inputs: x, weight, bias
    depthwise_conv2d  stride, dilation, padding, activation, depth_multiplier   inputs: x, weight, bias
    dense             activation                                                 inputs: x, weight, bias
    add               activation                                                 inputs: a, b
    avg_pool2d        kernel (kh, kw), stride, padding, activation               inputs: x
    max_pool2d        kernel, stride, padding, activation                        inputs: x
    mean              axes (tuple), keepdims (bool)                              inputs: x
    reshape           new_shape (tuple)                                          inputs: x
    pad               pads ((top, bottom), (left, right))  (zeros)               inputs: x
    relu / relu6      (standalone, where nothing to fuse into)                   inputs: x
    softmax           beta (1.0)                                                 inputs: x
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

OP_KINDS = ("conv2d", "depthwise_conv2d", "dense", "add", "avg_pool2d", "max_pool2d", "mean", "reshape",
            "pad", "relu", "relu6", "softmax")
ACTIVATIONS = ("none", "relu", "relu6")


@dataclass
class Tensor:
    name: str
    shape: tuple[int, ...]
    dtype: str = "float32"
    data: np.ndarray | None = None
    """Constant value (weights, biases); None for activations."""

    @property
    def is_constant(self) -> bool:
        return self.data is not None

    @property
    def num_elements(self) -> int:
        return int(np.prod(self.shape)) if self.shape else 1


@dataclass
class Op:
    kind: str
    inputs: list[str]
    outputs: list[str]
    attrs: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        if self.kind not in OP_KINDS:
            raise ValueError(f"unknown op kind {self.kind!r}")


@dataclass
class Graph:
    tensors: dict[str, Tensor]
    ops: list[Op]
    """In execution order."""
    inputs: list[str]
    outputs: list[str]
    meta: dict[str, Any] = field(default_factory=dict)

    def tensor(self, name: str) -> Tensor:
        return self.tensors[name]

    def constants(self) -> list[Tensor]:
        return [t for t in self.tensors.values() if t.is_constant]

    def activations(self) -> list[Tensor]:
        return [t for t in self.tensors.values() if not t.is_constant]

    def validate(self) -> None:
        """Every op reads tensors that exist and are produced before it (or are inputs / constants)."""
        ready = set(self.inputs) | {t.name for t in self.constants()}
        for op in self.ops:
            for name in op.inputs:
                if name not in self.tensors:
                    raise ValueError(f"op {op.name or op.kind} reads unknown tensor {name!r}")
                if name not in ready:
                    raise ValueError(f"op {op.name or op.kind} reads {name!r} before it is produced")
            ready.update(op.outputs)
        missing = [o for o in self.outputs if o not in ready]
        if missing:
            raise ValueError(f"graph outputs never produced: {missing}")
