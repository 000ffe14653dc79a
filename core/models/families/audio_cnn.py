"""A small 2-D CNN on log-mel frames: three conv + BN + ReLU stages (max-pool after the first two),
global average pool, dense."""

from __future__ import annotations

from edgeling.core.models.families import common
from edgeling.core.models.families.ds_cnn import audio_frontend

ARCH = "audio_cnn"
KINDS = ("audio",)
REFERENCE_ONLY = False
DESCRIPTION = ("A small sound model: turns each clip into a sound picture (log-mel spectrogram) and reads it "
               "with three convolution layers.")


def default_knobs(spec) -> dict:
    return {"width": 16, "features": "logmel", "n_mels": 32, "n_mfcc": 10, "win_ms": 32.0, "hop_ms": 16.0,
            "n_fft": None, "mel_scale": "htk", "dropout": 0.2}


def size_grid(spec) -> list[dict]:
    grid = [{"width": w} for w in (4, 8, 16, 24, 32, 48)]
    return common.ordered(grid, lambda k: k["width"])


def frontend_options(spec, knobs: dict) -> dict:
    return audio_frontend(knobs)


def build(spec, knobs: dict, input_shape: tuple):
    from torch import nn

    from edgeling.core.models.families import layers

    c, h, w = input_shape
    width = int(knobs["width"])
    conv1 = layers.ConvBNAct(c, width, 3, 1, (h, w))
    pool1, hw = layers.halving_pool(conv1.out_hw)
    conv2 = layers.ConvBNAct(width, 2 * width, 3, 1, hw)
    pool2, hw = layers.halving_pool(conv2.out_hw)
    conv3 = layers.ConvBNAct(2 * width, 4 * width, 3, 1, hw)
    return nn.Sequential(conv1, pool1, conv2, pool2, conv3,
                         layers.Head(4 * width, spec.num_outputs, float(knobs["dropout"])))
