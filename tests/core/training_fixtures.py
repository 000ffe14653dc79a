"""Test helpers for training: a tiny table of data, and a tiny model zoo with the same API as
``edgeling.core.models.zoo`` (pass ``zoo=ZOO`` to the train job), for fast tests.

``tiny_mlp``: flatten -> standardise -> Linear(hidden) -> ReLU -> Linear. Knob ``nan_after`` makes the
network output NaN after that many training forward passes (to test the NaN guard); ``step_sleep`` slows
each training step (to test Stop and kill mid-epoch)."""

from __future__ import annotations

import time

import numpy as np

from edgeling.core.models.zoo import InputSpec  # noqa: F401 - part of the zoo API

ZOO = "tests.core.training_fixtures"
KNOBS = {"hidden": 16, "nan_after": 0, "step_sleep": 0.0}


def architectures_for(kind: str) -> list[str]:
    return ["tiny_mlp"]


def default_knobs(arch: str, spec) -> dict:
    return dict(KNOBS)


def resolve_knobs(arch: str, spec, knobs: dict | None) -> dict:
    return {**KNOBS, **(knobs or {})}


def fit_frontend(arch: str, spec, x_train: np.ndarray, knobs: dict) -> dict:
    flat = np.asarray(x_train, np.float64).reshape(len(x_train), -1)
    return {"type": "tiny", "mean": flat.mean(0).tolist(), "std": np.maximum(flat.std(0), 1e-6).tolist()}


def apply_frontend(frontend: dict, x: np.ndarray) -> np.ndarray:
    flat = np.asarray(x, np.float64).reshape(len(x), -1)
    return ((flat - np.asarray(frontend["mean"])) / np.asarray(frontend["std"])).astype(np.float32)


def network_input_shape(frontend: dict, spec) -> tuple:
    return (len(frontend["mean"]),)


def build_model(arch: str, spec, knobs: dict, frontend: dict):
    import torch

    k = {**KNOBS, **knobs}

    class TinyMLP(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = torch.nn.Sequential(torch.nn.Linear(len(frontend["mean"]), k["hidden"]),
                                            torch.nn.ReLU(), torch.nn.Linear(k["hidden"], spec.num_outputs))
            self.calls = 0

        def forward(self, x):
            out = self.body(x)
            if self.training:
                self.calls += 1
                if k["step_sleep"]:
                    time.sleep(k["step_sleep"])
                if k["nan_after"] and self.calls > k["nan_after"]:
                    out = out * float("nan")
            return out

    return TinyMLP()


def make_table_csv(path, n: int = 240, seed: int = 0, classes=("low", "mid", "high")):
    """A CSV of ``n`` rows: two informative numbers, one noise column, and a class label (last column)."""
    rng = np.random.default_rng(seed)
    k = len(classes)
    y = rng.integers(0, k, n)
    centres = np.stack([np.cos(2 * np.pi * np.arange(k) / k), np.sin(2 * np.pi * np.arange(k) / k)], 1) * 2
    xy = centres[y] + rng.normal(0, 0.5, (n, 2))
    noise = rng.normal(0, 1, n)
    lines = ["a,b,noise,label"] + [f"{xy[i, 0]:.5f},{xy[i, 1]:.5f},{noise[i]:.5f},{classes[y[i]]}" for i in range(n)]
    path.write_text("\n".join(lines) + "\n")
    return path
