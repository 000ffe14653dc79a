"""Front ends: numpy transforms from a batch in dataset layout to the network's input, outside the network.

The same config (a JSON-able dict) drives training, prediction and export; the export writes it into the
model card so firmware can reproduce it. Every transform works sample by sample (the output for a sample
does not depend on the rest of the batch) and is deterministic. Statistics (``mean`` / ``std``) are
computed once, on the training samples, by ``fit``.

Types (``frontend["type"]``) and their outputs (torch layout):
- ``image``:    uint8 (N, H, W, C) -> scale by 1/255, resize (antialiased bilinear) to ``size``,
                standardise per channel -> (N, C, h, w)
- ``table``:    (N, F) -> standardise per column -> (N, F)
- ``window``:   (N, T, C) -> orientation channels (see ``signal_features``), standardise per channel
                -> (N, C', 1, T) for a 1-D CNN written with Conv2d
- ``spectral``: (N, T, C) -> per-channel statistics and log band powers -> standardise -> (N, F)
- ``audio``:    (N, T) -> log-mel or MFCC frames -> standardise per coefficient -> (N, 1, frames, n)
"""

from __future__ import annotations

import numpy as np

from edgeling.core.data.dataset import DataError
from edgeling.core.models import signal_features as sf

FRONTEND_TYPES = ("image", "table", "window", "spectral", "audio")
STD_FLOOR = 1e-6
CHUNK = 64


# ----------------------------------------------------------------------------------------------- public
def fit(options: dict, spec: dict, x_train: np.ndarray) -> dict:
    """Complete ``options`` (``{"type": ..., knobs}``) into a front-end config, with statistics computed
    on the training samples ``x_train`` (dataset layout)."""
    kind = options.get("type")
    if kind not in FRONTEND_TYPES:
        raise ValueError(f"unknown front end {kind!r}")
    config = _PREPARE[kind](dict(options), spec, x_train)
    _check_input(config, x_train)
    count, mean, m2 = 0, 0.0, 0.0
    for i in range(0, len(x_train), CHUNK):   # Chan et al.'s pairwise update: bounded memory, stable
        feats = _FEATURES[kind](config, x_train[i:i + CHUNK])
        feats = feats.reshape(-1, feats.shape[-1])        # statistics are per last axis for every type
        n_b, mean_b = len(feats), feats.mean(axis=0)
        m2_b = ((feats - mean_b) ** 2).sum(axis=0)
        delta = mean_b - mean
        total = count + n_b
        mean = mean + delta * n_b / total
        m2 = m2 + m2_b + delta ** 2 * count * n_b / total
        count = total
    config["mean"] = [float(v) for v in np.ravel(mean)]
    # a feature that never varies in training is only centred: dividing by a tiny spread would blow up
    # any value seen later
    config["std"] = [float(sd) if sd > STD_FLOOR else 1.0 for sd in np.sqrt(np.ravel(m2) / count)]
    return config


def apply(frontend: dict, x: np.ndarray) -> np.ndarray:
    """A batch in dataset layout -> the network input (float32, torch layout)."""
    kind = frontend.get("type")
    if kind not in FRONTEND_TYPES:
        raise ValueError(f"unknown front end {kind!r}")
    x = np.asarray(x)
    _check_input(frontend, x)
    mean = np.asarray(frontend["mean"], dtype=np.float64)
    std = np.asarray(frontend["std"], dtype=np.float64)
    parts = []
    for i in range(0, max(len(x), 1), CHUNK):   # in chunks: bounded memory for a whole data set
        feats = (_FEATURES[kind](frontend, x[i:i + CHUNK]) - mean) / std   # statistics: last axis
        parts.append(np.asarray(_LAYOUT[kind](feats), dtype=np.float32))
    return np.ascontiguousarray(np.concatenate(parts, axis=0))


def output_shape(frontend: dict, spec: dict | None = None) -> tuple:
    """One sample's network input shape (torch layout, no batch)."""
    kind = frontend["type"]
    if kind == "image":
        return (frontend["channels"], *frontend["size"])
    if kind == "table":
        return (frontend["num_features"],)
    if kind == "window":
        return (len(frontend["channel_names"]), 1, frontend["length"])
    if kind == "spectral":
        return (len(frontend["feature_names"]),)
    if kind == "audio":
        return (1, sf.num_frames(frontend["length"], frontend["win_length"], frontend["hop_length"]),
                sf.num_coefficients(frontend))
    raise ValueError(f"unknown front end {kind!r}")


# ----------------------------------------------------------------------------------------- preparation
def _prepare_image(cfg: dict, spec: dict, x: np.ndarray) -> dict:
    h, w, c = (int(d) for d in spec["sample_shape"])
    res = cfg.pop("resolution", None)
    size = [h, w] if not res else [int(res), int(res)]
    return {**cfg, "input_size": [h, w], "channels": c, "size": size, "scale": 1.0 / 255.0}


def _prepare_table(cfg: dict, spec: dict, x: np.ndarray) -> dict:
    return {**cfg, "num_features": int(spec["sample_shape"][0])}


def _prepare_series(cfg: dict, spec: dict, x: np.ndarray) -> dict:
    t, c = (int(d) for d in spec["sample_shape"])
    meta = spec.get("meta", {})
    names = sf.channel_names(meta, c)
    groups = sf.find_axis_groups(names)
    mode = cfg.get("orientation", "axes")
    if mode not in sf.ORIENTATION_MODES:
        raise DataError(f"Unknown orientation setting {mode!r}; choose one of {', '.join(sf.ORIENTATION_MODES)}.")
    if mode != "axes" and not groups:
        mode = "axes"   # no 3-axis sensor in this data: nothing to make orientation-free
    cfg.update(length=t, channels=c, input_channel_names=names, axis_groups=groups, orientation=mode,
               channel_names=sf.orientation_channel_names(names, groups, mode),
               principal_channels=sf.principal_flags(names, groups, mode),
               sample_rate=float(meta.get("sample_rate") or 0.0) or None)
    if cfg["type"] == "spectral":
        rate = cfg["sample_rate"] or 1.0
        cfg.setdefault("highpass_hz", None)
        cfg.setdefault("lowpass_hz", None)
        cfg["n_bands"] = int(cfg.get("n_bands", 8))
        cfg["band_edges_hz"] = sf.band_edges(rate, cfg["n_bands"], cfg["highpass_hz"], cfg["lowpass_hz"])
        cfg["feature_names"] = sf.spectral_feature_names(cfg["channel_names"], cfg["principal_channels"],
                                                         cfg["n_bands"])
    return cfg


def _prepare_audio(cfg: dict, spec: dict, x: np.ndarray) -> dict:
    rate = spec.get("meta", {}).get("sample_rate")
    if not rate:
        raise DataError("The audio clips have no sample rate recorded. Import the folder again.")
    cfg = sf.complete_audio_config(cfg, int(rate), int(spec["sample_shape"][0]))
    return cfg


_PREPARE = {"image": _prepare_image, "table": _prepare_table, "window": _prepare_series,
            "spectral": _prepare_series, "audio": _prepare_audio}


# -------------------------------------------------------------------------------------------- features
def _image_features(cfg: dict, x: np.ndarray) -> np.ndarray:
    """(N, H, W, C) uint8 -> (N, h, w, C) float64 in [0, 1], resized."""
    img = x.astype(np.float64) * cfg["scale"]
    if list(cfg["size"]) != list(cfg["input_size"]):
        rh = sf.resize_matrix(cfg["input_size"][0], cfg["size"][0])
        rw = sf.resize_matrix(cfg["input_size"][1], cfg["size"][1])
        img = np.einsum("oh,nhwc,pw->nopc", rh, img, rw, optimize=True)
    return img


def _table_features(cfg: dict, x: np.ndarray) -> np.ndarray:
    return x.astype(np.float64)


def _window_features(cfg: dict, x: np.ndarray) -> np.ndarray:
    """(N, T, C) -> (N, T, C') orientation channels."""
    return sf.orientation_channels(x.astype(np.float64), cfg["axis_groups"], cfg["orientation"])


def _spectral_features(cfg: dict, x: np.ndarray) -> np.ndarray:
    chans = sf.orientation_channels(x.astype(np.float64), cfg["axis_groups"], cfg["orientation"])
    return sf.spectral_features(chans, cfg)


def _audio_features(cfg: dict, x: np.ndarray) -> np.ndarray:
    return sf.audio_features(x.astype(np.float64), cfg)


_FEATURES = {"image": _image_features, "table": _table_features, "window": _window_features,
             "spectral": _spectral_features, "audio": _audio_features}

_LAYOUT = {
    "image": lambda f: f.transpose(0, 3, 1, 2),                 # (N, h, w, C) -> (N, C, h, w)
    "table": lambda f: f,
    "window": lambda f: f.transpose(0, 2, 1)[:, :, None, :],    # (N, T, C') -> (N, C', 1, T)
    "spectral": lambda f: f,
    "audio": lambda f: f[:, None, :, :],                        # (N, frames, n) -> (N, 1, frames, n)
}


def _check_input(cfg: dict, x: np.ndarray) -> None:
    kind = cfg["type"]
    if kind == "image":
        want = (*cfg["input_size"], cfg["channels"])
    elif kind == "table":
        want = (cfg["num_features"],)
    elif kind in ("window", "spectral"):
        want = (cfg["length"], cfg["channels"])
    else:
        want = (cfg["length"],)
    if x.ndim != len(want) + 1 or tuple(x.shape[1:]) != tuple(want):
        raise DataError(f"This model takes samples of shape {tuple(want)}, but got {tuple(x.shape[1:])}. "
                        "Import the data with the same settings as for training.")
