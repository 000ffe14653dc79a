"""``edgeling predict`` with exported files (.onnx / .tflite, float and int8) gives the run's labels, and
tables are read in any dialect the import accepts (``;`` separators, cp1252, decimal commas)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from edgeling.core.cli import main
from edgeling.core.jobs.train_job import train_run
from edgeling.core.training.predict import predict_files, predict_files_with_export
from tests.core.training_fixtures import make_table_csv

FORMATS = {"onnx": "m.onnx", "onnx-int8": "q.onnx", "tflite": "m.tflite", "tflite-int8": "q.tflite"}


@pytest.fixture(autouse=True)
def _one_thread(tmp_path, monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))


def semicolon_cp1252(rows_csv, path):
    """The same table French-style: ``;`` between cells, decimal commas, cp1252, accented header."""
    lines = rows_csv.read_text().splitlines()
    head = lines[0].replace("noise", "bruit (°C)").replace(",", ";")
    body = [";".join(c.replace(".", ",") for c in line.split(",")) for line in lines[1:]]
    path.write_bytes(("\r\n".join([head, *body]) + "\r\n").encode("cp1252"))
    return path


def train_table_run(tmp):
    """A real run (mlp) trained on a ``;`` / cp1252 / decimal-comma table; returns (run, data file)."""
    data = semicolon_cp1252(make_table_csv(tmp / "plain.csv", n=300), tmp / "mesures.csv")
    run = tmp / "run"
    result = train_run(data, run, arch="mlp", epochs=6, threads=1)
    assert result["status"] == "finished"
    return run, data


@pytest.fixture(scope="module")
def run_and_exports(tmp_path_factory):
    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("predict-exported")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        run, _ = train_table_run(tmp)
        exports = {}
        for fmt, name in FORMATS.items():
            assert main(["export", str(run), "--format", fmt, "--out", str(tmp / name)]) == 0, fmt
            exports[fmt] = tmp / name
    new = make_table_csv(tmp / "new.csv", n=48, seed=5)
    french = semicolon_cp1252(new, tmp / "nouvelles.csv")
    new.write_text(new.read_text().replace("noise", "bruit (°C)", 1), encoding="utf-8")  # same columns
    return run, exports, new, french


def test_predict_reads_semicolon_cp1252_tables(run_and_exports):
    run, _, plain, french = run_and_exports
    a = predict_files(run, [str(plain)])
    b = predict_files(run, [str(french)])
    assert len(a) == len(b) == 48
    assert [p["label"] for p in a] == [p["label"] for p in b]
    assert [p["confidence"] for p in a] == pytest.approx([p["confidence"] for p in b], abs=1e-6)
    assert b[0]["source"] == f"{french}#row=2" and b[-1]["source"].endswith("#row=49")
    truth = [line.rsplit(",", 1)[1] for line in plain.read_text().splitlines()[1:]]
    assert np.mean([p["label"] == t for p, t in zip(a, truth)]) > 0.8  # the run really learned


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_predict_with_an_exported_file_gives_the_runs_labels(run_and_exports, fmt, capsys):
    run, exports, _, french = run_and_exports
    ours = predict_files(run, [str(french)])
    theirs = predict_files_with_export(exports[fmt], [str(french)])
    same = np.mean([p["label"] == q["label"] for p, q in zip(ours, theirs)])
    assert len(theirs) == len(ours) == 48 and [q["source"] for q in theirs] == [p["source"] for p in ours]
    if fmt in ("onnx", "tflite"):
        assert same == 1.0
        assert [q["confidence"] for q in theirs] == pytest.approx([p["confidence"] for p in ours], abs=1e-4)
    else:
        assert same >= 0.97, same
    assert main(["predict", str(exports[fmt]), str(french), "--json"]) == 0
    out = capsys.readouterr()
    printed = json.loads(out.out)
    assert printed["model"] == str(exports[fmt]) and [p["label"] for p in printed["predictions"]] == \
        [q["label"] for q in theirs]
    assert "nouvelles.csv row 2: " in out.err


def test_predict_with_a_damaged_or_foreign_export_is_a_plain_message(run_and_exports, tmp_path, capsys):
    _, exports, _, french = run_and_exports
    for fmt in ("tflite-int8", "onnx"):
        cut = tmp_path / f"cut{exports[fmt].suffix}"
        cut.write_bytes(exports[fmt].read_bytes()[: len(exports[fmt].read_bytes()) // 2])
        assert main(["predict", str(cut), str(french), "--json"]) == 2
        err = json.loads(capsys.readouterr().out)["error"]["message"]
        assert f"{cut} is damaged or incomplete" in err and "Traceback" not in err
    from edgeling.core.export.tflite_writer import write_tflite
    from edgeling.core.models.lowering import lower
    from tests.core.tiny_models import TutorialCNN

    bare = tmp_path / "bare.tflite"  # a file with no Edgeling metadata (e.g. written by another tool)
    write_tflite(lower(TutorialCNN(), (1, 28, 28)), bare)
    assert main(["predict", str(bare), str(french), "--json"]) == 2
    assert "does not say how to prepare files" in json.loads(capsys.readouterr().out)["error"]["message"]


def test_predict_pictures_with_every_exported_format(tmp_path, monkeypatch):
    from tests.core.test_compress_cli import make_images

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = make_images(tmp_path / "pictures")
    run = tmp_path / "run"
    assert train_run(data, run, arch="tutorial_cnn", epochs=3, threads=1, knobs={"width": 4})["status"] == "finished"
    new = make_images(tmp_path / "new", n_per_class=12, seed=9)
    files = sorted(str(p) for p in new.rglob("*.png"))
    ours = [p["label"] for p in predict_files(run, files)]
    assert np.mean([label == f.split("/")[-2] for label, f in zip(ours, files)]) > 0.6  # it learned something
    for fmt, name in FORMATS.items():
        assert main(["export", str(run), "--format", fmt, "--out", str(tmp_path / name)]) == 0, fmt
        theirs = [p["label"] for p in predict_files_with_export(tmp_path / name, files)]
        same = np.mean([a == b for a, b in zip(ours, theirs)])
        assert same == 1.0 if fmt in ("onnx", "tflite") else same >= 0.97, (fmt, same)


def test_predict_refuses_a_table_without_the_models_columns(run_and_exports, tmp_path, capsys):
    run, _, plain, _ = run_and_exports
    header, *rows = plain.read_text(encoding="utf-8").splitlines()
    first = header.split(",")[0]
    partial = tmp_path / "partial.csv"
    partial.write_text("\n".join([first] + [r.split(",")[0] for r in rows[:3]]) + "\n", encoding="utf-8")
    assert main(["predict", str(run), str(partial)]) == 2
    err = capsys.readouterr().err
    assert "partial.csv lacks" in err and "columns the model was trained on" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("with_export", [False, True])
def test_one_unreadable_file_among_several_loses_none_of_the_others(run_and_exports, tmp_path, capsys,
                                                                    with_export):
    run, exports, plain, french = run_and_exports
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\x00\x01binary\x00")
    model = exports["tflite-int8"] if with_export else run
    assert main(["predict", str(model), str(plain), str(broken), str(french), "--json"]) == 2
    out, err = capsys.readouterr()
    predictions = json.loads(out)["predictions"]
    failed = [p for p in predictions if "error" in p]
    assert [p["source"] for p in failed] == [str(broken)] and "broken.csv" in failed[0]["error"]
    assert sum("label" in p for p in predictions) == len(predictions) - 1 > 40
    assert "1 of 3 files could not be read" in err and "Traceback" not in err
    assert main(["predict", str(model), str(broken), str(tmp_path / "missing.csv")]) == 2
    assert "None of the 2 files could be read" in capsys.readouterr().err


def test_an_export_named_without_its_ending_gets_a_note(run_and_exports, tmp_path, capsys):
    run = run_and_exports[0]
    assert main(["export", str(run), "--format", "onnx", "--out", str(tmp_path / "model.onx"), "--no-verify"]) == 0
    assert "onnx files usually end in .onnx; model.onx does not" in capsys.readouterr().err
    assert main(["export", str(run), "--format", "onnx", "--out", str(tmp_path / "model.onnx"), "--no-verify"]) == 0
    assert "usually end in" not in capsys.readouterr().err


def test_predict_with_a_compressed_int8_run_uses_its_int8_file_as_evaluate_does(run_and_exports, tmp_path,
                                                                                  capsys):
    """'predict runs/x-int8' answered with the float weights while 'evaluate' and the exported .tflite used
    the int8 file, so they could disagree on near ties; now the run's int8 file answers, and says so."""
    from edgeling.core.training.evaluate import evaluate_run
    from edgeling.core.training.predict import INT8_FILE_SAID, predict_run

    run, _, _, french = run_and_exports
    small = tmp_path / "run-int8"
    assert main(["compress", str(run), "--quantize", "ptq", "--out", str(small)]) == 0
    assert main(["export", str(small), "--format", "tflite-int8", "--out", str(tmp_path / "q.tflite")]) == 0
    capsys.readouterr()
    ours, answered_by = predict_run(small, [str(french)])
    theirs = predict_files_with_export(tmp_path / "q.tflite", [str(french)])
    assert answered_by == INT8_FILE_SAID == evaluate_run(small, write=False)["model"]
    assert [p["label"] for p in ours] == [q["label"] for q in theirs]
    assert [p["confidence"] for p in ours] == pytest.approx([q["confidence"] for q in theirs], abs=1e-9)
    floats = predict_files(run, [str(french)])  # the float model's answers are not these
    assert max(abs(p["confidence"] - f["confidence"]) for p, f in zip(ours, floats)) > 1e-4
    assert main(["predict", str(small), str(french), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["answered_by"] == "the int8 file in LiteRT"
    assert ("Answered by the run's int8 file (model-int8.tflite, the model that goes on the device), as 'edgeling "
            "evaluate' scores "
            "this run.") in out.err
    assert main(["predict", str(run), str(french), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["answered_by"] == "PyTorch float32"
    assert "Answered by the trained model (the one training kept, at full precision)." in out.err


SAID = {"onnx": "ONNX float32, run in ONNX Runtime", "onnx-int8": "ONNX int8, run in ONNX Runtime",
        "tflite": "TFLite float32, run in LiteRT", "tflite-int8": "TFLite int8, run in LiteRT"}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_predict_with_an_exported_file_says_which_file_answered(run_and_exports, fmt, capsys):
    """A run's answers end with 'Answered by the trained model ...'; an exported file's said nothing about
    which model answered. Now it names the file, its format and its runtime, also in --json."""
    _, exports, _, french = run_and_exports
    assert main(["predict", str(exports[fmt]), str(french)]) == 0
    assert f"Answered by the exported file {exports[fmt]} ({SAID[fmt]}).\n" in capsys.readouterr().err
    assert main(["predict", str(exports[fmt]), str(french), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["answered_by"] == f"{exports[fmt].name} ({SAID[fmt]})"


def test_a_category_value_never_seen_in_training_gets_a_note(tmp_path, capsys):
    """'Canada' in a column 'Pays' trained on France / Belgique / Suisse was encoded as none of them, silently."""
    rng = np.random.default_rng(0)
    pays = ["France", "Belgique", "Suisse"]
    lines = ["Montant;Pays;Retourné"] + [f"{rng.normal():.3f};{pays[i % 3]};{'Oui' if i % 2 else 'Non'}"
                                         for i in range(90)]
    data = tmp_path / "commandes.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = tmp_path / "run"
    assert train_run(data, run, arch="mlp", epochs=1, threads=1)["status"] == "finished"
    new = tmp_path / "nouvelles.csv"
    new.write_text("Montant;Pays\n1.0;France\n2.0;Canada\n0.5;\n1.5;Canada\n0.1;france\n", encoding="utf-8")
    canada = ("'Canada' in 'Pays' was never seen in training; the model treats it as none of the known values.")
    predictions = predict_files(run, [str(new)])
    blank = ("'Pays' is blank, which it never was in training; the model treats it as none of the known values, "
             "so its answer may be a guess.")
    assert [p.get("notes") for p in predictions] == [
        None, [canada], [blank], [canada],
        ["'france' in 'Pays' was never seen in training (it differs from the known 'France' in capitals only); "
         "the model treats it as none of the known values."]]
    assert main(["predict", str(run), str(new), "--json"]) == 0
    out = capsys.readouterr()
    printed = json.loads(out.out)
    assert printed["notes"][0] == f"nouvelles.csv rows 3 and 5: {canada}"
    assert printed["predictions"][1]["notes"] == [canada]
    assert f"Note: nouvelles.csv rows 3 and 5: {canada}" in out.err
    assert main(["export", str(run), "--format", "onnx", "--out", str(tmp_path / "m.onnx")]) == 0
    capsys.readouterr()
    from_file = predict_files_with_export(tmp_path / "m.onnx", [str(new)])
    assert [p.get("notes") for p in from_file] == [p.get("notes") for p in predictions]


def test_an_unseen_value_of_a_column_with_rare_values_grouped_counts_as_other():
    from edgeling.core.training.table_notes import unseen_category_notes

    col = {"name": "Ville", "type": "category", "categories": ["Paris", "Lyon", "(other)", "(missing)"],
           "other": True, "slice": [0, 4], "width": 4}
    notes = unseen_category_notes([{"Ville": "Paris"}, {"ville": " Brest "}, {"Ville": ""}], {"columns": [col]})
    assert notes == [[], ["'Brest' in 'Ville' is not one of the values the model knows by name (it was rare in "
                          "training, or never there); the model counts it with the rare values grouped as "
                          "\"(other)\"."], ["'Ville' is blank; the model was given \"(missing)\", as blank cells were in "
                                             "training"]]
