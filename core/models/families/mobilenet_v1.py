"""MobileNetV1: a 3x3 conv then depthwise-separable blocks, width multiplier ``alpha``.

The MLPerf Tiny visual wake words model is MobileNetV1 alpha 0.25 at 96x96x3 with 2 classes (about
211k parameters and 7.5M MACs, Silicon Labs MLTK table in /work/shared/reference/device-numbers.md).
``repeats`` is the depth knob: how many of the five 512-channel (x alpha) blocks are kept.
"""

from __future__ import annotations

from edgeling.core.models.families import common

ARCH = "mobilenet_v1"
KINDS = ("images",)
REFERENCE_ONLY = False
DESCRIPTION = ("MobileNet V1: an efficient picture model built from cheap separable convolutions; its width "
               "setting trades accuracy for size (0.25 fits a microcontroller camera board).")

# (output channels at alpha 1, stride) of the 13 depthwise-separable blocks; the five 512 blocks repeat
HEAD = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)]
TAIL = [(1024, 2), (1024, 1)]


def default_knobs(spec) -> dict:
    return {"alpha": 0.25, "resolution": common.default_resolution(spec, 96), "repeats": 5, "dropout": 0.1}


def size_grid(spec) -> list[dict]:
    grid = [{"alpha": a, "resolution": r, "repeats": 5} for a in (0.25, 0.5, 0.75, 1.0)
            for r in common.image_resolutions(spec, minimum=32)]
    r0 = common.image_resolutions(spec, minimum=32)[0]
    grid.append({"alpha": 0.25, "resolution": r0, "repeats": 1})
    return common.ordered(grid, lambda k: _macs(spec, k))


def blocks(alpha: float, repeats: int) -> list[tuple[int, int]]:
    cfg = HEAD + [(512, 1)] * int(repeats) + TAIL
    return [(max(int(c * alpha), 8), s) for c, s in cfg]


def _macs(spec, k: dict) -> float:
    size, cin = k["resolution"] / 2, max(int(32 * k["alpha"]), 8)
    total = (size * 2) ** 2 / 4 * 27 * cin
    for cout, s in blocks(k["alpha"], k["repeats"]):
        size = -(-size // s)
        total += size * size * (9 * cin + cin * cout)
        cin = cout
    return total


def frontend_options(spec, knobs: dict) -> dict:
    return common.image_frontend(knobs)


def build(spec, knobs: dict, input_shape: tuple):
    from torch import nn

    from edgeling.core.models.families import layers

    c, h, w = input_shape
    alpha = float(knobs["alpha"])
    first = max(int(32 * alpha), 8)
    stem = layers.ConvBNAct(c, first, 3, 2, (h, w))
    body, hw, cin = [stem], stem.out_hw, first
    for cout, stride in blocks(alpha, knobs["repeats"]):
        block = layers.DepthwiseSeparable(cin, cout, stride, hw)
        body.append(block)
        hw, cin = block.out_hw, cout
    return nn.Sequential(*body, layers.Head(cin, spec.num_outputs, float(knobs["dropout"])))
