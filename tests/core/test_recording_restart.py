"""A logger clock that restarts mid-recording (the timestamps start again from 0): each part keeps the order of
the file and the recording is cut at the jump, said with its line (the second pump walk: "no readings for 657.2 s
... (the logger stopped or lost data)", and the second half sorted in front of the first)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgeling.core.data import report as R
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.new_recordings import recording_windows
from edgeling.core.data.timeseries import import_dataset

RATE = 50


def readings(n: int, seed: int, freq: float) -> np.ndarray:
    t = np.arange(n) / RATE
    rng = np.random.default_rng(seed)
    return np.stack([np.sin(2 * np.pi * freq * t + c) + 0.01 * rng.normal(size=n) for c in range(3)], 1)


def write(path: Path, data: np.ndarray, stamps_ms: np.ndarray, label: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    head = "timestamp,x,y,z" + (",label" if label else "")
    path.write_text(head + "\n" + "\n".join(f"{int(t)}," + ",".join(f"{v:.5f}" for v in row) + (f",{label}" if label else "")
                                             for t, row in zip(stamps_ms, data)) + "\n")
    return path


def folder(root: Path, odd: str) -> Path:
    """Three 6 s recordings per class; idle_0 is ``odd``: "restart" (the clock restarts from 0 after 3 s, at
    line 152) or "newest_first" (rows written in reverse order)."""
    ms = np.arange(6 * RATE) * 1000 // RATE
    for c, freq in (("idle", 1.0), ("shake", 6.0)):
        for i in range(3):
            stamps = 500_000 + ms
            if (c, i) == ("idle", 0) and odd == "restart":
                stamps = np.concatenate([500_000 + ms[:150], ms[:150]])
            data = readings(len(ms), i, freq)
            if (c, i) == ("idle", 0) and odd == "newest_first":
                write(root / c / f"{c}_{i}.csv", data[::-1], stamps[::-1])
            else:
                write(root / c / f"{c}_{i}.csv", data, stamps)
    return root


def test_a_clock_that_restarts_keeps_the_file_s_order_and_cuts_the_recording_there(tmp_path):
    ds = import_dataset(folder(tmp_path / "d", "restart"), ImportOptions())
    assert not ds.report.by_code(R.TIMESTAMP_GAP)       # no "no readings for 497 s ... the logger stopped"
    (said,) = ds.report.by_code(R.CLOCK_RESTART)
    assert said.severity == "warning" and said.message.startswith(
        "In idle/idle_0.csv the timestamps jump back at line 152, from 502980 to 0 (the logger's clock restarted, "
        "or two recordings were joined). Each part was kept in the order of the file")
    assert said.files == ["idle/idle_0.csv (line 152: from 502980 to 0; 1 window lost)"]
    mine = [k for k, s in enumerate(ds.sources) if s.startswith("idle/idle_0.csv#")]
    assert [ds.sources[k] for k in mine] == ["idle/idle_0.csv#t=0.00-2.00", "idle/idle_0.csv#t=1.00-3.00",
                                             "idle/idle_0.csv#t=3.00-5.00", "idle/idle_0.csv#t=4.00-6.00"]
    first = readings(6 * RATE, 0, 1.0)
    assert np.allclose(ds.x[mine[0]], first[:100], atol=1e-4)      # the file's first readings come first
    assert np.allclose(ds.x[mine[2]], first[150:250], atol=1e-4)   # and those after the jump after them
    new = recording_windows(tmp_path / "d" / "idle" / "idle_0.csv", ds.meta)
    assert np.array_equal(new.x, ds.x[mine])
    assert any(n.startswith("the timestamps jump back at line 152, from 502980 to 0") for n in new.notes)


def test_rows_written_newest_first_are_sorted_by_time_not_taken_for_restarts(tmp_path):
    ds = import_dataset(folder(tmp_path / "d", "newest_first"), ImportOptions())
    assert not ds.report.by_code(R.CLOCK_RESTART) and not ds.report.by_code(R.TIMESTAMP_GAP)
    mine = [k for k, s in enumerate(ds.sources) if s.startswith("idle/idle_0.csv#")]
    assert len(mine) == 5 and np.allclose(ds.x[mine[0]], readings(6 * RATE, 0, 1.0)[:100], atol=1e-4)


def test_a_restart_inside_a_long_csv_s_labelled_stretch_cuts_it_there(tmp_path):
    ms = np.arange(6 * RATE) * 1000 // RATE
    stamps = np.concatenate([500_000 + ms[:150], ms[:150], ms[150:] + 1000])
    lines = []
    for label, freq, part in (("walk", 1.0, slice(0, 300)), ("run", 6.0, slice(300, 450))):
        lines.append((readings(900, 0, freq)[part], stamps[part], label))
    f = tmp_path / "long.csv"
    rows = ["timestamp,x,y,z,label"]
    for data, st, label in lines:
        rows += [f"{int(t)}," + ",".join(f"{v:.5f}" for v in row) + f",{label}" for t, row in zip(st, data)]
    f.write_text("\n".join(rows) + "\n")
    ds = import_dataset(f, ImportOptions())
    (said,) = ds.report.by_code(R.CLOCK_RESTART)
    assert said.files == ["long.csv (line 152: from 502980 to 0; 1 window lost)"]
    assert not ds.report.by_code(R.TIMESTAMP_GAP)


def test_a_block_of_lines_sent_again_is_no_clock_restart():
    """The review: a logger re-sending its last 200 lines after a reconnect (the same times and values) was said
    to have restarted its clock, and the 200 copies were kept as new readings (1,400 from 1,200)."""
    import tempfile

    from edgeling.core.data.csvread import read_csv
    from edgeling.core.data.recording import read_signal

    vals = np.random.default_rng(0).normal(size=(1200, 3))
    idx = list(range(1000)) + list(range(800, 1000)) + list(range(1000, 1200))
    lines = ["time_ms,x,y,z"] + [f"{i * 10},{vals[i, 0]:.4f},{vals[i, 1]:.4f},{vals[i, 2]:.4f}" for i in idx]
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "resent.csv"
        p.write_text("\n".join(lines) + "\n")
        s, _ = read_signal(read_csv(p))
    assert len(s.data) == 1200 and s.repeated == 200 and not s.restarts


def test_a_restart_in_a_short_recording_is_found_too():
    """The review: one jump back is more than 1% of a recording's steps when it holds under about 100 readings,
    so a short recording's restart was taken for rows out of order and its second part sorted in front."""
    from edgeling.core.data.clock_restarts import unroll_restarts

    ms = np.concatenate([500_000 + np.arange(30) * 20, np.arange(30) * 20]).astype(float)
    rows = np.arange(60)
    out, found = unroll_restarts(ms, rows, [str(int(t)) for t in ms], list(range(2, 62)))
    assert list(found) == [30] and found[30].before == "500580" and found[30].after == "0"
    assert np.all(np.diff(out) > 0)                      # the second part follows the first, in file order
    shuffled = ms[np.random.default_rng(1).permutation(60)]    # many steps back: rows out of order, sorted
    assert unroll_restarts(shuffled, rows, [str(int(t)) for t in shuffled], list(range(2, 62)))[1] == {}
