"""Sensor recordings as a maintenance engineer's logger writes them: millis() at each reading (the sample
rate must come from the span, not the median interval), a temperature column on one unit (not used), a
German export from another (left out, saying which channels it lacks)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edgeling.core.data import report as R
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.recording import measured_rate
from edgeling.core.data.timeseries import import_dataset, windows_from_recording
from tests.core.test_import_timeseries import signal


def write_logged(path: Path, rate: float, seconds: float, seed: int = 0, header=("millis", "ax", "ay", "az"),
                 pause_at: float | None = None, pause_s: float = 0.0, extra=None) -> Path:
    """A recording stamped with whole milliseconds (floor of the true time, as millis() is), optionally
    without readings for ``pause_s`` seconds from ``pause_at``, and extra constant columns."""
    n = int(round(seconds * rate))
    t = np.arange(n) / rate
    data = signal(n, rate, 3.0 + seed % 3, 3, seed)
    keep = np.ones(n, bool) if pause_at is None else ~((t > pause_at) & (t <= pause_at + pause_s))
    ms = 12345 + np.floor(t * 1000 + 1e-6).astype(int)
    lines = [",".join(header)]
    for i in np.flatnonzero(keep):
        lines.append(",".join([str(ms[i]), *(f"{v:.4f}" for v in data[i]), *(extra or [])]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def logged_folder(root: Path, rate: float, seconds: float = 10.0, per_class: int = 2) -> Path:
    for c in ("normal", "cavitation"):
        for k in range(per_class):
            write_logged(root / c / f"{c}_{k}.csv", rate, seconds, seed=k + (5 if c == "cavitation" else 0))
    return root


@pytest.mark.parametrize("rate", [400, 119, 238, 100, 50])
def test_rate_of_whole_millisecond_timestamps(tmp_path, rate):
    # 400 Hz steps by 2 or 3 ms: the median interval said 500 per second (119 Hz said 125, 238 said 250),
    # and everything was resampled to that
    ds = import_dataset(logged_folder(tmp_path / "d", rate), ImportOptions())
    assert ds.meta["sample_rate"] == float(rate)
    assert ds.meta["window_len"] == int(2 * rate) and ds.num_samples in (4 * 8, 4 * 9)   # 10 s each
    assert not ds.report.by_code(R.SAMPLE_RATE_MISMATCH)


def test_measured_rate_is_said_as_a_person_would():
    assert measured_rate(np.arange(1000) * 0.01) == 100.0             # not 99.99 from float noise
    assert measured_rate(np.arange(2000) / 200 + 1e-7 * np.sin(np.arange(2000))) == 200.0
    assert measured_rate(np.arange(300) / 13.7) == 13.7
    assert measured_rate(np.arange(10) * 4.0) == 0.25
    t = np.floor(np.arange(4000) / 400 * 1000) / 1000
    assert measured_rate(np.delete(t, [100, 1500, 2900])) == 400.0     # a skipped reading now and then
    assert measured_rate(np.concatenate([t[:2000], t[2000:] + 3.0])) == 400.0   # a 3 s pause left out


def test_a_recording_at_400_among_200_is_reported_at_400(tmp_path):
    root = logged_folder(tmp_path / "d", 200)
    write_logged(root / "normal" / "P3_normal_1.csv", 400, 10.0, seed=9)
    ds = import_dataset(root, ImportOptions())
    assert ds.meta["sample_rate"] == 200.0
    assert ds.report.by_code(R.SAMPLE_RATE_MISMATCH)[0].files == ["normal/P3_normal_1.csv (400 per second)"]


def test_an_extra_column_is_not_used_and_a_renamed_one_is_named(tmp_path):
    root = logged_folder(tmp_path / "d", 200, per_class=3)
    write_logged(root / "normal" / "P1_loose_mount_1.csv", 200, 10.0, seed=1,
                 header=("timestamp", "ax", "ay", "az", "temp_c"), extra=["38.2"])
    write_logged(root / "cavitation" / "P4_cavitation_1.csv", 200, 10.0, seed=2,
                 header=("Zeitstempel", "Beschl_X", "Beschl_Y", "Beschl_Z", "Temperatur_C"), extra=["41.3"])
    ds = import_dataset(root, ImportOptions())
    extra = ds.report.by_code(R.DROPPED_COLUMN)[0]
    assert extra.severity == "info" and extra.message == (
        "normal/P1_loose_mount_1.csv has an extra column 'temp_c', not used: the other recordings do not have it.")
    assert sum(s.startswith("normal/P1_loose_mount_1.csv#") for s in ds.sources) == 9
    i = ds.sources.index("normal/P1_loose_mount_1.csv#t=0.00-2.00")
    assert np.allclose(ds.x[i], signal(2000, 200, 4.0, 3, 1)[:400], atol=1e-4)   # ax, ay, az: not temp_c
    lacking = ds.report.by_code(R.CHANNEL_MISMATCH)[0]
    assert lacking.files == ["cavitation/P4_cavitation_1.csv (no ax, ay, az; its columns: Beschl_X, Beschl_Y, "
                             "Beschl_Z, Temperatur_C)"]     # Zeitstempel is read as its timestamp
    assert not any(s.startswith("cavitation/P4_cavitation_1.csv") for s in ds.sources)
    assert ds.meta["channels"] == ["ax", "ay", "az"] and ds.meta["recordings"] == 7
    # predict reads the same file by name, as before
    assert np.array_equal(windows_from_recording(root / "normal" / "P1_loose_mount_1.csv", ds.meta),
                          ds.x[[k for k, s in enumerate(ds.sources) if s.startswith("normal/P1_loose_mount_1.csv#")]])
