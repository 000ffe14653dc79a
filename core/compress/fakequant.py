"""Quantization-aware training: fine-tune with int8 fake quantization where the int8 TFLite model rounds.

BatchNorm is folded into the preceding conv or dense layer first, as the .tflite writer folds it (the same
float32 arithmetic, so the weights fake-quantized are the weights the file quantizes). Then:
- weights are fake-quantized as the writer stores them (``tflite_quant.WEIGHT_AXIS``, ``weight_scales``):
  symmetric int8 (zero point 0, range [-127, 127]), per output channel for a conv, one scale per tensor
  for a dense layer;
- activations are fake-quantized per tensor, asymmetric int8 (``tflite_quant.activation_qparams``), at the
  points where the int8 graph stores a tensor: the model input, after each conv / dense (after its fused
  ReLU / ReLU6), after each residual add and after pooling. Their ranges are tracked with an exponential
  moving average during fine-tuning (observing only for the first steps, as is usual) and are returned for
  the int8 export's calibration.
"""

from __future__ import annotations

import copy
import operator

import torch
import torch.fx
from torch import nn

from edgeling.core.export.tflite_quant import WEIGHT_AXIS, activation_qparams, weight_scales

FUSABLE_ACTS = (nn.ReLU, nn.ReLU6)
ACT_FUNCTIONS = (torch.relu, nn.functional.relu, nn.functional.relu6)


FOLDS_INTO = (nn.Conv2d, nn.Linear)
"""The layers a BatchNorm right after them is folded into (the writer folds it into conv and dense ops)."""


def batchnorm_pairs(gm: torch.fx.GraphModule) -> list[tuple[torch.fx.Node, torch.fx.Node]]:
    """(BatchNorm node, layer node) for every BatchNorm1d / 2d right after a Conv2d or Linear whose output
    nothing else reads: the pairs the .tflite writer folds (``lowering_layers.batchnorm``)."""
    modules = dict(gm.named_modules())
    pairs = []
    for node in gm.graph.nodes:
        if node.op != "call_module" or not isinstance(modules.get(node.target), (nn.BatchNorm1d, nn.BatchNorm2d)):
            continue
        src = node.args[0]
        if isinstance(src, torch.fx.Node) and src.op == "call_module" \
                and isinstance(modules.get(src.target), FOLDS_INTO) and len(src.users) == 1:
            pairs.append((node, src))
    return pairs


def fold_batchnorm(model: nn.Module) -> nn.Module:
    """Fold every BatchNorm that directly follows a Conv2d or Linear into that layer. Returns a new
    GraphModule; ``model`` itself is left unchanged."""
    gm = torch.fx.symbolic_trace(copy.deepcopy(model).eval())
    modules = dict(gm.named_modules())
    for node, src in batchnorm_pairs(gm):
        _set(gm, src.target, folded_layer(modules[src.target], modules[node.target]))
        node.replace_all_uses_with(src)
        gm.graph.erase_node(node)
    gm.graph.lint()
    gm.recompile()
    gm.delete_all_unused_submodules()
    return gm


@torch.no_grad()
def folded_layer(layer: nn.Module, bn: nn.Module) -> nn.Module:
    """A copy of ``layer`` with ``bn`` folded in, in the writer's float32 arithmetic
    (``lowering_layers.batchnorm``): w * inv and b * inv + (shift - mean * inv), inv = scale / sqrt(var + eps)."""
    import numpy as np

    def arr(t):
        return t.detach().cpu().numpy().astype(np.float32)

    scale = arr(bn.weight) if bn.weight is not None else np.ones(bn.num_features, np.float32)
    shift = arr(bn.bias) if bn.bias is not None else np.zeros(bn.num_features, np.float32)
    inv = scale / np.sqrt(arr(bn.running_var).astype(np.float64) + bn.eps).astype(np.float32)
    beta = shift - arr(bn.running_mean) * inv
    w = arr(layer.weight)
    b = arr(layer.bias) if layer.bias is not None else np.zeros(w.shape[0], np.float32)
    fused = copy.deepcopy(layer)
    fused.weight = nn.Parameter(torch.from_numpy((w * inv.reshape((-1,) + (1,) * (w.ndim - 1))).astype(np.float32)))
    fused.bias = nn.Parameter(torch.from_numpy((b * inv + beta).astype(np.float32)))
    return fused.to(layer.weight.device)


class WeightFakeQuant(nn.Module):
    """Symmetric int8 fake quantization of a weight as the .tflite writer stores it (``tflite_quant``'s
    ``WEIGHT_AXIS`` and ``weight_scales``): per output channel (axis 0) for a conv, one scale for a dense
    layer. The gradient passes straight through (the range is the weights' own, so nothing is clipped)."""

    def __init__(self, layer_kind: str = "conv2d"):
        super().__init__()
        self.per_channel = WEIGHT_AXIS[layer_kind] is not None

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        axis = 0 if self.per_channel else None      # torch's output channel: the writer's axis (0, or 3 depthwise)
        scale = torch.from_numpy(weight_scales(w.detach().float().cpu().numpy(), axis)).to(w.device)
        if axis is not None:
            scale = scale.reshape((-1,) + (1,) * (w.ndim - 1))
        q = torch.clamp(torch.round(w.detach() / scale), -127, 127) * scale
        return w + (q - w).detach()


class ActFakeQuant(nn.Module):
    """Per-tensor asymmetric int8 fake quantization with an EMA range (the range always includes 0)."""

    def __init__(self, momentum: float = 0.01):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("lo", torch.tensor(0.0))
        self.register_buffer("hi", torch.tensor(0.0))
        self.register_buffer("initialised", torch.tensor(False))
        self.observe = True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.observe and self.training:
            lo, hi = x.detach().min(), x.detach().max()
            if not bool(self.initialised):
                self.lo.copy_(lo)
                self.hi.copy_(hi)
                self.initialised.fill_(True)
            else:
                self.lo.mul_(1 - self.momentum).add_(self.momentum * lo)
                self.hi.mul_(1 - self.momentum).add_(self.momentum * hi)
        if not bool(self.initialised) or not (torch.isfinite(self.lo) and torch.isfinite(self.hi)):
            return x      # a NaN loss is NanGuard's to report
        scale, zp = self.qparams()
        return torch.fake_quantize_per_tensor_affine(x, scale, zp, -128, 127)

    def qparams(self) -> tuple[float, int]:
        """The writer's parameters for this range (``tflite_quant.activation_qparams``)."""
        qp = activation_qparams(float(self.lo), float(self.hi))
        return qp.scalar_scale, qp.scalar_zero_point


def prepare_qat(model: nn.Module) -> torch.fx.GraphModule:
    """Fold BatchNorm, then insert weight and activation fake quantization. Returns a GraphModule whose
    ``act_ranges()`` gives {point name: (min, max)} after fine-tuning."""
    gm = fold_batchnorm(model)
    modules = dict(gm.named_modules())
    for m in list(modules.values()):
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            kind = "dense" if isinstance(m, nn.Linear) else "conv2d"
            torch.nn.utils.parametrize.register_parametrization(m, "weight", WeightFakeQuant(kind))
    graph = gm.graph
    count = 0
    for node in list(graph.nodes):
        if not _is_storage_point(node, modules):
            continue
        name = f"act_fq_{count}"
        count += 1
        gm.add_submodule(name, ActFakeQuant())
        with graph.inserting_after(node):
            fq = graph.call_module(name, (node,))
        node.replace_all_uses_with(fq, delete_user_cb=lambda u, fq=fq: u is not fq)
    graph.lint()
    gm.recompile()
    return gm


def _is_storage_point(node: torch.fx.Node, modules: dict) -> bool:
    """True where the int8 graph stores a tensor: the input, and outputs not fused into the next op."""
    if node.op == "placeholder":
        return True
    if node.op == "output":
        return False
    users = list(node.users)
    fused_next = len(users) == 1 and (
        (users[0].op == "call_module" and isinstance(modules.get(users[0].target), FUSABLE_ACTS))
        or (users[0].op == "call_function" and users[0].target in ACT_FUNCTIONS))
    if node.op == "call_module":
        m = modules.get(node.target)
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            return not fused_next
        return isinstance(m, FUSABLE_ACTS + (nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d))
    if node.op == "call_function":
        if node.target in ACT_FUNCTIONS:
            return True
        if node.target in (operator.add, torch.add):
            return not fused_next
    if node.op == "call_method" and node.target == "mean":
        return True
    return False


def freeze_observers(gm: nn.Module) -> None:
    for m in gm.modules():
        if isinstance(m, ActFakeQuant):
            m.observe = False


def strip_qat(gm: torch.fx.GraphModule) -> torch.fx.GraphModule:
    """Remove the fake quantization, keeping the QAT-tuned float weights (the export quantizes them)."""
    for m in gm.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)) and torch.nn.utils.parametrize.is_parametrized(m, "weight"):
            torch.nn.utils.parametrize.remove_parametrizations(m, "weight", leave_parametrized=False)
    for node in list(gm.graph.nodes):
        if node.op == "call_module" and isinstance(gm.get_submodule(node.target), ActFakeQuant):
            node.replace_all_uses_with(node.args[0])
            gm.graph.erase_node(node)
    gm.graph.lint()
    gm.recompile()
    gm.delete_all_unused_submodules()
    return gm


def _set(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, attr = name.rpartition(".")
    parent = model.get_submodule(parent_name) if parent_name else model
    setattr(parent, attr, new)
