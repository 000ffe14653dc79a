"""``edgeling export --out`` never overwrites a file Edgeling did not write (a hand-written board.h, someone
else's .onnx or .tflite: no card of ours beside it, no Edgeling mark in it), and never writes into a run
folder; re-exporting over our own earlier export still works, also with its card gone."""

from __future__ import annotations

import json

import pytest

from edgeling.core.cli import main
from edgeling.core.jobs.train_job import train_run
from tests.core.training_fixtures import ZOO, make_table_csv


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export-foreign")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        data = make_table_csv(tmp / "commandes.csv", n=120)
        assert train_run(data, tmp / "runs" / "run", epochs=2, zoo=ZOO, threads=1)["status"] == "finished"
    return tmp / "runs" / "run"


@pytest.fixture(autouse=True)
def _cache(tiny_run, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tiny_run.parent.parent / "cache"))


def export(run, fmt, out, capsys):
    code = main(["export", str(run), "--format", fmt, "--out", str(out), "--json"])
    return code, json.loads(capsys.readouterr().out).get("error", {}).get("message", "")


def foreign_onnx() -> bytes:
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])])
    return helper.make_model(graph, producer_name="pytorch").SerializeToString()


def test_a_file_edgeling_did_not_write_is_refused(tiny_run, tmp_path, capsys):
    ours = tmp_path / "ours.tflite"
    assert export(tiny_run, "tflite", ours, capsys)[0] == 0
    theirs = {"c-header": (tmp_path / "board.h", b"// my firmware pin map, hand-written\n#define LED_PIN 13\n"),
              "onnx": (tmp_path / "vendor.onnx", foreign_onnx()),
              # a .tflite without Edgeling's metadata (the same file, its metadata renamed)
              "tflite": (tmp_path / "vendor.tflite", ours.read_bytes().replace(b"edgeling", b"vendorxx"))}
    for fmt, (path, blob) in theirs.items():
        path.write_bytes(blob)
        code, message = export(tiny_run, fmt, path, capsys)
        assert code == 2 and str(path) in message and "was not written by Edgeling" in message, (fmt, message)
        assert "choose another --out, or delete that file first" in message
        assert path.read_bytes() == blob, fmt
        assert not path.with_name(path.name + ".card.md").exists()


@pytest.mark.parametrize("fmt, name", [("c-header", "model.h"), ("onnx", "model.onnx"), ("tflite", "m.tflite"),
                                       ("tflite-int8", "q.tflite")])
def test_an_earlier_export_of_ours_is_replaced_also_without_its_card(tiny_run, tmp_path, capsys, fmt, name):
    out = tmp_path / name
    assert export(tiny_run, fmt, out, capsys)[0] == 0
    assert export(tiny_run, fmt, out, capsys)[0] == 0        # its card beside it
    for side in tmp_path.glob(f"{name}.*"):
        side.unlink()
    code, message = export(tiny_run, fmt, out, capsys)       # no card: Edgeling's mark in the file
    assert code == 0, message


def test_an_export_never_goes_into_a_run_folder(tiny_run, tmp_path, capsys):
    victim = tiny_run.parent / "victim"          # another run: its int8 file must stay its own
    (victim / "sub").mkdir(parents=True, exist_ok=True)
    (victim / "run.json").write_text("{}")
    (victim / "model-int8.tflite").write_bytes(b"victim's int8 model")
    for fmt, out in (("tflite-int8", victim / "model-int8.tflite"), ("onnx", victim / "sub" / "m.onnx"),
                     ("c-header", tiny_run / "exports" / "model.h")):    # its own folder too
        code, message = export(tiny_run, fmt, out, capsys)
        assert code == 2 and str(out) in message and "is inside the run folder" in message, message
        assert "choose a folder outside the project's runs" in message
        assert not out.with_name(out.name + ".card.md").exists()
    assert (victim / "model-int8.tflite").read_bytes() == b"victim's int8 model"
    assert not (victim / "sub" / "m.onnx").exists() and not (tiny_run / "exports").exists()
    assert export(tiny_run, "onnx", tmp_path / "exports" / "m.onnx", capsys)[0] == 0


def test_a_folder_that_cannot_be_written_is_refused_before_anything_is_built(tiny_run, tmp_path, monkeypatch,
                                                                             capsys):
    import errno
    import os

    from edgeling.core.export import exporter

    ro = tmp_path / "ro"
    ro.mkdir()
    real_open = os.open

    def read_only(path, *a, **k):
        if str(path).startswith(str(ro)):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, *a, **k)

    def never(*_a, **_k):
        raise AssertionError("the model was built for a folder that cannot be written")

    monkeypatch.setattr(os, "open", read_only)
    monkeypatch.setattr(exporter, "export_model", never)
    for out in (ro / "d.tflite", ro / "new" / "sub" / "d.h"):
        code, message = export(tiny_run, "c-header" if out.suffix == ".h" else "tflite-int8", out, capsys)
        assert code == 2 and f"Could not write {out} (Read-only file system)" in message, message
        assert "This folder cannot be written to: choose another folder; nothing was written" in message
    assert list(ro.iterdir()) == []
