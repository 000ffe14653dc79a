"""The signal processing behind the front ends, in numpy: image resizing, orientation-free sensor
channels, spectral features (as Edge Impulse's spectral block computes them) and log-mel / MFCC.

Everything here is per sample (no statistic crosses samples) and written so firmware can reproduce it
from the front-end config alone.
"""

from __future__ import annotations

import numpy as np

from edgeling.core.data.channel_match import AXIS_NAME, UNIT_SUFFIX
from edgeling.core.data.dataset import DataError

ORIENTATION_MODES = ("axes", "axes+magnitude", "invariant")
"""How 3-axis sensors (accelerometer, gyroscope, ...) enter the features:
- ``axes``: each axis as recorded (depends on how the device is held);
- ``axes+magnitude``: each axis plus the magnitude sqrt(x^2 + y^2 + z^2) of every 3-axis group;
- ``invariant``: per 3-axis group only the magnitude and the signal along the window's own principal
  axes (largest variance first), so rotating the sensor leaves the features unchanged."""

LOG_FLOOR = 1e-10
_AXIS_NAME, _UNIT_SUFFIX = AXIS_NAME, UNIT_SUFFIX


# ------------------------------------------------------------------------------------------- channels
def channel_names(meta: dict, count: int) -> list[str]:
    """Channel names from the dataset's meta (``channels`` or ``channel_names``), else ch0, ch1, ..."""
    for key in ("channel_names", "channels", "columns"):
        names = meta.get(key)
        if isinstance(names, list | tuple) and len(names) == count and all(isinstance(n, str) for n in names):
            return [str(n) for n in names]
    if count == 3:
        return ["x", "y", "z"]
    return [f"ch{i}" for i in range(count)]


def find_axis_groups(names: list[str]) -> list[list[int]]:
    """Index triples (x, y, z) of channels that form one 3-axis sensor: names ending in x / y / z with
    the same prefix, e.g. ``acc_x, acc_y, acc_z`` or ``gyroX, gyroY, gyroZ``."""
    by_prefix: dict[str, dict[str, int]] = {}
    for i, name in enumerate(names):
        m = _AXIS_NAME.match(_UNIT_SUFFIX.sub("", name).strip())
        if m:
            by_prefix.setdefault(m.group(1).lower(), {})[m.group(2).lower()] = i
    groups = [[axes["x"], axes["y"], axes["z"]] for axes in by_prefix.values() if set(axes) == {"x", "y", "z"}]
    return sorted(groups)


def _group_label(names: list[str], group: list[int]) -> str:
    m = _AXIS_NAME.match(_UNIT_SUFFIX.sub("", names[group[0]]).strip())
    prefix = (m.group(1) if m else "").strip(" _-.:")
    return prefix or "xyz"


def orientation_channel_names(names: list[str], groups: list[list[int]], mode: str) -> list[str]:
    grouped = {i for g in groups for i in g}
    out = [n for i, n in enumerate(names) if mode != "invariant" or i not in grouped]
    for g in groups:
        label = _group_label(names, g)
        if mode in ("axes+magnitude", "invariant"):
            out.append(f"|{label}|")
        if mode == "invariant":
            out += [f"{label}_pc{k}" for k in (1, 2, 3)]
    return out


def principal_flags(names: list[str], groups: list[list[int]], mode: str) -> list[bool]:
    """For each channel of ``orientation_channel_names``: is it a principal-axis channel (mean always 0)?"""
    grouped = {i for g in groups for i in g}
    flags = [False] * sum(1 for i in range(len(names)) if mode != "invariant" or i not in grouped)
    for _ in groups:
        if mode in ("axes+magnitude", "invariant"):
            flags.append(False)
        if mode == "invariant":
            flags += [True, True, True]
    return flags


def principal_axes(v: np.ndarray) -> np.ndarray:
    """(N, T, 3) -> (N, T, 3): the mean-removed signal along each window's principal axes, largest
    variance first, each axis' sign chosen so that its third moment is not negative."""
    centred = v - v.mean(axis=1, keepdims=True)
    cov = np.einsum("nti,ntj->nij", centred, centred) / max(v.shape[1], 1)
    _, vecs = np.linalg.eigh(cov)                       # ascending eigenvalues
    proj = np.einsum("nti,nij->ntj", centred, vecs[:, :, ::-1])
    sign = np.where((proj ** 3).sum(axis=1, keepdims=True) < 0, -1.0, 1.0)
    return proj * sign


def orientation_channels(x: np.ndarray, groups: list[list[int]], mode: str) -> np.ndarray:
    """(N, T, C) -> (N, T, C') in the order of ``orientation_channel_names``."""
    grouped = {i for g in groups for i in g}
    keep = [i for i in range(x.shape[2]) if mode != "invariant" or i not in grouped]
    parts = [x[:, :, keep]]
    for g in groups:
        v = x[:, :, g]
        if mode in ("axes+magnitude", "invariant"):
            parts.append(np.sqrt((v ** 2).sum(axis=2, keepdims=True)))
        if mode == "invariant":
            parts.append(principal_axes(v))
    return np.concatenate(parts, axis=2)


# ------------------------------------------------------------------------------------------- spectral
def band_edges(rate: float, n_bands: int, highpass_hz: float | None, lowpass_hz: float | None) -> list[float]:
    lo = float(highpass_hz or 0.0)
    hi = float(min(lowpass_hz or rate / 2, rate / 2))
    if hi <= lo:
        lo, hi = 0.0, rate / 2
    return [float(v) for v in np.linspace(lo, hi, n_bands + 1)]


def spectral_feature_names(chans: list[str], principal: list[bool], n_bands: int) -> list[str]:
    out = []
    for name, pc in zip(chans, principal):
        stats = ["rms", "skewness", "kurtosis"] if pc else ["mean", "rms", "skewness", "kurtosis"]
        out += [f"{name} {s}" for s in stats]
        out += [f"{name} band{b}" for b in range(n_bands)]
    return out


def _band_matrix(n_samples: int, rate: float, edges: list[float]) -> np.ndarray:
    """(bins, bands): each band's mean over the FFT bins whose centre lies in it (the nearest bin when
    a band is narrower than the bin spacing)."""
    freqs = np.fft.rfftfreq(n_samples, d=1.0 / rate)
    n_bands = len(edges) - 1
    w = np.zeros((len(freqs), n_bands))
    for b in range(n_bands):
        last = b == n_bands - 1
        inside = (freqs >= edges[b]) & ((freqs <= edges[b + 1]) if last else (freqs < edges[b + 1]))
        if not inside.any():
            inside = np.zeros(len(freqs), bool)
            inside[np.argmin(np.abs(freqs - (edges[b] + edges[b + 1]) / 2))] = True
        w[inside, b] = 1.0 / inside.sum()
    return w


def spectral_features(chans: np.ndarray, cfg: dict) -> np.ndarray:
    """(N, T, C') -> (N, F) per channel: [mean,] RMS, skewness, kurtosis of the filtered, mean-removed
    signal, then log10 power in ``n_bands`` equal-width bands (Hann window). Principal-axis channels
    have no mean (it is always zero)."""
    n, t, c = chans.shape
    rate = cfg.get("sample_rate") or 1.0
    means = chans.mean(axis=1)
    centred = chans - means[:, None, :]
    spec = np.fft.rfft(centred, axis=1)
    freqs = np.fft.rfftfreq(t, d=1.0 / rate)
    keep = np.ones(len(freqs), bool)
    if cfg.get("highpass_hz"):
        keep &= freqs >= cfg["highpass_hz"]
    if cfg.get("lowpass_hz"):
        keep &= freqs <= cfg["lowpass_hz"]
    filtered = np.fft.irfft(spec * keep[None, :, None], n=t, axis=1) if not keep.all() else centred
    rms = np.sqrt((filtered ** 2).mean(axis=1))
    safe = np.where(rms > 1e-12, rms, 1.0)
    z = filtered / safe[:, None, :]
    skew = np.where(rms > 1e-12, (z ** 3).mean(axis=1), 0.0)
    kurt = np.where(rms > 1e-12, (z ** 4).mean(axis=1) - 3.0, 0.0)
    window = np.hanning(t + 1)[:-1] if t > 1 else np.ones(1)
    power = np.abs(np.fft.rfft(filtered * window[None, :, None], axis=1)) ** 2 / max((window ** 2).sum(), 1e-12)
    bands = np.einsum("nfc,fb->ncb", power, _band_matrix(t, rate, cfg["band_edges_hz"]))
    log_bands = np.log10(np.maximum(bands, LOG_FLOOR))
    principal = cfg.get("principal_channels") or [False] * c
    out = []
    for k in range(c):
        stats = [rms[:, k], skew[:, k], kurt[:, k]]
        if not principal[k]:
            stats.insert(0, means[:, k])
        out.append(np.stack(stats, axis=1))
        out.append(log_bands[:, k, :])
    return np.concatenate(out, axis=1)


# --------------------------------------------------------------------------------------- log-mel, MFCC
def hz_to_mel(f, scale: str = "htk"):
    f = np.asarray(f, dtype=np.float64)
    if scale == "htk":
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    logstep = np.log(6.4) / 27.0
    lin = f / f_sp
    return np.where(f >= min_log_hz, min_log_hz / f_sp + np.log(np.maximum(f, 1e-12) / min_log_hz) / logstep, lin)


def mel_to_hz(m, scale: str = "htk"):
    m = np.asarray(m, dtype=np.float64)
    if scale == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filterbank(rate: int, n_fft: int, n_mels: int, fmin: float, fmax: float, scale: str = "htk") -> np.ndarray:
    """(n_fft // 2 + 1, n_mels) triangular filters, equally spaced on the mel scale between fmin and
    fmax, each linear in Hz between its neighbours' centres (librosa's construction; no DC exclusion).
    ``htk``: HTK mel scale, peak height 1 (librosa ``htk=True, norm=None``). ``slaney``: Slaney's scale
    (linear below 1 kHz) and each filter normalised to unit area, 2 / bandwidth (librosa's defaults)."""
    freqs = np.fft.rfftfreq(n_fft, d=1.0 / rate)
    pts = mel_to_hz(np.linspace(hz_to_mel(fmin, scale), hz_to_mel(fmax, scale), n_mels + 2), scale)
    fb = np.zeros((len(freqs), n_mels))
    for m in range(n_mels):
        lo, mid, hi = pts[m], pts[m + 1], pts[m + 2]
        up = (freqs - lo) / max(mid - lo, 1e-12)
        down = (hi - freqs) / max(hi - mid, 1e-12)
        fb[:, m] = np.maximum(0.0, np.minimum(up, down))
        if scale == "slaney":
            fb[:, m] *= 2.0 / (hi - lo)
    return fb


def dct_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_in, n_out) orthonormal DCT-II: ``logmel @ dct_matrix`` gives MFCCs."""
    k = np.arange(n_out)[None, :]
    n = np.arange(n_in)[:, None]
    d = np.cos(np.pi / n_in * (n + 0.5) * k) * np.sqrt(2.0 / n_in)
    d[:, 0] *= np.sqrt(0.5)
    return d


def num_frames(length: int, win_length: int, hop_length: int) -> int:
    return 1 + max(length - win_length, 0) // hop_length


def num_coefficients(cfg: dict) -> int:
    return int(cfg["n_mfcc"]) if cfg["features"] == "mfcc" else int(cfg["n_mels"])


def complete_audio_config(cfg: dict, rate: int, length: int) -> dict:
    """Fill in the derived audio parameters: frame lengths in samples, n_fft, fmax."""
    win = cfg.pop("win_length", None) or max(int(round(cfg.get("win_ms", 40.0) * rate / 1000.0)), 2)
    hop = cfg.pop("hop_length", None) or max(int(round(cfg.get("hop_ms", 20.0) * rate / 1000.0)), 1)
    n_fft = cfg.get("n_fft") or int(2 ** int(np.ceil(np.log2(win))))
    if n_fft < win:
        n_fft = win
    cfg.update(sample_rate=int(rate), length=int(length), win_length=int(win), hop_length=int(hop),
               n_fft=int(n_fft), fmin=float(cfg.get("fmin", 20.0)),
               fmax=float(min(cfg.get("fmax") or rate / 2, rate / 2)), mel_scale=cfg.get("mel_scale", "htk"),
               log_floor=float(cfg.get("log_floor", 1e-6)))
    cfg.setdefault("features", "logmel")
    cfg.setdefault("n_mels", 40)
    cfg.setdefault("n_mfcc", 10)
    if cfg["features"] not in ("logmel", "mfcc"):
        raise ValueError(f"unknown audio features {cfg['features']!r}")
    if cfg["features"] == "mfcc" and int(cfg["n_mfcc"]) > int(cfg["n_mels"]):
        raise DataError(f"n_mfcc ({cfg['n_mfcc']}) cannot be larger than n_mels ({cfg['n_mels']}); "
                        "lower n_mfcc or raise n_mels.")
    return cfg


def frames(x: np.ndarray, win_length: int, hop_length: int) -> np.ndarray:
    """(N, T) -> (N, frames, win_length); a clip shorter than one frame is zero-padded at the end."""
    t = x.shape[1]
    if t < win_length:
        x = np.pad(x, ((0, 0), (0, win_length - t)))
    count = num_frames(x.shape[1], win_length, hop_length)
    idx = np.arange(count)[:, None] * hop_length + np.arange(win_length)[None, :]
    return x[:, idx]


def power_spectrum(x: np.ndarray, win_length: int, hop_length: int, n_fft: int) -> np.ndarray:
    """(N, T) -> (N, frames, n_fft // 2 + 1): |rfft(frame * periodic Hann, n_fft)|^2, no centring."""
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win_length) / win_length)
    return np.abs(np.fft.rfft(frames(x, win_length, hop_length) * window, n=n_fft, axis=-1)) ** 2


def audio_features(x: np.ndarray, cfg: dict) -> np.ndarray:
    """(N, T) -> (N, frames, n): natural log of mel power (floored at ``log_floor``), then for MFCC the
    orthonormal DCT-II keeping ``n_mfcc`` coefficients."""
    power = power_spectrum(x, cfg["win_length"], cfg["hop_length"], cfg["n_fft"])
    fb = mel_filterbank(cfg["sample_rate"], cfg["n_fft"], cfg["n_mels"], cfg["fmin"], cfg["fmax"], cfg["mel_scale"])
    n, count, bins = power.shape
    mel = (np.ascontiguousarray(power).reshape(n * count, bins) @ fb).reshape(n, count, -1)
    logmel = np.log(np.maximum(mel, cfg["log_floor"]))
    if cfg["features"] == "mfcc":
        return (logmel.reshape(n * count, -1) @ dct_matrix(cfg["n_mels"], cfg["n_mfcc"])).reshape(n, count, -1)
    return logmel


# ---------------------------------------------------------------------------------------------- images
def resize_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) weights of an antialiased bilinear resize with half-pixel centres: a triangle
    filter whose half-width is max(1, n_in / n_out) input pixels, renormalised at the edges. This is
    exactly Pillow's ``Image.resize(size, Image.BILINEAR)`` (tests/core/test_frontends.py checks it)."""
    scale = n_in / n_out
    support = max(scale, 1.0)
    centres = (np.arange(n_out) + 0.5) * scale
    pos = np.arange(n_in) + 0.5
    w = np.maximum(0.0, 1.0 - np.abs(pos[None, :] - centres[:, None]) / support)
    return w / w.sum(axis=1, keepdims=True)
