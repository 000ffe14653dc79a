"""A numpy executor of a layer graph, exactly as TFLite defines each op (float32, any batch size).

Used to prove the lowering against torch and, by the export step, to calibrate int8 activation ranges
(``keep_all=True`` returns every intermediate tensor). No torch.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from edgeling.core.models.graph import Graph, Op


def same_pads(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    k_eff = dilation * (kernel - 1) + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + k_eff - size, 0)
    return total // 2, total - total // 2


def _pad_for(x: np.ndarray, attrs, kh: int, kw: int, fill: float = 0.0) -> np.ndarray:
    if attrs.get("padding", "valid") != "same":
        return x
    sh, sw = attrs.get("stride", (1, 1))
    dh, dw = attrs.get("dilation", (1, 1))
    ph, pw = same_pads(x.shape[1], kh, sh, dh), same_pads(x.shape[2], kw, sw, dw)
    return np.pad(x, ((0, 0), ph, pw, (0, 0)), constant_values=fill)


def _windows(x: np.ndarray, kh: int, kw: int, attrs) -> np.ndarray:
    """(N, OH, OW, C, kh, kw) views of the NHWC input ``x`` (already padded)."""
    sh, sw = attrs.get("stride", (1, 1))
    dh, dw = attrs.get("dilation", (1, 1))
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    win = sliding_window_view(x, (span_h, span_w), axis=(1, 2))
    return win[:, ::sh, ::sw, :, ::dh, ::dw]


def _activate(x: np.ndarray, activation: str) -> np.ndarray:
    if activation == "relu":
        return np.maximum(x, 0)
    if activation == "relu6":
        return np.clip(x, 0, 6)
    return x


def _conv2d(op: Op, x, w, b):
    _, kh, kw, _ = w.shape
    win = _windows(_pad_for(x, op.attrs, kh, kw), kh, kw, op.attrs)
    out = np.einsum("nhwcij,oijc->nhwo", win, w, optimize=True) + b
    return _activate(out, op.attrs.get("activation", "none"))


def _depthwise(op: Op, x, w, b):
    _, kh, kw, out_c = w.shape
    mult = int(op.attrs.get("depth_multiplier", out_c // x.shape[3]))
    win = _windows(_pad_for(x, op.attrs, kh, kw), kh, kw, op.attrs)
    if mult != 1:
        win = np.repeat(win, mult, axis=3)  # output channel o reads input channel o // mult
    out = np.einsum("nhwcij,ijc->nhwc", win, w[0], optimize=True) + b
    return _activate(out, op.attrs.get("activation", "none"))


def _pool(op: Op, x, is_max: bool):
    kh, kw = op.attrs["kernel"]
    if is_max:
        win = _windows(_pad_for(x, op.attrs, kh, kw, fill=-np.inf), kh, kw, op.attrs)
        out = win.max(axis=(4, 5))
    else:  # TFLite SAME average pooling divides by the number of real (unpadded) pixels
        ones = np.ones((1,) + x.shape[1:3] + (1,), x.dtype)
        total = _windows(_pad_for(x, op.attrs, kh, kw), kh, kw, op.attrs).sum(axis=(4, 5))
        count = _windows(_pad_for(ones, op.attrs, kh, kw), kh, kw, op.attrs).sum(axis=(4, 5))
        out = total / count
    return _activate(out, op.attrs.get("activation", "none"))


def _softmax(x, beta: float):
    z = x * beta
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def run_op(op: Op, args: list[np.ndarray]) -> np.ndarray:
    k = op.kind
    if k == "conv2d":
        return _conv2d(op, *args)
    if k == "depthwise_conv2d":
        return _depthwise(op, *args)
    if k == "dense":
        x, w, b = args
        return _activate(x.reshape(x.shape[0], -1) @ w.T + b, op.attrs.get("activation", "none"))
    if k == "add":
        return _activate(args[0] + args[1], op.attrs.get("activation", "none"))
    if k in ("avg_pool2d", "max_pool2d"):
        return _pool(op, args[0], k == "max_pool2d")
    if k == "mean":
        return args[0].mean(axis=tuple(op.attrs["axes"]), keepdims=bool(op.attrs.get("keepdims", False)))
    if k == "reshape":
        shape = tuple(op.attrs["new_shape"])
        return args[0].reshape((args[0].shape[0],) + shape[1:])
    if k == "pad":
        (t, b), (left, r) = op.attrs["pads"]
        return np.pad(args[0], ((0, 0), (t, b), (left, r), (0, 0)))
    if k == "relu":
        return np.maximum(args[0], 0)
    if k == "relu6":
        return np.clip(args[0], 0, 6)
    if k == "softmax":
        return _softmax(args[0], float(op.attrs.get("beta", 1.0)))
    raise ValueError(f"the reference executor has no rule for op kind {k!r}")


def run_graph(graph: Graph, inputs: dict[str, np.ndarray], keep_all: bool = False) -> dict[str, np.ndarray]:
    """Run ``graph`` on ``inputs`` (graph input name -> array in graph layout with any batch size >= 1).

    Returns the graph outputs, or with ``keep_all`` every activation tensor (inputs included)."""
    values: dict[str, np.ndarray] = {}
    for name in graph.inputs:
        if name not in inputs:
            raise ValueError(f"missing graph input {name!r}")
        x = np.asarray(inputs[name], dtype=np.float32)
        expected = graph.tensor(name).shape[1:]
        if x.ndim != len(expected) + 1 or tuple(x.shape[1:]) != tuple(expected):
            raise ValueError(f"input {name!r} has shape {x.shape}, expected (batch, {', '.join(map(str, expected))})")
        values[name] = x
    for t in graph.constants():
        values[t.name] = np.asarray(t.data, dtype=np.float32)
    last_use: dict[str, int] = {}
    for i, op in enumerate(graph.ops):
        for name in op.inputs:
            last_use[name] = i
    keep = set(graph.outputs)
    for i, op in enumerate(graph.ops):
        out = run_op(op, [values[n] for n in op.inputs]).astype(np.float32, copy=False)
        values[op.outputs[0]] = out
        if not keep_all:
            for name in op.inputs:
                if last_use.get(name) == i and name not in keep and not graph.tensor(name).is_constant:
                    del values[name]
    if keep_all:
        return {n: v for n, v in values.items() if not graph.tensor(n).is_constant}
    return {n: values[n] for n in graph.outputs}


def to_graph_layout(x: np.ndarray, layout: str) -> np.ndarray:
    """A batch in torch layout (NCHW, NCL or NF) as the graph reads it (NHWC, N1LC or NF)."""
    x = np.asarray(x, dtype=np.float32)
    if layout == "nchw":
        return x.transpose(0, 2, 3, 1)
    if layout == "ncl":
        return x.transpose(0, 2, 1)[:, None, :, :]
    return x
