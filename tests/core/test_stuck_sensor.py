"""A sensor stuck, unplugged or off (the pump walk: a recording flat for its last two thirds imported without a
word; zeros, stuck and unplugged files all answered "normal (100%)"): reported at import, noted in predict."""

from __future__ import annotations

import numpy as np
import pytest

from edgeling.core.data.dataset import DataError
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.new_recordings import recording_windows
from edgeling.core.data.timeseries import import_dataset
from tests.core.test_sensor_units import RATE, folder, readings, write


def test_a_stuck_sensor_is_reported_at_import_with_where_and_how_long(tmp_path):
    from edgeling.core.data.report import STUCK_SENSOR

    root = folder(tmp_path / "d")
    data = readings(1, 2.0, seconds=6.0)
    data[100:] = data[100]                    # stuck from t = 2.0 s to the end (4 s, 2/3 of it)
    write(root / "normal" / "normal_1.csv", data)
    ds = import_dataset(root, ImportOptions())
    (said,) = ds.report.by_code(STUCK_SENSOR)
    assert said.severity == "warning" and said.files == ["normal/normal_1.csv (4.0 s from t = 2.0 s, 67% of it)"]
    assert said.message.startswith("In 1 recording the readings do not change at all for a second or more")
    assert said.message.endswith("The 3 windows in which nothing changes at all were left out, so the model does "
                                 "not learn that a still sensor is their class; the rest of the recording was kept.")
    kept = [s for s in ds.sources if s.startswith("normal/normal_1.csv#")]
    assert kept == ["normal/normal_1.csv#t=0.00-2.00", "normal/normal_1.csv#t=1.00-3.00"]
    assert not import_dataset(folder(tmp_path / "fine"), ImportOptions()).report.by_code(STUCK_SENSOR)


def test_predict_says_when_a_recording_never_changes(tmp_path):
    ds = import_dataset(folder(tmp_path / "g"), ImportOptions())
    half = np.concatenate([readings(5, 2.0, seconds=2.0), np.zeros((100, 3))])
    zeros = recording_windows(write(tmp_path / "half.csv", half), ds.meta)
    assert any(n.startswith("1 of 3 windows hold readings that never change") for n in zeros.notes), zeros.notes
    moving = recording_windows(write(tmp_path / "moving.csv", readings(5, 2.0)), ds.meta)
    assert not any("never change" in n for n in moving.notes)


def test_an_empty_recording_to_predict_is_said_in_a_logger_s_words(tmp_path):
    ds = import_dataset(folder(tmp_path / "g"), ImportOptions())
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match="empty: it holds no readings. Copy it again from the logger") as e:
        recording_windows(tmp_path / "empty.csv", ds.meta)
    assert "spreadsheet" not in str(e.value)


def test_a_class_still_throughout_is_said_as_that_class_not_as_a_stuck_sensor(tmp_path):
    """The regression walk: an 8-bit sensor on a machine that is off reads one value; every 'off' recording was
    warned about as a stuck sensor, and predict said the answer 'off' meant nothing."""
    from edgeling.core.data.report import STUCK_SENSOR

    root = folder(tmp_path / "d")
    for i in range(4):
        write(root / "off" / f"off_{i}.csv", np.tile([[0.0, 0.0, 1.0]], (200, 1)))
    write(root / "off" / "off_4.csv", readings(4, 0.5) * 0.01 + [0, 0, 1.0])   # one with a little noise
    ds = import_dataset(root, ImportOptions())
    (said,) = ds.report.by_code(STUCK_SENSOR)
    assert said.severity == "info" and said.message.startswith("Many recordings of 'off' hold readings that do not change at all")
    assert len(said.files) == 4 and ds.meta["still_classes"] == ["off"]
    assert sum(s.startswith("off/") for s in ds.sources) == 5 * 3          # no window of a still class left out
    off = recording_windows(write(tmp_path / "new_off.csv", np.tile([[0.0, 0.0, 1.0]], (200, 1))), ds.meta)
    assert not any("never change" in n for n in off.notes)



def test_a_dead_sensor_gets_no_answer_but_says_what_the_model_said(tmp_path, capsys):
    """The GUI walk: zeros.csv was answered "normal (100% sure)" in bold, the note below the fold."""
    import json

    from edgeling.core.cli import main
    from edgeling.core.jobs.train_job import train_run
    from edgeling.core.training.predict import predict_files
    from tests.core.training_fixtures import ZOO

    root = folder(tmp_path / "d")
    assert train_run(root, tmp_path / "run", epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
    dead = write(tmp_path / "zeros.csv", np.zeros((200, 3)))
    alive = write(tmp_path / "alive.csv", readings(5, 7.0))
    got = {p["source"]: p for p in predict_files(tmp_path / "run", [str(dead), str(alive)])}
    assert got[str(dead)]["no_reading"] and all(w["no_reading"] for w in got[str(dead)]["windows"])
    assert "no_reading" not in got[str(alive)]
    assert main(["predict", str(tmp_path / "run"), str(dead), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["predictions"][0]["no_reading"] is True
    assert "zeros.csv: no answer: the readings never change (the sensor stuck, unplugged or off)" in err


def test_only_the_stuck_recording_loses_windows_and_a_third_still_makes_a_still_class(tmp_path):
    """The second regression walk: one stuck 'on' recording cut 128 windows from a quiet 'idle' class that was never
    flagged (its 0.5 s windows can be flat between two 1-count steps); and 3 still recordings of 8 'idle' ones
    did not make it a still class, so a still idle file got "no answer"."""
    from edgeling.core.data.report import STUCK_SENSOR

    root = tmp_path / "quiet"
    t = np.arange(500) / RATE                                # 10 s at 50 per second
    for i in range(8):
        steps = np.floor(t / 0.8 + i) % 2 * 0.01              # a 1-count step every 0.8 s: never still for 1 s
        write(root / "idle" / f"idle_{i}.csv", np.stack([steps, steps, 1.0 + steps], 1))
        on = readings(i, 7.0, seconds=10.0)
        if i == 0:
            on[200:400] = on[200]                             # stuck for 4 s
        write(root / "on" / f"on_{i}.csv", on)
    plain = import_dataset(root, ImportOptions(window_s=0.5, stride_s=0.25))
    per = (500 - plain.meta["window_len"]) // plain.meta["stride_len"] + 1      # windows of one recording
    assert sum(s.startswith("idle/") for s in plain.sources) == 8 * per        # no idle window left out
    (said,) = plain.report.by_code(STUCK_SENSOR)
    assert said.files == ["on/on_0.csv (4.0 s from t = 4.0 s, 40% of it)"]
    assert "windows in which nothing changes at all were left out" in said.message
    lost = 8 * per - sum(s.startswith("on/") for s in plain.sources)
    assert lost > 0 and f"The {lost} windows" in said.message
    for i in range(3):                                       # 3 of 8 idle recordings hold still for 4 s
        still = np.tile([[0.0, 0.0, 1.0]], (500, 1))
        write(root / "idle" / f"idle_{i}.csv", still)
    quiet = import_dataset(root, ImportOptions(window_s=0.5, stride_s=0.25))
    assert quiet.meta["still_classes"] == ["idle"] and sum(s.startswith("idle/") for s in quiet.sources) == 8 * per



def test_a_recording_stuck_part_of_the_time_is_answered_from_its_other_windows(tmp_path, capsys):
    """The pump walk: "cavitation (67%) / 34 windows: 34 cavitation" while 25 of the 34 windows were a stuck
    sensor; their answers were averaged into the file's."""
    from edgeling.core.commands.predict import windows_summary
    from edgeling.core.training.predict import _results

    probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.4, 0.6], [0.4, 0.6], [0.4, 0.6]])
    sources = [f"p.csv#t={i}.00-{i + 2}.00" for i in range(5)]
    (whole,) = _results("p.csv", sources, probs, probs, "timeseries", ["cav", "ok"], 2,
                        no_reading=np.array([False, False, True, True, True]))
    assert whole["label"] == "cav" and abs(whole["confidence"] - 0.85) < 1e-6 and "no_reading" not in whole
    assert windows_summary(whole) == ("5 windows, 3 of them with readings that never change (not counted); the "
                                      "other 2: 2 cav")
    (dead,) = _results("p.csv", sources, probs, probs, "timeseries", ["cav", "ok"], 2, no_reading=np.ones(5, bool))
    assert dead["no_reading"] and abs(dead["confidence"] - 0.58) < 1e-6     # all stuck: as before
