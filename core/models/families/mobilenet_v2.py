"""MobileNetV2: inverted residual blocks with linear bottlenecks, width multiplier ``alpha``.

Channel rounding follows the Keras reference (``keras.applications.MobileNetV2``): block widths are
``c * alpha`` rounded to a multiple of 8 (``_div8``); the last 1x1 conv has ``last_channels`` (1280 in the paper; a smaller
value is the knob that makes the tiny variants fit a microcontroller, as Edge Impulse's 0.05 / 0.1 / 0.35
variants for 96x96 and smaller pictures).
"""

from __future__ import annotations

from edgeling.core.models.families import common

ARCH = "mobilenet_v2"
KINDS = ("images",)
REFERENCE_ONLY = False
DESCRIPTION = ("MobileNet V2: a modern efficient picture model with shortcut connections; the most accurate "
               "choice when the board has room for it.")

# (expansion t, channels c at alpha 1, repeats n, first stride s), MobileNetV2 paper table 2
STAGES = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
          (6, 320, 1, 1)]


def _div8(v: float) -> int:
    """The MobileNet rounding rule: a multiple of 8, at least 8, never below 90% of ``v``."""
    new = max(8, int(v + 4) // 8 * 8)
    return new + 8 if new < 0.9 * v else new


def default_knobs(spec) -> dict:
    return {"alpha": 0.35, "resolution": common.default_resolution(spec, 96), "last_channels": 1280,
            "dropout": 0.1}


def size_grid(spec) -> list[dict]:
    res = common.image_resolutions(spec, minimum=32)
    grid = [{"alpha": 0.1, "resolution": res[0], "last_channels": 128}]
    grid += [{"alpha": a, "resolution": r, "last_channels": lc}
             for a, lc in ((0.1, 256), (0.35, 1280), (0.5, 1280), (0.75, 1280), (1.0, 1280)) for r in res]
    return common.ordered(grid, lambda k: _macs(spec, k))


def layout(alpha: float) -> list[tuple[int, int, int]]:
    """(expansion, output channels, stride) of every inverted residual block."""
    out = []
    for t, c, n, s in STAGES:
        for i in range(n):
            out.append((t, _div8(c * alpha), s if i == 0 else 1))
    return out


def _macs(spec, k: dict) -> float:
    size, cin = k["resolution"] / 2, _div8(32 * k["alpha"])
    total = (size * 2) ** 2 / 4 * 27 * cin
    for t, cout, s in layout(k["alpha"]):
        hid = cin * t
        total += size * size * cin * hid * (t != 1)
        size = -(-size // s)
        total += size * size * (9 * hid + hid * cout)
        cin = cout
    return total + size * size * cin * k["last_channels"]


def frontend_options(spec, knobs: dict) -> dict:
    return common.image_frontend(knobs)


def build(spec, knobs: dict, input_shape: tuple):
    from torch import nn

    from edgeling.core.models.families import layers

    c, h, w = input_shape
    alpha = float(knobs["alpha"])
    cin = _div8(32 * alpha)
    stem = layers.ConvBNAct(c, cin, 3, 2, (h, w), act="relu6")
    body, hw = [stem], stem.out_hw
    for t, cout, stride in layout(alpha):
        block = layers.InvertedResidual(cin, cout, stride, t, hw)
        body.append(block)
        hw, cin = block.out_hw, cout
    last = int(knobs["last_channels"])
    body.append(layers.ConvBNAct(cin, last, 1, 1, hw, act="relu6"))
    return nn.Sequential(*body, layers.Head(last, spec.num_outputs, float(knobs["dropout"])))
