"""An untrained model on given samples, for tests of what an export writes (not of what a model learnt)."""

from __future__ import annotations

import numpy as np
import torch

from edgeling.core.models import zoo


def untrained(arch: str, spec, knobs: dict, x: np.ndarray, seed: int = 0):
    """(model in eval mode, its front end fitted on ``x``, the network inputs of ``x``), the weights seeded."""
    torch.manual_seed(seed)
    knobs = zoo.resolve_knobs(arch, spec, knobs)
    frontend = zoo.fit_frontend(arch, spec, x, knobs)
    model = zoo.build_model(arch, spec, knobs, frontend).eval()
    return model, frontend, zoo.apply_frontend(frontend, x)
