"""The small CNN of the classic PyTorch image tutorials: two conv + ReLU + max-pool stages, one dense."""

from __future__ import annotations

from edgeling.core.models.families import common

ARCH = "tutorial_cnn"
KINDS = ("images",)
REFERENCE_ONLY = False
DESCRIPTION = ("A small, fast picture model: two convolution layers that look for simple shapes, then one "
               "layer that decides; good for simple pictures and the smallest boards.")


def default_knobs(spec) -> dict:
    return {"width": 8, "resolution": common.default_resolution(spec, 48)}


def size_grid(spec) -> list[dict]:
    grid = [{"width": w, "resolution": r} for w in (4, 8, 16, 32) for r in common.image_resolutions(spec)]
    return common.ordered(grid, lambda k: _macs(spec, k))


def _macs(spec, k: dict) -> float:
    r, w, c = k["resolution"], k["width"], spec.sample_shape[2]
    return r * r * 9 * c * w + (r / 2) ** 2 * 9 * w * 2 * w + (r / 4) ** 2 * 2 * w * spec.num_outputs


def frontend_options(spec, knobs: dict) -> dict:
    return common.image_frontend(knobs)


def build(spec, knobs: dict, input_shape: tuple):
    from torch import nn

    from edgeling.core.models.families import layers

    c, h, w = input_shape
    width = int(knobs["width"])
    conv1 = layers.same_conv(c, width, 3, 1, (h, w), bias=True)
    pool1, hw = layers.halving_pool((h, w))
    conv2 = layers.same_conv(width, 2 * width, 3, 1, hw, bias=True)
    pool2, hw = layers.halving_pool(hw)
    return nn.Sequential(
        conv1, nn.ReLU(), pool1,
        conv2, nn.ReLU(), pool2,
        nn.Flatten(), nn.Linear(2 * width * hw[0] * hw[1], spec.num_outputs),
    )
