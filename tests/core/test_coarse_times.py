"""Timestamps coarser than the readings: a logger writing whole seconds for 50 readings a second (ISO date-times,
a seconds column 0, 0, ..., 1, 1, ..., times of day rounded to the second) or whole milliseconds at 2000 a
second. They were read as "490 readings with a timestamp already seen" (the first of each kept) at 1 per
second: 98% of the readings thrown away and the rate wrong. Readings re-sent by the logger are still left out."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.data.csvread import read_csv
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.new_recordings import labelled_windows, recording_windows
from edgeling.core.data.recording import read_signal
from edgeling.core.data.timeseries import import_dataset

RATE = 50
START = 8 * 3600


def readings(seed: int, freq: float, n: int, rate: float = RATE) -> np.ndarray:
    t = np.arange(n) / rate
    rng = np.random.default_rng(seed)
    return np.stack([np.sin(2 * np.pi * freq * t + c) + 0.01 * rng.normal(size=n) for c in range(3)], 1)


def stamps(kind: str, n: int, rate: float = RATE) -> tuple[str, list[str]]:
    """The timestamp column: "fine" (seconds to the millisecond), "iso" (2024-05-10 08:00:01), "seconds"
    (0, 0, ..., 1, ...), "time" (a column named time, 0, 0, ..., 1, ...), "clock" (08:00:01), "ms" (whole ms)."""
    t = np.arange(n) / rate
    whole = [int(np.floor(v + 1e-9)) for v in t]
    clock = [f"{(START + s) // 3600:02d}:{(START + s) // 60 % 60:02d}:{(START + s) % 60:02d}" for s in whole]
    return {"fine": ("t", [f"{v:.4f}" for v in t]),
            "iso": ("timestamp", [f"2024-05-10 {c}" for c in clock]),
            "seconds": ("seconds", [str(s) for s in whole]),
            "time": ("time", [str(s) for s in whole]),
            "clock": ("Time", clock),
            "ms": ("time_ms", [str(int(np.floor(v * 1000 + 1e-9))) for v in t])}[kind]


def write(path: Path, data: np.ndarray, kind: str, rate: float = RATE, labels: list[str] | None = None) -> Path:
    head, cells = stamps(kind, len(data), rate)
    lines = [",".join([head, "x", "y", "z"] + (["label"] if labels else []))]
    lines += [",".join([c] + [f"{v:.5f}" for v in row] + ([labels[i]] if labels else []))
              for i, (c, row) in enumerate(zip(cells, data))]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def folder(root: Path, kind: str, rate: float = RATE) -> Path:
    for c, freq in (("idle", 1.0), ("shake", 6.0)):
        for i in range(3):
            write(root / c / f"{c}_{i}.csv", readings(i, freq, 6 * int(rate), rate), kind, rate)
    return root


def resend(f: Path, at: tuple[int, ...]) -> None:
    """The logger sent the lines ``at`` twice, each right after the first."""
    lines = f.read_text().splitlines()
    for i in sorted(at, reverse=True):
        lines.insert(i + 1, lines[i])
    f.write_text("\n".join(lines) + "\n")


def test_whole_seconds_for_50_readings_a_second_keep_every_reading_at_50_per_second(tmp_path):
    fine = import_dataset(folder(tmp_path / "fine", "fine"), ImportOptions())
    for kind in ("iso", "seconds", "time", "clock"):
        ds = import_dataset(folder(tmp_path / kind, kind), ImportOptions())
        assert ds.meta["sample_rate"] == RATE, kind                # was 1 per second
        assert not ds.report.by_code(R.REPEATED_TIMESTAMPS), kind  # was "245 readings ... already seen"
        (said,) = ds.report.by_code(R.COARSE_TIMESTAMPS)
        assert said.severity == "info" and len(said.files) == 6 and "idle/idle_0.csv" in said.files
        assert said.message == ("The timestamps of 6 recordings are given to the second, 50 readings each; the "
                                "readings were spread evenly within each second."), kind
        assert ds.sources == fine.sources and np.allclose(ds.x, fine.x, atol=1e-4), kind
    assert not fine.report.by_code(R.COARSE_TIMESTAMPS)


def test_whole_numbers_under_a_name_with_no_unit_say_how_to_have_them_read_as_milliseconds(tmp_path):
    """'time' 0, 0, ..., 1, 1, ... is read as seconds (50 a second); a 50 kHz logger writing whole ms looks the
    same, so the fix says how to have them read as ms. A column named 'seconds', and date-times, say nothing of it."""
    for kind, said in (("time", True), ("seconds", False), ("iso", False), ("clock", False)):
        (found,) = import_dataset(folder(tmp_path / kind, kind), ImportOptions()).report.by_code(R.COARSE_TIMESTAMPS)
        hint = ("The timestamp column's name gives no unit, so its whole numbers were read as seconds (50 readings "
                "a second). If they are milliseconds (50,000 readings a second), name the column 'time_ms' in each "
                "file and import again.")
        assert (hint in found.advice) == said, kind


def test_whole_milliseconds_at_2000_a_second_are_read_at_2000(tmp_path):
    signal, _ = read_signal(read_csv(write(tmp_path / "fast.csv", readings(0, 30.0, 4000, 2000), "ms", 2000)))
    assert signal.rate == 2000 and len(signal.data) == 4000 and not signal.repeated
    assert signal.coarse is not None and signal.coarse.words() == "given to the millisecond, 2 readings each"
    assert np.allclose(np.diff(signal.times), 0.0005)


def test_a_logger_resending_lines_is_still_said_and_its_copies_left_out(tmp_path):
    clean = import_dataset(folder(tmp_path / "clean", "iso"), ImportOptions())
    root = folder(tmp_path / "resent", "iso")
    resend(root / "idle" / "idle_1.csv", (60, 120, 180))
    ds = import_dataset(root, ImportOptions())
    (p,) = ds.report.by_code(R.REPEATED_TIMESTAMPS)
    assert p.message == "idle/idle_1.csv has 3 readings with a timestamp already seen; the first of each was kept."
    assert ds.meta["sample_rate"] == RATE and np.allclose(ds.x, clean.x)
    got = recording_windows(root / "idle" / "idle_1.csv", ds.meta)
    assert "3 readings have a timestamp already seen; the first of each was kept" in got.notes
    # fine timestamps with a few lines sent twice, or every line sent twice: as before, not coarse
    for name, at in (("few", (50, 100, 150)), ("every", tuple(range(1, 301)))):
        f = write(tmp_path / f"{name}.csv", readings(1, 1.0, 300), "fine")
        resend(f, at)
        signal, _ = read_signal(read_csv(f))
        assert signal.repeated == len(at) and signal.coarse is None and signal.rate == RATE, name
        assert len(signal.data) == 300, name


def test_predict_and_testing_on_a_file_spread_coarse_timestamps_and_say_so(tmp_path):
    fine = import_dataset(folder(tmp_path / "fine", "fine"), ImportOptions())
    f = write(tmp_path / "new.csv", readings(4, 6.0, 6 * RATE), "iso")
    got = recording_windows(f, fine.meta)
    plain = recording_windows(write(tmp_path / "plain.csv", readings(4, 6.0, 6 * RATE), "fine"), fine.meta)
    assert got.notes == ["its timestamps are given to the second, 50 readings each; the readings were spread "
                         "evenly within each second"]     # not "245 readings have a timestamp already seen"
    assert np.allclose(got.x, plain.x, atol=1e-4) and got.starts == plain.starts
    labels = ["idle"] * 150 + ["shake"] * 150
    tested = labelled_windows(write(tmp_path / "long.csv", readings(5, 1.0, 300), "seconds", labels=labels),
                              fine.meta)
    assert tested.labels == ["idle"] * 2 + ["shake"] * 2
    assert tested.notes == ["long.csv: its timestamps are given to the second, 50 readings each; the readings "
                            "were spread evenly within each second"]


def test_a_clock_restart_among_whole_seconds_cuts_the_recording_there(tmp_path):
    f = write(tmp_path / "joined.csv", readings(2, 1.0, 500), "seconds")
    lines = f.read_text().splitlines()
    lines[251:] = [",".join([str(int(line.split(",")[0]) - 5)] + line.split(",")[1:]) for line in lines[251:]]
    f.write_text("\n".join(lines) + "\n")      # seconds 0..4, then 0..4 again from line 252
    signal, _ = read_signal(read_csv(f))
    assert signal.rate == RATE and len(signal.data) == 500 and not signal.repeated     # not 100 per second
    assert signal.gaps(1.0) == [249] and signal.restarts[249].line == 252


def test_a_step_measured_from_epoch_times_is_named_despite_float_rounding():
    """Epoch milliseconds at 25,000 readings a second were said to come "in steps of 0.000999928 s"."""
    from edgeling.core.data.coarse_times import step_words

    assert step_words(0.000999928) == ("to the millisecond", "millisecond")
    assert step_words(1.0) == ("to the second", "second")
    assert step_words(0.25) == ("in steps of 0.25 s", "step of 0.25 s")
    assert step_words(0.123456) == ("in steps of 0.123 s", "step of 0.123 s")


def test_a_coarse_sensor_s_equal_readings_under_whole_seconds_are_all_kept():
    """The review: a pressure sensor at 0.1 resolution, 50 readings a second under whole-second times: its equal
    readings were taken for lines sent twice, and 30 of 1,500 readings were kept, at 1 per second."""
    import tempfile

    from edgeling.core.data.csvread import read_csv
    from edgeling.core.data.recording import read_signal

    lines = ["time,pressure"] + [f"2024-05-10 08:00:{i // 50:02d},{2.5 + 0.1 * ((i // 50) % 3):.1f}" for i in range(1500)]
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "p.csv"
        p.write_text("\n".join(lines) + "\n")
        s, _ = read_signal(read_csv(p))
    assert len(s.data) == 1500 and s.repeated == 0 and s.rate == 50


def test_a_rate_given_for_whole_numbers_read_as_seconds_says_to_name_them_as_milliseconds(tmp_path):
    """The same files with the logger's real rate given (50,000 a second): read as seconds they span far too long
    for their readings, and the refusal says how to have them read as ms."""
    import pytest

    from edgeling.core.data.dataset import DataError

    with pytest.raises(DataError) as refused:
        import_dataset(folder(tmp_path / "time", "time"), ImportOptions(sample_rate=50_000))
    assert "the timestamps jump far ahead somewhere. Check the timestamp column, or, if its numbers are " \
           "milliseconds, name it 'time_ms'." in str(refused.value)
