"""Quantization-aware training: fine-tune with int8 fake quantization where the int8 TFLite model rounds.

BatchNorm is folded into the preceding convolution first (as the exported graph has it). Then:
- weights of every conv / dense layer are fake-quantized per output channel, symmetric int8 (zero point
  0, range [-127, 127]), as the TFLite quantization spec requires;
- activations are fake-quantized per tensor, asymmetric int8, at the points where the int8 graph stores a
  tensor: the model input, after each conv / dense (after its fused ReLU / ReLU6), after each residual add
  and after pooling. Their ranges are tracked with an exponential moving average during fine-tuning
  (observing only for the first steps, as is usual) and are returned for the int8 export's calibration.
"""

from __future__ import annotations

import copy
import operator

import torch
import torch.fx
from torch import nn

FUSABLE_ACTS = (nn.ReLU, nn.ReLU6)
ACT_FUNCTIONS = (torch.relu, nn.functional.relu, nn.functional.relu6)


def fold_batchnorm(model: nn.Module) -> nn.Module:
    """Fold every BatchNorm2d that directly follows a Conv2d into that conv. Returns a new GraphModule;
    ``model`` itself is left unchanged."""
    gm = torch.fx.symbolic_trace(copy.deepcopy(model).eval())
    modules = dict(gm.named_modules())
    for node in list(gm.graph.nodes):
        if node.op != "call_module" or not isinstance(modules.get(node.target), nn.BatchNorm2d):
            continue
        src = node.args[0]
        if not (isinstance(src, torch.fx.Node) and src.op == "call_module"
                and isinstance(modules.get(src.target), nn.Conv2d) and len(src.users) == 1):
            continue
        conv, bn = modules[src.target], modules[node.target]
        fused = torch.nn.utils.fusion.fuse_conv_bn_eval(conv, bn)
        _set(gm, src.target, fused)
        node.replace_all_uses_with(src)
        gm.graph.erase_node(node)
    gm.graph.lint()
    gm.recompile()
    gm.delete_all_unused_submodules()
    return gm


class WeightFakeQuant(nn.Module):
    """Per-channel symmetric int8 fake quantization of a weight (axis 0)."""

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        flat = w.detach().reshape(w.shape[0], -1).abs().amax(dim=1).clamp(min=1e-8)
        scale = (flat / 127.0).to(torch.float32)
        zero = torch.zeros_like(scale, dtype=torch.int32)
        return torch.fake_quantize_per_channel_affine(w, scale, zero, 0, -127, 127)


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
        if not bool(self.initialised):
            return x
        scale, zp = self.qparams()
        return torch.fake_quantize_per_tensor_affine(x, scale, zp, -128, 127)

    def qparams(self) -> tuple[float, int]:
        lo, hi = min(float(self.lo), 0.0), max(float(self.hi), 0.0)
        scale = max((hi - lo) / 255.0, 1e-8)
        zp = int(round(-128 - lo / scale))
        return scale, max(-128, min(127, zp))


def prepare_qat(model: nn.Module) -> torch.fx.GraphModule:
    """Fold BatchNorm, then insert weight and activation fake quantization. Returns a GraphModule whose
    ``act_ranges()`` gives {point name: (min, max)} after fine-tuning."""
    gm = fold_batchnorm(model)
    modules = dict(gm.named_modules())
    for m in list(modules.values()):
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            torch.nn.utils.parametrize.register_parametrization(m, "weight", WeightFakeQuant())
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
