"""Front ends: log-mel / MFCC against slow direct implementations, spectral features that do not change
when a 3-axis sensor is rotated, image resizing, and every front end deterministic, batch independent
and JSON-able."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from edgeling.core.data.dataset import DataError
from edgeling.core.models import frontends, zoo
from edgeling.core.models import signal_features as sf

RNG = np.random.default_rng(1)


# ------------------------------------------------------------------------------------ log-mel and MFCC
def _slow_mel(f: float, scale: str) -> float:
    if scale == "htk":
        return 2595.0 * math.log10(1.0 + f / 700.0)
    return f / (200.0 / 3) if f < 1000 else 15.0 + math.log(f / 1000.0) * 27.0 / math.log(6.4)


def _slow_filterbank(rate, n_fft, n_mels, fmin, fmax, scale):
    """Triangles written out one frequency at a time, with a bisection for the inverse mel scale."""
    def inv(m):
        lo, hi = 0.0, rate
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if _slow_mel(mid, scale) < m else (lo, mid)
        return (lo + hi) / 2

    m_lo, m_hi = _slow_mel(fmin, scale), _slow_mel(fmax, scale)
    pts = [inv(m_lo + (m_hi - m_lo) * i / (n_mels + 1)) for i in range(n_mels + 2)]
    fb = np.zeros((n_fft // 2 + 1, n_mels))
    for k in range(n_fft // 2 + 1):
        f = k * rate / n_fft
        for m in range(n_mels):
            a, b, c = pts[m], pts[m + 1], pts[m + 2]
            if a <= f <= b:
                v = (f - a) / (b - a)
            elif b < f <= c:
                v = (c - f) / (c - b)
            else:
                v = 0.0
            fb[k, m] = v * (2.0 / (c - a) if scale == "slaney" else 1.0)
    return fb


def test_mel_scales_hit_known_values():
    assert sf.hz_to_mel(1000.0, "htk") == pytest.approx(999.99, abs=0.01)
    assert sf.hz_to_mel(1000.0, "slaney") == pytest.approx(15.0)
    assert sf.hz_to_mel(500.0, "slaney") == pytest.approx(7.5)
    for scale in ("htk", "slaney"):
        f = np.array([0.0, 123.0, 999.0, 1000.0, 4321.0, 8000.0])
        assert np.allclose(sf.mel_to_hz(sf.hz_to_mel(f, scale), scale), f)


@pytest.mark.parametrize("scale", ["htk", "slaney"])
def test_mel_filterbank_matches_a_slow_reference(scale):
    fast = sf.mel_filterbank(16000, 512, 20, 20.0, 8000.0, scale)
    slow = _slow_filterbank(16000, 512, 20, 20.0, 8000.0, scale)
    assert fast.shape == (257, 20)
    assert np.allclose(fast, slow, atol=1e-6)


def test_power_spectrum_matches_a_direct_dft():
    x = RNG.normal(size=(1, 400))
    win, hop, n_fft = 100, 60, 128
    fast = sf.power_spectrum(x, win, hop, n_fft)
    assert fast.shape == (1, 1 + (400 - 100) // 60, 65)
    hann = [0.5 - 0.5 * math.cos(2 * math.pi * n / win) for n in range(win)]
    for t in (0, 3):
        frame = [x[0, t * hop + n] * hann[n] for n in range(win)] + [0.0] * (n_fft - win)
        for k in (0, 5, 64):
            re = sum(frame[n] * math.cos(2 * math.pi * k * n / n_fft) for n in range(n_fft))
            im = -sum(frame[n] * math.sin(2 * math.pi * k * n / n_fft) for n in range(n_fft))
            assert fast[0, t, k] == pytest.approx(re * re + im * im, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("tone", [300.0, 1000.0, 3000.0])
def test_a_pure_tone_lands_in_its_mel_band(tone):
    rate = 16000
    t = np.arange(rate) / rate
    x = (0.5 * np.sin(2 * np.pi * tone * t))[None, :]
    cfg = sf.complete_audio_config({"features": "logmel", "n_mels": 40}, rate, rate)
    logmel = sf.audio_features(x, cfg)
    assert logmel.shape == (1, 49, 40)
    fb = sf.mel_filterbank(rate, cfg["n_fft"], 40, cfg["fmin"], cfg["fmax"])
    centres = sf.mel_to_hz(np.linspace(sf.hz_to_mel(cfg["fmin"]), sf.hz_to_mel(cfg["fmax"]), 42))[1:-1]
    peak = int(np.argmax(logmel[0].mean(axis=0)))
    assert abs(centres[peak] - tone) <= (centres[peak] - centres[peak - 1]) + 1
    assert fb.sum() > 0


def test_mfcc_is_the_orthonormal_dct_of_log_mel():
    d = sf.dct_matrix(8, 8)
    assert np.allclose(d.T @ d, np.eye(8), atol=1e-12)
    n, k = 3, 2
    assert d[n, k] == pytest.approx(math.sqrt(2 / 8) * math.cos(math.pi / 8 * (n + 0.5) * k))
    x = RNG.uniform(-1, 1, (2, 4000))
    base = {"n_mels": 16, "n_mfcc": 6, "win_ms": 32.0, "hop_ms": 16.0}
    logmel = sf.audio_features(x, sf.complete_audio_config({**base, "features": "logmel"}, 8000, 4000))
    mfcc = sf.audio_features(x, sf.complete_audio_config({**base, "features": "mfcc"}, 8000, 4000))
    assert np.allclose(mfcc, logmel @ sf.dct_matrix(16, 6))
    assert mfcc[..., 0] == pytest.approx(logmel.sum(axis=-1) / 4.0)


# ------------------------------------------------------------------------------ orientation, spectral
def _rotation(seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(3, 3)))
    q = q * np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


def _motion(n: int = 4, t: int = 256, rate: float = 100.0) -> np.ndarray:
    """Anisotropic 3-axis motion (distinct variance per direction) plus gravity, then a 4th channel."""
    time = np.arange(t) / rate
    out = np.zeros((n, t, 4))
    for i in range(n):
        a = 2.0 * np.sin(2 * np.pi * (3 + i) * time) + 0.3 * RNG.normal(size=t)
        b = 0.8 * np.sin(2 * np.pi * 11 * time + i) ** 3
        c = 0.2 * RNG.normal(size=t)
        out[i, :, :3] = np.stack([a, b, c], axis=1) @ _rotation(100 + i).T + np.array([0, 0, 9.81])
        out[i, :, 3] = 20 + 0.1 * RNG.normal(size=t)
    return out


def _spectral(mode: str, x: np.ndarray, names=("acc_x", "acc_y", "acc_z", "temp")) -> np.ndarray:
    spec = zoo.InputSpec("timeseries", "classification", 2, x.shape[1:],
                         {"sample_rate": 100.0, "channels": list(names)}, ["a", "b"])
    fe = zoo.fit_frontend("spectral_dense", spec, x, {"orientation": mode, "n_bands": 8})
    return zoo.apply_frontend(fe, x), fe


def test_orientation_free_features_do_not_change_when_the_sensor_is_rotated():
    x = _motion()
    rotated = x.copy()
    rotated[:, :, :3] = x[:, :, :3] @ _rotation(7).T
    for mode in ("invariant",):
        fe = _spectral(mode, x)[1]
        a = frontends.apply(fe, x)
        b = frontends.apply(fe, rotated)
        assert np.allclose(a, b, atol=1e-4), np.abs(a - b).max()
    # the raw axes do change, so the check above can fail
    fe = _spectral("axes", x)[1]
    assert not np.allclose(frontends.apply(fe, x), frontends.apply(fe, rotated), atol=1e-2)
    # with magnitude added, the magnitude's features are unchanged
    fe = _spectral("axes+magnitude", x)[1]
    mag = [i for i, n in enumerate(fe["feature_names"]) if n.startswith("|acc|")]
    assert len(mag) == 4 + 8
    assert np.allclose(frontends.apply(fe, x)[:, mag], frontends.apply(fe, rotated)[:, mag], atol=1e-6)


def test_raw_window_front_end_is_orientation_free_too():
    x = _motion()
    rotated = x.copy()
    rotated[:, :, :3] = x[:, :, :3] @ _rotation(11).T
    spec = zoo.InputSpec("timeseries", "classification", 2, x.shape[1:],
                         {"sample_rate": 100.0, "channels": ["acc_x", "acc_y", "acc_z", "temp"]}, ["a", "b"])
    fe = zoo.fit_frontend("conv1d", spec, x, {})
    assert fe["orientation"] == "invariant"
    assert fe["channel_names"] == ["temp", "|acc|", "acc_pc1", "acc_pc2", "acc_pc3"]
    assert np.allclose(zoo.apply_frontend(fe, x), zoo.apply_frontend(fe, rotated), atol=1e-4)


def test_magnitude_and_principal_axes_channels():
    x = _motion(2)
    groups = sf.find_axis_groups(["acc_x", "acc_y", "acc_z", "temp"])
    assert groups == [[0, 1, 2]]
    names = sf.orientation_channel_names(["acc_x", "acc_y", "acc_z", "temp"], groups, "invariant")
    assert names == ["temp", "|acc|", "acc_pc1", "acc_pc2", "acc_pc3"]
    ch = sf.orientation_channels(x, groups, "invariant")
    assert np.allclose(ch[:, :, 1], np.linalg.norm(x[:, :, :3], axis=2))
    var = ch[:, :, 2:].var(axis=1)
    assert (var[:, 0] >= var[:, 1]).all() and (var[:, 1] >= var[:, 2]).all()
    total = (x[:, :, :3] - x[:, :, :3].mean(axis=1, keepdims=True)).var(axis=1).sum(axis=1)
    assert np.allclose(var.sum(axis=1), total)


@pytest.mark.parametrize("names,groups", [
    (["ax", "ay", "az"], [[0, 1, 2]]),
    (["gyroX", "gyroY", "gyroZ", "accX", "accY", "accZ"], [[0, 1, 2], [3, 4, 5]]),
    (["Acc X", "Acc Y", "Acc Z", "Mag X"], [[0, 1, 2]]),
    (["x", "y", "z"], [[0, 1, 2]]),
    (["temperature", "pressure"], []),
])
def test_three_axis_sensors_are_found_by_name(names, groups):
    assert sf.find_axis_groups(names) == groups


def test_band_powers_put_a_sine_in_its_band_and_filters_remove_it():
    rate, t = 100.0, 200
    x = np.sin(2 * np.pi * 30.0 * np.arange(t) / rate)[None, :, None]
    cfg = {"sample_rate": rate, "channel_names": ["s"], "band_edges_hz": sf.band_edges(rate, 5, None, None)}
    feats = sf.spectral_features(x, cfg)
    bands = feats[0, 4:]
    assert int(np.argmax(bands)) == 3          # 30 Hz is in [30, 40)
    assert feats[0, 1] == pytest.approx(1 / math.sqrt(2), rel=1e-3)   # RMS of a unit sine
    lowpassed = sf.spectral_features(x, {**cfg, "lowpass_hz": 20.0,
                                         "band_edges_hz": sf.band_edges(rate, 5, None, 20.0)})
    assert lowpassed[0, 1] < 1e-6


# ---------------------------------------------------------------------------------------------- images
def test_resize_weights():
    assert np.allclose(sf.resize_matrix(8, 8), np.eye(8))
    assert np.allclose(sf.resize_matrix(4, 2), [[3 / 7, 3 / 7, 1 / 7, 0], [0, 1 / 7, 3 / 7, 3 / 7]])
    up = sf.resize_matrix(2, 4)     # half-pixel bilinear, edges clamped
    assert np.allclose(up @ np.array([0.0, 1.0]), [0.0, 0.25, 0.75, 1.0])
    for n_in, n_out in ((96, 32), (100, 48), (28, 16), (16, 28)):
        assert np.allclose(sf.resize_matrix(n_in, n_out).sum(axis=1), 1.0)


@pytest.mark.parametrize("size_in,size_out", [((12, 12), (6, 6)), ((96, 80), (32, 48)), ((16, 16), (28, 28))])
def test_resize_matches_pillow_bilinear(size_in, size_out):
    from PIL import Image

    a = RNG.uniform(0, 1, size_in).astype(np.float32)
    ref = np.asarray(Image.fromarray(a, mode="F").resize(size_out[::-1], Image.BILINEAR))
    ours = sf.resize_matrix(size_in[0], size_out[0]) @ a.astype(np.float64) @ sf.resize_matrix(*size_in[1:], *size_out[1:]).T
    assert np.allclose(ours, ref, atol=1e-6)


def test_image_front_end_scales_resizes_and_standardises():
    from PIL import Image

    spec = zoo.InputSpec("images", "classification", 2, (12, 12, 3), {}, ["a", "b"])
    x = RNG.integers(0, 256, (10, 12, 12, 3), dtype=np.uint8)
    fe = zoo.fit_frontend("tutorial_cnn", spec, x, {"resolution": 6})
    out = zoo.apply_frontend(fe, x)
    assert out.shape == (10, 3, 6, 6) and out.dtype == np.float32
    assert np.allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    assert np.allclose(out.std(axis=(0, 2, 3)), 1, atol=1e-4)
    resized = np.stack([np.stack([np.asarray(Image.fromarray(img[:, :, c].astype(np.float32) / 255, mode="F")
                                             .resize((6, 6), Image.BILINEAR)) for c in range(3)])
                        for img in x])
    expect = (resized - np.array(fe["mean"])[None, :, None, None]) / np.array(fe["std"])[None, :, None, None]
    assert np.allclose(out, expect, atol=1e-4)


# ------------------------------------------------------------------------------- every front end type
def _all_frontends():
    cases = [
        ("resnet8", zoo.InputSpec("images", "classification", 2, (20, 20, 3), {}, ["a", "b"]),
         RNG.integers(0, 256, (7, 20, 20, 3), dtype=np.uint8), {"resolution": 16}),
        ("mlp", zoo.InputSpec("table", "regression", 1, (6,), {}, []),
         RNG.normal(size=(7, 6)).astype(np.float32), {}),
        ("conv1d", zoo.InputSpec("timeseries", "classification", 2, (64, 3), {"sample_rate": 50}, ["a", "b"]),
         RNG.normal(size=(7, 64, 3)).astype(np.float32), {}),
        ("spectral_dense", zoo.InputSpec("timeseries", "classification", 2, (64, 3), {"sample_rate": 50},
                                         ["a", "b"]), RNG.normal(size=(7, 64, 3)).astype(np.float32),
         {"highpass_hz": 1.0}),
        ("ds_cnn", zoo.InputSpec("audio", "classification", 2, (4000,), {"sample_rate": 8000}, ["a", "b"]),
         RNG.uniform(-1, 1, (7, 4000)).astype(np.float32), {}),
        ("audio_cnn", zoo.InputSpec("audio", "classification", 2, (4000,), {"sample_rate": 8000}, ["a", "b"]),
         RNG.uniform(-1, 1, (7, 4000)).astype(np.float32), {"mel_scale": "slaney"}),
    ]
    return cases


@pytest.mark.parametrize("arch,spec,x,knobs", _all_frontends(), ids=lambda v: v if isinstance(v, str) else "")
def test_front_ends_are_deterministic_batch_independent_and_json(arch, spec, x, knobs):
    fe = zoo.fit_frontend(arch, spec, x, knobs)
    fe2 = json.loads(json.dumps(fe))
    full = zoo.apply_frontend(fe, x)
    assert full.dtype == np.float32
    assert full.shape == (len(x), *zoo.network_input_shape(fe, spec))
    assert np.array_equal(full, zoo.apply_frontend(fe2, x))
    singles = np.concatenate([zoo.apply_frontend(fe, x[i:i + 1]) for i in range(len(x))])
    assert np.allclose(full, singles, rtol=1e-6, atol=1e-6)
    assert np.allclose(full[2:5], zoo.apply_frontend(fe, x[2:5]), rtol=1e-6, atol=1e-6)
    # statistics come from the training samples: standardised per channel / feature
    axes = tuple(i for i in range(full.ndim) if i != (1 if full.ndim == 4 and spec.kind != "audio" else full.ndim - 1))
    centred = full.mean(axis=axes)
    assert np.allclose(centred, 0, atol=1e-4)


def test_wrong_sample_shape_is_a_plain_error():
    spec = zoo.InputSpec("audio", "classification", 2, (4000,), {"sample_rate": 8000}, ["a", "b"])
    fe = zoo.fit_frontend("ds_cnn", spec, RNG.uniform(-1, 1, (3, 4000)), {})
    with pytest.raises(DataError, match="shape"):
        zoo.apply_frontend(fe, np.zeros((1, 3000), np.float32))
    with pytest.raises(DataError, match="sample rate"):
        zoo.fit_frontend("ds_cnn", zoo.InputSpec("audio", "classification", 2, (4000,), {}, ["a", "b"]),
                         np.zeros((2, 4000)), {})


def test_unit_suffixes_do_not_hide_a_three_axis_sensor():
    assert sf.find_axis_groups(["acc_x (m/s^2)", "acc_y (m/s^2)", "acc_z (m/s^2)", "t [C]"]) == [[0, 1, 2]]
    assert sf.find_axis_groups(["gyroX[dps]", "gyroY[dps]", "gyroZ[dps]"]) == [[0, 1, 2]]


def test_statistics_over_many_chunks_equal_the_direct_ones():
    x = (RNG.normal(size=(frontends.CHUNK * 3 + 17, 5)) * [1, 10, 100, 0.01, 0] + [0, 5, -3, 1e3, 7]).astype(np.float32)
    spec = zoo.InputSpec("table", "classification", 2, (5,), {}, ["a", "b"])
    fe = zoo.fit_frontend("mlp", spec, x, {})
    assert np.allclose(fe["mean"], x.astype(np.float64).mean(axis=0), rtol=1e-9, atol=1e-9)
    assert np.allclose(fe["std"][:4], x.astype(np.float64).std(axis=0)[:4], rtol=1e-9)
    assert fe["std"][4] == 1.0      # a constant column is centred, not divided by a zero spread
    assert np.isfinite(zoo.apply_frontend(fe, x)).all()


def test_audio_frame_settings():
    spec = zoo.InputSpec("audio", "classification", 2, (8000,), {"sample_rate": 16000}, ["a", "b"])
    x = RNG.uniform(-1, 1, (3, 8000))
    fe = zoo.fit_frontend("ds_cnn", spec, x, {"n_fft": 1024, "win_ms": 30.0, "hop_ms": 10.0, "n_mfcc": 13})
    assert (fe["n_fft"], fe["win_length"], fe["hop_length"]) == (1024, 480, 160)
    assert zoo.network_input_shape(fe, spec) == (1, 1 + (8000 - 480) // 160, 13)
    assert zoo.fit_frontend("ds_cnn", spec, x, {})["n_fft"] == 1024    # 640-sample frames -> next power of 2
    with pytest.raises(DataError, match="n_mfcc"):
        zoo.fit_frontend("ds_cnn", spec, x, {"n_mfcc": 50})
    with pytest.raises(DataError, match="n_fft"):
        zoo.fit_frontend("ds_cnn", spec, x, {"n_fft": 3})


def test_a_channel_called_like_a_principal_axis_keeps_its_mean():
    x = RNG.normal(size=(4, 32, 2)) + 3.0
    _, fe = _spectral("axes", x, names=("cpu_pct", "load_pc1"))
    assert fe["principal_channels"] == [False, False]
    assert "cpu_pct mean" in fe["feature_names"] and "load_pc1 mean" in fe["feature_names"]
    assert len(fe["feature_names"]) == zoo.network_input_shape(fe, zoo.InputSpec(
        "timeseries", "classification", 2, (32, 2), {}, ["a", "b"]))[0] == 2 * (4 + 8)
