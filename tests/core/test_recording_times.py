"""Timestamps written as times of day ("08:00:00.005"), alone or beside a Date column, and day-first date-times
are read as time (the second pump walk: they were ignored as "text", the rate assumed with an info line, and
predict said nothing about a 100 Hz recording read at 200 per second)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from edgeling.core.data import report as R
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.new_recordings import recording_windows
from edgeling.core.data.timeseries import import_dataset
from edgeling.core.jobs.context import JobContext

RATE = 100


def readings(seed: int, freq: float, n: int, rate: float = RATE) -> np.ndarray:
    t = np.arange(n) / rate
    rng = np.random.default_rng(seed)
    return np.stack([np.sin(2 * np.pi * freq * t + c) + 0.01 * rng.normal(size=n) for c in range(3)], 1)


def clock(seconds: float) -> str:
    seconds = seconds % 86400
    return f"{int(seconds // 3600):02d}:{int(seconds // 60 % 60):02d}:{seconds % 60:06.3f}"


def write(path: Path, data: np.ndarray, stamps: str | None, rate: float = RATE, start: float = 8 * 3600) -> Path:
    """``stamps``: "s" (seconds), "time" (Time: 08:00:00.010), "date+time" (Date, Time), "dmy" (10.05.2024
    08:00:00.010), or None (no timestamps)."""
    t = start + np.arange(len(data)) / rate
    head, cells = {"s": ("t", [f"{v - start:.3f}" for v in t]),
                   "time": ("Time", [clock(v) for v in t]),
                   "date+time": ("Date,Time", [f"2024-05-{10 + int(v // 86400)},{clock(v)}" for v in t]),
                   "dmy": ("Timestamp", [f"{10 + int(v // 86400)}.05.2024 {clock(v)}" for v in t]),
                   None: (None, [None] * len(t))}[stamps]
    lines = [",".join(([head] if head else []) + ["x", "y", "z"])]
    lines += [",".join(([c] if c else []) + [f"{v:.5f}" for v in row]) for c, row in zip(cells, data)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def folder(root: Path, odd: str | None, odd_rate: float = RATE) -> Path:
    for c, freq in (("idle", 1.0), ("shake", 6.0)):
        for i in range(3):
            write(root / c / f"{c}_{i}.csv", readings(i, freq, 4 * RATE), "s")
        write(root / c / f"{c}_odd.csv", readings(7, freq, int(4 * odd_rate), odd_rate), odd, odd_rate)
    return root


def test_times_of_day_alone_or_beside_a_date_are_the_timestamps(tmp_path):
    plain = import_dataset(folder(tmp_path / "s", "s"), ImportOptions())
    for stamps in ("time", "date+time", "dmy"):
        ds = import_dataset(folder(tmp_path / stamps, stamps), ImportOptions())
        assert ds.meta["sample_rate"] == RATE
        assert not ds.report.by_code(R.DROPPED_COLUMN), stamps          # 'Date', 'Time' were "text", ignored
        assert not ds.report.by_code(R.SAMPLE_RATE_MISMATCH), stamps    # nor "taken to be at 100 per second"
        assert ds.sources == plain.sources and np.allclose(ds.x, plain.x, atol=1e-4)
    slow = import_dataset(folder(tmp_path / "slow", "time", odd_rate=50), ImportOptions())
    (said,) = slow.report.by_code(R.SAMPLE_RATE_MISMATCH)
    assert "stretched to 100 per second" in said.message and "idle/idle_odd.csv (50 per second)" in said.files


def test_a_recording_past_midnight_goes_on_into_the_next_day(tmp_path):
    for stamps in ("time", "date+time"):
        root = tmp_path / stamps
        for c, freq in (("idle", 1.0), ("shake", 6.0)):
            for i in range(3):
                write(root / c / f"{c}_{i}.csv", readings(i, freq, 4 * RATE), stamps, start=86400 - 2.0)
        ds = import_dataset(root, ImportOptions())
        assert ds.meta["sample_rate"] == RATE and not ds.report.by_code(R.TIMESTAMP_GAP), stamps
        assert len(ds.x) == 18 and ds.sources[:3] == [f"idle/idle_0.csv#t={a}.00-{a + 2}.00" for a in range(3)]


def test_a_recording_with_no_timestamps_among_timed_ones_is_a_warning_and_predict_says_it(tmp_path):
    ds = import_dataset(folder(tmp_path / "mixed", None), ImportOptions())
    (said,) = ds.report.by_code(R.SAMPLE_RATE_MISMATCH)
    assert said.severity == "warning" and said.files == ["idle/idle_odd.csv", "shake/shake_odd.csv"]
    assert said.message.startswith("2 recordings have no timestamps (no column of times that could be read), so "
                                   "they were taken to be at 100 samples per second like the others.")
    assert "Add a timestamp column" in said.advice
    assert "('read at' on the Data page (in a terminal: --sample-rate): every recording is then read" in said.advice
    new = tmp_path / "new"
    untimed = recording_windows(write(new / "untimed.csv", readings(1, 6.0, 600, 50), None), ds.meta)
    assert any(n.startswith("it has no timestamps") and "taken to be at 100 readings per second" in n
               for n in untimed.notes)
    clocked = recording_windows(write(new / "clock.csv", readings(1, 6.0, 600, 50), "time", 50), ds.meta)
    assert any(n.startswith("recorded at 50 per second and stretched to 100, the model's rate") for n in clocked.notes)
    untimed_run = import_dataset(_untimed(tmp_path), ImportOptions(sample_rate=RATE))
    assert not recording_windows(new / "untimed.csv", untimed_run.meta).notes   # the run had none either


def _untimed(tmp_path: Path) -> Path:
    root = tmp_path / "untimed"
    for c, freq in (("idle", 1.0), ("shake", 6.0)):
        for i in range(3):
            write(root / c / f"{c}_{i}.csv", readings(i, freq, 4 * RATE), None)
    return root


def test_recordings_with_no_timestamps_and_no_rate_ask_for_the_rate_with_a_code_an_app_can_act_on(tmp_path):
    """The app had no way to give the rate when every recording lacked timestamps: the import failed with
    'Give the sample rate', and its rate box shows only after an import. The error now carries a code."""
    from edgeling.core.data.dataset import NO_SAMPLE_RATE, DataError
    from edgeling.core.jobs.import_job import run as import_job

    root = tmp_path / "untimed"
    for cls, freq in (("idle", 1.0), ("shake", 6.0)):
        for k in range(3):
            write(root / cls / f"{cls}_{k}.csv", readings(k, freq, 600, 50), None)
    with pytest.raises(DataError) as e:
        import_dataset(root, ImportOptions())
    assert e.value.code == NO_SAMPLE_RATE
    assert "Give the sample rate the sensor read at, such as 100 samples per second (in a terminal: --sample-rate 100)," \
        in str(e.value)
    got = import_job({"path": str(root), "options": {}}, JobContext(lambda ev: None))
    assert got["ok"] is False and got["code"] == NO_SAMPLE_RATE
    assert import_dataset(root, ImportOptions(sample_rate=50)).meta["sample_rate"] == 50


def test_untimed_recordings_made_at_one_rate_can_be_read_at_another(tmp_path, capsys):
    """The GUI walk: recordings with no times, given as 100 per second, then read at the board's 119: the one
    option was both, so the rows were taken as 119 a second (181 windows instead of 226, every movement faster)."""
    from edgeling.core.cli import main

    root = tmp_path / "untimed"
    for cls, freq in (("idle", 1.0), ("shake", 6.0)):
        for k in range(3):
            write(root / cls / f"{cls}_{k}.csv", readings(k, freq, 600, 50), None)
    at_50 = import_dataset(root, ImportOptions(recorded_rate=50))
    assert at_50.meta["sample_rate"] == 50 and not at_50.report.by_code(R.SAMPLE_RATE_MISMATCH)
    raised = import_dataset(root, ImportOptions(recorded_rate=50, sample_rate=60))
    assert raised.meta["sample_rate"] == 60 and raised.meta["untimed_rate"] == 50
    assert raised.meta["recordings"] == at_50.meta["recordings"]
    assert raised.x.shape[1] == round(at_50.x.shape[1] * 60 / 50)        # the same 2 s, at 60 per second
    (said,) = raised.report.by_code(R.SAMPLE_RATE_MISMATCH)
    assert said.message.startswith("You chose 60 samples per second, more than the 50 per second the recordings "
                                   "were made at, so every recording was resampled up to it.")
    lowered = import_dataset(root, ImportOptions(recorded_rate=50, sample_rate=40))
    (said,) = lowered.report.by_code(R.SAMPLE_RATE_MISMATCH)      # no timestamps: not "by their timestamps"
    assert "made at a higher rate (up to 50 per second) were resampled to it." in said.message
    new = recording_windows(write(tmp_path / "new.csv", readings(9, 6.0, 600, 50), None), raised.meta)
    per_recording = sum(s.startswith("idle/idle_0.csv#") for s in raised.sources)
    assert len(new.starts) == per_recording >= 10          # 12 s at 50 per second, as recorded: read as the run's
    assert any(n.startswith("recorded at 50 per second and stretched to 60") for n in new.notes)
    assert main(["inspect", str(root), "--recorded-rate", "50", "--sample-rate", "60", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["meta"]["untimed_rate"] == 50


def test_a_long_untimed_csv_made_at_one_rate_and_read_at_another_is_tested_as_it_was_trained(tmp_path):
    """The review: evaluate --on a long CSV with no timestamps read it at the model's rate, not the rate it was
    made at (42 windows where training had 48), and its windows were named at t=1001 s for 10.01 s."""
    from edgeling.core.data.new_recordings import labelled_windows

    rng = np.random.default_rng(0)
    lines = ["x,y,z,label"]
    for act in ["walk", "run"] * 3:
        f = 2 if act == "walk" else 5
        lines += [f"{np.sin(2 * np.pi * f * i / 100):.4f},{rng.normal():.3f},{1 + rng.normal() * .1:.3f},{act}"
                  for i in range(1000)]
    (tmp_path / "long.csv").write_text("\n".join(lines) + "\n")
    ds = import_dataset(tmp_path / "long.csv", ImportOptions(sample_rate=119, recorded_rate=100))
    got = labelled_windows(tmp_path / "long.csv", ds.meta, ds.meta.get("label_column"))
    assert len(got.x) == len(ds.x) and float(np.abs(ds.x[0] - got.x[0]).max()) < 1e-6
    assert any("recorded at 100 per second and stretched to 119" in n for n in got.notes)
    named = import_dataset(tmp_path / "long.csv", ImportOptions(recorded_rate=100)).sources
    assert named[1].endswith("#t=1.00-3.00") and all("#t=100" not in s for s in named)
