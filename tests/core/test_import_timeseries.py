"""Sensor recordings: folder per class and long CSV, sample rates from timestamps, resampling, channel
and length checks, windows, splits per recording, duplicates, and the bundled pump sample."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edgeling.core.data import report as R
from edgeling.core.data.dataset import DataError
from edgeling.core.data.load import ImportOptions, open_dataset
from edgeling.core.data.new_recordings import recording_windows, windows_from_recording
from edgeling.core.data.timeseries import import_dataset

ROOT = Path(__file__).resolve().parents[2]
PUMP = ROOT / "resources" / "samples" / "pump"


def signal(n: int, rate: float, freq: float, channels: int = 3, seed: int = 0) -> np.ndarray:
    t = np.arange(n) / rate
    rng = np.random.default_rng(seed)
    return np.stack([np.sin(2 * np.pi * freq * t + c) + 0.01 * rng.normal(size=n) for c in range(channels)], 1)


def write_rec(path: Path, rate: float = 50.0, seconds: float = 4.0, time: str | None = "s",
              channels=("x", "y", "z"), freq: float = 2.0, seed: int = 0, start: float = 0.0) -> Path:
    n = int(round(seconds * rate))
    data = signal(n, rate, freq, len(channels), seed)
    t = start + np.arange(n) / rate
    header = list(channels)
    if time == "s":
        header, stamps = ["time"] + header, [f"{v:.4f}" for v in t]
    elif time == "ms":
        header, stamps = ["timestamp"] + header, [str(int(round(v * 1000))) for v in t]
    elif time == "iso":
        base = dt.datetime(2024, 5, 1, 12, 0, 0)
        header, stamps = ["datetime"] + header, [(base + dt.timedelta(seconds=float(v))).isoformat() for v in t]
    lines = [",".join(header)]
    for i in range(n):
        vals = [f"{v:.5f}" for v in data[i]]
        lines.append(",".join(([stamps[i]] if time else []) + vals))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def make_folder(root: Path, per_class: int = 4, **kw) -> Path:
    for c, freq in (("idle", 1.0), ("shake", 6.0)):
        for i in range(per_class):
            write_rec(root / c / f"{c}_{i}.csv", freq=freq, seed=i + (10 if c == "shake" else 0), **kw)
    return root


@pytest.mark.parametrize("time", ["s", "ms", "iso"])
def test_folder_per_class_rate_from_timestamps(tmp_path, time):
    ds = import_dataset(make_folder(tmp_path / time, time=time), ImportOptions())
    assert ds.kind == "timeseries" and ds.class_names == ["idle", "shake"]
    assert ds.meta["sample_rate"] == 50.0 and ds.meta["channels"] == ["x", "y", "z"]
    # 4 s recordings: window 2 s (100 samples), stride 1 s -> 3 windows per recording.
    assert ds.x.shape == (24, 100, 3) and ds.x.dtype == np.float32
    assert ds.meta["window_len"] == 100 and ds.meta["stride_s"] == 1.0
    assert ds.sources[0] == "idle/idle_0.csv#t=0.00-2.00" and ds.sources[2] == "idle/idle_0.csv#t=2.00-4.00"
    # only the shared small-data warnings (4 recordings per class leave 1 for validation); nothing about
    # the timestamps or the channels
    assert set(ds.report.codes()) <= {R.TOO_FEW_SAMPLES}


def test_windows_are_the_raw_samples(tmp_path):
    root = make_folder(tmp_path / "d", time="ms")
    ds = import_dataset(root, ImportOptions(window_s=1.0, stride_s=0.5))
    expected = signal(200, 50.0, 1.0, 3, seed=0)[25:75]
    i = ds.sources.index("idle/idle_0.csv#t=0.50-1.50")
    assert np.allclose(ds.x[i], expected, atol=1e-4)
    w = windows_from_recording(root / "idle" / "idle_0.csv", ds.meta)
    mine = [k for k, s in enumerate(ds.sources) if s.startswith("idle/idle_0.csv#")]
    assert np.array_equal(w, ds.x[mine])


def test_no_timestamp_needs_a_sample_rate(tmp_path):
    root = make_folder(tmp_path / "d", time=None)
    with pytest.raises(DataError) as e:
        import_dataset(root, ImportOptions())
    assert "sample rate" in str(e.value) and "timestamp" in str(e.value)
    ds = import_dataset(root, ImportOptions(sample_rate=50))
    assert ds.meta["sample_rate"] == 50 and ds.x.shape == (24, 100, 3)
    # With no header either, the channels are numbered.
    for c, seed in (("a", 1), ("b", 2)):
        f = tmp_path / "nohead" / c / "r.csv"
        f.parent.mkdir(parents=True)
        np.savetxt(f, signal(100, 25, 1.0, seed=seed), delimiter=";", fmt="%.4f")
    plain = import_dataset(tmp_path / "nohead", ImportOptions(sample_rate=25))
    assert plain.meta["channels"] == ["column 1", "column 2", "column 3"] and plain.x.shape == (6, 50, 3)


def test_row_counter_is_not_a_timestamp_and_a_given_rate_is_the_rate_timestamps_are_read_at(tmp_path):
    for c, seed in (("a", 1), ("b", 2)):
        f = tmp_path / "counted" / c / "r.csv"
        f.parent.mkdir(parents=True)
        rows = [f"{i},{x:.4f},{y:.4f}" for i, (x, y) in enumerate(signal(120, 30, 1.0, 2, seed))]
        f.write_text("index,x,y\n" + "\n".join(rows) + "\n")
    with pytest.raises(DataError, match="sample rate"):
        import_dataset(tmp_path / "counted", ImportOptions())
    ds = import_dataset(tmp_path / "counted", ImportOptions(sample_rate=30))
    assert ds.meta["channels"] == ["x", "y"] and ds.meta["sample_rate"] == 30
    assert "'index'" in ds.report.by_code(R.DROPPED_COLUMN)[0].message
    timed = import_dataset(make_folder(tmp_path / "t", time="ms"), ImportOptions(sample_rate=30))
    assert timed.meta["sample_rate"] == 30 and timed.x.shape[1] == 60     # 2 s windows of 30 readings a second
    (said,) = timed.report.by_code(R.SAMPLE_RATE_MISMATCH)
    assert said.message.startswith("You chose 30 samples per second, so 8 recordings made at a higher rate (up to "
                                   "50 per second, by their timestamps) were resampled to it.")
    assert said.severity == "info" and "idle/idle_0.csv (50 per second)" in said.files


def test_long_csv_with_label_column(tmp_path):
    rate, lines = 20.0, ["t;acc_x;acc_y;activity"]
    plan = [("walk", 60), ("run", 80), ("walk", 50), ("", 10), ("sit", 70), ("run", 45)]
    k = 0
    for label, n in plan:
        for _ in range(n):
            v = np.sin(k / 3) * (3 if label == "run" else 1)
            lines.append(f"{k / rate:.2f};{v:.4f};{np.cos(k / 5):.4f};{label}".replace(".", ","))
            k += 1
    p = tmp_path / "log.csv"
    p.write_text("\n".join(lines) + "\n")
    ds = import_dataset(p, ImportOptions(window_s=2.0))
    assert ds.meta["mode"] == "long_csv" and ds.meta["channels"] == ["acc_x", "acc_y"]
    assert ds.class_names == ["run", "sit", "walk"] and ds.meta["sample_rate"] == 20.0
    counts = ds.class_counts()  # windows of 40 samples, stride 20, per segment
    assert counts == {"walk": 2 + 1, "run": 3 + 1, "sit": 2}
    # A segment is one group; sources give times within the file.
    assert len(set(ds.groups)) == 5
    assert ds.sources[0] == "log.csv#t=0.00-2.00" and ds.sources[3] == "log.csv#t=4.00-6.00"
    assert ds.report.by_code(R.MISSING_VALUES)  # the unlabelled rows
    named = import_dataset(p, ImportOptions(target="Activity", window_s=2.0))
    assert named.class_names == ds.class_names
    with pytest.raises(DataError, match="no column named 'mood'"):
        import_dataset(p, ImportOptions(target="mood"))


def test_mixed_rates_resampled_to_the_most_common(tmp_path):
    root = make_folder(tmp_path / "d", time="s")
    write_rec(root / "idle" / "fast.csv", rate=100.0, freq=1.0, time="ms")
    ds = import_dataset(root, ImportOptions())
    assert ds.meta["sample_rate"] == 50.0
    p = ds.report.by_code(R.SAMPLE_RATE_MISMATCH)[0]
    assert p.files == ["idle/fast.csv (100 per second)"] and p.severity == "info"
    assert p.message.startswith("1 recording was made at a higher sample rate; it was resampled to 50")
    fast = [i for i, s in enumerate(ds.sources) if s.startswith("idle/fast.csv")]
    assert len(fast) == 3 and ds.x[fast].shape[1] == 100
    assert np.allclose(ds.x[fast[0]], signal(400, 100.0, 1.0)[::2][:100], atol=0.05)


def test_channel_mismatch_skips_the_file(tmp_path):
    root = make_folder(tmp_path / "d")
    write_rec(root / "shake" / "odd.csv", channels=("x", "y", "gyro"))
    write_rec(root / "shake" / "reordered.csv", channels=("z", "x", "y"), freq=6.0, seed=99)
    ds = import_dataset(root, ImportOptions())
    p = ds.report.by_code(R.CHANNEL_MISMATCH)[0]
    assert p.files == ["shake/odd.csv (no z; its columns: x, y, gyro)"]
    assert p.message == ("1 recording does not have the same channels as the others (x, y, z) and was left out; "
                         "each is listed with the channels it lacks.")
    assert "rename a column whose name differs" in p.advice and "x, y, z" in p.advice
    assert not any(s.startswith("shake/odd.csv") for s in ds.sources)
    i = ds.sources.index("shake/reordered.csv#t=0.00-2.00")
    assert np.allclose(ds.x[i][:, [2, 0, 1]], signal(200, 50.0, 6.0, 3, seed=99)[:100], atol=1e-4)


def test_short_recording_reported(tmp_path):
    root = make_folder(tmp_path / "d", seconds=4.0)
    write_rec(root / "idle" / "short.csv", seconds=1.0)
    ds = import_dataset(root, ImportOptions())
    assert ds.meta["window_s"] == 2.0
    p = ds.report.by_code(R.LENGTH_MISMATCH)[0]
    assert p.files == ["idle/short.csv#t=0.00-1.00"]
    assert not any(s.startswith("idle/short.csv") for s in ds.sources)
    with pytest.raises(DataError, match="shorter than one window"):
        import_dataset(root, ImportOptions(window_s=10))


def test_window_shortened_for_short_recordings(tmp_path):
    ds = import_dataset(make_folder(tmp_path / "d", seconds=1.5), ImportOptions())
    assert ds.meta["window_len"] == 75 and ds.meta["window_s"] == 1.5
    assert ds.num_samples == 8 and not ds.report.by_code(R.LENGTH_MISMATCH)


def test_windows_of_one_recording_share_a_split(tmp_path):
    root = make_folder(tmp_path / "d", per_class=12, seconds=6.0)
    ds = import_dataset(root, ImportOptions(window_s=1.0, stride_s=0.25))
    by_rec = defaultdict(set)
    for src, split in zip(ds.sources, ds.splits):
        by_rec[src.split("#")[0]].add(int(split))
    assert len(by_rec) == 24 and all(len(s) == 1 for s in by_rec.values())
    assert set(ds.split_counts().values()) != {0} and min(ds.split_counts().values()) > 0


def test_a_step_longer_than_the_window_is_reported(tmp_path):
    """1.5 s windows every 5 s were accepted without a word, though they leave most of each recording out."""
    root = make_folder(tmp_path / "d", seconds=12.0)
    ds = import_dataset(root, ImportOptions(window_s=1.5, stride_s=5.0))
    assert ds.sources[:3] == ["idle/idle_0.csv#t=0.00-1.50", "idle/idle_0.csv#t=5.00-6.50",
                              "idle/idle_0.csv#t=10.00-11.50"]
    [p] = ds.report.by_code("unused_readings")   # a stable code: --json has it
    assert p.severity == "warning" and p.message == (
        "Windows of 1.5 s every 5 s leave 70% of each recording unused; a step no longer than the window uses all "
        "of it.")
    assert "at most every 1.5 s" in p.advice and "--stride" in p.advice
    for stride in (None, 0.75, 1.5):   # half a window (the default), or windows end to end: nothing to say
        assert not import_dataset(root, ImportOptions(window_s=1.5, stride_s=stride)).report.by_code("unused_readings")


def test_duplicates_and_unreadable_files_reported(tmp_path):
    root = make_folder(tmp_path / "d")
    data = (root / "idle" / "idle_0.csv").read_bytes()
    (root / "idle" / "copy.csv").write_bytes(data)
    (root / "shake" / "wrong.csv").write_bytes(data)
    (root / "shake" / "broken.csv").write_bytes(bytes(range(256)) * 8)
    (root / "shake" / "empty.csv").write_bytes(b"")
    ds = import_dataset(root, ImportOptions())
    assert ds.report.by_code(R.DUPLICATE)[0].files == ["idle/copy.csv = idle/idle_0.csv"]
    assert "shake/wrong.csv (shake)" in ds.report.by_code(R.DUPLICATE_ACROSS_LABELS)[0].files[0]
    groups = {s.split("#")[0]: g for s, g in zip(ds.sources, ds.groups)}
    assert groups["idle/copy.csv"] == groups["shake/wrong.csv"] == groups["idle/idle_0.csv"]
    assert ds.report.by_code(R.CORRUPT_FILE)[0].files == ["shake/broken.csv"]
    assert ds.report.by_code(R.EMPTY_FILE)[0].files == ["shake/empty.csv"]


def test_blank_cells_and_irregular_timestamps(tmp_path):
    root = make_folder(tmp_path / "d", time="ms")
    f = root / "idle" / "idle_1.csv"
    lines = f.read_text().splitlines()
    lines[10] = lines[10].split(",")[0] + ",,0.5,0.5"
    lines[20] = lines[20].split(",")[0] + ",ERR,0.5,NaN"     # a logger's error codes: not "blank"
    del lines[50:60]  # a 200 ms gap
    f.write_text("\n".join(lines) + "\n")
    ds = import_dataset(root, ImportOptions())
    assert ds.report.by_code("irregular_timestamps")[0].files == ["idle/idle_1.csv (1 gap)"]
    assert np.isfinite(ds.x).all() and ds.class_counts() == {"idle": 12, "shake": 12}
    filled = ds.report.by_code(R.MISSING_VALUES)
    assert [n.files for n in filled] == [["idle/idle_1.csv"]]
    assert filled[0].message.startswith("3 sensor values in idle/idle_1.csv were blank or not a number (such as ERR "
                                        "or NaN) and were filled in from the values before and after them.")


def test_bundled_pump_sample_through_the_cli_entry_point(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    ds = open_dataset(PUMP, options=ImportOptions())
    assert ds.kind == "timeseries" and ds.class_names == ["cavitation", "loose_mount", "normal"]
    assert ds.meta["sample_rate"] == 100.0 and ds.meta["channels"] == ["x", "y", "z"]
    assert ds.sample_shape == (200, 3) and min(ds.class_counts().values()) >= 50
    assert ds.meta["recordings"] == 24
    # the one finding: validation holds 1 recording per state (see test_splits_per_class.py)
    assert [p.message.split(" (")[0] for p in ds.report.problems] == ["The validation samples come from only 3 "
                                                                      "recordings"]


@st.composite
def recording_folders(draw):
    """Small folders of odd recordings: missing or junk timestamps, blanks, text cells, other channels,
    no header, a label column, files outside the class folders."""
    files = []
    for cls in draw(st.lists(st.sampled_from(["a", "b", ""]), min_size=1, max_size=3, unique=True)):
        for k in range(draw(st.integers(1, 3))):
            rate = draw(st.sampled_from([5.0, 10.0, 13.7]))
            tkind = draw(st.sampled_from([None, "s", "ms", "iso", "junk", "label"]))
            chans = draw(st.sampled_from([["x"], ["x", "y"], ["y", "x"], ["x", "z"]]))
            lines = [",".join(([] if tkind is None else [tkind]) + chans)] if draw(st.booleans()) else []
            for i in range(draw(st.integers(0, 50))):
                t = {"s": [f"{i / rate + 0.3 * (draw(st.integers(0, 9)) == 0):.4f}"], "ms": [str(int(i * 1000 / rate))],
                     "iso": [f"2024-01-01T00:00:{min(59, i / rate):06.3f}"],
                     "junk": [draw(st.sampled_from(["", "abc", "12", "1e30"]))],
                     "label": [draw(st.sampled_from(["up", "down", ""]))]}.get(tkind, [])
                vals = [draw(st.sampled_from(["", "x", "3,5"])) if draw(st.integers(0, 12)) == 0
                        else f"{np.sin(i + j):.3f}" for j in range(len(chans))]
                lines.append(",".join(t + vals))
            files.append((cls, f"r{k}.csv", "\n".join(lines)))
    options = ImportOptions(sample_rate=draw(st.sampled_from([None, 10.0])),
                            window_s=draw(st.sampled_from([None, 0.5, 3.0])), stride_s=draw(st.sampled_from([None, 0.1])))
    return files, options


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory):
    return tmp_path_factory.mktemp("tsfuzz")


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(recording_folders())
def test_odd_recordings_import_or_raise_data_error(fuzz_root, case):
    files, options = case
    root = fuzz_root / "d"
    shutil.rmtree(root, ignore_errors=True)
    for cls, name, text in files:
        (root / cls).mkdir(parents=True, exist_ok=True)
        (root / cls / name).write_text(text)
    try:
        ds = import_dataset(root, options)
    except DataError as e:
        assert str(e).strip()
        return
    assert ds.x.ndim == 3 and ds.x.dtype == np.float32 and np.isfinite(ds.x).all() and ds.num_samples > 0


def _clean_and_changed(tmp_path, change) -> tuple:
    """The same folder imported as written and after ``change(root)``."""
    clean = import_dataset(make_folder(tmp_path / "clean", time="ms"), ImportOptions())
    root = make_folder(tmp_path / "changed", time="ms")
    change(root)
    return clean, import_dataset(root, ImportOptions()), root


def test_readings_resent_with_a_timestamp_already_seen_are_said(tmp_path):
    """Rows a logger re-sent with the same timestamp were dropped without a word."""
    def resend(root):
        f = root / "idle" / "idle_1.csv"
        lines = f.read_text().splitlines()
        for i in range(120, 60, -5):   # 12 readings sent again (other values), each right after the first
            t, *_ = lines[i].split(",")
            lines.insert(i + 1, f"{t},9.00000,9.00000,9.00000")
        f.write_text("\n".join(lines) + "\n")

    clean, ds, root = _clean_and_changed(tmp_path, resend)
    p = ds.report.by_code(R.REPEATED_TIMESTAMPS)
    assert len(p) == 1 and p[0].severity == "info" and p[0].files == ["idle/idle_1.csv"]
    assert p[0].message == "idle/idle_1.csv has 12 readings with a timestamp already seen; the first of each was kept."
    assert "more digits" in p[0].advice
    assert np.array_equal(ds.x, clean.x)                          # the first of each: the original readings
    assert not clean.report.by_code(R.REPEATED_TIMESTAMPS)
    got = recording_windows(root / "idle" / "idle_1.csv", ds.meta)
    assert "12 readings have a timestamp already seen; the first of each was kept" in got.notes


def test_a_last_line_cut_off_mid_number_is_left_out_and_said(tmp_path):
    """A recording copied while it was being written ends '...,-0' with no line break: that reading was
    taken as 0 (and a whole window added on it) without a word."""
    def folder(name):   # idle_2 lasts 3.98 s: one more reading would add a window
        root = make_folder(tmp_path / name, time="ms")
        write_rec(root / "idle" / "idle_2.csv", freq=1.0, seed=2, time="ms", seconds=3.98)
        return root

    clean = import_dataset(folder("clean"), ImportOptions())
    root = folder("cut")
    f = root / "idle" / "idle_2.csv"
    f.write_text(f.read_text() + "3980,0.12345,-0.54321,-0")   # the reading at 3.98 s, cut off
    ds = import_dataset(root, ImportOptions())
    p = ds.report.by_code(R.CUT_OFF_ROW)
    assert len(p) == 1 and p[0].severity == "warning" and p[0].files == ["idle/idle_2.csv#row=201"]
    assert p[0].message == ("The last line of idle/idle_2.csv (line 201) is cut off: its last value, '-0' in 'z', has "
                            "fewer decimals than the 5 of the values above it. It was left out.")
    assert ds.x.shape == clean.x.shape and np.array_equal(ds.x, clean.x)
    got = recording_windows(f, ds.meta)
    assert got.notes == ["the last line (line 201) is cut off: its last value, '-0' in 'z', has fewer decimals "
                         "than the 5 of the values above it; it was left out"]

    root = folder("short")
    f = root / "shake" / "shake_3.csv"
    f.write_text(f.read_text() + "4000,0.1")
    ds = import_dataset(root, ImportOptions())
    assert [q.message for q in ds.report.by_code(R.CUT_OFF_ROW)] == [
        "The last line of shake/shake_3.csv (line 202) is cut off: it stops after 2 of the 4 fields. It was left out."]
    assert not ds.report.by_code(R.RAGGED_ROWS) and np.array_equal(ds.x, clean.x)
    # a whole last line with no line break after it is a reading like the others
    f.write_text(f.read_text().rsplit("\n", 1)[0] + "\n4000,0.10000,0.20000,-0.30000")
    assert not import_dataset(root, ImportOptions()).report.by_code(R.CUT_OFF_ROW)


def test_a_folder_with_nothing_readable_says_why_in_the_message(tmp_path):
    """The small-screen walk: a folder holding one subfolder with a .txt file gave "No usable sensor recordings
    were found … (see the list of problems)", a list neither the app nor the terminal shows then."""
    (tmp_path / "bad" / "sub").mkdir(parents=True)
    (tmp_path / "bad" / "sub" / "notes.txt").write_text("hello world\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        open_dataset(tmp_path / "bad")
    said = str(e.value)
    assert said.startswith("No file in bad could be read as a sensor recording (a CSV table of readings): "
                           "sub/notes.txt could not be read and was left out")
    assert "see the list" not in said and e.value.files == ["sub/notes.txt"]


def test_many_unreadable_recordings_are_counted_not_listed_at_length(tmp_path):
    """The regression walk: the message named 3 of 8 files and joined reasons that hold ';' themselves with ';'."""
    for k in range(4):
        for c in ("a", "b"):
            (tmp_path / "bad" / c).mkdir(parents=True, exist_ok=True)
            (tmp_path / "bad" / c / f"n{k}.txt").write_text(f"hello {k}\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        open_dataset(tmp_path / "bad")
    said = str(e.value)
    assert "a/n0.txt could not be read and was left out" in said and said.count("could not be read") == 1
    assert "The other 7 files (a/n1.txt, a/n2.txt, a/n3.txt, b/n0.txt, ...) could not be used either." in said


def _renamed_axes(path: Path, header: list[str], order: list[int]) -> None:
    """The recording at ``path`` written again with its x, y, z columns named ``header`` (after the time), in
    the column order ``order``."""
    lines = path.read_text().splitlines()
    rows = [line.split(",") for line in lines[1:]]
    out = [",".join(["time"] + [header[k] for k in order])]
    out += [",".join([r[0]] + [r[1 + k] for k in order]) for r in rows]
    path.write_text("\n".join(out) + "\n")


def test_axes_named_differently_are_matched_by_their_letter(tmp_path):
    """The pump walk: loggers naming their axes x, acc_x, AccX and 'X [g]' lost 73 of 120 recordings."""
    root = make_folder(tmp_path / "d")
    before = import_dataset(root, ImportOptions())
    _renamed_axes(root / "idle" / "idle_1.csv", ["acc_x", "acc_y", "acc_z"], [0, 1, 2])
    _renamed_axes(root / "shake" / "shake_2.csv", ["AccX", "AccY", "AccZ"], [2, 0, 1])
    _renamed_axes(root / "shake" / "shake_3.csv", ["X [g]", "Y [g]", "Z [g]"], [1, 2, 0])
    ds = import_dataset(root, ImportOptions())
    assert not ds.report.by_code(R.CHANNEL_MISMATCH) and ds.meta["channels"] == ["x", "y", "z"]
    assert ds.sources == before.sources and np.array_equal(ds.x, before.x)   # each axis where it was
    (said,) = ds.report.by_code(R.CHANNELS_MATCHED)
    assert said.message.startswith("3 recordings name the sensor's axes differently from the others (x, y, z)")
    assert "shake/shake_2.csv ('AccX' as 'x', 'AccY' as 'y', 'AccZ' as 'z')" in said.files


def test_a_new_recording_with_other_axis_names_is_read_as_the_run_read_its_own(tmp_path):
    root = make_folder(tmp_path / "d")
    ds = import_dataset(root, ImportOptions())
    expected = windows_from_recording(root / "shake" / "shake_0.csv", ds.meta)
    _renamed_axes(root / "shake" / "shake_0.csv", ["accel.x", "accel.y", "accel.z"], [2, 0, 1])
    got = recording_windows(root / "shake" / "shake_0.csv", ds.meta)
    assert np.array_equal(got.x, expected)
    assert "its columns were matched to the model's by their axis letters: 'accel.x' as 'x', 'accel.y' as 'y', " \
        "'accel.z' as 'z'" in got.notes


def test_two_sensors_named_otherwise_pair_by_prefix_or_sensor_and_unclear_ones_are_left_out():
    from edgeling.core.data.channel_match import match_channels

    wanted = ["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"]
    assert match_channels(wanted, ["GyroX", "GyroY", "GyroZ", "AccX", "AccY", "AccZ"]) == [3, 4, 5, 0, 1, 2]
    assert match_channels(wanted, ["ax", "ay", "az", "gx", "gy", "gz"]) == [0, 1, 2, 3, 4, 5]   # by sensor
    assert match_channels(wanted, ["s1_x", "s1_y", "s1_z", "s2_x", "s2_y", "s2_z"]) == [None] * 6   # unsaid
    assert match_channels(["x", "y", "z", "temp"], ["X", "Y", "Z"]) == [0, 1, 2, None]
    assert match_channels(["x", "y", "z"], ["gyro_x", "gyro_y", "gyro_z"]) == [None] * 3   # another sensor
    assert match_channels(["x", "y", "z"], ["gyro_x", "gyro_y", "gyro_z", "AccX", "AccY", "AccZ"]) == [3, 4, 5]
    for other in ("sensor1", "pos", "angle", "linacc"):    # names that say no sensor, or another signal
        assert match_channels(["x", "y", "z"], [f"{other}_x", f"{other}_y", f"{other}_z"]) == [None] * 3


def test_a_slower_recording_stretched_to_the_others_rate_is_a_warning_that_says_what_it_lacks(tmp_path):
    """The pump walk: a pump logged at 100 Hz among 200 Hz ones scored 70%, and the import said "Nothing to do"."""
    root = make_folder(tmp_path / "d", rate=100.0, seconds=4.0, time="s")
    write_rec(root / "idle" / "slow.csv", rate=40.0, freq=1.0, time="ms")
    write_rec(root / "shake" / "slower.csv", rate=25.0, freq=6.0, seconds=6.0, time="ms")
    ds = import_dataset(root, ImportOptions())
    (p,) = ds.report.by_code(R.SAMPLE_RATE_MISMATCH)
    assert p.severity == "warning" and sorted(p.files) == ["idle/slow.csv (40 per second)",
                                                           "shake/slower.csv (25 per second)"]
    assert p.message.startswith("2 recordings were made at a lower sample rate (from 25 per second) and stretched "
                                "to 100 per second") and "faster than 12.5 Hz" in p.message
    assert "Nothing to do" not in p.advice


def test_a_flat_folder_of_recordings_with_iso_times_is_not_labelled_by_its_times(tmp_path):
    """The pump walk: the ISO 'time' column was taken as the labels (each reading a class of its own), and the
    error said the recordings had no timestamp column, or were 0.01 s long."""
    root = tmp_path / "flat"
    for i in range(3):
        write_rec(root / f"pump2_rec0{i}.csv", time="iso", seed=i)
    with pytest.raises(DataError) as e:
        import_dataset(root, ImportOptions())
    assert "has no label column" in str(e.value) and "timestamp" not in str(e.value)
    with pytest.raises(DataError) as e:
        import_dataset(root, ImportOptions(sample_rate=50))
    assert "shorter than one window" not in str(e.value) and "has no label column" in str(e.value)
    write_rec(tmp_path / "long.csv", time="iso")                        # a label column beside it still counts
    text = (tmp_path / "long.csv").read_text().splitlines()
    (tmp_path / "long.csv").write_text("\n".join([text[0] + ",state"] + [f"{r},{'a' if k < 100 else 'b'}"
                                                                          for k, r in enumerate(text[1:])]) + "\n")
    ds = import_dataset(tmp_path / "long.csv", ImportOptions())
    assert ds.class_names == ["a", "b"] and ds.meta["label_column"] == "state"


def test_a_window_of_a_few_readings_is_said(tmp_path):
    """The pump walk: --window 0.05 (10 readings at 200 per second) was taken without a word."""
    root = make_folder(tmp_path / "d")
    ds = import_dataset(root, ImportOptions(window_s=0.1))
    (said,) = [p for p in ds.report.by_code(R.LENGTH_MISMATCH) if p.message.startswith("A window of")]
    assert said.message.startswith("A window of 0.1 s holds only 5 readings at 50 per second")
    assert said.severity == "warning" and "1 to 2 s is usual" in said.advice
    assert not [p for p in import_dataset(root, ImportOptions(window_s=1.0)).report.problems
                if p.message.startswith("A window of")]


def test_a_recording_s_reading_findings_name_it_by_its_place_in_the_folder(tmp_path):
    """The newcomer run: "The last line of logger_ms2.csv ... is cut off", where every other finding said
    "cavitation/logger_ms2.csv"."""
    root = make_folder(tmp_path / "d")
    path = root / "shake" / "shake_1.csv"
    path.write_text(path.read_text().rstrip("\n")[:-4])          # the last line cut off mid-way
    ds = import_dataset(root, ImportOptions())
    (cut,) = ds.report.by_code(R.CUT_OFF_ROW)
    assert cut.message.startswith("The last line of shake/shake_1.csv") and cut.files[0].startswith("shake/shake_1.csv#row=")
