"""A sensor that reads a few percent high or low (every cheap accelerometer's gain is off by 1-3%) must not
change what the model says: the sensor's scaling augmentation is a gain error in the recording's units.

The pump walk: a model trained on accelerometers that all read 1.00 g at rest scored 100% on a held-out
pump and 33% / 38% on the same recordings x 0.97 / x 1.03, 100% sure, because the scaling was applied to
the standardised network inputs (the |xyz| channel, std 0.029 g, never moved off its mean)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from edgeling.core.data.load import open_dataset
from edgeling.core.jobs.context import JobContext
from edgeling.core.models import zoo
from edgeling.core.training.augment import BatchAugmenter
from edgeling.core.training.setup import prepare

NAMES = ["acc_x", "acc_y", "acc_z", "temp"]


def _pump(n: int = 6, t: int = 128, rate: float = 100.0, seed: int = 0) -> np.ndarray:
    """Vibration on top of gravity (1 g, along a different direction in each window), then a temperature."""
    rng = np.random.default_rng(seed)
    time = np.arange(t) / rate
    out = np.zeros((n, t, 4))
    for i in range(n):
        down = rng.normal(size=3)
        vib = np.stack([0.05 * np.sin(2 * np.pi * (7 + i) * time), 0.02 * np.sin(2 * np.pi * 19 * time + i),
                        0.01 * rng.normal(size=t)], axis=1)
        out[i, :, :3] = down / np.linalg.norm(down) + vib + 0.002 * rng.normal(size=(t, 3))
        out[i, :, 3] = 293.0 + 0.2 * rng.normal(size=t)   # kelvin: no gain error simulated on it
    return out


def _front_end(arch: str, mode: str, x: np.ndarray) -> dict:
    spec = zoo.InputSpec("timeseries", "classification", 2, x.shape[1:],
                         {"sample_rate": 100.0, "channels": NAMES}, ["a", "b"])
    return zoo.fit_frontend(arch, spec, x, {"orientation": mode})


def _fixed_gain(aug: BatchAugmenter, u: float) -> None:
    """Every random draw of the scaling gives ``u``: the gain is 1 + (2u - 1) * scale everywhere."""
    aug._rand = lambda shape, gen, x: torch.full(tuple(shape), u, dtype=x.dtype, device=x.device)


@pytest.mark.parametrize("arch", ["conv1d", "spectral_dense"])
@pytest.mark.parametrize("mode", ["axes", "axes+magnitude", "invariant"])
@pytest.mark.parametrize("gain", [0.95, 1.04])
def test_scaling_a_sensor_s_inputs_is_the_same_as_its_readings_times_a_gain(arch, mode, gain):
    x = _pump()
    fe = _front_end(arch, mode, x)
    aug = BatchAugmenter("timeseries", {"scale": 0.05, "gain_in_units": True}, frontend=fe)
    _fixed_gain(aug, (gain - 1) / 0.1 + 0.5)
    out = aug(torch.from_numpy(zoo.apply_frontend(fe, x)).double(), torch.Generator().manual_seed(0)).numpy()
    misread = x.copy()
    misread[:, :, :3] *= gain                        # the accelerometer reads `gain` times the truth
    want = zoo.apply_frontend(fe, misread).astype(np.float64)
    names = fe["channel_names"] if arch == "conv1d" else fe["feature_names"]
    sensor = [i for i, name in enumerate(names) if not name.startswith("temp")]
    assert len(sensor) < len(names)
    assert np.allclose(out[:, sensor], want[:, sensor], atol=1e-4), np.abs(out[:, sensor] - want[:, sensor]).max()
    # the resting magnitude did move (by about 1.7 spreads at 5%): the check above is not about a no-op
    if "|acc|" in names:
        k = names.index("|acc|") if arch == "conv1d" else names.index("|acc| mean")
        moved = np.abs(out[:, k] - zoo.apply_frontend(fe, x)[:, k]).mean()
        assert moved > 0.3, moved


@pytest.mark.parametrize("arch", ["conv1d", "spectral_dense"])
@pytest.mark.parametrize("mode", ["axes", "axes+magnitude", "invariant"])
def test_one_gain_per_sensor_and_sample_moves_its_axes_magnitude_and_principal_axes_together(arch, mode):
    """The review: each front-end channel drew its own gain, so |acc| (and the principal axes) moved apart from
    the x, y, z it is made of, which no sensor does. Random gains now: each sample's outputs are those of its
    readings times one gain (found from the augmented x or |acc|)."""
    x = _pump()
    fe = _front_end(arch, mode, x)
    aug = BatchAugmenter("timeseries", {"scale": 0.05, "gain_in_units": True}, frontend=fe)
    gen = torch.Generator().manual_seed(3)
    draws = []
    rand = aug._rand
    aug._rand = lambda shape, g, t: draws.append(rand(shape, g, t)) or draws[-1]
    out = aug(torch.from_numpy(zoo.apply_frontend(fe, x)).double(), gen).numpy()
    (u,) = draws
    assert u.shape[1] == 2                        # the accelerometer's gain, the temperature's plain scaling
    gains = 1 + (u[:, 0].numpy() * 2 - 1) * 0.05
    assert np.ptp(gains) > 0.01                  # samples do get different gains
    names = fe["channel_names"] if arch == "conv1d" else fe["feature_names"]
    sensor = [i for i, name in enumerate(names) if not name.startswith("temp")]
    for i, g in enumerate(gains):
        misread = x[i:i + 1].copy()
        misread[:, :, :3] *= g
        want = zoo.apply_frontend(fe, misread).astype(np.float64)[0]
        assert np.allclose(out[i, sensor], want[sensor], atol=1e-4), (i, np.abs(out[i, sensor] - want[sensor]).max())


def test_other_channels_keep_their_augmentation():
    """A temperature in kelvin times 0.95 would move by many spreads: it keeps the plain scaling of its
    standardised values (a window) or none (spectral features)."""
    x = _pump()
    for arch, kept in (("conv1d", lambda z: z * 1.05), ("spectral_dense", lambda z: z)):
        fe = _front_end(arch, "invariant", x)
        names = fe["channel_names"] if arch == "conv1d" else fe["feature_names"]
        temp = [i for i, name in enumerate(names) if name.startswith("temp")]
        aug = BatchAugmenter("timeseries", {"scale": 0.1, "gain_in_units": True}, frontend=fe)
        _fixed_gain(aug, 0.75)                                         # gain 1.05
        z = torch.from_numpy(zoo.apply_frontend(fe, x)).double()
        out = aug(z.clone(), torch.Generator().manual_seed(0))
        assert torch.allclose(out[:, temp], kept(z[:, temp]))


def _write_recordings(root, per_class: int = 3, seconds: float = 6.0, rate: float = 100.0) -> None:
    rng = np.random.default_rng(0)
    t = np.arange(int(seconds * rate)) / rate
    for label, freq in (("normal", 12.0), ("cavitation", 31.0)):
        for i in range(per_class):
            down = rng.normal(size=3)
            xyz = down / np.linalg.norm(down) + 0.03 * np.sin(2 * np.pi * freq * t)[:, None] \
                + 0.005 * rng.normal(size=(len(t), 3))
            lines = ["timestamp,x,y,z"] + [f"{int(round(1000 * s))},{a:.5f},{b:.5f},{c:.5f}"
                                           for s, (a, b, c) in zip(t, xyz)]
            (root / label).mkdir(parents=True, exist_ok=True)
            (root / label / f"{label}_{i}.csv").write_text("\n".join(lines) + "\n")


def test_training_simulates_the_gain_error_on_the_inputs_it_trains_on(tmp_path, monkeypatch):
    """Through ``prepare``, as ``edgeling train`` does it: each augmented window of the |xyz| channel, put
    back in g, is the window times one gain within the scaling's range, and the gains differ."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    _write_recordings(tmp_path / "data")
    ds = open_dataset(tmp_path / "data")
    prep = prepare(ds, {"data": str(tmp_path / "data"), "arch": "conv1d", "knobs": {"orientation": "invariant"},
                        "epochs": 1, "augment": {"jitter": 0, "scale": 0.05}}, None, JobContext(lambda e: None))
    fe = prep.config["frontend"]
    k = fe["channel_names"].index("|xyz|")
    mean, std = fe["mean"][k], fe["std"][k]
    z = prep.train.x[:32]
    out = prep.augment(z.clone(), torch.Generator().manual_seed(1))
    before = (z[:, k, 0] * std + mean).double()
    after = (out[:, k, 0] * std + mean).double()
    ratio = after / before                                   # (windows, readings)
    assert torch.allclose(ratio, ratio[:, :1].expand_as(ratio), atol=1e-4)
    gains = ratio[:, 0]
    assert gains.min() >= 0.95 - 1e-4 and gains.max() <= 1.05 + 1e-4, gains
    assert gains.max() - gains.min() > 0.03, gains


def test_fine_tuning_in_compress_simulates_the_gain_error_too():
    """Pruning's and QAT's fine-tuning built its augmenter without the front end, so it scaled the standardised
    inputs again and could wear the tolerance off."""
    from edgeling.core.compress.compress_job import _fine_tune_data
    from edgeling.core.resources import samples_dir

    ds = open_dataset(samples_dir() / "pump")
    fe = zoo.fit_frontend("conv1d", zoo.InputSpec.from_dataset(ds), ds.x[:32], {"orientation": "invariant"})
    new = {"hyper": {"augment": {"scale": 0.1, "gain_in_units": True}}}
    got = _fine_tune_data(ds, zoo, fe, new, 1, 1e-3, "conv1d", JobContext(lambda e: None), [])
    assert got.augment.gain is not None
    old = {"hyper": {"augment": {"scale": 0.1}}}      # a run trained before: fine-tuned as it was trained
    assert _fine_tune_data(ds, zoo, fe, old, 1, 1e-3, "conv1d", JobContext(lambda e: None), []).augment.gain is None


def test_a_run_trained_before_the_gain_error_is_resumed_as_it_was_trained(tmp_path, monkeypatch):
    """The upgrade walk: `train --more` on a pump run of an older build fell from 98.8% to 79.9% training
    accuracy at its first new epoch (loss 0.31 -> 0.57), the new augmentation being another task than the one it
    learnt; a run made today continues smoothly. The run's saved settings now say which scaling it learnt with."""
    from edgeling.core.training.augment import default_augment

    assert default_augment("timeseries")["gain_in_units"] is True
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    _write_recordings(tmp_path / "data")
    ds = open_dataset(tmp_path / "data")
    params = {"data": str(tmp_path / "data"), "arch": "conv1d", "epochs": 1}
    fresh = prepare(ds, params, None, JobContext(lambda e: None))
    assert fresh.config["hyper"]["augment"]["gain_in_units"] is True and fresh.augment.gain is not None
    saved = json.loads(json.dumps(fresh.config))
    del saved["hyper"]["augment"]["gain_in_units"]                        # as an older build wrote run.json
    assert prepare(ds, params, saved, JobContext(lambda e: None)).augment.gain is None
