"""Band-limited resampling in numpy (no scipy): a polyphase windowed-sinc filter.

For rates ``sr_in -> sr_out`` with ``up / down = sr_out / sr_in`` in lowest terms, output sample ``n`` sits
at input position ``n * down / up``. Its value is a weighted sum of the nearby input samples, the weights
being a Kaiser-windowed sinc low-pass whose cut-off is just below the lower of the two Nyquist
frequencies, so tones above the new Nyquist are removed instead of folding back (aliasing). There are only
``up`` distinct fractional positions, so the weights are a small table computed once per rate pair.

With ``ZERO_CROSSINGS = 32`` and a Kaiser beta of 8.6 the stop band is about 80 dB down and the pass band
is flat to about 0.86 of the new Nyquist (6.9 kHz when going to 16 kHz).

``low_pass`` is the same filter alone, for sensor recordings read at a lower rate on a grid of their own
timestamps (``recording.resample``).
"""

from __future__ import annotations

from functools import lru_cache
from math import gcd

import numpy as np

ZERO_CROSSINGS = 32
ROLLOFF = 0.945
KAISER_BETA = 8.6
_CHUNK = 8192


MAX_TABLE_PHASES = 2048   # rates with more distinct phases (e.g. 44101 -> 16000 Hz) compute weights per chunk


def _setup(up: int, down: int) -> tuple[float, int]:
    cutoff = ROLLOFF * min(1.0, up / down)          # relative to the input Nyquist frequency
    return cutoff, int(np.ceil(ZERO_CROSSINGS / cutoff))


def _weights(frac: np.ndarray, cutoff: float, half: int) -> np.ndarray:
    """Filter weights ``(len(frac), 2 * half)`` for output positions ``frac`` (0..1) past an input sample."""
    taps = np.arange(-half + 1, half + 1, dtype=np.float64)
    t = taps[None, :] - frac[:, None]                # distance from the output position, in input samples
    u = np.clip(t / half, -1.0, 1.0)
    window = np.i0(KAISER_BETA * np.sqrt(1.0 - u * u)) / np.i0(KAISER_BETA)
    weights = cutoff * np.sinc(cutoff * t) * window
    weights /= weights.sum(axis=1, keepdims=True)   # unit gain at 0 Hz for every phase
    return weights.astype(np.float32)


@lru_cache(maxsize=16)
def _table(up: int, down: int) -> np.ndarray:
    cutoff, half = _setup(up, down)
    return _weights(np.arange(up, dtype=np.float64) / up, cutoff, half)


def resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    """Resample a mono signal ``x`` from ``sr_in`` to ``sr_out`` Hz (both whole numbers). Returns float32 of
    length ``ceil(len(x) * sr_out / sr_in)``."""
    x = np.asarray(x, dtype=np.float32)
    sr_in, sr_out = int(sr_in), int(sr_out)
    if sr_in <= 0 or sr_out <= 0:
        raise ValueError("sample rates must be positive")
    if sr_in == sr_out or len(x) == 0:
        return x.copy()
    g = gcd(sr_in, sr_out)
    up, down = sr_out // g, sr_in // g
    cutoff, half = _setup(up, down)
    n_out = -(-len(x) * up // down)
    padded = np.concatenate([np.zeros(half - 1, np.float32), x, np.zeros(half + 1, np.float32)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half)   # row i: the taps around x[i]
    out = np.empty(n_out, np.float32)
    if up <= MAX_TABLE_PHASES:
        # Outputs r, r + up, r + 2 * up, ... share one phase and sit ``down`` input samples apart: one
        # matrix-vector product over a strided view of the windows per residue r.
        table = _table(up, down)
        for r in range(min(up, n_out)):
            base, phase = divmod(r * down, up)
            count = len(range(r, n_out, up))
            out[r::up] = windows[base:base + (count - 1) * down + 1:down] @ table[phase]
        return out
    for start in range(0, n_out, _CHUNK):
        pos = np.arange(start, min(start + _CHUNK, n_out), dtype=np.int64) * down
        base, phase = pos // up, pos % up
        out[start:start + len(pos)] = np.einsum("ij,ij->i", windows[base], _weights(phase / up, cutoff, half))
    return out


def low_pass(data: np.ndarray, cutoff: float) -> np.ndarray:
    """The columns of ``data`` (float64 (L, C), evenly spaced) with what is faster than ``cutoff`` (a fraction
    of their Nyquist frequency, 0..1) filtered out, by the windowed sinc above; the ends are mirrored, so a
    steady offset (gravity) stays as it is to the last reading. Before a sensor recording is read at a lower
    rate, so vibrations it cannot hold do not fold back as slower ones (aliasing)."""
    data = np.asarray(data, np.float64)
    if not 0 < cutoff < 1 or len(data) < 2:
        return data
    half = int(np.ceil(ZERO_CROSSINGS / cutoff))
    weights = _weights(np.zeros(1), cutoff, half)[0].astype(np.float64)   # taps -half+1 .. half
    k = min(half, len(data) - 1)
    before = 2 * data[0] - data[k:0:-1]         # mirrored through the first and last readings: the level
    after = 2 * data[-1] - data[-2:-k - 2:-1]   # and the slope go on, the ends do not bend
    padded = np.concatenate([np.repeat(before[:1], half - k, 0), before, data, after,
                             np.repeat(after[-1:], half - k, 0)])
    return np.stack([np.convolve(padded[:, c], weights[::-1], mode="valid")[1:len(data) + 1]
                     for c in range(data.shape[1])], axis=1) if data.shape[1] else data
