"""The MLPerf Tiny anomaly-detection model (reference only, not offered to users): a fully connected
autoencoder 640 -> 128 x4 -> 8 -> 128 x4 -> 640, each hidden layer Dense + BatchNorm + ReLU.

About 266k parameters and 0.26M MACs (MLPerf Tiny ``benchmark/training/anomaly_detection/keras_model.py``;
Silicon Labs MLTK table in /work/shared/reference/device-numbers.md). Its input is a table row of 640
numbers (5 frames x 128 log-mel bins in ToyADMOS); its output is the reconstruction (N, F), not logits.
"""

from __future__ import annotations

ARCH = "fc_autoencoder"
KINDS = ("table",)
REFERENCE_ONLY = True
DESCRIPTION = ("A fully connected autoencoder (the MLPerf Tiny anomaly-detection model); it learns to rebuild "
               "normal inputs and is used to calibrate the device estimates.")


def default_knobs(spec) -> dict:
    return {"width": 128, "depth": 4, "bottleneck": 8}


def size_grid(spec) -> list[dict]:
    return [{"width": 64, "depth": 2, "bottleneck": 8}, {"width": 128, "depth": 4, "bottleneck": 8}]


def frontend_options(spec, knobs: dict) -> dict:
    return {"type": "table"}


def build(spec, knobs: dict, input_shape: tuple):
    from torch import nn

    (features,) = input_shape
    width, depth, neck = int(knobs["width"]), int(knobs["depth"]), int(knobs["bottleneck"])
    sizes = [features] + [width] * depth + [neck] + [width] * depth
    parts: list[nn.Module] = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        parts += [nn.Linear(a, b), nn.BatchNorm1d(b), nn.ReLU()]
    parts.append(nn.Linear(width, features))
    return nn.Sequential(*parts)
