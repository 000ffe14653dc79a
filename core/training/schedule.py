"""Learning-rate schedules as plain functions of the global step (their only state is the step count,
so resuming needs nothing but the step)."""

from __future__ import annotations

import math

SCHEDULES = ("cosine", "onecycle", "constant")


def lr_at(step: int, total_steps: int, max_lr: float, kind: str = "cosine", warmup_frac: float = 0.05,
          final_frac: float = 0.01) -> float:
    """Learning rate for optimizer step ``step`` (0-based) out of ``total_steps``.

    - ``cosine``: linear warm-up over ``warmup_frac`` of the steps, then cosine decay to
      ``final_frac * max_lr``.
    - ``onecycle``: Smith's one-cycle: warm-up from ``max_lr / 25`` over 30% of the steps, then cosine
      down to ``max_lr / 1e4``.
    - ``constant``: ``max_lr``.
    """
    total = max(1, int(total_steps))
    s = min(max(0, int(step)), total - 1)
    if kind == "constant":
        return max_lr
    if kind == "onecycle":
        peak = max(1, int(0.3 * total))
        start, end = max_lr / 25.0, max_lr / 1e4
        if s < peak:
            return start + (max_lr - start) * (1 - math.cos(math.pi * s / peak)) / 2
        t = (s - peak) / max(1, total - 1 - peak)
        return end + (max_lr - end) * (1 + math.cos(math.pi * t)) / 2
    if kind != "cosine":
        raise ValueError(f"unknown schedule {kind!r}; choose one of {', '.join(SCHEDULES)}")
    warm = int(warmup_frac * total)
    if s < warm:
        return max_lr * (s + 1) / (warm + 1)
    t = (s - warm) / max(1, total - 1 - warm)
    low = final_frac * max_lr
    return low + (max_lr - low) * (1 + math.cos(math.pi * t)) / 2


def set_lr(optimizer, lr: float) -> None:
    for group in optimizer.param_groups:
        group["lr"] = lr
