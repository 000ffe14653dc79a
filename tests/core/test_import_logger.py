"""Sensor recordings as a maintenance engineer's logger writes them: millis() at each reading (the sample
rate must come from the span, not the median interval), a pause when the logger lost data (cut there, never
filled with a straight line), a temperature column on one unit (not used), a German export from another
(left out, saying which channels it lacks)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edgeling.core.data import report as R
from edgeling.core.data.dataset import DataError
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.new_recordings import recording_windows, windows_from_recording
from edgeling.core.data.recording import measured_rate
from edgeling.core.data.timeseries import import_dataset
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
    # 2, 3, 2, 3 ms is the rounding of an even 2.5 ms, not a clock that wobbles ("intervals vary by 50%")
    assert not ds.report.by_code(R.IRREGULAR_TIMESTAMPS)


@pytest.mark.parametrize("seconds", [10.0, 10.0025, 10.005])
def test_whole_millisecond_timestamps_at_400_per_second_are_not_called_uneven(tmp_path, seconds):
    """Whether 2 or 3 ms was the median interval depended on the number of readings: with as many of each,
    the median was 2.5 ms and every interval 'varied by 20%' (the pump walk's logger)."""
    root = logged_folder(tmp_path / "d", 400)
    write_logged(root / "normal" / "odd.csv", 400, seconds, seed=7)
    ds = import_dataset(root, ImportOptions())
    assert ds.meta["sample_rate"] == 400.0
    assert not ds.report.by_code(R.IRREGULAR_TIMESTAMPS)


def test_a_clock_that_really_wobbles_is_still_said(tmp_path):
    root = logged_folder(tmp_path / "d", 100)
    rng = np.random.default_rng(1)
    times = 1000 + np.cumsum(rng.integers(6, 15, 1000))          # 6 to 14 ms apart: a wobbling logger
    data = rng.normal(size=(1000, 3))
    lines = ["millis,ax,ay,az"] + [f"{t},{a:.4f},{b:.4f},{c:.4f}" for t, (a, b, c) in zip(times, data)]
    (root / "normal" / "wobbly.csv").write_text("\n".join(lines) + "\n")
    times = 1000 + np.cumsum(np.tile([5, 15], 500))                # two intervals, too far apart to be rounding
    lines = ["millis,ax,ay,az"] + [f"{t},{a:.4f},{b:.4f},{c:.4f}" for t, (a, b, c) in zip(times, data)]
    (root / "cavitation" / "two_step.csv").write_text("\n".join(lines) + "\n")
    ds = import_dataset(root, ImportOptions())
    (found,) = ds.report.by_code(R.IRREGULAR_TIMESTAMPS)
    assert sorted(f.split(" (")[0] for f in found.files) == ["cavitation/two_step.csv", "normal/wobbly.csv"]
    assert all("intervals vary by " in f for f in found.files)


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


def test_a_recording_is_cut_at_a_gap_and_no_window_spans_it(tmp_path):
    root = logged_folder(tmp_path / "d", 100, seconds=30.0)
    write_logged(root / "normal" / "P5_normal_2.csv", 100, 30.0, seed=3, pause_at=12.0, pause_s=3.0)
    ds = import_dataset(root, ImportOptions())
    gap = ds.report.by_code(R.TIMESTAMP_GAP)
    assert len(gap) == 1 and gap[0].severity == "warning"
    assert gap[0].message == (
        "normal/P5_normal_2.csv has no readings for 3.0 s at t = 12.0 s (the logger stopped or lost data). It was "
        "cut there, so that no window spans the missing stretch: filling it in would put readings that were never "
        "taken into the model's examples. This cost 2 windows of 2 s.")
    assert gap[0].files == ["normal/P5_normal_2.csv (no readings for 3.0 s at t = 12.0 s; 2 windows lost)"]
    mine = [s for s in ds.sources if s.startswith("normal/P5_normal_2.csv#")]
    spans = [tuple(map(float, s.split("#t=")[1].split("-"))) for s in mine]
    assert not any(a < 15.0 and b > 12.0 for a, b in spans)
    # 12 s of readings give 11 windows, the 15 s after the gap 13 (each piece has a tail shorter than a
    # stride): two fewer than 27 s in one piece would give
    assert len(mine) == 11 + 13 and spans[11][0] == pytest.approx(15.01, abs=0.02)
    assert len({g for s, g in zip(ds.sources, ds.groups) if s in mine}) == 1   # one recording, one split
    assert ds.meta["recordings"] == 5 and ds.meta["gap_s"] == 1.0
    assert not ds.report.by_code(R.IRREGULAR_TIMESTAMPS) and not ds.report.by_code(R.LENGTH_MISMATCH)
    # a new recording with the same gap is cut the same way for predict, and says so
    got = recording_windows(root / "normal" / "P5_normal_2.csv", ds.meta)
    assert np.array_equal(got.x, ds.x[[ds.sources.index(s) for s in mine]])
    assert got.starts == pytest.approx([a for a, _ in spans])
    assert got.notes == ["no readings for 3.0 s at t = 12.0 s (the logger stopped or lost data); no window spans "
                         "that stretch"]


def test_short_pauses_are_resampled_as_before_and_several_gaps_are_listed(tmp_path):
    root = logged_folder(tmp_path / "d", 100, seconds=30.0)
    write_logged(root / "normal" / "skips.csv", 100, 30.0, seed=3, pause_at=10.0, pause_s=0.05)   # 5 readings
    write_logged(root / "cavitation" / "drop.csv", 100, 30.0, seed=4, pause_at=20.0, pause_s=1.5)
    write_logged(root / "cavitation" / "late.csv", 100, 30.0, seed=6, pause_at=0.5, pause_s=2.0)
    ds = import_dataset(root, ImportOptions())
    assert sum(s.startswith("normal/skips.csv#") for s in ds.sources) == 29      # not cut: as an even recording
    assert ds.report.by_code(R.IRREGULAR_TIMESTAMPS)[0].files == ["normal/skips.csv (1 gap)"]
    gap = ds.report.by_code(R.TIMESTAMP_GAP)[0]
    assert gap.message.startswith("2 recordings have stretches with no readings (2 in all; the logger stopped "
                                  "or lost data). Each was cut there")
    assert gap.files == ["cavitation/drop.csv (no readings for 1.5 s at t = 20.0 s; 1 window lost)",
                         "cavitation/late.csv (no readings for 2.0 s at t = 0.50 s; 1 window lost)"]
    # the half second before late.csv's gap is too short for a window; the warning above counts it, so it
    # is not listed again as a short recording
    assert not ds.report.by_code(R.LENGTH_MISMATCH)
    for k, c in enumerate(("a", "b")):
        write_logged(tmp_path / "gappy" / c / "r.csv", 100, 10.0, seed=k, pause_at=3.0, pause_s=4.0)
    with pytest.raises(DataError, match=r"\(or stretch of one between gaps in its readings\) is shorter than one "
                                        r"window \(4.00 s; the longest is 3.01 s\)"):
        import_dataset(tmp_path / "gappy", ImportOptions(window_s=4.0))


def test_a_gap_cuts_at_half_a_short_window(tmp_path):
    root = logged_folder(tmp_path / "d", 100, seconds=6.0)
    write_logged(root / "normal" / "drop.csv", 100, 6.0, seed=3, pause_at=2.0, pause_s=0.4)
    ds = import_dataset(root, ImportOptions(window_s=0.5))
    assert ds.meta["gap_s"] == 0.25
    assert ds.report.by_code(R.TIMESTAMP_GAP)[0].files[0].startswith("normal/drop.csv (no readings for 0.41 s")


def test_an_extra_column_is_not_used_and_a_renamed_one_is_named(tmp_path):
    root = logged_folder(tmp_path / "d", 200, per_class=3)
    write_logged(root / "normal" / "P1_loose_mount_1.csv", 200, 10.0, seed=1,
                 header=("timestamp", "ax", "ay", "az", "temp_c"), extra=["38.2"])
    write_logged(root / "cavitation" / "P4_cavitation_1.csv", 200, 10.0, seed=2,
                 header=("Zeitstempel", "Beschl_X", "Beschl_Y", "Beschl_Z", "Temperatur_C"), extra=["41.3"])
    ds = import_dataset(root, ImportOptions())
    extra = ds.report.by_code(R.DROPPED_COLUMN)[0]
    assert extra.severity == "info" and extra.files == [
        "cavitation/P4_cavitation_1.csv ('Temperatur_C')", "normal/P1_loose_mount_1.csv ('temp_c')"]
    assert sum(s.startswith("normal/P1_loose_mount_1.csv#") for s in ds.sources) == 9
    i = ds.sources.index("normal/P1_loose_mount_1.csv#t=0.00-2.00")
    assert np.allclose(ds.x[i], signal(2000, 200, 4.0, 3, 1)[:400], atol=1e-4)   # ax, ay, az: not temp_c
    # Beschl_X, _Y, _Z are the others' ax, ay, az by their letters (until the pump walk: left out as lacking them)
    assert not ds.report.by_code(R.CHANNEL_MISMATCH)      # Zeitstempel is read as its timestamp
    assert ds.report.by_code(R.CHANNELS_MATCHED)[0].files == [
        "cavitation/P4_cavitation_1.csv ('Beschl_X' as 'ax', 'Beschl_Y' as 'ay', 'Beschl_Z' as 'az')"]
    i = ds.sources.index("cavitation/P4_cavitation_1.csv#t=0.00-2.00")
    assert np.allclose(ds.x[i], signal(2000, 200, 5.0, 3, 2)[:400], atol=1e-4)
    assert ds.meta["channels"] == ["ax", "ay", "az"] and ds.meta["recordings"] == 8
    # predict reads the same file by name, as before
    assert np.array_equal(windows_from_recording(root / "normal" / "P1_loose_mount_1.csv", ds.meta),
                          ds.x[[k for k, s in enumerate(ds.sources) if s.startswith("normal/P1_loose_mount_1.csv#")]])


def test_a_long_csv_is_cut_at_a_gap_inside_a_labelled_stretch_as_evaluate_cuts_it(tmp_path):
    from edgeling.core.data.new_recordings import labelled_windows

    rate, lines, k = 50, ["millis,ax,ay,state"], 0
    for label, seconds in (("idle", 8), ("shake", 12), ("idle", 6)):
        for _ in range(seconds * rate):
            t = k / rate + (2.5 if k / rate >= 12.0 else 0.0)    # 2.5 s without readings at t = 12 s
            v = np.sin(2 * np.pi * (1 if label == "idle" else 6) * t)
            lines.append(f"{int(np.floor(t * 1000 + 1e-6))},{v:.4f},{np.cos(t):.4f},{label}")
            k += 1
    log = tmp_path / "log.csv"
    log.write_text("\n".join(lines) + "\n")
    ds = import_dataset(log, ImportOptions())
    assert ds.meta["sample_rate"] == 50.0
    assert ds.report.by_code(R.TIMESTAMP_GAP)[0].files == ["log.csv (no readings for 2.5 s at t = 12.0 s; 1 window lost)"]
    shake = [tuple(map(float, s.split("#t=")[1].split("-"))) for s, y in zip(ds.sources, ds.y)
             if ds.class_names[y] == "shake"]
    assert not any(a < 14.5 and b > 12.0 for a, b in shake) and len(shake) == 3 + 7
    got = labelled_windows(log, ds.meta)
    assert got.sources == ds.sources and np.array_equal(got.x, ds.x)
    assert got.notes == ["log.csv: no readings for 2.5 s at t = 12.0 s (the logger stopped or lost data); no "
                         "window spans that stretch"]


NOTES = ["# VibroLog VL-300 firmware 2.4.1", "# Serial: VL300-99974", "#", "Rate: 100 Hz"]


def test_a_loggers_notes_above_its_table_are_skipped_and_said_once(tmp_path):
    """The walk's VibroLog files: '#' lines and a 'Rate: 100 Hz' line above 'Time;X;Y;Z' and a units row. All
    of pump 1's recordings were thrown out with three untrue messages (a semicolon in a value, blanks filled,
    no x, y, z); predict said the file lacked columns it has."""
    root = logged_folder(tmp_path / "d", 100, per_class=3)
    plain = root / "normal" / "normal_0.csv"
    noted = root / "normal" / "pump1_rec01.csv"
    lines = plain.read_text().splitlines()
    noted.write_text("\n".join(NOTES + [lines[0], "ms,g,g,g", *lines[1:]]) + "\n")
    (root / "cavitation" / "pump1_rec02.csv").write_text(
        "\n".join(NOTES + (root / "cavitation" / "cavitation_0.csv").read_text().splitlines()) + "\n")
    ds = import_dataset(root, ImportOptions())
    assert not ds.report.by_code(R.RAGGED_ROWS) and not ds.report.by_code(R.CHANNEL_MISMATCH)
    notes = ds.report.by_code(R.NOTES_SKIPPED)
    assert len(notes) == 1 and notes[0].severity == "info"
    assert sorted(notes[0].files) == ["cavitation/pump1_rec02.csv (lines 1-4)", "normal/pump1_rec01.csv (lines 1-4)"]
    assert notes[0].message.startswith('In 2 files, the lines above the table are notes, not data ("# VibroLog')
    mine = [k for k, s in enumerate(ds.sources) if s.startswith("normal/pump1_rec01.csv#")]
    theirs = [k for k, s in enumerate(ds.sources) if s.startswith("normal/normal_0.csv#")]
    assert len(mine) == len(theirs) > 0 and np.array_equal(ds.x[mine], ds.x[theirs])   # the same readings
    assert np.array_equal(windows_from_recording(noted, ds.meta), ds.x[mine])           # predict reads it too


def test_a_table_whose_first_column_is_named_hash_keeps_its_header(tmp_path):
    """'#' as a column name (a row number) is a header, not a note: only lines shorter than the table are."""
    from edgeling.core.data.csvread import read_csv

    path = tmp_path / "t.csv"
    path.write_text("#;Nom;Prix\n1;pomme;1,5\n2;poire;2,5\n3;kiwi;0,5\n")
    table = read_csv(path)
    assert table.columns == ["#", "Nom", "Prix"] and len(table.rows) == 3
    path.write_text("Commandes 2024\n#;Nom;Prix\n1;pomme;1,5\n2;poire;2,5\n3;kiwi;0,5\n")   # a title line
    report = R.Report()
    table = read_csv(path, report)
    assert table.columns == ["#", "Nom", "Prix"] and len(table.rows) == 3 and table.line_numbers[0] == 3
    assert report.by_code(R.NOTES_SKIPPED)[0].files == [f"{tmp_path.name}/t.csv (line 1)"]
    # a header over rows a spreadsheet padded with empty fields is the header, not a note (the regression walk)
    for text, columns in (("temperature;pressure;status\n5,69;4,01;ok;;;\n5,7;4,1;ok;;;\n6,1;3,9;bad;;;\n",
                           ["temperature", "pressure", "status"]),
                          ("x;y\n1;2;;\n3;4;;\n5;6;;\n", ["x", "y"]),
                          ("#;name\n1;a;\n2;b;\n3;c;\n", ["#", "name"]),
                          ("Commandes 2024;;;\nref;client;total;retour\nA1;Dupont;3;non\nA2;Durand;4;oui\n"
                           "A3;Martin;5;non\n", ["ref", "client", "total", "retour"])):   # a title as Excel saves it
        path.write_text(text)
        report = R.Report()
        table = read_csv(path, report)
        assert table.columns == columns and len(table.rows) == 3, text
        assert bool(report.by_code(R.NOTES_SKIPPED)) == text.startswith("Commandes"), text


def test_an_empty_recording_is_said_as_a_recording_not_a_spreadsheet(tmp_path):
    """The pump walk: an empty logger file was told to 'Export the table again from your spreadsheet'."""
    root = logged_folder(tmp_path / "d", 100, per_class=3)
    (root / "normal" / "pump2_rec10.csv").write_text("")
    (root / "normal" / "pump2_rec11.csv").write_text("\n \n")
    ds = import_dataset(root, ImportOptions())
    empty = ds.report.by_code(R.EMPTY_FILE)
    assert [p.message for p in empty] == ["normal/pump2_rec10.csv is empty (no readings in it) and was left out.",
                                          "normal/pump2_rec11.csv is empty (no readings in it) and was left out."]
    assert "spreadsheet" not in empty[0].advice and "logger" in empty[0].advice


def test_a_damaged_recording_is_named_and_the_fix_fits_a_logger_file(tmp_path):
    root = logged_folder(tmp_path / "d", 100, per_class=3)
    (root / "normal" / "pump4_rec09.csv").write_bytes(bytes(range(256)) * 12)
    ds = import_dataset(root, ImportOptions())
    bad = ds.report.by_code(R.CORRUPT_FILE)[0]
    assert bad.files == ["normal/pump4_rec09.csv"] and "holds binary data, not text" in bad.message
    assert "copy it again from where it came from" in bad.message and "a recording a logger wrote as text" in bad.message


def test_a_marked_note_as_wide_as_the_table_is_a_note_and_a_marked_header_stays(tmp_path):
    """The pump walk: '# logger FW 1.2, pump 1, sensor ADXL345, units g' (four fields, as many as the table's)
    above 'timestamp,x,y,z' was read as the header, and the recording left out as lacking x, y, z."""
    from edgeling.core.data.csvread import read_csv

    path = tmp_path / "rec.csv"
    path.write_text("# logger FW 1.2, pump 1, sensor ADXL345, units g\ntimestamp,x,y,z\n10,0.1,0.2,0.9\n"
                    "20,0.1,0.3,0.9\n30,0.2,0.2,1.0\n")
    report = R.Report()
    table = read_csv(path, report)
    assert table.columns == ["timestamp", "x", "y", "z"] and len(table.rows) == 3
    assert report.by_code(R.NOTES_SKIPPED)
    path.write_text("# time,x,y,z\n10,0.1,0.2,0.9\n20,0.1,0.3,0.9\n30,0.2,0.2,1.0\n")   # a marked header
    table = read_csv(path)
    assert table.columns[1:] == ["x", "y", "z"] and len(table.rows) == 3


def test_a_marked_header_over_a_units_row_or_text_rows_stays_the_header(tmp_path):
    """The regression walk: '# time,x,y,z' over 's,g,g,g', and '# colour,shape,material,verdict' over rows of
    text, were taken for notes (channels 'g, g (2), g (3)'; a table's columns 'column 1..4')."""
    from edgeling.core.data.csvread import read_csv

    path = tmp_path / "u.csv"
    path.write_text("# time,x,y,z\ns,g,g,g\n0.00,0.1,0.2,0.9\n0.01,0.1,0.3,0.9\n0.02,0.2,0.2,1.0\n")
    report = R.Report()
    assert read_csv(path, report).columns[1:] == ["x", "y", "z"] and not report.by_code(R.NOTES_SKIPPED)
    path.write_text("# colour,shape,material,verdict\nblue,round,glass,keep\nred,square,wood,drop\n"
                    "green,round,wood,keep\n")
    report = R.Report()
    table = read_csv(path, report)
    assert table.columns[1:] == ["shape", "material", "verdict"] and len(table.rows) == 3
    assert not report.by_code(R.NOTES_SKIPPED)


def test_a_gap_that_costs_no_window_says_so_and_a_plurality_rate_is_not_called_most(tmp_path):
    """The GUI walk: "This cost 0 windows of 1 s", and "the rate of most recordings" for 48 of 120."""
    root = logged_folder(tmp_path / "d", 100, per_class=2)
    write_logged(root / "normal" / "paused.csv", 100, 10.0, seed=3, pause_at=3.995, pause_s=2.0)
    ds = import_dataset(root, ImportOptions(window_s=1.0, stride_s=1.0))
    (gap,) = ds.report.by_code(R.TIMESTAMP_GAP)
    assert gap.message.endswith("No window of 1 s was lost: the readings on either side still fill whole windows.")
    mixed = tmp_path / "mixed"
    for k, rate in enumerate([100, 100, 200, 200, 50, 400]):      # 100 twice, 200 twice: no majority
        write_logged(mixed / ("normal" if k % 2 else "cavitation") / f"r{k}.csv", rate, 10.0, seed=k)
    said = " ".join(p.message for p in import_dataset(mixed, ImportOptions()).report.by_code(R.SAMPLE_RATE_MISMATCH))
    assert "the most common rate (2 of 6 recordings)" in said and "the rate of most recordings" not in said


def test_a_note_line_is_quoted_as_it_is_written(tmp_path):
    """The pump walk: '# logger FW 1.2, pump 1, units g' was quoted as '# logger FW 1.2; pump 1; units g'."""
    from edgeling.core.data.csvread import read_csv

    path = tmp_path / "rec.csv"
    path.write_text("# logger FW 1.2, pump 1, units g\ntime,x,y,z\n0,1,2,3\n0.01,1,2,3\n0.02,1,2,3\n")
    report = R.Report()
    read_csv(path, report)
    assert '("# logger FW 1.2, pump 1, units g")' in report.by_code(R.NOTES_SKIPPED)[0].message
