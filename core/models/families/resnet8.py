"""ResNet-8, the MLPerf Tiny image classification model: conv 16 -> three residual stacks (16, 32, 64,
the last two halving the size with a 1x1 shortcut conv) -> global average pool -> dense.

On 32x32x3 CIFAR-10 at width 16 it has about 78k parameters and 12.5M MACs (MLPerf Tiny
``benchmark/training/image_classification/keras_model.py``; Silicon Labs MLTK table in
/work/shared/reference/device-numbers.md). ``width`` is the first stack's channel count.
"""

from __future__ import annotations

from edgeling.core.models.families import common

ARCH = "resnet8"
KINDS = ("images",)
REFERENCE_ONLY = False
DESCRIPTION = ("ResNet-8: the small residual picture model of the MLPerf Tiny benchmark; accurate on "
               "small colour pictures (about 32x32) and still fits a microcontroller.")


def default_knobs(spec) -> dict:
    return {"width": 16, "resolution": common.default_resolution(spec, 32)}


def size_grid(spec) -> list[dict]:
    grid = [{"width": w, "resolution": r} for w in (8, 16, 24, 32)
            for r in common.image_resolutions(spec, minimum=16, count=2)]
    return common.ordered(grid, lambda k: _macs(spec, k))


def _macs(spec, k: dict) -> float:
    r, w = k["resolution"], k["width"]
    return r * r * (27 * w + 2 * 9 * w * w) + (r / 2) ** 2 * 6 * 9 * w * w + (r / 4) ** 2 * 6 * 9 * 4 * w * w


def frontend_options(spec, knobs: dict) -> dict:
    return common.image_frontend(knobs)


def build(spec, knobs: dict, input_shape: tuple):
    from torch import nn

    from edgeling.core.models.families import layers
    from edgeling.core.models.families.layers import ResidualStack

    c, h, w = input_shape
    width = int(knobs["width"])
    stem = layers.ConvBNAct(c, width, 3, 1, (h, w))
    s1 = ResidualStack(width, width, 1, stem.out_hw)
    s2 = ResidualStack(width, 2 * width, 2, s1.out_hw)
    s3 = ResidualStack(2 * width, 4 * width, 2, s2.out_hw)
    return nn.Sequential(stem, s1, s2, s3, layers.Head(4 * width, spec.num_outputs))
