"""Augmentation on whole batches of network inputs (after the front end), on the training device.

Each kind of data has its own default set, chosen from the data; ``params["augment"]`` overrides any
switch (``{"hflip": False}``) or turns all off (``False``).

- images (N, C, H, W): horizontal flips (off for small grey images, which are usually digits or letters
  where a mirror image is a different symbol), small rotations + shifts + zoom in one affine resample,
  brightness / contrast jitter.
- audio (N, C, F, T) features: time shift (roll along time), background noise, SpecAugment masks.
- sensor windows (N, C, 1, T) / (N, C, T): jitter (noise) and per-channel scaling (a sensor's gain error,
  below); feature vectors (N, F) get a little noise, and the gain error of their 3-axis sensors.
- tables: nothing.

Sensor scaling is a gain error of the sensor, simulated in the recording's own units. The batches are the
front end's standardised outputs ``z = (f - mean) / std``, and a 3-axis sensor (accelerometer, gyroscope,
...) that reads ``g`` times the truth moves its axis, magnitude and principal-axis channels ``f`` to
``g * f``, so ``z`` becomes ``g * z + (g - 1) * mean / std`` (``sensor_gain``). Scaling ``z`` alone, as
before, kept an accelerometer's resting magnitude where it was: a model trained on sensors that all read
1.00 g at rest then took a sensor reading 3% high for another class, 100% sure. Spectral features move
too: means and RMS by ``g``, log band powers by ``2 * log10(g)``, skewness and kurtosis not at all. Channels
of no 3-axis sensor (a temperature in kelvin would move by many spreads) keep the plain scaling of their
standardised values, and spectral features of such channels only get noise, as before.
"""

from __future__ import annotations

import math
from typing import Any

DEFAULTS: dict[str, dict[str, Any]] = {
    "images": {"hflip": True, "rotate_deg": 10.0, "shift": 0.08, "zoom": 0.08, "brightness": 0.1},
    "audio": {"time_shift": 0.1, "noise": 0.05, "freq_masks": 1, "time_masks": 1, "mask_frac": 0.12},
    "timeseries": {"jitter": 0.03, "scale": 0.1, "gain_in_units": True},
    "table": {},
}
SETTINGS_ONLY = ("mask_frac", "gain_in_units")
"""Keys of an augmentation that say how another one is done, not a change of their own. ``gain_in_units``: the
sensor's ``scale`` is a gain error in the recording's units (``sensor_gain``). A run trained before it has no
such key and keeps scaling its standardised values when resumed or fine-tuned (the upgrade walk: an old pump
run continued with ``--more`` fell from 98.8% to 79.9% training accuracy at its first new epoch)."""


def default_augment(kind: str, meta: dict | None = None, sample_shape: tuple | None = None) -> dict:
    """The augmentation switches for a kind of data (a plain dict, shown and overridable)."""
    cfg = dict(DEFAULTS.get(kind, {}))
    if kind == "images" and sample_shape is not None and len(sample_shape) == 3:
        h, w, c = sample_shape
        if c == 1 and max(h, w) <= 48:
            cfg["hflip"] = False  # digits, letters, glyphs: a mirrored 3 is not a 3
    return cfg


def resolve_augment(kind: str, override: Any, meta: dict | None = None,
                    sample_shape: tuple | None = None) -> dict:
    if override is False:
        return {}
    cfg = default_augment(kind, meta, sample_shape)
    if isinstance(override, dict):
        cfg.update(override)
    return cfg


def sensor_gain(frontend: dict | None) -> dict | None:
    """How a sensor front end's standardised outputs move when a 3-axis sensor reads ``g`` times the
    truth, or None for other front ends. Per output (a window's channel, a spectral feature):
    ``channel``: which gain it takes, drawn per sample: one for each 3-axis sensor, taken by its axes and by
    the magnitude and principal axes made from them (they move together, as one sensor's readings do; the
    review found |acc| drawn apart from its x, y, z), then one for each other channel;
    ``mul``: 1 where the output is multiplied by ``g``; ``shift``: ``mean / std`` where it then moves by
    ``(g - 1) * mean / std``; ``log``: ``2 / std`` where it moves by ``log10(g) * 2 / std`` (band powers).
    Outputs of channels from no 3-axis sensor: ``mul`` 1 and no shift in a window (the plain scaling),
    all 0 among spectral features (unchanged; None when no feature comes from a 3-axis sensor)."""
    if not frontend or frontend.get("type") not in ("window", "spectral"):
        return None
    names = list(frontend.get("channel_names") or [])
    inputs = int(frontend.get("channels") or 0)
    groups = [list(g) for g in frontend.get("axis_groups") or []]
    grouped = {i for g in groups for i in g}
    invariant = frontend.get("orientation") == "invariant"
    kept = [i for i in range(inputs) if not invariant or i not in grouped]
    if len(kept) > len(names):
        return None
    # orientation channels: the kept input channels, then each group's magnitude / principal axes
    from_sensor = [i in grouped for i in kept] + [True] * (len(names) - len(kept))
    derived = (len(names) - len(kept)) // len(groups) if groups else 0
    if derived * len(groups) != len(names) - len(kept):
        return None
    others = [i for i in kept if i not in grouped]
    gain_of = [next(k for k, g in enumerate(groups) if i in g) if i in grouped else len(groups) + others.index(i)
               for i in kept] + [k for k in range(len(groups)) for _ in range(derived)]
    mean = [float(v) for v in frontend.get("mean") or []]
    std = [float(v) if v else 1.0 for v in frontend.get("std") or []]
    if frontend["type"] == "window":
        if len(mean) != len(names) or len(std) != len(names):
            return None
        return {"channel": gain_of, "mul": [1.0] * len(names),
                "shift": [m / s if sensor else 0.0 for m, s, sensor in zip(mean, std, from_sensor)],
                "log": [0.0] * len(names)}
    principal = list(frontend.get("principal_channels") or [False] * len(names))
    n_bands = int(frontend.get("n_bands") or 0)
    channel, moves = [], []                       # the order of signal_features.spectral_feature_names
    for k, (sensor, pc) in enumerate(zip(from_sensor, principal)):
        stats = ["linear", "none", "none"] if pc else ["linear", "linear", "none", "none"]
        for move in stats + ["log"] * n_bands:
            channel.append(gain_of[k])
            moves.append(move if sensor else "none")
    if len(moves) != len(mean) or len(moves) != len(std) or set(moves) == {"none"}:
        return None     # no 3-axis sensor among the features: only noise, as before
    return {"channel": channel, "mul": [1.0 if m == "linear" else 0.0 for m in moves],
            "shift": [mu / s if m == "linear" else 0.0 for m, mu, s in zip(moves, mean, std)],
            "log": [2.0 / s if m == "log" else 0.0 for m, s in zip(moves, std)]}


class BatchAugmenter:
    """``aug(x, generator) -> x`` for a batch tensor; random numbers come from ``generator`` (CPU) so a
    seed gives the same run. ``frontend``: the run's front-end config; with it, sensor scaling is a gain
    error in the recording's units (``sensor_gain``), without it the standardised values are scaled."""

    def __init__(self, kind: str, config: dict, axes: dict | None = None, frontend: dict | None = None):
        self.kind = kind
        self.config = {k: v for k, v in config.items() if v}
        self.axes = axes or {}
        self.gain = sensor_gain(frontend) if kind == "timeseries" and self.config.get("gain_in_units") else None
        self._gain_tensors: dict = {}

    def __bool__(self) -> bool:
        return bool(self.config)

    def __call__(self, x, gen):
        if not self.config:
            return x
        if self.kind == "images" and x.dim() == 4:
            return self._images(x, gen)
        if self.kind == "audio":
            return self._audio(x, gen)
        if self.kind == "timeseries":
            return self._sensor(x, gen)
        return x

    def _rand(self, shape, gen, x):
        import torch

        return torch.rand(shape, generator=gen).to(device=x.device, dtype=x.dtype)

    def _images(self, x, gen):
        import torch
        import torch.nn.functional as F

        c = self.config
        n = x.shape[0]
        if c.get("hflip"):
            flip = self._rand((n,), gen, x) < 0.5
            x = torch.where(flip.view(n, 1, 1, 1), x.flip(3), x)
        rot, shift, zoom = c.get("rotate_deg", 0.0), c.get("shift", 0.0), c.get("zoom", 0.0)
        if rot or shift or zoom:
            u = self._rand((n, 4), gen, x) * 2 - 1
            ang = u[:, 0] * (rot * math.pi / 180)
            s = 1 + u[:, 1] * zoom
            cos, sin = torch.cos(ang) / s, torch.sin(ang) / s
            t = u[:, 2:] * shift * 2  # grid coordinates span [-1, 1]
            theta = torch.stack([torch.stack([cos, -sin, t[:, 0]], 1), torch.stack([sin, cos, t[:, 1]], 1)], 1)
            grid = F.affine_grid(theta, list(x.shape), align_corners=False)
            # Pad with each image's border colour (background), not zero (which after normalisation is grey).
            x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
        b = c.get("brightness", 0.0)
        if b:
            u = self._rand((n, 2), gen, x) * 2 - 1
            mean = x.mean(dim=(1, 2, 3), keepdim=True)
            x = (x - mean) * (1 + u[:, 0].view(n, 1, 1, 1) * b) + mean + u[:, 1].view(n, 1, 1, 1) * b
        return x

    def _audio(self, x, gen):
        import torch

        c = self.config
        n = x.shape[0]
        t_axis = self.axes.get("time", x.dim() - 1)
        f_axis = self.axes.get("freq", x.dim() - 2 if x.dim() >= 3 else None)
        if c.get("time_shift"):
            length = x.shape[t_axis]
            max_shift = max(1, int(length * c["time_shift"]))
            # One shift per batch: a roll is cheap and keeps the batch a single tensor op.
            k = int(torch.randint(-max_shift, max_shift + 1, (1,), generator=gen))
            x = torch.roll(x, shifts=k, dims=t_axis)
        if c.get("noise"):
            std = x.std().detach()
            x = x + torch.randn(x.shape, generator=gen).to(x.device, x.dtype) * std * c["noise"]
        frac = c.get("mask_frac", 0.1)
        for axis, count in ((f_axis, c.get("freq_masks", 0)), (t_axis, c.get("time_masks", 0))):
            if axis is None or not count:
                continue
            size = x.shape[axis]
            for _ in range(int(count)):
                width = (self._rand((n,), gen, x) * frac * size).long()
                start = (self._rand((n,), gen, x) * (size - width).clamp(min=1)).long()
                pos = torch.arange(size, device=x.device)
                mask = (pos[None] >= start[:, None]) & (pos[None] < (start + width)[:, None])  # (n, size)
                shape = [n] + [1] * (x.dim() - 1)
                shape[axis] = size
                fill = x.mean().detach()
                x = torch.where(mask.view(shape), fill, x)
        return x

    def _gain_vectors(self, x):
        """``sensor_gain`` as tensors on ``x``'s device, or None when it does not fit ``x``."""
        import torch

        g = self.gain
        if g is None or len(g["channel"]) != x.shape[1]:
            return None
        key = (x.device, x.dtype)
        if key not in self._gain_tensors:
            view = [1, -1] + [1] * (x.dim() - 2)
            self._gain_tensors[key] = (
                torch.tensor(g["channel"], device=x.device),
                *(torch.tensor(g[k], device=x.device, dtype=x.dtype).view(view) for k in ("mul", "shift", "log")),
                max(g["channel"], default=-1) + 1)
        return self._gain_tensors[key]

    def _sensor(self, x, gen):
        import torch

        c = self.config
        n = x.shape[0]
        std = x.std().detach()
        gain = self._gain_vectors(x) if c.get("scale") else None
        if gain is not None:    # a gain error per sample and channel, in the recording's units
            channel, mul, shift, log, channels = gain
            g = 1 + (self._rand((n, channels), gen, x) * 2 - 1) * c["scale"]
            g = g[:, channel].view([n, -1] + [1] * (x.dim() - 2))
            x = x * (1 + (g - 1) * mul) + (g - 1) * shift + torch.log10(g.clamp(min=1e-3)) * log
        if x.dim() == 2:  # spectral features: only a little noise (and the gain error above)
            if c.get("jitter"):
                x = x + torch.randn(x.shape, generator=gen).to(x.device, x.dtype) * std * c["jitter"]
            return x
        if c.get("scale") and gain is None:
            shape = [n, x.shape[1]] + [1] * (x.dim() - 2)
            x = x * (1 + (self._rand(shape, gen, x) * 2 - 1) * c["scale"])
        if c.get("jitter"):
            x = x + torch.randn(x.shape, generator=gen).to(x.device, x.dtype) * std * c["jitter"]
        return x
