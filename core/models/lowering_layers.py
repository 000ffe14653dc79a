"""The per-layer rules of ``lowering.lower``: weights in TFLite layout, padding, BN folding, pooling, flatten.

Each function takes the ``_Lowerer`` walking the traced model and the fx node being lowered.
"""

from __future__ import annotations

import math

import numpy as np
import torch.nn as nn

from edgeling.core.models.lowering import LoweringError


def _np(t) -> np.ndarray:
    return t.detach().cpu().numpy().astype(np.float32)


# ---- padding ------------------------------------------------------------------------------------------
def same_padding(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int, int]:
    """TFLite SAME: (out, pad_before, pad_after)."""
    k_eff = dilation * (kernel - 1) + 1
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + k_eff - size, 0)
    return out, total // 2, total - total // 2


def valid_out(size: int, kernel: int, stride: int, dilation: int = 1) -> int:
    k_eff = dilation * (kernel - 1) + 1
    return (size - k_eff) // stride + 1 if size >= k_eff else 0


def choose_padding(sizes, kernels, strides, dilations, pads, outs, zero_pad_ok=True):
    """Pick TFLite padding for a layer torch pads by ``pads`` (symmetric, per spatial dim) giving ``outs``.

    Returns ("same" | "valid", explicit_pads or None). ``explicit_pads`` are ((top, bottom), (left, right))
    zeros for a ``pad`` op before a "valid" layer."""
    options = []
    for size, k, s, d, p, o in zip(sizes, kernels, strides, dilations, pads, outs):
        ok = set()
        if p == 0 and valid_out(size, k, s, d) == o:
            ok.add("valid")
        s_out, s_before, _ = same_padding(size, k, s, d)
        if s_out == o and s_before == p:
            ok.add("same")
        options.append(ok)
    common = set.intersection(*options)
    if common:
        return ("valid" if "valid" in common else "same"), None
    if not zero_pad_ok:
        return None, None
    explicit = tuple((p, p) for p in pads)
    for size, k, s, d, p, o in zip(sizes, kernels, strides, dilations, pads, outs):
        if valid_out(size + 2 * p, k, s, d) != o:
            return None, None
    return "valid", explicit


def _emit_pad(lw, node, value, pads):
    """A zero ``pad`` op on the NHWC tensor ``value``; returns the padded tensor's name."""
    from edgeling.core.models.graph import Tensor

    src = lw.tensors[value.name]
    n, h, w, c = src.shape
    (t, b), (left, r) = pads
    name = f"{node.name}_pad"
    lw.tensors[name] = Tensor(name, (n, h + t + b, w + left + r, c))
    from edgeling.core.models.graph import Op

    op = Op("pad", [value.name], [name], {"pads": ((t, b), (left, r))}, name=f"{lw._op_name(node)}/pad")
    lw.ops.append(op)
    lw.producer[name] = op
    return name


def _spatial(lw, node, value, m_kernel, m_stride, m_pad, m_dil, two_d):
    """Input sizes and the per-dim (kernel, stride, pad, dilation, out) for a conv or pool."""
    in_shape = lw.tensors[value.name].shape  # NHWC
    out_torch = lw._shape(node)
    if two_d:
        ks, ss, ps, ds = (tuple(x) if isinstance(x, (tuple, list)) else (x, x)
                          for x in (m_kernel, m_stride, m_pad, m_dil))
        outs = out_torch[2:4]
    else:
        def one(x):
            return x[0] if isinstance(x, (tuple, list)) else x

        ks, ss, ps, ds = (1, one(m_kernel)), (1, one(m_stride)), (0, one(m_pad)), (1, one(m_dil))
        outs = (1, out_torch[2])
    return in_shape[1:3], ks, ss, ps, ds, outs


def _fuse_preceding_pad(lw, value, ks, ss, ds):
    """If ``value`` comes from a zero ``pad`` op (read only here) whose pads are exactly TFLite's SAME pads
    for this conv, drop that op and return its input: the conv becomes a "same" conv."""
    op = lw._fusable(value)
    if op is None or op.kind != "pad":
        return None
    src = lw.pad_sources.get(value.name)
    h, w = lw.tensors[src.name].shape[1:3]
    want = (same_padding(h, ks[0], ss[0], ds[0])[1:], same_padding(w, ks[1], ss[1], ds[1])[1:])
    if tuple(tuple(p) for p in op.attrs["pads"]) != want:
        return None
    lw.ops.remove(op)
    del lw.producer[value.name]
    return src


def zero_pad(lw, node, padding) -> None:
    """nn.ZeroPad2d / F.pad with zeros on a 4-D tensor: torch order (left, right, top, bottom)."""
    value = lw._input(node)
    lw._require_unpermuted(node, value)
    pads = (padding,) * 4 if isinstance(padding, int) else tuple(int(p) for p in padding)
    if value.layout != "nchw" or len(pads) != 4 or min(pads) < 0:
        raise LoweringError(f"layer {lw._label(node)}: only zero padding of the two spatial dimensions of an "
                            "image-shaped tensor exports")
    left, right, top, bottom = pads
    out = lw._emit(node, "pad", [value.name], {"pads": ((top, bottom), (left, right))})
    lw.pad_sources[out.name] = value


# ---- conv / dense -------------------------------------------------------------------------------------
def conv(lw, node, m: nn.Conv1d | nn.Conv2d) -> None:
    value = lw._input(node)
    lw._require_unpermuted(node, value)
    two_d = isinstance(m, nn.Conv2d)
    if m.padding_mode != "zeros":
        raise LoweringError(f"layer {lw._label(node)} pads with {m.padding_mode!r}; only zero padding exports")
    pad = m.padding
    if isinstance(pad, str):
        if pad == "valid":
            pad = (0, 0) if two_d else (0,)
        else:  # torch "same" (stride 1): torch puts the extra pixel after, like TFLite
            k_eff = [d * (k - 1) + 1 for k, d in zip(m.kernel_size, m.dilation)]
            if any((k - 1) % 2 for k in k_eff):
                raise LoweringError(f"layer {lw._label(node)} uses padding='same' with an even kernel; "
                                    "use an odd kernel size or a number for padding")
            pad = tuple((k - 1) // 2 for k in k_eff)
    sizes, ks, ss, ps, ds, outs = _spatial(lw, node, value, m.kernel_size, m.stride, pad, m.dilation, two_d)
    padding, explicit = choose_padding(sizes, ks, ss, ds, ps, outs)
    if padding == "valid" and explicit is None and all(p == 0 for p in ps):
        value = _fuse_preceding_pad(lw, value, ks, ss, ds) or value
        if value.name != lw._input(node).name:
            padding = "same"
    if padding is None:
        raise LoweringError(f"layer {lw._label(node)} has a padding the exported runtimes cannot express")
    x = _emit_pad(lw, node, value, explicit) if explicit else value.name
    w = _np(m.weight)
    if not two_d:
        w = w[:, :, None, :]  # (out, in/groups, 1, k)
    out_c, in_per_group = w.shape[0], w.shape[1]
    in_c = in_per_group * m.groups
    bias = _np(m.bias) if m.bias is not None else np.zeros(out_c, np.float32)
    attrs = {"stride": tuple(ss), "dilation": tuple(ds), "padding": padding, "activation": "none"}
    if m.groups == 1:
        wname = lw._const(f"{node.name}_weight", w.transpose(0, 2, 3, 1))  # [out, kh, kw, in]
        kind = "conv2d"
    elif m.groups == in_c and in_per_group == 1:
        wname = lw._const(f"{node.name}_weight", w.transpose(1, 2, 3, 0))  # [1, kh, kw, out]
        kind = "depthwise_conv2d"
        attrs["depth_multiplier"] = out_c // in_c
    else:
        raise LoweringError(f"layer {lw._label(node)} is a grouped convolution (groups={m.groups}); only "
                            "ordinary and depthwise convolutions export")
    bname = lw._const(f"{node.name}_bias", bias)
    lw._emit(node, kind, [x, wname, bname], attrs)


def dense(lw, node, weight, bias) -> None:
    value = lw._input(node)
    if value.layout != "flat":
        raise LoweringError(f"layer {lw._label(node)} (Linear) reads a {value.layout.upper()} tensor; "
                            "flatten or pool it first")
    w = _np(weight)
    if value.perm is not None:
        w = w[:, value.perm]
    b = _np(bias) if bias is not None else np.zeros(w.shape[0], np.float32)
    wname = lw._const(f"{node.name}_weight", w)
    bname = lw._const(f"{node.name}_bias", b)
    lw._emit(node, "dense", [value.name, wname, bname], {"activation": "none"})


def batchnorm(lw, node, m) -> None:
    value = lw._input(node)
    if m.running_mean is None or m.running_var is None:
        raise LoweringError(f"layer {lw._label(node)} keeps no running statistics and cannot be exported")
    scale = _np(m.weight) if m.weight is not None else np.ones(m.num_features, np.float32)
    shift = _np(m.bias) if m.bias is not None else np.zeros(m.num_features, np.float32)
    inv = scale / np.sqrt(_np(m.running_var).astype(np.float64) + m.eps).astype(np.float32)
    beta = shift - _np(m.running_mean) * inv
    op = lw._fusable(value)
    if op is not None and op.kind in ("conv2d", "depthwise_conv2d", "dense") \
            and op.attrs.get("activation") == "none":
        w, b = lw.tensors[op.inputs[1]], lw.tensors[op.inputs[2]]
        if op.kind == "conv2d" or op.kind == "dense":
            w.data = (w.data * inv.reshape((-1,) + (1,) * (w.data.ndim - 1))).astype(np.float32)
        else:
            w.data = (w.data * inv.reshape(1, 1, 1, -1)).astype(np.float32)
        b.data = (b.data * inv + beta).astype(np.float32)
        return lw._alias(node, value)
    if value.layout == "flat":
        raise LoweringError(f"layer {lw._label(node)} (BatchNorm) must follow a Linear or conv layer")
    wname = lw._const(f"{node.name}_weight", inv.reshape(1, 1, 1, -1))
    bname = lw._const(f"{node.name}_bias", beta)
    lw._emit(node, "depthwise_conv2d", [value.name, wname, bname],
             {"stride": (1, 1), "dilation": (1, 1), "padding": "valid", "activation": "none",
              "depth_multiplier": 1})


# ---- pooling and reductions ---------------------------------------------------------------------------
def pool(lw, node, m) -> None:
    value = lw._input(node)
    lw._require_unpermuted(node, value)
    two_d = isinstance(m, (nn.MaxPool2d, nn.AvgPool2d))
    is_max = isinstance(m, (nn.MaxPool1d, nn.MaxPool2d))
    stride = m.stride if m.stride is not None else m.kernel_size
    dil = getattr(m, "dilation", 1)
    if dil not in (1, (1, 1), (1,)):
        raise LoweringError(f"layer {lw._label(node)} uses dilation; pooling exports without it only")
    sizes, ks, ss, ps, ds, outs = _spatial(lw, node, value, m.kernel_size, stride, m.padding, 1, two_d)
    # TFLite SAME pooling leaves padding out (max: -inf, average: not counted). torch max pooling pads
    # with -inf too; torch average pooling counts the zeros unless count_include_pad=False.
    exclude = is_max or not getattr(m, "count_include_pad", True)
    if exclude or all(p == 0 for p in ps):
        padding, explicit = choose_padding(sizes, ks, ss, ds, ps, outs, zero_pad_ok=False)
    else:  # average counting the padded zeros: SAME would not count them, so pad explicitly
        explicit = tuple((p, p) for p in ps)
        fits = all(valid_out(sz + 2 * p, k, s) == o for sz, k, s, p, o in zip(sizes, ks, ss, ps, outs))
        padding = "valid" if fits else None
    if padding is None:
        raise LoweringError(f"layer {lw._label(node)} has a padding / ceil_mode the exported runtimes "
                            "cannot express")
    x = _emit_pad(lw, node, value, explicit) if explicit else value.name
    kind = "max_pool2d" if is_max else "avg_pool2d"
    lw._emit(node, kind, [x], {"kernel": tuple(ks), "stride": tuple(ss), "padding": padding,
                               "activation": "none"})


def adaptive_avg(lw, node) -> None:
    value = lw._input(node)
    lw._require_unpermuted(node, value)
    out = lw._shape(node)
    if any(d != 1 for d in out[2:]):
        raise LoweringError(f"layer {lw._label(node)}: adaptive average pooling exports only to size 1 "
                            "(global average pooling)")
    lw._emit(node, "mean", [value.name], {"axes": (1, 2), "keepdims": True})


def mean(lw, node) -> None:
    value = lw._input(node)
    lw._require_unpermuted(node, value)
    dims = node.kwargs.get("dim", node.args[1] if len(node.args) > 1 else None)
    keep = bool(node.kwargs.get("keepdim", node.args[2] if len(node.args) > 2 else False))
    in_rank = len(lw._shape(node.args[0]))
    dims = tuple(sorted(int(d) % in_rank for d in (dims if isinstance(dims, (tuple, list)) else (dims,))))
    spatial = {"nchw": (2, 3), "ncl": (2,)}.get(value.layout)
    if spatial is None or dims != spatial:
        raise LoweringError(f"layer {lw._label(node)}: mean is supported only over the spatial dimensions "
                            "(global average pooling)")
    lw._emit(node, "mean", [value.name], {"axes": (1, 2), "keepdims": keep})


# ---- reshapes -----------------------------------------------------------------------------------------
def _flatten_to_flat(lw, node, value) -> None:
    """(N, C, H, W) or (N, C, L) -> (N, C*H*W): a reshape, with the CHW -> HWC order remembered."""
    n, h, w, c = lw.tensors[value.name].shape
    if value.perm is not None:
        raise LoweringError(f"layer {lw._label(node)} flattens twice")
    perm = None
    if h * w > 1 and c > 1:
        # graph feature index (hh, ww, cc) holds torch feature cc*H*W + hh*W + ww
        perm = np.arange(c * h * w).reshape(c, h, w).transpose(1, 2, 0).reshape(-1)
    lw._emit(node, "reshape", [value.name], {"new_shape": (1, h * w * c)}, perm=perm)


def flatten(lw, node, start: int, end: int) -> None:
    value = lw._input(node)
    in_rank = len(lw._shape(node.args[0]))
    if end % in_rank != in_rank - 1 or start % in_rank != 1:
        raise LoweringError(f"layer {lw._label(node)}: only flattening everything but the batch exports")
    if value.layout == "flat":
        return lw._alias(node, value)
    _flatten_to_flat(lw, node, value)


def reshape(lw, node) -> None:
    value = lw._input(node)
    out = lw._shape(node)
    if len(out) == 2 and out[1] == int(np.prod(lw._shape(node.args[0])[1:])):
        if value.layout == "flat":
            return lw._alias(node, value)
        return _flatten_to_flat(lw, node, value)
    raise LoweringError(f"layer {lw._label(node)}: only reshapes to (batch, features) export")


def add(lw, node) -> None:
    a, b = node.args[0], node.args[1] if len(node.args) > 1 else node.kwargs.get("other")
    if not all(hasattr(x, "op") and x in lw.values for x in (a, b)) or node.kwargs.get("alpha", 1) != 1:
        raise LoweringError(f"layer {lw._label(node)}: only adding two tensors of the model exports")
    va, vb = lw.values[a], lw.values[b]
    if lw.tensors[va.name].shape != lw.tensors[vb.name].shape:
        raise LoweringError(f"layer {lw._label(node)} adds tensors of different shapes")
    if (va.perm is None) != (vb.perm is None) or (va.perm is not None and not np.array_equal(va.perm, vb.perm)):
        raise LoweringError(f"layer {lw._label(node)} adds flattened feature maps")
    lw._emit(node, "add", [va.name, vb.name], {"activation": "none"}, perm=va.perm)
