"""DS-CNN, the MLPerf Tiny keyword-spotting model: conv 64 (10x4, stride 2) -> four depthwise-separable
blocks of 64 -> global average pool -> dense, on MFCC frames.

On 49x10 MFCC input (1 s at 16 kHz, 40 ms frames every 20 ms, 10 coefficients) with 12 classes it has
about 22.6k parameters after BatchNorm folding (23.2k as torch counts them, BatchNorm included) and 2.66M
MACs (MLPerf Tiny ``benchmark/training/keyword_spotting/keras_model.py``; Silicon Labs MLTK table in
/work/shared/reference/device-numbers.md). ``width`` and ``blocks`` are its size knobs.
"""

from __future__ import annotations

from edgeling.core.models.families import common

ARCH = "ds_cnn"
KINDS = ("audio",)
REFERENCE_ONLY = False
DESCRIPTION = ("DS-CNN: the keyword-spotting model of the MLPerf Tiny benchmark; turns each clip into a "
               "sound picture (MFCC) and reads it with cheap separable convolutions.")


def default_knobs(spec) -> dict:
    return {"width": 64, "blocks": 4, "features": "mfcc", "n_mels": 40, "n_mfcc": 10, "win_ms": 40.0,
            "hop_ms": 20.0, "n_fft": None, "mel_scale": "htk", "dropout": 0.2}


def size_grid(spec) -> list[dict]:
    grid = [{"width": w, "blocks": b} for w, b in ((16, 2), (32, 2), (32, 4), (64, 4), (96, 4), (128, 4),
                                                   (172, 5))]
    return common.ordered(grid, lambda k: k["width"] * 40 + k["blocks"] * (9 * k["width"] + k["width"] ** 2))


def frontend_options(spec, knobs: dict) -> dict:
    return audio_frontend(knobs)


def audio_frontend(knobs: dict) -> dict:
    return {"type": "audio", **{k: knobs[k] for k in ("features", "n_mels", "n_mfcc", "win_ms", "hop_ms",
                                                       "n_fft", "mel_scale")}}


def build(spec, knobs: dict, input_shape: tuple):
    from torch import nn

    from edgeling.core.models.families import layers

    c, h, w = input_shape
    width = int(knobs["width"])
    stem = layers.ConvBNAct(c, width, (10, 4), 2, (h, w))
    body, hw = [stem, nn.Dropout(float(knobs["dropout"]))], stem.out_hw
    for _ in range(int(knobs["blocks"])):
        block = layers.DepthwiseSeparable(width, width, 1, hw)
        body.append(block)
        hw = block.out_hw
    return nn.Sequential(*body, layers.Head(width, spec.num_outputs, 2 * float(knobs["dropout"])))
