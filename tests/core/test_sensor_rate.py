"""The rate a model is trained at: a rate given (--sample-rate, the rate the device reads at) is the rate every
recording is read at, timestamps or not (the second pump walk: it was silently ignored for recordings with
timestamps, so no model could be trained at the Nano's 119 Hz); a recording read at a lower rate than its own
is filtered first, so its fast vibrations do not fold back as slow ones that were never there."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.new_recordings import recording_windows
from edgeling.core.data.timeseries import import_dataset


def write(path: Path, rate: float, seconds: float, tones: dict[float, float], seed: int = 0) -> Path:
    """A recording at ``rate`` with timestamps in ms: gravity on z plus ``tones`` ({Hz: amplitude}) on x."""
    t = np.arange(int(seconds * rate)) / rate
    x = sum(a * np.sin(2 * np.pi * f * t + seed) for f, a in tones.items())
    data = np.stack([x, 0.01 * np.random.default_rng(seed).normal(size=len(t)), 1.0 + 0 * t], 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("timestamp,x,y,z\n" + "\n".join(f"{round(v * 1000, 3):g},{a:.5f},{b:.5f},{c:.5f}"
                                                     for v, (a, b, c) in zip(t, data)) + "\n")
    return path


def folder(root: Path, rates: dict[str, float]) -> Path:
    for c, tone in (("normal", 5.0), ("cavitation", 12.0)):
        for i in range(3):
            name = f"{c}/{c}_{i}.csv"
            write(root / name, rates.get(name, 200.0), 6.0, {tone: 0.3, 70.0: 0.5}, seed=i)
    return root


def strength(windows: np.ndarray, rate: float, hz: float) -> float:
    """The amplitude of ``hz`` on x, averaged over the windows."""
    x = windows[:, :, 0] - windows[:, :, 0].mean(axis=1, keepdims=True)
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.shape[1]), axis=1)) / (x.shape[1] / 4)
    k = int(round(hz * x.shape[1] / rate))
    return float(spectrum[:, k - 1:k + 2].max(axis=1).mean())


def test_a_rate_given_is_the_rate_every_recording_is_read_at_and_said(tmp_path):
    root = folder(tmp_path / "d", {})
    own = import_dataset(root, ImportOptions())
    assert own.meta["sample_rate"] == 200 and not own.report.by_code(R.SAMPLE_RATE_MISMATCH)
    board = import_dataset(root, ImportOptions(sample_rate=119))
    assert board.meta["sample_rate"] == 119 and board.meta["window_len"] == 238 and board.x.shape[1] == 238
    (said,) = board.report.by_code(R.SAMPLE_RATE_MISMATCH)
    assert said.severity == "info" and said.message.startswith(
        "You chose 119 samples per second, so 6 recordings made at a higher rate (up to 200 per second, by their "
        "timestamps) were resampled to it. What vibrates faster than 59.5 Hz was filtered out of them first")
    assert said.advice.endswith("set 'read at' on the Data page back to as recorded (in a terminal: leave --sample-rate "
                                "out).") and len(said.files) == 6      # the app's words first, as other findings
    # 70 Hz cannot be seen at 119 readings a second: filtered out, not folded back to 119 - 70 = 49 Hz
    assert strength(board.x, 119, 49.0) < 0.02 and strength(board.x, 119, 12.0) > 0.1
    # a new recording at 200 per second is read as the run's own were (predict)
    new = recording_windows(root / "normal" / "normal_0.csv", board.meta)
    mine = [k for k, s in enumerate(board.sources) if s.startswith("normal/normal_0.csv#")]
    assert np.allclose(new.x, board.x[mine], atol=1e-5)
    assert any(n.startswith("recorded at 200 per second; the model was trained at 119") for n in new.notes)
    slower = import_dataset(root, ImportOptions(sample_rate=400))
    (stretched,) = slower.report.by_code(R.SAMPLE_RATE_MISMATCH)
    assert stretched.severity == "warning" and stretched.message.startswith(
        "You chose 400 samples per second, more than the 200 per second the recordings were made at, so every "
        "recording was resampled up to it.")     # the GUI walk: it said they lacked what "the others" have


def test_a_faster_recording_read_at_the_others_rate_is_filtered_first(tmp_path):
    root = folder(tmp_path / "d", {"normal/normal_2.csv": 400.0})
    for i, hz in enumerate((150.0, 30.0)):      # 150 Hz would fold back to 50 Hz at 200 readings a second
        write(root / "fast" / f"fast_{i}.csv", 400.0, 6.0, {hz: 0.5})
        write(root / "slow" / f"slow_{i}.csv", 200.0, 6.0, {3.0: 0.2})
    ds = import_dataset(root, ImportOptions())
    assert ds.meta["sample_rate"] == 200
    (said,) = [p for p in ds.report.by_code(R.SAMPLE_RATE_MISMATCH) if "higher" in p.message]
    assert "What vibrates faster than 100 Hz was filtered out of them first" in said.message
    fast = [k for k, s in enumerate(ds.sources) if s.startswith("fast/fast_0.csv#")]
    kept = [k for k, s in enumerate(ds.sources) if s.startswith("fast/fast_1.csv#")]
    assert strength(ds.x[fast], 200, 50.0) < 0.02 and strength(ds.x[kept], 200, 30.0) > 0.4
