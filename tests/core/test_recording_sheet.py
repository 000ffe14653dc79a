"""Sensor recordings in one folder with a label sheet (``file,state,pump``), as pictures and sound clips already
could be labelled. Before, the sheet was read as one more recording: "labels.csv has no columns of numbers
besides the labels, so it holds no sensor values"."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgeling.core.data import report as R
from edgeling.core.data.dataset import TEST, DataError
from edgeling.core.data.load import ImportOptions, open_dataset, with_fold
from tests.core.test_import_timeseries import write_rec

STATES = {"normal": 2.0, "cavitation": 7.0}


def _write_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def write_logged_pumps(root: Path, pumps: int = 5, per_state: int = 3, sheet: str = "labels.csv") -> dict:
    """``pumps`` pumps' recordings as logs/log_NNN.csv (the names say neither state nor pump) and a sheet of
    file;state;pump (semicolons, as a spreadsheet in Europe writes it). Returns {file: (state, pump)}."""
    rows, truth, n = ["Datei;state;Pump"], {}, 0
    for pump in range(pumps):
        for state, freq in STATES.items():
            for _ in range(per_state):
                name = f"logs/log_{n:03d}.csv"
                write_rec(root / name, freq=freq, seconds=6.0, seed=n)
                rows.append(f"{name};{state};P{pump + 1}")
                truth[name] = (state, f"P{pump + 1}")
                n += 1
    (root / sheet).write_text("\n".join(rows) + "\n", encoding="utf-8")
    return truth


def test_recordings_take_their_labels_and_pumps_from_a_sheet(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    truth = write_logged_pumps(tmp_path / "pumps")
    ds = open_dataset(tmp_path / "pumps", None, ImportOptions())
    assert ds.kind == "timeseries" and ds.class_names == ["cavitation", "normal"]
    assert ds.meta["labels_from"] == "labels.csv" and ds.meta["mode"] == "sheet"
    for source, label in zip(ds.sources, ds.y.tolist()):
        assert ds.class_names[label] == truth[source.split("#", 1)[0]][0]
    (few,) = ds.report.by_code(R.FEW_SUBJECTS)
    assert few.message.startswith("The column 'Pump' of labels.csv says who or what was recorded (P1, P2, P3, P4, "
                                  "P5: 5 in all).")
    fold = with_fold(ds, "2/5")         # cross-validation tests each pump with a model that never met it
    tested = {truth[s.split("#", 1)[0]][1] for s, part in zip(fold.sources, fold.splits.tolist()) if part == TEST}
    trained = {truth[s.split("#", 1)[0]][1] for s, part in zip(fold.sources, fold.splits.tolist()) if part != TEST}
    assert len(tested) == 1 and not tested & trained


def test_a_sheet_next_to_class_folders_is_not_read_and_a_long_csv_is_no_sheet(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    for state, freq in STATES.items():
        for k in range(3):
            write_rec(tmp_path / "folders" / state / f"rec{k}.csv", freq=freq, seconds=6.0, seed=k)
    (tmp_path / "folders" / "labels.csv").write_text("file,state\nnormal/rec0.csv,cavitation\n")
    ds = open_dataset(tmp_path / "folders", None, ImportOptions())
    assert ds.meta["mode"] == "folders" and "labels_from" not in ds.meta
    # a long CSV of readings with a label column, alone in its folder: read as before
    lines = ["time,x,y,z,state"] + [f"{i / 50:.2f},{i % 7},{i % 5},{i % 3},{'a' if i < 600 else 'b'}" for i in range(1200)]
    (tmp_path / "long").mkdir()
    (tmp_path / "long" / "walk.csv").write_text("\n".join(lines) + "\n")
    assert open_dataset(tmp_path / "long", None, ImportOptions()).meta["mode"] == "long_csv"


def test_the_sheet_chosen_on_its_own_points_to_its_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    write_logged_pumps(tmp_path / "pumps", pumps=1, per_state=2)
    with pytest.raises(DataError) as e:
        open_dataset(tmp_path / "pumps" / "labels.csv")
    assert str(e.value).startswith("labels.csv names sensor recordings (logs/log_000.csv, logs/log_001.csv, ...) "
                                   "and their labels: it is the label sheet of a folder of sensor recordings")
    # a table that only mentions CSV names (of files not there) is still a table
    (tmp_path / "t.csv").write_text("report,temp,kind\n" + "\n".join(f"r{i}.csv,{(i * 7) % 13 + 0.5},{'ab'[i % 2]}"
                                                                    for i in range(40)))
    assert open_dataset(tmp_path / "t.csv").kind == "table"


def test_evaluate_on_a_folder_of_recordings_with_a_sheet(tmp_path, monkeypatch):
    from edgeling.core.training.other_files import labelled_samples

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    truth = write_logged_pumps(tmp_path / "new", pumps=2, per_state=1)
    ds = open_dataset(tmp_path / "new", None, ImportOptions())
    got = labelled_samples(tmp_path / "new", "timeseries", "classification", ["cavitation", "normal"], ds.meta)
    assert {s.split("#", 1)[0] for s in got.sources} == set(truth)
    for source, label in zip(got.sources, got.y.tolist()):
        assert ["cavitation", "normal"][label] == truth[source.split("#", 1)[0]][0]
    assert got.subjects_from == "the column 'Pump' of labels.csv" and set(got.subjects.values()) == {"P1", "P2"}


def test_predict_on_the_folder_passes_its_label_sheet_over(tmp_path):
    """The sheet had been predicted as a recording: "labels.csv: not predicted ... has no columns 'x', 'y', 'z'"."""
    from edgeling.core.training.predict_inputs import with_folders_opened

    truth = write_logged_pumps(tmp_path / "new", pumps=1, per_state=1)
    (tmp_path / "new" / "extra.csv").write_text("time,x,y,z\n0,1,2,3\n0.02,1,2,3\n")
    got = with_folders_opened([str(tmp_path / "new")], "timeseries")
    assert sorted(Path(f).relative_to(tmp_path / "new").as_posix() for f in got) == sorted([*truth, "extra.csv"])


def test_predict_and_evaluate_on_the_sheet_itself_point_to_its_folder(tmp_path, monkeypatch):
    """The regression walk: predict said the sheet "has no columns 'x', 'y', 'z'... record those", and evaluate --on
    called it "not a recording"."""
    from edgeling.core.training.other_files import labelled_samples
    from edgeling.core.training.predict import samples_from_file

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    write_logged_pumps(tmp_path / "new", pumps=1, per_state=1)
    meta = open_dataset(tmp_path / "new", None, ImportOptions()).meta
    for read in (lambda: samples_from_file("timeseries", tmp_path / "new" / "labels.csv", meta),
                 lambda: labelled_samples(tmp_path / "new" / "labels.csv", "timeseries", "classification",
                                          ["cavitation", "normal"], meta)):
        with pytest.raises(DataError, match="it is the label sheet of a folder of sensor recordings"):
            read()


def test_recordings_named_by_number_are_no_sheet_and_the_sheet_is_found(tmp_path, monkeypatch):
    """The review: recordings 1.csv ... 40.csv of whole-number readings: 1.csv's "2" matched 2.csv, so 1.csv was
    taken as the label sheet (classes '0' ... '44'); long CSVs 1.csv ... 4.csv with activity 1, 2, 3 the same."""
    import numpy as np

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(0)
    rows = ["file,state"]
    for i in range(1, 13):
        _write_lines(tmp_path / "nums" / f"{i}.csv", ["time,x,y,z"] + [
            f"{k * 10},{rng.integers(0, 45)},{rng.integers(0, 45)},{rng.integers(0, 45)}" for k in range(300)])
        rows.append(f"{i}.csv,{'normal' if i % 2 else 'cavitation'}")
    (tmp_path / "nums" / "labels.csv").write_text("\n".join(rows) + "\n")
    ds = open_dataset(tmp_path / "nums", None, ImportOptions())
    assert ds.meta["labels_from"] == "labels.csv" and ds.class_names == ["cavitation", "normal"]
    for subject in (1, 2, 3):
        _write_lines(tmp_path / "longs" / f"{subject}.csv", ["time,x,y,z,activity"] + [
            f"{t / 50:.3f},{rng.normal():.3f},{rng.normal():.3f},{act},{act}"
            for t, act in enumerate([1] * 300 + [2] * 300 + [3] * 300)])
    longs = open_dataset(tmp_path / "longs", None, ImportOptions())
    assert longs.meta["mode"] == "long_csv" and longs.class_names == ["1", "2", "3"]


def test_a_sheet_s_label_column_wins_over_a_status_column_before_it(tmp_path):
    """The review: 'status' became a label name today, and came first in file,status,label."""
    from edgeling.core.data.label_table import from_label_table
    from edgeling.core.data.recording_files import RECORDINGS

    (tmp_path / "labels.csv").write_text("file,status,label\na.csv,pending,cat\nb.csv,reviewed,dog\n")
    got = from_label_table(tmp_path, "labels.csv", ["a.csv", "b.csv"], R.Report(), None, RECORDINGS)
    assert got.files == [("a.csv", "cat"), ("b.csv", "dog")]


def test_a_test_on_other_files_reads_the_sheet_column_the_run_learnt(tmp_path, monkeypatch):
    """The review: trained on a sheet's 'fault' column (--target fault), a test on a new folder read its default
    column 'state': "labels.csv has the labels 'off', 'on' ... never learnt"."""
    import numpy as np

    from edgeling.core.training.other_files import labelled_samples

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(0)
    rows = ["file,state,fault"]
    for i in range(24):
        _write_lines(tmp_path / "d" / f"rec_{i:02d}.csv", ["time,x,y,z"] + [
            f"{k / 100:.2f},{rng.normal():.3f},{rng.normal():.3f},{rng.normal():.3f}" for k in range(400)])
        rows.append(f"rec_{i:02d}.csv,{['on', 'off'][i % 2]},{['ok', 'bearing', 'loose'][i % 3]}")
    (tmp_path / "d" / "labels.csv").write_text("\n".join(rows) + "\n")
    ds = open_dataset(tmp_path / "d", "timeseries", ImportOptions(target="fault"))
    assert ds.class_names == ["bearing", "loose", "ok"] and ds.meta["sheet_label_column"] == "fault"
    got = labelled_samples(tmp_path / "d", "timeseries", "classification", ds.class_names, ds.meta)
    assert sorted(set(got.y.tolist())) == [0, 1, 2]
    assert ds.class_names[got.y[got.sources.index("rec_04.csv#t=0.00-2.00")]] == "bearing"     # 4 % 3 = 1


def test_a_hash_in_a_recording_s_name_keeps_its_pump(tmp_path, monkeypatch):
    """The review: file_of cut 'pump#3.csv#t=0.00-2.00' at its first '#', so the sheet's pump for it was lost and
    the file was said to have "no one named"."""
    from edgeling.core.data.subjects import file_of

    assert file_of("logs/pump#3 rec.csv#t=0.00-2.00") == "logs/pump#3 rec.csv"
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    truth = write_logged_pumps(tmp_path / "p", pumps=5)
    first = next(iter(truth))
    (tmp_path / "p" / first).rename(tmp_path / "p" / first.replace("log_", "log#"))
    sheet = (tmp_path / "p" / "labels.csv").read_text().replace(first, first.replace("log_", "log#"))
    (tmp_path / "p" / "labels.csv").write_text(sheet)
    ds = open_dataset(tmp_path / "p", None, ImportOptions())
    assert ds.meta["subject_by_file"][first.replace("log_", "log#")] == "P1"
    assert not ds.report.by_code(R.UNNAMED_SUBJECT)


def test_a_test_on_a_sheet_folder_reads_its_sheet_once(tmp_path, monkeypatch):
    """The review: the folder's listing (its sheet read whole) was made twice for every test on it."""
    from edgeling.core.data import recording_files
    from edgeling.core.training.other_files import labelled_samples

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    write_logged_pumps(tmp_path / "new", pumps=1, per_state=1)
    for f in (tmp_path / "new" / "logs").iterdir():          # the recordings beside the sheet, as /tmp/tsheet has them
        f.rename(tmp_path / "new" / f.name)
    (tmp_path / "new" / "logs").rmdir()
    sheet = tmp_path / "new" / "labels.csv"
    sheet.write_text(sheet.read_text().replace("logs/", ""))
    meta = open_dataset(tmp_path / "new", None, ImportOptions()).meta
    calls = []
    real = recording_files.list_recording_files
    monkeypatch.setattr(recording_files, "list_recording_files", lambda *a, **k: calls.append(a) or real(*a, **k))
    labelled_samples(tmp_path / "new", "timeseries", "classification", ["cavitation", "normal"], meta)
    assert len(calls) == 1
