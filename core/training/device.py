"""Where training runs: CUDA or Apple MPS when present, the CPU otherwise; torch threads for the machine."""

from __future__ import annotations

import os


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def set_threads(num_threads: int | None = None) -> int:
    """Use every core this process may run on (or ``num_threads``) for torch's intra-op pool."""
    import torch

    n = int(num_threads or os.environ.get("EDGELING_THREADS") or usable_cores())
    torch.set_num_threads(n)
    return n


def pick_device(prefer: str | None = None):
    """``prefer`` "cpu" / "cuda" / "mps" or None for the best present."""
    import torch

    if prefer:
        return torch.device(prefer)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int, deterministic: bool = True):
    """Seed torch's global RNG (weight init, dropout) and return a generator for shuffling and
    augmentation. Deterministic algorithms are switched on where that is cheap (warn-only)."""
    import torch

    torch.manual_seed(seed)
    if deterministic:
        torch.use_deterministic_algorithms(True, warn_only=True)
    gen = torch.Generator()
    gen.manual_seed(seed)
    return gen
