"""``edgeling evaluate RUN --on PATH``: a trained run tested on files that are not part of its data (a
folder with a subfolder per class, or a CSV with the target column). Each sample is prepared as
``predict`` prepares it, so the scores must agree with ``predict_files`` on the same files; unreadable
files are listed and the rest still count; the run's own results are not touched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from edgeling.core.cli import main
from edgeling.core.data.dataset import DataError
from edgeling.core.data.new_recordings import labelled_windows
from edgeling.core.jobs.train_job import train_run
from edgeling.core.results_files import markdown
from edgeling.core.results_words import OTHER_FILES_SPLIT, measured_on
from edgeling.core.training.predict import predict_files, predict_files_with_export
from tests.core.test_compress_cli import make_images
from tests.core.test_import_timeseries import write_rec
from tests.core.test_predict_exported import semicolon_cp1252, train_table_run
from tests.core.training_fixtures import make_table_csv


@pytest.fixture(scope="module")
def picture_run(tmp_path_factory):
    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("other-files")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        run = tmp / "run"
        result = train_run(make_images(tmp / "pictures"), run, arch="tutorial_cnn", epochs=3, threads=1,
                           knobs={"width": 4})
        assert result["status"] == "finished"
    return run


def _evaluate_json(capsys, *args) -> tuple[int, dict]:
    code = main(["evaluate", *map(str, args), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_new_batch_of_pictures_scores_as_predict_answers_and_the_run_is_untouched(picture_run, tmp_path,
                                                                                     capsys):
    new = make_images(tmp_path / "new batch", n_per_class=10, seed=9)
    shutil.rmtree(new / "ring")                       # a subset of the classes is fine
    (new / "dot").rename(new / "DOT")                 # folder names match the classes regardless of case
    (new / "bar" / "broken.png").write_text("not a picture")
    (new / "bar" / "notes.txt").write_text("taken in June")
    (new / "bar" / "Thumbs.db").write_bytes(b"\0" * 10)     # the system's, not the user's: not listed
    before = (picture_run / "metrics.json").read_bytes()

    code, m = _evaluate_json(capsys, picture_run, "--on", new, "--save-results", tmp_path / "res")
    assert code == 0
    assert m["split"] == OTHER_FILES_SPLIT and m["num_samples"] == 20
    assert m["per_class"]["ring"]["support"] == 0 and m["per_class"]["dot"]["support"] == 10
    assert [s["file"] for s in m["skipped"]] == ["bar/broken.png", "bar/notes.txt"]
    assert "its ending is .txt" in m["skipped"][1]["reason"]
    rows = (tmp_path / "res" / "per_class.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "class,precision,recall,recall_95_low,recall_95_high,f1,samples" and "ring,,,,,,0" in rows  # "-" in results.md
    files = sorted(str(p) for p in new.rglob("*.png") if p.name != "broken.png")
    said = [p["label"] for p in predict_files(picture_run, files)]
    truth = ["dot" if "/DOT/" in f else "bar" for f in files]
    assert m["accuracy"] == pytest.approx(np.mean([a == b for a, b in zip(said, truth)]))
    names = ["bar", "dot", "ring"]
    answers = {s["source"]: names[s["predicted"]] for s in m["samples"]}
    assert answers == {str(Path(f).relative_to(new)): a for f, a in zip(files, said)}
    assert (picture_run / "metrics.json").read_bytes() == before
    assert m["trained_on"] == {"checked": True, "count": 0, "examples": []}
    assert "none of them is in the data the run learnt from" in measured_on(m)


def test_files_whose_names_say_who_are_scored_for_each_of_them(picture_run, tmp_path, capsys):
    """The speech walk: 6 new children tested with --on, 4 of the 5 wrong answers one child's, and no number per
    child (speakers were only read from 20 up, as for a split)."""
    new = make_images(tmp_path / "new", n_per_class=8, seed=5)
    for png in sorted(new.rglob("*.png")):
        i = int(png.stem)
        png.rename(png.with_name(f"anna{i % 4}_{i // 4}.png"))
    code, m = _evaluate_json(capsys, picture_run, "--on", new)
    assert code == 0 and m["subjects"]["test"] == ["anna0", "anna1", "anna2", "anna3"]
    right = m["subjects"]["right"]
    assert sum(d["samples"] for d in right.values()) == 24
    assert sum(d["right"] for d in right.values()) == round(24 * m["accuracy"])
    assert len(m["accuracy_range"]) == 2
    main(["evaluate", str(picture_run), "--on", str(new)])
    said = capsys.readouterr().err
    assert "Read from the file names, these files are from 4 subjects (people, plants or machines). Right " \
           "answers for each of them: anna0 " in said


def test_files_copied_from_the_training_data_are_called_out(picture_run, tmp_path, capsys):
    copied = tmp_path / "copied"
    shutil.copytree(picture_run.parent / "pictures", copied)
    code = main(["evaluate", str(picture_run), "--on", str(copied), "--json"])
    out = capsys.readouterr()
    m = json.loads(out.out)
    learnt = m["trained_on"]
    assert code == 0 and learnt["checked"] and 0.7 * 90 < learnt["count"] < 90   # all but the test split
    said = measured_on(m)
    assert f"WARNING: {learnt['count']} of the 90 samples are ones the run learnt from" in said
    assert "better than new files would get" in said and "WARNING" in out.err
    model = tmp_path / "leaf.onnx"          # the run's exported file too (the upgrade walk: not said of it)
    assert main(["export", str(picture_run), "--format", "onnx", "--out", str(model), "--no-verify"]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(model), "--on", str(copied), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["trained_on"] == learnt


def test_a_folder_the_model_does_not_know_or_a_file_is_a_plain_message(picture_run, tmp_path, capsys):
    new = make_images(tmp_path / "new", n_per_class=3, seed=2, classes=("bar", "cross"))
    code, out = _evaluate_json(capsys, picture_run, "--on", new)
    assert code == 2 and "'cross'" in out["error"]["message"] and "bar, dot, ring" in out["error"]["message"]
    code, out = _evaluate_json(capsys, picture_run, "--on", new / "bar" / "0.png")
    assert code == 2 and "is a file" in out["error"]["message"] and "one subfolder per class" in out["error"]["message"]
    code, out = _evaluate_json(capsys, picture_run, "--on", tmp_path)  # one level too high
    assert code == 2 and "Choose the folder that holds one subfolder per class" in out["error"]["message"]
    shutil.rmtree(new / "cross")
    for f in (new / "bar").iterdir():
        f.write_text("no picture")
    code, out = _evaluate_json(capsys, picture_run, "--on", new)
    assert code == 2 and "No pictures could be used" in out["error"]["message"]
    code, out = _evaluate_json(capsys, picture_run, "--on", new, "--data", new)
    assert code == 2 and "not both" in out["error"]["message"]


def test_a_french_table_with_a_blank_answer_and_one_the_model_never_learnt(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    run, _ = train_table_run(tmp_path)
    new = semicolon_cp1252(make_table_csv(tmp_path / "plain-new.csv", n=40, seed=7), tmp_path / "nouvelles.csv")
    lines = new.read_bytes().decode("cp1252").split("\r\n")
    lines[3] = lines[3].rsplit(";", 1)[0] + ";"           # a row with no answer: not counted, and said so
    new.write_bytes("\r\n".join(lines).encode("cp1252"))

    code, m = _evaluate_json(capsys, run, "--on", new)
    assert code == 0 and m["num_samples"] == 39 and [s["file"] for s in m["skipped"]] == ["nouvelles.csv#row=4"]
    said = [p["label"] for p in predict_files(run, [str(new)])]
    truth = [line.rsplit(";", 1)[1] for line in lines[1:] if line]
    kept = [(a, b) for a, b in zip(said, truth) if b]
    assert len(kept) == 39 and m["accuracy"] == pytest.approx(np.mean([a == b for a, b in kept]))

    lines[6] = lines[6].rsplit(";", 1)[0] + ";" + lines[6].rsplit(";", 1)[1].upper()   # "HIGH": still high
    new.write_bytes("\r\n".join(lines).encode("cp1252"))
    code, again = _evaluate_json(capsys, run, "--on", new)
    assert code == 0 and again["accuracy"] == m["accuracy"]

    lines[5] = lines[5].rsplit(";", 1)[0] + ";enormous"
    new.write_bytes("\r\n".join(lines).encode("cp1252"))
    code, out = _evaluate_json(capsys, run, "--on", new)
    assert code == 2 and "'enormous'" in out["error"]["message"] and "row=6" in out["error"]["message"]


def test_results_say_where_the_numbers_come_from():
    base = {"num_samples": 20, "task": "classification", "accuracy": 1.0, "per_class": {}}
    assert "20 samples of the test split, which the model never saw" in measured_on(dict(base, split="test"))
    assert "may be a little optimistic" in measured_on(dict(base, split="validation"))
    other = dict(base, split=OTHER_FILES_SPLIT, data="/photos/june",
                 skipped=[{"file": "bar/x.png", "reason": "not a picture"}])
    assert "20 samples in /photos/june. They could not be compared" in measured_on(other)
    seen = dict(other, trained_on={"checked": True, "count": 0, "examples": []})
    assert "20 samples in /photos/june: none of them is in the data the run learnt from" in measured_on(seen)
    assert "## Not counted" in markdown(other) and "- bar/x.png: not a picture" in markdown(other)


def test_an_exported_int8_file_is_tested_in_its_own_runtime(picture_run, tmp_path, capsys):
    new = make_images(tmp_path / "june", n_per_class=8, seed=4)
    model = tmp_path / "leaf.tflite"
    assert main(["export", str(picture_run), "--format", "tflite-int8", "--out", str(model)]) == 0
    capsys.readouterr()
    code, m = _evaluate_json(capsys, model, "--on", new)
    assert code == 0 and m["num_samples"] == 24 and m["precision"] == "int8"
    files = sorted(str(p) for p in new.rglob("*.png"))
    said = [p["label"] for p in predict_files_with_export(model, files)]
    assert m["accuracy"] == pytest.approx(np.mean([a == f.split("/")[-2] for a, f in zip(said, files)]))
    model.write_bytes(model.read_bytes()[:200])  # truncated: its runtime refuses it, in plain words
    code, out = _evaluate_json(capsys, model, "--on", new)
    assert code == 2 and "damaged or incomplete" in out["error"]["message"]


# ----------------------------------------------------------------------------------------------------
# Sensor data as one long CSV with a label column: cut as the import cut the run's own long CSV

RATE, FREQ = 20, {"walk": 1.5, "run": 3.0, "sit": 0.2}


def sensor_rows(plan, seed: int, rate: float = RATE) -> list[tuple[str, str, str, str]]:
    """(time, ax, ay, label) per sample of a long recording at ``rate`` readings per second, each label
    lasting its planned seconds."""
    rng = np.random.default_rng(seed)
    rows, k = [], 0
    for label, seconds in plan:
        freq = FREQ.get(label.strip().lower(), 5.0)
        for _ in range(int(seconds * rate)):
            t = k / rate
            rows.append((f"{t:.4f}", f"{np.sin(2 * np.pi * freq * t) + 0.1 * rng.standard_normal():.4f}",
                         f"{0.1 * rng.standard_normal():.4f}", label))
            k += 1
    return rows


def write_csv(path: Path, header, rows) -> Path:
    path.write_text("\n".join([",".join(header)] + [",".join(r) for r in rows]) + "\n")
    return path


@pytest.fixture(scope="module")
def sensor_run(tmp_path_factory):
    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("other-long-csv")
    data = write_csv(tmp / "session.csv", ("time", "ax", "ay", "activity"),
                     sensor_rows([("walk", 5), ("run", 5), ("sit", 5)] * 4, seed=1))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        run = tmp / "run"
        result = train_run(data, run, kind="timeseries", arch="spectral_dense", epochs=4, threads=1,
                           import_options={"window_s": 2.0})
        assert result["status"] == "finished"
    return run, data


def _predicted_windows(run, files) -> list[dict]:
    """``predict``'s answer for each window of each file, in order."""
    return [w for p in predict_files(run, [str(f) for f in files]) for w in p.get("windows", [p])]


def _stretch_files(folder: Path, rows, plan) -> list[tuple[str, Path]]:
    """Each labelled stretch of ``plan`` at least one window long, as a recording of its own."""
    folder.mkdir()
    out, k = [], 0
    for i, (label, seconds) in enumerate(plan):
        part, k = rows[k:k + int(seconds * RATE)], k + int(seconds * RATE)
        if label.strip() and seconds >= 2:
            out.append((label.strip().lower(), write_csv(folder / f"{i}.csv", ("time", "ax", "ay"),
                                                         [r[:3] for r in part])))
    return out


def test_a_long_sensor_csv_is_cut_as_training_cut_it_and_scores_as_predict_answers(sensor_run, tmp_path,
                                                                                    monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    run, _ = sensor_run
    plan = [("walk", 4), ("", 1), ("RUN ", 6), ("sit", 1), ("sit", 3), ("walk", 5)]
    plan[4] = ("Sit", 3)                        # a change of label starts a new stretch, as in training
    rows = sensor_rows(plan, seed=8)
    # other column order, a column the model does not use; the label column found by its name
    new = write_csv(tmp_path / "june.csv", ("activity", "temp", "ay", "time", "ax"),
                    [(r[3], "21.5", r[2], r[0], r[1]) for r in rows])
    code, m = _evaluate_json(capsys, run, "--on", new)
    assert code == 0 and m["split"] == OTHER_FILES_SPLIT
    assert m["skipped"] == [{"file": "june.csv#row=82-101", "reason": "no label in 'activity'"},
                            {"file": "june.csv#t=11.00", "reason": "'sit' lasts 1.00 s here, shorter than one "
                                                                   "window (2.00 s)"}]
    stretches = _stretch_files(tmp_path / "apart", rows, plan)
    said = [_predicted_windows(run, [f]) for _, f in stretches]
    truth = [label for (label, _), windows in zip(stretches, said) for _ in windows]
    said = [w for windows in said for w in windows]
    assert m["num_samples"] == len(said) == 3 + 5 + 2 + 4
    assert m["accuracy"] == pytest.approx(np.mean([w["label"] == t for w, t in zip(said, truth)]))
    names = ["run", "sit", "walk"]
    assert [names[s["predicted"]] for s in m["samples"]] == [w["label"] for w in said]
    assert [s["confidence"] for s in m["samples"]] == pytest.approx([w["confidence"] for w in said], abs=1e-4)
    assert m["samples"][0]["source"] == "june.csv#t=0.00-2.00" and m["samples"][3]["source"] == "june.csv#t=5.00-7.00"
    assert m["trained_on"] == {"checked": True, "count": 0, "examples": []}


def test_the_training_csv_itself_is_called_out_as_learnt_from(sensor_run, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    run, data = sensor_run
    copy = tmp_path / "folder of logs" / "copy.csv"
    copy.parent.mkdir()
    shutil.copy(data, copy)
    (copy.parent / "broken.csv").write_bytes(b"\x00\xff\x00 not a table" * 3)   # listed; the rest still counts
    code, m = _evaluate_json(capsys, run, "--on", copy.parent)
    assert code == 0 and m["num_samples"] == 12 * 4
    assert [s["file"] for s in m["skipped"]] == ["broken.csv"]
    splits = json.loads((run / "run.json").read_text())["dataset"]["splits"]
    assert m["trained_on"]["count"] == splits["train"] + splits["validation"]
    assert m["trained_on"]["examples"][0].startswith("copy.csv#t=")
    rows = sensor_rows([("walk", 5), ("run", 5), ("sit", 5)] * 4, seed=1)
    stretches = _stretch_files(tmp_path / "apart", rows, [("walk", 5), ("run", 5), ("sit", 5)] * 4)
    said = _predicted_windows(run, [f for _, f in stretches])
    truth = [label for label, _ in stretches for _ in range(4)]
    assert m["accuracy"] == pytest.approx(np.mean([w["label"] == t for w, t in zip(said, truth)]))


def test_a_sensor_run_given_the_wrong_kind_of_csv_says_so_plainly(sensor_run, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    run, _ = sensor_run
    table = make_table_csv(tmp_path / "orders.csv", n=30)
    code, out = _evaluate_json(capsys, run, "--on", table)
    message = out["error"]["message"]
    assert code == 2 and "orders.csv has none of the sensor columns this model was trained on (ax, ay)" in message
    rows = sensor_rows([("walk", 3), ("jump", 3)], seed=2)
    unlabelled = write_csv(tmp_path / "one recording.csv", ("time", "ax", "ay"), [r[:3] for r in rows])
    code, out = _evaluate_json(capsys, run, "--on", unlabelled)
    assert code == 2 and "has no column 'activity', which holds the labels" in out["error"]["message"]
    jumping = write_csv(tmp_path / "jumping.csv", ("time", "ax", "ay", "activity"), rows)
    code, out = _evaluate_json(capsys, run, "--on", jumping)
    assert code == 2 and "the label 'jump' in the column 'activity' (first in jumping.csv#t=3.00-5.00)" in out["error"]["message"]
    assert "never learnt (it knows run, sit, walk)" in out["error"]["message"]
    jumping.write_bytes(b"")
    code, out = _evaluate_json(capsys, run, "--on", jumping)
    assert code == 2 and "jumping.csv is empty" in out["error"]["message"]
    # a run that did not record its label column guesses it as the import does, never as the date-time column
    meta = dict(json.loads((run / "run.json").read_text())["spec"]["meta"], label_column=None)
    with pytest.raises(DataError, match="recording.csv has no label column"):
        labelled_windows(write_rec(tmp_path / "recording.csv", rate=RATE, time="iso", channels=("ax", "ay")), meta)
    short = write_csv(tmp_path / "short.csv", ("time", "ax", "ay", "activity"), sensor_rows([("walk", 1)], 3))
    code, out = _evaluate_json(capsys, run, "--on", short)
    assert code == 2 and "No part of short.csv could be tested" in out["error"]["message"]
    # what a run scores on the same windows, the check every test here makes: the walking part of jumping
    said = _predicted_windows(run, [write_csv(tmp_path / "walk.csv", ("time", "ax", "ay"), [r[:3] for r in rows[:60]])])
    walking = write_csv(tmp_path / "walking.csv", ("time", "ax", "ay", "activity"), rows[:60])
    code, m = _evaluate_json(capsys, run, "--on", walking)
    assert code == 0 and m["accuracy"] == pytest.approx(np.mean([w["label"] == "walk" for w in said]))


def test_an_exported_sensor_model_reads_the_label_column_the_run_was_trained_with(sensor_run, tmp_path, capsys):
    run, _ = sensor_run
    model = tmp_path / "gait.onnx"
    assert main(["export", str(run), "--format", "onnx", "--out", str(model)]) == 0
    capsys.readouterr()
    plan = [("sit", 3), ("walk", 4), ("run", 3)]
    rows = sensor_rows(plan, seed=5)
    # a 'label' column too (the box's sticker), which a guess would take: the export names 'activity'
    new = write_csv(tmp_path / "july.csv", ("time", "ax", "ay", "activity", "label"),
                    [r + ("box 7",) for r in rows])
    code, m = _evaluate_json(capsys, model, "--on", new)
    assert code == 0 and m["num_samples"] == 2 + 3 + 2 and not m["skipped"]
    stretches = _stretch_files(tmp_path / "apart", rows, plan)
    said = [w for _, f in stretches for p in predict_files_with_export(model, [str(f)])
            for w in p.get("windows", [p])]
    truth = [label for label, _ in stretches for _ in range({"sit": 2, "walk": 3, "run": 2}[label])]
    assert m["accuracy"] == pytest.approx(np.mean([w["label"] == t for w, t in zip(said, truth)]))


def test_a_run_with_an_int8_file_is_tested_on_that_file_as_evaluate_and_predict_use_it(picture_run, tmp_path,
                                                                                      capsys):
    """A compressed int8 run: evaluate and predict answer with its int8 file in LiteRT; --on must too, or
    the same run scores one model on its test split and another on the user's new files."""
    from edgeling.core.compress.compress_job import compress_run
    from edgeling.core.training.predict import predict_run

    small = tmp_path / "int8"
    compress_run(picture_run, small, quantize="ptq", threads=1)
    new = make_images(tmp_path / "new batch", n_per_class=8, seed=5)
    code, m = _evaluate_json(capsys, small, "--on", new)
    assert code == 0 and m["model"] == "the int8 file in LiteRT"
    files = sorted(str(p) for p in new.rglob("*.png"))
    said, answered_by = predict_run(small, files)
    assert answered_by == "the int8 file in LiteRT"
    names = ["bar", "dot", "ring"]
    answers = {s["source"]: names[s["predicted"]] for s in m["samples"]}
    assert answers == {str(Path(f).relative_to(new)): p["label"] for f, p in zip(files, said)}
    assert "measured as its int8 file in LiteRT" in markdown(m)


RESAMPLED = ("recorded at 40 per second; the model was trained at 20 per second, so it was resampled (what vibrates "
             "faster than the model can see was filtered out first)")


def test_a_slower_recording_s_note_says_what_stretching_cannot_add():
    """The pump walk: predict said only "check the logger's rate" where inspect says stretching cannot add the
    fast vibrations that were never recorded."""
    from edgeling.core.data.new_recordings import rate_notes

    assert rate_notes(100.0, 200.0) == [
        "recorded at 100 per second and stretched to 200, the model's rate: it holds no vibration faster than 50 Hz, "
        "which the model may rely on, so its answer may be worse than for a recording at 200 per second"]
    assert rate_notes(201.0, 200.0) == []


def test_a_recording_at_another_rate_is_predicted_with_a_note(sensor_run, tmp_path, capsys):
    run, _ = sensor_run
    fast = write_csv(tmp_path / "fast.csv", ("time", "ax", "ay"), [r[:3] for r in sensor_rows([("walk", 6)], 3, rate=40)])
    same = write_csv(tmp_path / "same.csv", ("time", "ax", "ay"), [r[:3] for r in sensor_rows([("walk", 6)], 3, rate=20)])
    predictions = predict_files(run, [str(fast), str(same)])
    assert predictions[0]["notes"] == [RESAMPLED] and "notes" not in predictions[1]
    assert not any("notes" in w for p in predictions for w in p["windows"])    # said once, for the file
    assert [w["source"] for w in predictions[0]["windows"]] == [f"{fast}#t={t:.2f}" for t in (0, 1, 2, 3, 4)]
    assert main(["predict", str(run), str(fast), str(same), "--json"]) == 0
    said = capsys.readouterr()
    assert f"Note: fast.csv: {RESAMPLED}" in said.err and json.loads(said.out)["notes"] == [f"fast.csv: {RESAMPLED}"]


def test_evaluate_on_recordings_at_another_rate_notes_it(sensor_run, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    run, _ = sensor_run
    long = write_csv(tmp_path / "fast.csv", ("time", "ax", "ay", "activity"),
                     sensor_rows([("walk", 4), ("run", 4)], 4, rate=40))
    code, m = _evaluate_json(capsys, run, "--on", long, "--save-results", tmp_path / "res")
    assert code == 0 and m["num_samples"] == 3 + 3 and m["notes"] == [f"fast.csv: {RESAMPLED}"]
    assert f"## Notes\n\n- fast.csv: {RESAMPLED}" in (tmp_path / "res" / "results.md").read_text()
    folder = tmp_path / "per class"
    for i, label in enumerate(["walk", "walk", "run", "sit", "sit"]):
        (folder / label).mkdir(parents=True, exist_ok=True)
        write_csv(folder / label / f"{i}.csv", ("time", "ax", "ay"), [r[:3] for r in sensor_rows([(label, 3)], i, rate=40)])
    write_csv(folder / "run" / "at20.csv", ("time", "ax", "ay"), [r[:3] for r in sensor_rows([("run", 3)], 9, rate=20)])
    assert main(["evaluate", str(run), "--on", str(folder)]) == 0
    out = capsys.readouterr().err
    assert f"  note: run/2.csv, sit/3.csv, sit/4.csv and 2 more: {RESAMPLED}\n" in out


def _as_if_an_update_reads_it_differently(run: Path) -> None:
    """Simulate an update that reads the run's data differently: run.json records another sample shape."""
    config = json.loads((run / "run.json").read_text(encoding="utf-8"))
    config["spec"]["sample_shape"] = [config["spec"]["sample_shape"][0] + 2]
    (run / "run.json").write_text(json.dumps(config), encoding="utf-8")


def test_a_run_whose_data_an_update_reads_differently_says_so(tmp_path, monkeypatch, capsys):
    """An update changed how the run's table is read (this morning's importer dropped a price column written
    '104,81 €'; today's reads it): evaluate said 'This model takes samples of shape (8,), but got (6,). Import
    the data with the same settings as for training', which nobody can do, and 'evaluate --on' said nothing
    about whether the run learnt from the files. A run trained before runs saved their samples (no
    samples.npz) still gets that plain message."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    run, data = train_table_run(tmp_path)
    (run / "samples.npz").unlink()
    _as_if_an_update_reads_it_differently(run)
    assert main(["evaluate", str(run)]) == 2
    said = capsys.readouterr().err
    assert "Edgeling now reads" in said and "an update changed how table files are read" in said
    assert "Train a new run on this data" in said and "Import the data with the same settings" not in said
    from edgeling.core.training.other_files import LabelledSamples, samples_learnt_from

    learnt = samples_learnt_from(run, LabelledSamples(np.zeros((0, 1), np.float32), np.zeros(0), [], []))
    assert learnt["checked"] is False and "Edgeling now reads" in learnt["why"]
    m = {"split": OTHER_FILES_SPLIT, "num_samples": 3, "trained_on": learnt}
    assert "could not be compared with the run's training data" in measured_on(m)
    from edgeling.core.results_words import learnt_warning

    assert learnt_warning(m).startswith("NOTE: these files could not be compared")


def test_a_run_read_differently_since_an_update_works_on_its_saved_samples(tmp_path, monkeypatch, capsys):
    """The same update, for a run that saved its samples when it was trained: evaluate measures it on them,
    with the same numbers as before the update, and says why; what it learnt from is still known."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    run, data = train_table_run(tmp_path)
    before = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    _as_if_an_update_reads_it_differently(run)
    code, m = _evaluate_json(capsys, run)
    assert code == 0 and m["accuracy"] == before["accuracy"] and m["num_samples"] == before["num_samples"]
    assert m["note"].startswith(f"Edgeling now reads {data} differently from when this run was trained")
    assert f"on the {before['num_samples']} samples saved with the run" in m["note"]
    from edgeling.core.data.load import open_dataset
    from edgeling.core.training.other_files import LabelledSamples, samples_learnt_from

    ds = open_dataset(data)
    learnt = samples_learnt_from(run, LabelledSamples(ds.x, ds.y, ds.sources, []))
    assert learnt["checked"] is True and learnt["count"] == int(np.count_nonzero(ds.splits != 2))


def test_windows_of_other_recordings_are_named_with_their_end_as_the_run_s_own(tmp_path):
    """The pump walk: "Test on other files" named a window by its start alone ("pump6_rec01.csv#t=0.00"), where the
    test split's say "#t=3.00-5.00"; the app then worked the end out itself."""
    from edgeling.core.data.load import ImportOptions
    from edgeling.core.data.timeseries import import_dataset
    from edgeling.core.training.other_files import labelled_samples
    from tests.core.test_sensor_units import folder

    ds = import_dataset(folder(tmp_path / "d"), ImportOptions())
    got = labelled_samples(folder(tmp_path / "other"), "timeseries", "classification", ds.class_names, ds.meta)
    assert got.sources[:2] == ["cavitation/cavitation_0.csv#t=0.00-2.00", "cavitation/cavitation_0.csv#t=1.00-3.00"]


def test_an_exported_file_s_run_must_be_the_one_that_made_it(tmp_path, monkeypatch):
    """The regression walk: an older card's relative "runs/leaves", read from another folder, found an unrelated
    run, and evaluate said 46 of 53 new photos were ones it had learnt from."""
    from edgeling.core import runs
    from edgeling.core.export.model_card import card_paths, run_of_export

    made, other = tmp_path / "runs" / "leaves", tmp_path / "elsewhere" / "runs" / "leaves"
    runs.write_config(made, {"status": "finished", "frontend": {"type": "image", "mean": [0.5]}})
    runs.write_config(other, {"status": "finished", "frontend": {"type": "image", "mean": [0.4]}})
    model = tmp_path / "leaves.onnx"
    card = card_paths(model)["json"]
    mine = {"type": "image", "mean": [0.5]}
    card.write_text(json.dumps({"run": str(made)}), encoding="utf-8")
    assert run_of_export(model, mine).path == made
    card.write_text(json.dumps({"run": str(other)}), encoding="utf-8")        # another run: not its front end
    assert run_of_export(model, mine) is None
    monkeypatch.chdir(tmp_path / "elsewhere")
    card.write_text(json.dumps({"run": "runs/leaves"}), encoding="utf-8")     # an older card's relative path
    assert run_of_export(model, {"type": "image", "mean": [0.4]}) is None
