"""A small folder of long hive recordings for the GUI's tests (the beekeeper walk): two classes, a few hives, each
recording 15 s or longer, so core cuts them into 1 s clips (``audio_windows``, ``meta["cut"] == CUT``)."""

from __future__ import annotations

import numpy as np
import soundfile as sf

RATE = 8000


def hum(f0: float, seconds: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    x = sum(np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 6)) / k for k in range(1, 4)) * 0.05
    return (x + 0.01 * rng.normal(size=len(t))).astype(np.float32)


def hives(root, count: int = 6, seconds: float = 15.0):
    """``root``/queenright and ``root``/swarming, one recording of each ``count`` hives in each (hive01, ...):
    2 * ``count`` recordings of ``seconds`` s."""
    for c, f0 in (("queenright", 230.0), ("swarming", 300.0)):
        (root / c).mkdir(parents=True, exist_ok=True)
        for k in range(count):
            sf.write(root / c / f"hive{k + 1:02d}_2026-06-14_0800.wav", hum(f0, seconds, k), RATE)
    return root
