"""Activation ranges for int8 calibration: run the float graph on calibration samples with the numpy
reference executor (``edgeling.core.models.reference.run_graph``, keep_all=True) and record, for every
activation tensor, the smallest and largest value seen. Numpy only, so it works on every OS."""

from __future__ import annotations

import numpy as np

from edgeling.core.export.errors import ExportError
from edgeling.core.models.graph import Graph

BATCH = 64


def activation_ranges(graph: Graph, samples: np.ndarray) -> dict[str, tuple[float, float]]:
    """``{tensor name: (min, max)}`` over ``samples`` (graph layout, batch first)."""
    from edgeling.core.models.reference import run_graph

    samples = np.asarray(samples, np.float32)
    in_name = graph.inputs[0]
    in_shape = tuple(graph.tensor(in_name).shape)
    if samples.ndim != len(in_shape) or samples.shape[1:] != in_shape[1:]:
        raise ExportError(f"Calibration samples have shape {samples.shape[1:]}, the network expects "
                          f"{in_shape[1:]} (channels-last).")
    ranges: dict[str, tuple[float, float]] = {}
    for i in range(0, len(samples), BATCH):
        values = run_graph(graph, {in_name: samples[i:i + BATCH]}, keep_all=True)
        for name, value in values.items():
            lo, hi = float(np.min(value)), float(np.max(value))
            if name in ranges:
                lo, hi = min(lo, ranges[name][0]), max(hi, ranges[name][1])
            ranges[name] = (lo, hi)
    return ranges
