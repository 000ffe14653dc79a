"""Lower a torch model to the layer graph (``edgeling.core.models.graph``), in TFLite's terms.

``lower(model, input_shape)`` traces the model with ``torch.fx``, propagates shapes with a batch-1 example,
and walks the traced nodes in execution order, emitting graph ops:

- Conv1d / Conv2d (groups 1) -> ``conv2d``; groups == in_channels -> ``depthwise_conv2d``; 1-D layers get
  H = 1. Linear -> ``dense``.
- BatchNorm right after a conv / dense (whose output nothing else reads) is folded into its weights; a
  BatchNorm elsewhere on a 4-D / 3-D tensor becomes a 1x1 depthwise conv (exact); elsewhere it is an error.
- ReLU / ReLU6 (also ``Hardtanh(0, 6)``) right after conv, depthwise, dense or add are fused into it.
- torch padding becomes TFLite ``"same"`` / ``"valid"`` when exactly equivalent, otherwise an explicit
  ``pad`` op before a ``"valid"`` layer.
- Global average pooling (AdaptiveAvgPool(1), ``mean`` over the spatial dims) -> ``mean`` over (1, 2).
- A flatten of an NHWC tensor becomes a ``reshape``; the dense layer reading it gets its weight columns
  permuted from torch's CHW order to HWC order.
- Dropout / Identity / Flatten of an already flat tensor vanish.

Anything else raises ``LoweringError`` naming the layer.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np
import torch
import torch.fx
import torch.nn as nn
import torch.nn.functional as F

from edgeling.core.models.graph import Graph, Op, Tensor


class LoweringError(ValueError):
    """The model uses something the exported runtimes cannot carry. The message names the layer."""


@dataclass
class _Value:
    """What an fx node produced: the graph tensor holding it, and how torch laid it out."""

    name: str
    layout: str
    """"nchw" (torch 4-D, graph NHWC), "ncl" (torch 3-D, graph N1LC), "flat" (2-D, same in both)."""
    perm: np.ndarray | None = None
    """For flat tensors made by a flatten of NHWC: graph feature j is torch feature perm[j]."""


_ACT_TARGETS = {"conv2d", "depthwise_conv2d", "dense", "add"}


class _Lowerer:
    def __init__(self, model: nn.Module, input_shape: tuple[int, ...]):
        self.model = model
        self.input_shape = tuple(int(d) for d in input_shape)
        self.modules = dict(model.named_modules())
        self.tensors: dict[str, Tensor] = {}
        self.ops: list[Op] = []
        self.values: dict[torch.fx.Node, _Value] = {}
        self.refs: dict[str, int] = {}
        self.producer: dict[str, Op] = {}
        self.inputs: list[str] = []
        self.pad_sources: dict[str, _Value] = {}

    # ---- helpers -------------------------------------------------------------------------------------
    def _shape(self, node: torch.fx.Node) -> tuple[int, ...]:
        shape = node.meta.get("shape")
        if shape is None:
            raise LoweringError(f"layer {self._label(node)} does not produce a single tensor")
        return shape

    def _label(self, node: torch.fx.Node) -> str:
        if node.op == "call_module":
            return f"'{node.target}' ({type(self.modules[node.target]).__name__})"
        if node.op in ("call_function", "call_method"):
            t = node.target
            return f"'{node.name}' ({getattr(t, '__name__', t)})"
        return f"'{node.name}'"

    @staticmethod
    def _graph_shape(torch_shape: tuple[int, ...]) -> tuple[tuple[int, ...], str]:
        if len(torch_shape) == 4:
            _, c, h, w = torch_shape
            return (1, h, w, c), "nchw"
        if len(torch_shape) == 3:
            _, c, length = torch_shape
            return (1, 1, length, c), "ncl"
        if len(torch_shape) == 2:
            return (1, torch_shape[1]), "flat"
        raise LoweringError(f"tensors of rank {len(torch_shape)} are not supported (shape {torch_shape})")

    def _new_activation(self, node: torch.fx.Node, perm: np.ndarray | None = None) -> _Value:
        shape, layout = self._graph_shape(self._shape(node))
        name = node.name
        self.tensors[name] = Tensor(name, shape)
        self.refs[name] = len(node.users)
        value = _Value(name, layout, perm)
        self.values[node] = value
        return value

    def _const(self, name: str, data: np.ndarray) -> str:
        data = np.ascontiguousarray(data, dtype=np.float32)
        base, i = name, 1
        while name in self.tensors:
            name, i = f"{base}_{i}", i + 1
        self.tensors[name] = Tensor(name, tuple(data.shape), "float32", data)
        return name

    def _emit(self, node, kind, inputs, attrs, perm=None) -> _Value:
        out = self._new_activation(node, perm)
        op = Op(kind, list(inputs), [out.name], dict(attrs), name=self._op_name(node))
        self.ops.append(op)
        self.producer[out.name] = op
        return out

    def _op_name(self, node) -> str:
        return str(node.target) if node.op == "call_module" else node.name

    def _alias(self, node, value: _Value, perm=None) -> None:
        """``node`` produces the same tensor as ``value`` (identity, folded BN, fused ReLU)."""
        self.values[node] = _Value(value.name, value.layout, value.perm if perm is None else perm)
        self.refs[value.name] += len(node.users) - 1

    def _input(self, node, i=0) -> _Value:
        arg = node.args[i] if i < len(node.args) else None
        if not isinstance(arg, torch.fx.Node) or arg not in self.values:
            raise LoweringError(f"layer {self._label(node)} reads something that is not a tensor of the model")
        return self.values[arg]

    def _require_unpermuted(self, node, value: _Value) -> None:
        if value.perm is not None:
            raise LoweringError(f"layer {self._label(node)} follows a flatten of an image-shaped tensor; "
                                "only a Linear layer (or ReLU before it) may read a flattened feature map")

    def _fusable(self, value: _Value) -> Op | None:
        """The op producing ``value`` if a following BN / activation may be folded into it."""
        op = self.producer.get(value.name)
        if op is None or self.refs.get(value.name) != 1:
            return None
        return op

    # ---- main walk -----------------------------------------------------------------------------------
    def run(self, append_softmax: bool) -> Graph:
        try:
            fx_graph = torch.fx.Tracer().trace(self.model)
        except Exception as e:  # noqa: BLE001 - tracing errors are many kinds; say it plainly
            raise LoweringError(f"the model cannot be traced for export ({type(e).__name__}: {e})") from None
        example = torch.zeros((1, *self.input_shape))
        try:
            with torch.no_grad():
                self._propagate_shapes(fx_graph, example)
        except Exception as e:  # noqa: BLE001 - a model that does not run on this input
            raise LoweringError(f"the model does not run on an input of shape {list(self.input_shape)}: "
                                f"{str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
        output_nodes = [n for n in fx_graph.nodes if n.op == "output"]
        out_args = output_nodes[0].args[0]
        if not isinstance(out_args, torch.fx.Node):
            raise LoweringError("the model must return a single tensor")
        for node in fx_graph.nodes:
            if node.op == "output":
                break
            self._lower_node(node)
        final = self.values[out_args]
        self._require_unpermuted(out_args, final)  # a flattened feature map as output: CHW order is lost
        if append_softmax:
            sm = Op("softmax", [final.name], [final.name + "_softmax"], {"beta": 1.0}, name="softmax")
            self.tensors[sm.outputs[0]] = Tensor(sm.outputs[0], self.tensors[final.name].shape)
            self.ops.append(sm)
            final = _Value(sm.outputs[0], final.layout, final.perm)
        outputs = [final.name]
        used = {n for op in self.ops for n in op.inputs} | set(outputs) | set(self.inputs)
        tensors = {k: t for k, t in self.tensors.items() if k in used or any(k in op.outputs for op in self.ops)}
        graph = Graph(tensors, self.ops, list(self.inputs), outputs,
                      meta={"torch_input_shape": list(self.input_shape),
                            "input_layout": self.values_input_layout})
        graph.validate()
        return graph

    def _propagate_shapes(self, fx_graph: torch.fx.Graph, example: torch.Tensor) -> None:
        """Run the traced graph once on ``example`` and record each node's output shape in its meta
        (what ``ShapeProp`` does, without building a GraphModule: that copy dominated the time)."""
        env: dict[torch.fx.Node, object] = {}

        def load(a):
            return torch.fx.node.map_arg(a, lambda n: env[n])

        for node in fx_graph.nodes:
            if node.op == "placeholder":
                result = example
            elif node.op == "get_attr":
                result = self.model
                for part in str(node.target).split("."):
                    result = getattr(result, part)
            elif node.op == "call_module":
                result = self.modules[node.target](*load(node.args), **load(node.kwargs))
            elif node.op == "call_function":
                result = node.target(*load(node.args), **load(node.kwargs))
            elif node.op == "call_method":
                args = load(node.args)
                result = getattr(args[0], node.target)(*args[1:], **load(node.kwargs))
            else:
                break
            env[node] = result
            if isinstance(result, torch.Tensor):
                node.meta["shape"] = tuple(int(d) for d in result.shape)

    def _lower_node(self, node: torch.fx.Node) -> None:
        if node.op == "placeholder":
            if self.inputs:
                raise LoweringError("the model must take a single input tensor")
            value = self._new_activation(node)
            self.values_input_layout = value.layout
            self.inputs.append(value.name)
            return
        if node.op == "get_attr":
            raise LoweringError(f"the model reads a stored tensor directly ({node.target}); use layers instead")
        if node.op == "call_module":
            return self._lower_module(node, self.modules[node.target])
        if node.op == "call_method":
            return self._lower_method(node)
        if node.op == "call_function":
            return self._lower_function(node)
        raise LoweringError(f"layer {self._label(node)} is not supported")

    # ---- modules -------------------------------------------------------------------------------------
    def _lower_module(self, node, m: nn.Module) -> None:
        from edgeling.core.models import lowering_layers as L

        if isinstance(m, (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Identity)):
            return self._alias(node, self._input(node))
        if isinstance(m, (nn.Conv1d, nn.Conv2d)):
            return L.conv(self, node, m)
        if isinstance(m, nn.Linear):
            return L.dense(self, node, m.weight, m.bias)
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            return L.batchnorm(self, node, m)
        if isinstance(m, (nn.ReLU, nn.ReLU6)):
            return self._activation(node, "relu" if isinstance(m, nn.ReLU) else "relu6")
        if isinstance(m, nn.Hardtanh) and m.min_val == 0.0 and m.max_val == 6.0:
            return self._activation(node, "relu6")
        if isinstance(m, (nn.MaxPool1d, nn.MaxPool2d, nn.AvgPool1d, nn.AvgPool2d)):
            return L.pool(self, node, m)
        if isinstance(m, (nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d)):
            return L.adaptive_avg(self, node)
        if isinstance(m, nn.ZeroPad2d) or (isinstance(m, nn.ConstantPad2d) and m.value == 0):
            return L.zero_pad(self, node, m.padding)
        if isinstance(m, nn.Flatten):
            return L.flatten(self, node, m.start_dim, m.end_dim)
        if isinstance(m, nn.Softmax):
            return self._softmax(node, m.dim)
        raise LoweringError(f"layer {self._label(node)} is not supported by the exported runtimes; use conv, "
                            "depthwise conv, linear, batch norm, ReLU/ReLU6, pooling, add or flatten")

    # ---- functions and methods -----------------------------------------------------------------------
    def _lower_function(self, node) -> None:
        from edgeling.core.models import lowering_layers as L

        t = node.target
        if t in (F.relu, torch.relu, torch.relu_):
            return self._activation(node, "relu")
        if t is F.relu6:
            return self._activation(node, "relu6")
        if t is F.hardtanh and tuple(node.args[1:3]) == (0.0, 6.0):
            return self._activation(node, "relu6")
        if t in (operator.add, operator.iadd, torch.add):
            return L.add(self, node)
        if t in _FUNCTIONAL_POOLS:
            return L.pool(self, node, _pool_module(node))
        if t is torch.flatten:
            return L.flatten(self, node, *self._flatten_dims(node))
        if t in (F.adaptive_avg_pool1d, F.adaptive_avg_pool2d):
            return L.adaptive_avg(self, node)
        if t is torch.mean:
            return L.mean(self, node)
        if t in (F.softmax, torch.softmax):
            return self._softmax(node, node.kwargs.get("dim", node.args[1] if len(node.args) > 1 else None))
        if t is F.pad and node.kwargs.get("mode", "constant") == "constant" \
                and not node.kwargs.get("value") and len(node.args) == 2:
            return L.zero_pad(self, node, tuple(node.args[1]))
        if t in (F.dropout, F.dropout1d, F.dropout2d):
            return self._alias(node, self._input(node))
        if t is getattr or (t is operator.getitem and node.args[0] not in self.values):
            return  # x.shape / x.size(0) / shape[0]: sizes, which shape propagation already knows
        raise LoweringError(f"layer {self._label(node)} is not supported by the exported runtimes")

    def _lower_method(self, node) -> None:
        from edgeling.core.models import lowering_layers as L

        name = node.target
        if name == "size" or name == "dim":
            return
        if name in ("relu", "relu_"):
            return self._activation(node, "relu")
        if name in ("flatten",):
            return L.flatten(self, node, *self._flatten_dims(node))
        if name in ("view", "reshape"):
            return L.reshape(self, node)
        if name == "mean":
            return L.mean(self, node)
        if name in ("contiguous",):
            return self._alias(node, self._input(node))
        if name in ("add", "add_", "__add__"):
            return L.add(self, node)
        if name == "softmax":
            return self._softmax(node, node.kwargs.get("dim", node.args[1] if len(node.args) > 1 else None))
        raise LoweringError(f"layer {self._label(node)} (tensor method .{name}) is not supported")

    @staticmethod
    def _flatten_dims(node) -> tuple[int, int]:
        args = list(node.args[1:]) + [None, None]
        start = node.kwargs.get("start_dim", args[0] if args[0] is not None else 0)
        end = node.kwargs.get("end_dim", args[1] if args[1] is not None else -1)
        return int(start), int(end)

    # ---- activations ---------------------------------------------------------------------------------
    def _activation(self, node, kind: str) -> None:
        value = self._input(node)
        op = self._fusable(value)
        if op is not None and op.kind in _ACT_TARGETS and op.attrs.get("activation", "none") == "none":
            op.attrs["activation"] = kind
            return self._alias(node, value)
        self._emit(node, kind, [value.name], {}, perm=value.perm)

    def _softmax(self, node, dim) -> None:
        value = self._input(node)
        ndim = len(self._shape(node))
        if value.layout != "flat" or dim is None or int(dim) % ndim != ndim - 1:
            raise LoweringError(f"layer {self._label(node)}: softmax is supported only over the last "
                                "dimension of a flat (N, classes) tensor")
        self._require_unpermuted(node, value)
        self._emit(node, "softmax", [value.name], {"beta": 1.0})


_FUNCTIONAL_POOLS = {F.max_pool1d: nn.MaxPool1d, F.max_pool2d: nn.MaxPool2d, F.avg_pool1d: nn.AvgPool1d,
                     F.avg_pool2d: nn.AvgPool2d}


def _pool_module(node) -> nn.Module:
    """The pooling module equivalent to a functional pooling call (its arguments as the module's)."""
    cls = _FUNCTIONAL_POOLS[node.target]
    names = ["kernel_size", "stride", "padding"] + (["dilation", "ceil_mode"] if "Max" in cls.__name__
                                                    else ["ceil_mode", "count_include_pad"])
    kwargs = dict(zip(names, node.args[1:]))
    kwargs.update({k: v for k, v in node.kwargs.items() if k in names})
    if kwargs.get("ceil_mode"):
        kwargs["ceil_mode"] = True
    return cls(**kwargs)


def lower(model: nn.Module, input_shape, *, append_softmax: bool = False) -> Graph:
    """Lower ``model`` (eval mode is used) for an input of torch shape ``input_shape`` without the batch,
    e.g. ``(1, 28, 28)`` for a grey image or ``(F,)`` for a table row."""
    was_training = model.training
    model.eval()
    try:
        root = nn.Sequential(model) if not list(model.children()) else model  # a bare layer: trace it as one
        return _Lowerer(root, tuple(input_shape)).run(append_softmax)
    finally:
        model.train(was_training)


def count_torch_params(model: nn.Module) -> int:
    """torch's own parameter count (trainable and frozen parameters; BatchNorm running stats excluded)."""
    return int(sum(p.numel() for p in model.parameters()))


__all__ = ["LoweringError", "lower", "count_torch_params"]
