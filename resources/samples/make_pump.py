"""Write resources/samples/pump/: SYNTHESISED accelerometer recordings of a centrifugal pump.

Three classes, one folder each, one CSV per recording with columns ``timestamp,x,y,z`` (timestamp in
milliseconds from the logger's clock, like Arduino's millis(); x/y/z in g), 100 samples per second,
10-12 s per recording, 8 recordings per class. Shaped like user 2 in the reference users.

The physics, in the pump's own frame (radial axes a/b, shaft axis c):
- every recording: gravity (1 g), a rotating unbalance force at the shaft speed (14-19 Hz, drifting
  slightly), a 2x harmonic (misalignment), a little shaft-axial vibration and sensor noise;
- ``normal``: only that;
- ``cavitation``: collapsing vapour bubbles: bursts of broadband noise (50-300 ms, 0.5-3 per second) on all
  axes, a raised noise floor and a slowly wandering amplitude of the shaft tone;
- ``loose_mount``: a loose foot: strong sub-harmonic (0.5x) and 1.5x components, more 1x and 2x, and an
  impact once per revolution or every other one (a ringing of the mount at 30-40 Hz that dies away),
  mostly along one radial direction.
Each recording then gets a random 3-D rotation (the sensor is mounted at a different angle on each pump),
so a model must not depend on how the sensor is held. Nothing here was measured on a real pump.

Run: python resources/samples/make_pump.py   (deterministic; rewrites the folder)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "pump"
RATE = 100.0
PER_CLASS = 8
CLASSES = ("normal", "cavitation", "loose_mount")
SEED = 2


def random_rotation(rng: np.random.Generator) -> np.ndarray:
    """A uniformly random 3-D rotation matrix (QR of a Gaussian matrix, signs fixed, det +1)."""
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q = q * np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return q


def ring(n: int, freq: float, decay_s: float) -> np.ndarray:
    t = np.arange(n) / RATE
    return np.sin(2 * np.pi * freq * t) * np.exp(-t / decay_s)


def recording(kind: str, rng: np.random.Generator) -> np.ndarray:
    """(L, 3) acceleration in g in the sensor's frame."""
    n = int(rng.uniform(10, 12) * RATE)
    t = np.arange(n) / RATE
    f0 = rng.uniform(14, 19)
    freq = f0 * (1 + 0.004 * np.sin(2 * np.pi * rng.uniform(0.05, 0.2) * t + rng.uniform(0, 6.3)))
    phase = 2 * np.pi * np.cumsum(freq) / RATE + rng.uniform(0, 6.3)
    unbalance = rng.uniform(0.03, 0.06)
    amp = np.full(n, unbalance)
    acc = np.zeros((n, 3))
    acc[:, 2] += 1.0  # gravity along the pump's vertical
    noise = 0.01
    if kind == "cavitation":
        amp = amp * (1 + 0.3 * np.sin(2 * np.pi * rng.uniform(0.2, 0.6) * t + rng.uniform(0, 6.3)))
        noise = 0.025
        k = 0
        while True:
            k += int(rng.exponential(RATE / rng.uniform(0.5, 3)))
            if k >= n:
                break
            length = min(n - k, int(rng.uniform(0.05, 0.3) * RATE))
            burst = rng.normal(size=(length, 3)) * rng.uniform(0.04, 0.15)
            burst[1:] -= 0.6 * burst[:-1].copy()  # tilt towards high frequencies
            acc[k:k + length] += burst * np.hanning(length)[:, None]
            k += length
    acc[:, 0] += amp * np.cos(phase) + 0.015 * np.cos(2 * phase + 0.7)
    acc[:, 1] += amp * np.sin(phase) + 0.015 * np.sin(2 * phase + 0.7)
    acc[:, 2] += 0.01 * np.sin(phase + 1.3)
    if kind == "loose_mount":
        direction = np.array([np.cos(a := rng.uniform(0, 6.3)), np.sin(a), 0.2])
        direction /= np.linalg.norm(direction)
        wobble = (rng.uniform(0.03, 0.1) * np.sin(0.5 * phase + rng.uniform(0, 6.3))
                  + 0.04 * np.sin(1.5 * phase) + 0.05 * np.cos(phase) + 0.03 * np.cos(2 * phase))
        acc += wobble[:, None] * direction
        every = int(rng.choice([1, 2]))
        hits = np.flatnonzero(np.diff(np.floor(phase / (2 * np.pi * every))) > 0) + 1
        shape = ring(int(0.25 * RATE), rng.uniform(30, 40), rng.uniform(0.03, 0.06))
        for h in hits:
            m = min(len(shape), n - h)
            acc[h:h + m] += rng.uniform(0.08, 0.3) * shape[:m, None] * direction
    acc += rng.normal(scale=noise, size=acc.shape)
    return acc @ random_rotation(rng).T


def main() -> None:
    rng = np.random.default_rng(SEED)
    if OUT.exists():
        shutil.rmtree(OUT)
    total = 0
    for kind in CLASSES:
        (OUT / kind).mkdir(parents=True)
        for i in range(PER_CLASS):
            acc = recording(kind, rng)
            start = int(rng.integers(10_000, 900_000))
            stamps = start + np.round(np.arange(len(acc)) * 1000 / RATE).astype(np.int64)
            lines = ["timestamp,x,y,z"] + [f"{s},{a:.3f},{b:.3f},{c:.3f}" for s, (a, b, c) in zip(stamps, acc)]
            path = OUT / kind / f"{kind}_{i + 1:02d}.csv"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            total += path.stat().st_size
    print(f"wrote {len(CLASSES) * PER_CLASS} recordings to {OUT} ({total // 1024} KB)")


if __name__ == "__main__":
    main()
