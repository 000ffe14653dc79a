"""A 1-D CNN on the raw sensor window, written with Conv2d on (N, C, 1, T) input (kernels 1 x k), so it
lowers to TFLite's 2-D conv with H = 1 as it is: per stage conv + BN + ReLU + max-pool (1 x 2), channels
doubling, then global average pool and dense."""

from __future__ import annotations

from edgeling.core.models.families import common

ARCH = "conv1d"
KINDS = ("timeseries",)
REFERENCE_ONLY = False
DESCRIPTION = ("1-D convolution network: reads the sensor window reading by reading (the exported file takes "
               "the window's values in time order, the channels of a reading together), learning its own "
               "patterns; larger than the frequency summary, often more accurate.")


def default_knobs(spec) -> dict:
    return {"width": 16, "depth": min(3, max_depth(spec)), "kernel": 5, "orientation": common.default_orientation(spec),
            "dropout": 0.1}


def max_depth(spec) -> int:
    t, depth = spec.sample_shape[0], 0
    while t >= 4 and depth < 6:
        t //= 2
        depth += 1
    return max(depth, 1)


def size_grid(spec) -> list[dict]:
    top = max_depth(spec)
    grid = [{"width": w, "depth": min(d, top)} for w, d in ((4, 2), (8, 2), (8, 3), (16, 3), (16, 4), (32, 4))]
    return common.ordered(grid, lambda k: _macs(spec, k))


def _macs(spec, k: dict) -> float:
    t, c = spec.sample_shape[0], spec.sample_shape[-1] + 1   # + a magnitude channel, roughly
    total, cin = 0.0, c
    for i in range(k["depth"]):
        cout = k["width"] << i
        total += t * k.get("kernel", 5) * cin * cout
        t, cin = t // 2, cout
    return total


def frontend_options(spec, knobs: dict) -> dict:
    return {"type": "window", "orientation": knobs["orientation"]}


def build(spec, knobs: dict, input_shape: tuple):
    from torch import nn

    from edgeling.core.models.families import layers

    c, _, t = input_shape
    width, kernel = int(knobs["width"]), int(knobs["kernel"])
    body, hw, cin = [], (1, t), c
    for i in range(int(knobs["depth"])):
        conv = layers.ConvBNAct(cin, width << i, (1, kernel), 1, hw)
        pool, hw = layers.halving_pool(conv.out_hw)
        body += [conv, pool]
        cin = width << i
    return nn.Sequential(*body, layers.Head(cin, spec.num_outputs, float(knobs["dropout"])))
