"""A multi-layer perceptron for tables. Columns are standardised with training statistics in the front
end (so the network needs no normalisation op); text columns arrive one-hot encoded by the importer."""

from __future__ import annotations

from edgeling.core.models.families import common

ARCH = "mlp"
KINDS = ("table",)
REFERENCE_ONLY = False
DESCRIPTION = "A small fully connected network for tables: each column is scaled, then a few layers decide."


def default_knobs(spec) -> dict:
    return {"width": 32, "depth": 2, "dropout": 0.1}


def size_grid(spec) -> list[dict]:
    grid = [{"width": w, "depth": d} for w, d in ((8, 1), (16, 1), (32, 2), (64, 2), (128, 2), (256, 3))]
    f = spec.sample_shape[0]
    return common.ordered(grid, lambda k: f * k["width"] + k["depth"] * k["width"] ** 2)


def frontend_options(spec, knobs: dict) -> dict:
    return {"type": "table"}


def build(spec, knobs: dict, input_shape: tuple):
    from edgeling.core.models.families import layers

    (features,) = input_shape
    widths = [int(knobs["width"])] * int(knobs["depth"])
    return layers.dense_stack(features, widths, spec.num_outputs, float(knobs["dropout"]))
