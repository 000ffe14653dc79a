"""Short spoken-word clips named after who says them (child01_1.wav), as a speech-therapy study records them."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def make_clips(root: Path, children: int = 24, words=("ja", "nein", "stopp"), takes: int = 1,
               rate: int = 8000) -> Path:
    """``root/<word>/child07_1.wav``: each child says every word ``takes`` times (0.25 s of a tone per word)."""
    rng = np.random.default_rng(0)
    t = np.arange(int(rate * 0.25)) / rate
    for w, word in enumerate(words):
        (root / word).mkdir(parents=True, exist_ok=True)
        for child in range(1, children + 1):
            for take in range(1, takes + 1):
                tone = 0.4 * np.sin(2 * np.pi * (300 + 200 * w + 5 * child) * t) + rng.normal(0, 0.02, t.size)
                with wave.open(str(root / word / f"child{child:02d}_{take}.wav"), "wb") as f:
                    f.setnchannels(1)
                    f.setsampwidth(2)
                    f.setframerate(rate)
                    f.writeframes((np.clip(tone, -1, 1) * 32767).astype("<i2").tobytes())
    return root
