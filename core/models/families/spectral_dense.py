"""Spectral features of each sensor window (as Edge Impulse's spectral block: per channel statistics and
log band powers), then a small dense net. The ``orientation`` knob makes the features independent of how
the device is held (see ``edgeling.core.models.signal_features.ORIENTATION_MODES``)."""

from __future__ import annotations

from edgeling.core.models.families import common

ARCH = "spectral_dense"
KINDS = ("timeseries",)
REFERENCE_ONLY = False
DESCRIPTION = ("Frequency summary + small network: describes each window by its strength in a few frequency "
               "bands (in a way that does not depend on how the sensor is mounted), then a tiny network "
               "decides; very small and fast.")


def default_knobs(spec) -> dict:
    return {"width": 20, "depth": 2, "n_bands": 8, "orientation": common.default_orientation(spec),
            "highpass_hz": None, "lowpass_hz": None, "dropout": 0.1}


def size_grid(spec) -> list[dict]:
    grid = [{"width": w, "depth": d, "n_bands": b} for w, d, b in
            ((8, 1, 8), (16, 1, 8), (20, 2, 8), (32, 2, 16), (64, 2, 16), (128, 3, 16))]
    return common.ordered(grid, lambda k: k["n_bands"] * k["width"] + k["depth"] * k["width"] ** 2)


def hidden_widths(knobs: dict) -> list[int]:
    """Each hidden layer half as wide as the one before (at least 4 units)."""
    return [max(int(knobs["width"]) >> i, 4) for i in range(int(knobs["depth"]))]


def frontend_options(spec, knobs: dict) -> dict:
    return {"type": "spectral", **{k: knobs[k] for k in ("n_bands", "orientation", "highpass_hz",
                                                          "lowpass_hz")}}


def build(spec, knobs: dict, input_shape: tuple):
    from edgeling.core.models.families import layers

    (features,) = input_shape
    return layers.dense_stack(features, hidden_widths(knobs), spec.num_outputs, float(knobs["dropout"]))
