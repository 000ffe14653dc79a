"""Structured channel pruning that really removes channels, so MACs, flash and RAM drop.

The model is traced with torch.fx. For every ordinary convolution (groups == 1) we follow its output
channels through channel-preserving layers (BatchNorm, ReLU/ReLU6, pooling, dropout, depthwise
convolutions, which must lose the same channels) to the layers that read them (a convolution's input
channels, or a dense layer's inputs after a flatten or a global average). If the channels reach anything
else (a residual add, the model's output, a reshape we do not understand), that convolution is left alone:
pruning it would change the meaning of the other branch. In residual nets this prunes the channels inside
each block, which is where most of the MACs are. Dense layers are pruned the same way: a hidden layer's
units (through ReLU / dropout) are read only by the next dense layer's inputs, so the units with the
smallest weights go (tables' MLPs, the dense heads of sensor models); the output layer is never touched.

A pruned model cannot be rebuilt from its architecture knobs alone, so the result is a *channel plan*
``{layer_name: kept_channel_indices}``: ``apply_channel_plan(fresh_model, plan, example_input)`` shrinks a
freshly built model to the same shapes before its saved weights are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.fx
from torch import nn
from torch.fx.passes.shape_prop import ShapeProp

PASS_THROUGH_MODULES = (nn.BatchNorm2d, nn.ReLU, nn.ReLU6, nn.MaxPool2d, nn.AvgPool2d, nn.Dropout,
                        nn.Dropout2d, nn.Identity, nn.AdaptiveAvgPool2d)
PASS_THROUGH_FUNCTIONS = (torch.relu, nn.functional.relu, nn.functional.relu6, nn.functional.max_pool2d,
                          nn.functional.avg_pool2d, nn.functional.dropout, nn.functional.adaptive_avg_pool2d)


@dataclass
class _Group:
    producer: str
    dense: bool = False                                    # a dense layer's units, not a conv's channels
    followers: list[str] = field(default_factory=list)    # BN / depthwise convs: prune their channels too
    conv_consumers: list[str] = field(default_factory=list)  # prune input channels
    dense_consumers: list[tuple[str, int]] = field(default_factory=list)  # (name, spatial positions/channel)


def _is_depthwise(m: nn.Module) -> bool:
    return isinstance(m, nn.Conv2d) and m.groups > 1 and m.groups == m.in_channels == m.out_channels


def _is_plain_conv(m: nn.Module) -> bool:
    return isinstance(m, nn.Conv2d) and m.groups == 1


def find_groups(model: nn.Module, example_input: torch.Tensor) -> list[_Group]:
    """The convolutions (and dense layers) whose outputs can be pruned, each with everything that must
    follow."""
    gm = torch.fx.symbolic_trace(model)
    ShapeProp(gm).propagate(example_input)
    modules = dict(gm.named_modules())
    groups = []
    for node in gm.graph.nodes:
        if node.op == "call_module" and (_is_plain_conv(modules[node.target])
                                         or isinstance(modules[node.target], nn.Linear)):
            g = _Group(producer=node.target, dense=isinstance(modules[node.target], nn.Linear))
            if _follow(node, g, modules):
                if g.conv_consumers or g.dense_consumers:
                    groups.append(g)
    return groups


def _follow(node: torch.fx.Node, g: _Group, modules: dict, seen=None) -> bool:
    """Walk the users of ``node``'s channels; False when they reach something we must not change."""
    seen = seen if seen is not None else set()
    for user in node.users:
        if user in seen:
            continue
        seen.add(user)
        if user.op == "call_module":
            m = modules[user.target]
            if _is_plain_conv(m) and not g.dense:
                g.conv_consumers.append(user.target)
                continue
            if isinstance(m, nn.Linear):
                if not g.dense:
                    return False  # a dense layer straight on a 4-D tensor: not a layout we emit
                g.dense_consumers.append((user.target, 1))
                continue
            if g.dense and not isinstance(m, (nn.ReLU, nn.ReLU6, nn.Dropout, nn.Identity)):
                return False
            if _is_depthwise(m) or isinstance(m, nn.BatchNorm2d):
                g.followers.append(user.target)
            elif not isinstance(m, PASS_THROUGH_MODULES):
                if isinstance(m, nn.Flatten):
                    if not _to_dense(user, node, g, modules):
                        return False
                    continue
                return False
            if not _follow(user, g, modules, seen):
                return False
        elif user.op == "call_function" and user.target in PASS_THROUGH_FUNCTIONS and not g.dense:
            if not _follow(user, g, modules, seen):
                return False
        elif user.op in ("call_function", "call_method") and _is_flatten_or_mean(user) and not g.dense:
            if not _to_dense(user, node, g, modules):
                return False
        else:
            return False  # add, cat, output, view with fixed sizes ...
    return True


def _is_flatten_or_mean(node: torch.fx.Node) -> bool:
    if node.target in (torch.flatten, "flatten"):
        return True
    if node.target in ("mean", torch.mean):
        dims = node.args[1] if len(node.args) > 1 else node.kwargs.get("dim")
        return tuple(dims) in ((2, 3), (-2, -1), [2, 3]) if isinstance(dims, (tuple, list)) else False
    return False


def _to_dense(flat: torch.fx.Node, src: torch.fx.Node, g: _Group, modules: dict) -> bool:
    """After a flatten / global mean, the only reader must be dense layers (maybe through dropout)."""
    shape = src.meta["tensor_meta"].shape  # (N, C, H, W) of the channels being pruned
    is_mean = flat.target in ("mean", torch.mean)
    per_channel = 1 if is_mean else int(shape[2] * shape[3])
    for user in flat.users:
        if user.op == "call_module" and isinstance(modules[user.target], nn.Linear):
            g.dense_consumers.append((user.target, per_channel))
        elif user.op == "call_module" and isinstance(modules[user.target], (nn.Dropout, nn.Identity)):
            if not _dense_through(user, per_channel, g, modules):
                return False
        else:
            return False
    return True


def _dense_through(node: torch.fx.Node, per_channel: int, g: _Group, modules: dict) -> bool:
    for user in node.users:
        if user.op == "call_module" and isinstance(modules[user.target], nn.Linear):
            g.dense_consumers.append((user.target, per_channel))
        else:
            return False
    return True


def plan_channels(model: nn.Module, example_input: torch.Tensor, fraction: float) -> dict[str, list[int]]:
    """Keep the (1 - fraction) output channels (units) with the largest L1 norm (scaled by |BN gamma| when
    a BatchNorm follows) of every prunable convolution and dense layer. Always keeps at least one."""
    if not 0.0 <= fraction < 1.0:
        raise ValueError("the pruning fraction must be at least 0 and below 1")
    modules = dict(model.named_modules())
    plan = {}
    for g in find_groups(model, example_input):
        layer = modules[g.producer]
        score = layer.weight.detach().abs().flatten(1).sum(dim=1)
        for f in g.followers:
            if isinstance(modules[f], nn.BatchNorm2d) and modules[f].affine:
                score = score * modules[f].weight.detach().abs()
        keep = max(1, int(round(width(layer) * (1.0 - fraction))))
        idx = torch.argsort(score, descending=True)[:keep].sort().values
        plan[g.producer] = idx.tolist()
    return plan


def apply_channel_plan(model: nn.Module, plan: dict[str, list[int]], example_input: torch.Tensor) -> nn.Module:
    """Shrink ``model`` in place to the plan's channels (weights sliced from the current ones)."""
    groups = {g.producer: g for g in find_groups(model, example_input)}
    modules = dict(model.named_modules())
    in_keep: dict[str, list[int]] = {}
    dense_keep: dict[str, list[int]] = {}
    for name, keep in plan.items():
        if name not in groups:
            raise ValueError(f"layer {name!r} cannot be pruned in this model")
        g = groups[name]
        idx = torch.tensor(keep, dtype=torch.long)
        producer = modules[name]
        _set(model, name, _slice_linear(producer, idx) if isinstance(producer, nn.Linear)
             else _slice_conv(producer, out_idx=idx))
        for f in g.followers:
            _set(model, f, _slice_follower(modules[f], idx))
        for c in g.conv_consumers:
            in_keep[c] = keep
        for d, per in g.dense_consumers:
            dense_keep[d] = [c * per + j for c in keep for j in range(per)]
    modules = dict(model.named_modules())
    for name, keep in in_keep.items():
        _set(model, name, _slice_conv(modules[name], in_idx=torch.tensor(keep, dtype=torch.long)))
    for name, keep in dense_keep.items():
        lin = modules[name]
        idx = torch.tensor(keep, dtype=torch.long)
        new = nn.Linear(len(keep), lin.out_features, bias=lin.bias is not None)
        with torch.no_grad():
            new.weight.copy_(lin.weight[:, idx])
            if lin.bias is not None:
                new.bias.copy_(lin.bias)
        _set(model, name, new)
    return model


def width(layer: nn.Module) -> int:
    """Output channels of a convolution, units of a dense layer."""
    return int(layer.out_features if isinstance(layer, nn.Linear) else layer.out_channels)


def _slice_linear(lin: nn.Linear, out_idx: torch.Tensor) -> nn.Linear:
    new = nn.Linear(lin.in_features, len(out_idx), bias=lin.bias is not None)
    with torch.no_grad():
        new.weight.copy_(lin.weight[out_idx])
        if lin.bias is not None:
            new.bias.copy_(lin.bias[out_idx])
    return new


def _slice_conv(conv: nn.Conv2d, out_idx=None, in_idx=None) -> nn.Conv2d:
    w = conv.weight.detach()
    b = conv.bias.detach() if conv.bias is not None else None
    if out_idx is not None:
        w = w[out_idx]
        b = b[out_idx] if b is not None else None
    if in_idx is not None:
        w = w[:, in_idx]
    new = nn.Conv2d(w.shape[1], w.shape[0], conv.kernel_size, conv.stride, conv.padding, conv.dilation,
                    groups=1, bias=b is not None, padding_mode=conv.padding_mode)
    with torch.no_grad():
        new.weight.copy_(w)
        if b is not None:
            new.bias.copy_(b)
    return new


def _slice_follower(m: nn.Module, idx: torch.Tensor) -> nn.Module:
    if isinstance(m, nn.BatchNorm2d):
        new = nn.BatchNorm2d(len(idx), eps=m.eps, momentum=m.momentum, affine=m.affine,
                             track_running_stats=m.track_running_stats)
        with torch.no_grad():
            if m.affine:
                new.weight.copy_(m.weight[idx])
                new.bias.copy_(m.bias[idx])
            if m.track_running_stats:
                new.running_mean.copy_(m.running_mean[idx])
                new.running_var.copy_(m.running_var[idx])
                new.num_batches_tracked.copy_(m.num_batches_tracked)
        return new
    if _is_depthwise(m):
        new = nn.Conv2d(len(idx), len(idx), m.kernel_size, m.stride, m.padding, m.dilation, groups=len(idx),
                        bias=m.bias is not None, padding_mode=m.padding_mode)
        with torch.no_grad():
            new.weight.copy_(m.weight[idx])
            if m.bias is not None:
                new.bias.copy_(m.bias[idx])
        return new
    raise TypeError(f"cannot prune channels of {type(m).__name__}")


def _set(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, attr = name.rpartition(".")
    parent = model.get_submodule(parent_name) if parent_name else model
    new.train(getattr(parent, attr).training)
    setattr(parent, attr, new)
