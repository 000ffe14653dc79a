"""Hand-built layer graphs covering every op kind, with the same network written in torch (NCHW) as the
reference. Shared by the export tests."""

from __future__ import annotations

import functools

import numpy as np
import torch
import torch.nn.functional as F

from edgeling.core.models.graph import Graph, Op, Tensor


def _w(rng, *shape, scale=0.4):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def all_ops_graph(seed: int = 0) -> tuple[Graph, dict[str, np.ndarray]]:
    """input [1,8,8,3] -> pad -> conv(relu) -> depthwise(relu6) -> conv 1x1 -> add(relu) -> max_pool -> relu
    -> avg_pool -> relu6 -> conv stride 2 same -> mean(keepdims) -> reshape -> dense(relu) -> dense -> softmax"""
    rng = np.random.default_rng(seed)
    p = {"c1w": _w(rng, 4, 3, 3, 3), "c1b": _w(rng, 4, scale=0.1),
         "dww": _w(rng, 1, 3, 3, 4), "dwb": _w(rng, 4, scale=0.1),
         "c2w": _w(rng, 4, 1, 1, 4), "c2b": _w(rng, 4, scale=0.1),
         "c3w": _w(rng, 8, 3, 3, 4), "c3b": _w(rng, 8, scale=0.1),
         "d1w": _w(rng, 6, 8), "d1b": _w(rng, 6, scale=0.1),
         "d2w": _w(rng, 5, 6), "d2b": _w(rng, 5, scale=0.1)}
    t = {}

    def act(name, shape):
        t[name] = Tensor(name, shape)

    for k, v in p.items():
        t[k] = Tensor(k, v.shape, data=v)
    for name, shape in [("x", (1, 8, 8, 3)), ("padded", (1, 10, 10, 3)), ("c1", (1, 8, 8, 4)),
                        ("dw", (1, 8, 8, 4)), ("c2", (1, 8, 8, 4)), ("sum", (1, 8, 8, 4)),
                        ("mp", (1, 4, 4, 4)), ("r1", (1, 4, 4, 4)), ("ap", (1, 3, 3, 4)),
                        ("r6", (1, 3, 3, 4)), ("c3", (1, 2, 2, 8)), ("mean", (1, 1, 1, 8)),
                        ("flat", (1, 8)), ("d1", (1, 6)), ("logits", (1, 5)), ("probs", (1, 5))]:
        act(name, shape)
    ops = [
        Op("pad", ["x"], ["padded"], {"pads": ((1, 1), (1, 1))}),
        Op("conv2d", ["padded", "c1w", "c1b"], ["c1"], {"stride": (1, 1), "dilation": (1, 1),
                                                       "padding": "valid", "activation": "relu"}),
        Op("depthwise_conv2d", ["c1", "dww", "dwb"], ["dw"],
           {"stride": (1, 1), "dilation": (1, 1), "padding": "same", "activation": "relu6",
            "depth_multiplier": 1}),
        Op("conv2d", ["dw", "c2w", "c2b"], ["c2"], {"padding": "same", "activation": "none"}),
        Op("add", ["c1", "c2"], ["sum"], {"activation": "relu"}),
        Op("max_pool2d", ["sum"], ["mp"], {"kernel": (2, 2), "stride": (2, 2), "padding": "valid"}),
        Op("relu", ["mp"], ["r1"]),
        Op("avg_pool2d", ["r1"], ["ap"], {"kernel": (2, 2), "stride": (1, 1), "padding": "valid"}),
        Op("relu6", ["ap"], ["r6"]),
        Op("conv2d", ["r6", "c3w", "c3b"], ["c3"], {"stride": (2, 2), "padding": "same", "activation": "none"}),
        Op("mean", ["c3"], ["mean"], {"axes": (1, 2), "keepdims": True}),
        Op("reshape", ["mean"], ["flat"], {"new_shape": (1, 8)}),
        Op("dense", ["flat", "d1w", "d1b"], ["d1"], {"activation": "relu"}),
        Op("dense", ["d1", "d2w", "d2b"], ["logits"], {"activation": "none"}),
        Op("softmax", ["logits"], ["probs"], {"beta": 1.0}),
    ]
    g = Graph(t, ops, ["x"], ["probs"])
    g.validate()
    return g, p


def all_ops_torch(p: dict[str, np.ndarray], x_nchw: torch.Tensor, logits: bool = False) -> torch.Tensor:
    """The same network as ``all_ops_graph`` in torch, NCHW."""
    def conv_w(w):  # [out, kh, kw, in] -> [out, in, kh, kw]
        return torch.from_numpy(w).permute(0, 3, 1, 2)

    def b(name):
        return torch.from_numpy(p[name])

    y = F.pad(x_nchw, (1, 1, 1, 1))
    c1 = F.relu(F.conv2d(y, conv_w(p["c1w"]), b("c1b")))
    dw = torch.clamp(F.conv2d(c1, torch.from_numpy(p["dww"]).permute(3, 0, 1, 2), b("dwb"), padding=1,
                              groups=4), 0, 6)
    c2 = F.conv2d(dw, conv_w(p["c2w"]), b("c2b"))
    s = F.relu(c1 + c2)
    r1 = F.relu(F.max_pool2d(s, 2, 2))
    r6 = torch.clamp(F.avg_pool2d(r1, 2, 1), 0, 6)
    c3 = F.conv2d(F.pad(r6, (1, 1, 1, 1)), conv_w(p["c3w"]), b("c3b"), stride=2)
    m = c3.mean(dim=(2, 3))
    d1 = F.relu(F.linear(m, torch.from_numpy(p["d1w"]), b("d1b")))
    out = F.linear(d1, torch.from_numpy(p["d2w"]), b("d2b"))
    return out if logits else F.softmax(out, dim=1)


def separable_images(n: int, seed: int = 0, classes: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """(n, 3, 8, 8) float images whose class sets a spatial pattern, plus noise; labels (n,)."""
    rng = np.random.default_rng(seed)
    patterns = np.random.default_rng(123).normal(0, 1, (classes, 3, 8, 8)).astype(np.float32)
    y = rng.integers(0, classes, n)
    x = patterns[y] + rng.normal(0, 1.5, (n, 3, 8, 8)).astype(np.float32)
    return x.astype(np.float32), y.astype(np.int64)


def tiny_cnn(classes: int = 3) -> torch.nn.Module:
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
        nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.BatchNorm2d(8), nn.ReLU6(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 12, 1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(12, classes))


@functools.lru_cache(maxsize=2)
def train_tiny_cnn(seed: int = 0, steps: int = 40) -> tuple[torch.nn.Module, np.ndarray, np.ndarray, np.ndarray]:
    """A tiny CNN trained for a few steps on separable images: (model, x_train, x_test, y_test).
    Cached: the export tests share one trained model (they only read it)."""
    torch.manual_seed(seed)
    x, y = separable_images(400, seed)
    x_train, y_train, x_test, y_test = x[:250], y[:250], x[250:], y[250:]
    model = tiny_cnn()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    model.train()
    for step in range(steps):
        idx = torch.from_numpy(np.random.default_rng(step).integers(0, len(xt), 32))
        opt.zero_grad()
        F.cross_entropy(model(xt[idx]), yt[idx]).backward()
        opt.step()
    return model.eval(), x_train, x_test, y_test
