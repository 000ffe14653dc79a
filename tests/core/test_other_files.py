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
from edgeling.core.jobs.train_job import train_run
from edgeling.core.results_files import OTHER_FILES_SPLIT, markdown, measured_on
from edgeling.core.training.predict import predict_files, predict_files_with_export
from tests.core.test_compress_cli import make_images
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
    assert rows[0] == "class,precision,recall,f1,samples" and "ring,,,,0" in rows  # "-" in results.md
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
