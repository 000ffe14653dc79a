"""``edgeling export --out`` never overwrites the run's data, the run folder's own files, or an existing file
of another kind; re-exporting over a previous export of the same format still works."""

from __future__ import annotations

import json

import pytest

from edgeling.core.cli import main
from edgeling.core.jobs.train_job import train_run
from tests.core.training_fixtures import ZOO, make_table_csv


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export-out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        (tmp / "data").mkdir()
        data = make_table_csv(tmp / "data" / "commandes.csv", n=120)
        assert train_run(data, tmp / "run", epochs=2, zoo=ZOO, threads=1)["status"] == "finished"
    return tmp / "run", data


@pytest.fixture(autouse=True)
def _cache(tiny_run, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tiny_run[0].parent / "cache"))


def snapshot(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def export(run, fmt, out, capsys, *extra):
    code = main(["export", str(run), "--format", fmt, "--out", str(out), "--json", *extra])
    out_json = json.loads(capsys.readouterr().out)
    return code, out_json.get("error", {}).get("message", "")


def test_export_refuses_the_runs_data_and_own_files(tiny_run, tmp_path, capsys):
    run, data = tiny_run
    before = snapshot(run.parent)
    refused = {data: "is the data this run was trained on",
               run / "run.json": "one of the run's own files", run / "metrics.json": "one of the run's own files",
               run / "history.json": "one of the run's own files", run / "train.log": "one of the run's own files",
               run / "predictions.json": "one of the run's own files",
               run / "checkpoints" / "best.pt": "one of the run's own files",
               run / "checkpoints" / "last.pt": "one of the run's own files"}
    for out, why in refused.items():
        code, message = export(run, "onnx", out, capsys)
        assert code == 2 and why in message and str(out) in message and "choose another --out" in message, message
    assert snapshot(run.parent) == before
    # a folder of data (given with --data) cannot receive the export either
    code, message = export(run, "onnx", data.parent / "sub" / "m.onnx", capsys, "--data", str(data.parent))
    assert code == 2 and "inside the run's data folder" in message
    assert snapshot(run.parent) == before


def test_export_refuses_an_existing_file_of_another_kind_but_replaces_its_own(tiny_run, tmp_path, capsys):
    run, _ = tiny_run
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    code, message = export(run, "onnx", notes, capsys)
    assert code == 2 and "already exists and is not a onnx export" in message and str(notes) in message
    assert notes.read_text() == "mine"
    other = tmp_path / "model.tflite"
    other.write_bytes(b"tflite bytes")
    code, message = export(run, "onnx", other, capsys)
    assert code == 2 and other.read_bytes() == b"tflite bytes"
    code, _ = export(run, "onnx", tmp_path, capsys)        # a folder: a file in it named after the run
    assert code == 0 and (tmp_path / "run.onnx").is_file()
    code, _ = export(run, "tflite", f"{tmp_path / 'new'}/", capsys)    # the beekeeper walk: a file named 'new'
    assert code == 0 and (tmp_path / "new" / "run.tflite").is_file()
    # exporting again over an earlier export of the same format works
    again = tmp_path / "model.onnx"
    assert export(run, "onnx", again, capsys)[0] == 0
    first = again.read_bytes()
    assert export(run, "onnx-int8", again, capsys)[0] == 0 and again.read_bytes() != first
