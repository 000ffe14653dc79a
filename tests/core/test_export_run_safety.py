"""Exports never touch the run: a full disk during export and damaged / truncated export files give plain
messages and leave the run folder byte for byte as it was; a compressed run's verified int8 file is
exported as it is (not quantized again)."""

from __future__ import annotations

import errno
import json
import os

import numpy as np
import pytest
import torch

from edgeling.core.cli import main
from edgeling.core.compress.compress_job import compress_run
from edgeling.core.export.errors import ExportError
from edgeling.core.export.verify import verify_export
from tests.core.test_predict_exported import train_table_run


@pytest.fixture(scope="module")
def runs_(tmp_path_factory):
    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("export-safety")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        run, data = train_table_run(tmp)
        result = compress_run(run, tmp / "ptq", quantize="ptq", threads=1)
        assert result["status"] == "finished"
    return run, tmp / "ptq", data


@pytest.fixture(autouse=True)
def _env(runs_, monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(runs_[0].parent / "cache"))


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_full_disk_during_export_gives_a_plain_message_and_leaves_the_run_untouched(runs_, tmp_path, monkeypatch,
                                                                                   capsys):
    run, ptq, _ = runs_
    before, before_ptq = snapshot(run), snapshot(ptq)
    real_replace = os.replace

    def disk_full(src, dst, *a, **k):
        if str(dst).startswith(str(tmp_path)):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", disk_full)
    for source, floating in ((run, "onnx"), (ptq, "onnx-int8")):   # a float file of the ptq run is refused
        for fmt, name in (("tflite-int8", "m.tflite"), (floating, "m.onnx"), ("c-header", "m.h")):
            code = main(["export", str(source), "--format", fmt, "--out", str(tmp_path / "out" / name), "--json"])
            err = json.loads(capsys.readouterr().out)["error"]["message"]
            assert code == 2, (fmt, err)
            assert "No space left on device" in err and "The disk is full" in err and "nothing was written" in err
            assert not any(p.is_file() for p in tmp_path.rglob("*")), list(tmp_path.rglob("*"))
    assert snapshot(run) == before and snapshot(ptq) == before_ptq


def test_disk_full_after_the_model_file_leaves_no_model_without_its_card(runs_, tmp_path, monkeypatch, capsys):
    run, _, _ = runs_
    before = snapshot(run)
    real_replace = os.replace

    def card_disk_full(src, dst, *a, **k):
        if str(dst).endswith(".card.md"):  # the model file and card.json went through, then the disk filled
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", card_disk_full)
    code = main(["export", str(run), "--format", "tflite", "--out", str(tmp_path / "m.tflite"), "--json"])
    err = json.loads(capsys.readouterr().out)["error"]["message"]
    assert code == 2 and "m.tflite.card.md" in err and "The disk is full" in err
    assert list(tmp_path.iterdir()) == [] and snapshot(run) == before


def test_truncated_or_corrupted_files_give_plain_messages_and_leave_the_run_untouched(runs_, tmp_path, capsys):
    run, _, data = runs_
    before = snapshot(run)
    for fmt, name in (("tflite-int8", "q.tflite"), ("tflite", "m.tflite"), ("onnx", "m.onnx"),
                      ("onnx-int8", "q.onnx")):
        assert main(["export", str(run), "--format", fmt, "--out", str(tmp_path / name)]) == 0
        good = (tmp_path / name).read_bytes()
        x = np.zeros((2, 3), np.float32)
        ref = np.full((2, 3), 1 / 3, np.float32)
        damaged = {"cut": good[: len(good) // 2], "head": good[:40], "empty": b"",
                   "flipped": good[:8] + bytes(b ^ 0x5A for b in good[8:200]) + good[200:]}
        for what, blob in damaged.items():
            bad = tmp_path / f"{what}-{name}"
            bad.write_bytes(blob)
            with pytest.raises(ExportError, match=f"{bad.name} is damaged or incomplete"):
                verify_export(bad, fmt, x, None, ref)
            code = main(["predict", str(bad), str(data), "--json"])
            err = json.loads(capsys.readouterr().out)["error"]["message"]
            assert code == 2 and f"{bad} is damaged or incomplete" in err, (what, fmt, err)
    assert snapshot(run) == before


def test_export_of_a_ptq_run_reuses_its_verified_int8_file(runs_, tmp_path, capsys):
    _, ptq, _ = runs_
    before = snapshot(ptq)
    out = tmp_path / "q.tflite"
    assert main(["export", str(ptq), "--format", "tflite-int8", "--out", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["reused_int8_file"] and result["verification"]["passed"]
    assert "Using the int8 file the compression wrote and verified (model-int8.tflite in the run)" in captured.err
    assert out.read_bytes() == (ptq / "model-int8.tflite").read_bytes()
    assert main(["export", str(ptq), "--format", "c-header", "--out", str(tmp_path / "q.h"), "--json"]) == 0
    header = json.loads(capsys.readouterr().out)
    assert header["reused_int8_file"] and header["model_bytes"] == out.stat().st_size
    # float input / output is another file: quantized from the checkpoint
    assert main(["export", str(ptq), "--format", "tflite-int8", "--float-io", "--out", str(tmp_path / "f.tflite"),
                 "--json"]) == 0
    assert not json.loads(capsys.readouterr().out)["reused_int8_file"]
    assert snapshot(ptq) == before


def test_reusing_an_int8_file_that_failed_its_check_does_not_say_it_was_verified(runs_, tmp_path, capsys):
    """Compress said the int8 file did not meet the export checks; export then said 'Using the int8 file the
    compression wrote and verified'."""
    import shutil

    _, ptq, _ = runs_
    copy = tmp_path / "ptq-copy"
    shutil.copytree(ptq, copy)
    record = json.loads((copy / "compression.json").read_text(encoding="utf-8"))
    record["passes"][-1]["verification"]["passed"] = False
    (copy / "compression.json").write_text(json.dumps(record), encoding="utf-8")
    main(["export", str(copy), "--format", "tflite-int8", "--out", str(tmp_path / "q.tflite")])
    said = capsys.readouterr().err
    assert "Using the int8 file the compression wrote (it did not pass its checks then; they are run again now)" in said
    assert "wrote and verified" not in said


def test_a_damaged_int8_file_in_the_run_is_quantized_again(runs_, tmp_path, capsys):
    import shutil

    _, ptq, _ = runs_
    copy = tmp_path / "ptq-copy"
    shutil.copytree(ptq, copy)
    (copy / "model-int8.tflite").write_bytes(b"\0" * 64)
    assert main(["export", str(copy), "--format", "tflite-int8", "--out", str(tmp_path / "q.tflite"),
                 "--json"]) == 0
    captured = capsys.readouterr()
    assert not json.loads(captured.out)["reused_int8_file"] and "quantizing the model again" in captured.err


def test_the_card_names_the_run_in_full_when_given_a_relative_path(runs_, tmp_path, monkeypatch):
    """The vineyard walk: the card said "Trained in ../runs/leaf1", meaningless to the firmware person."""
    import json
    import os

    run = runs_[0]
    monkeypatch.chdir(tmp_path)
    assert main(["export", os.path.relpath(run), "--format", "onnx", "--out", "m.onnx", "--no-verify"]) == 0
    assert json.loads((tmp_path / "m.onnx.card.json").read_text())["run"] == str(run.resolve())
    assert f"| Trained as | the run {run.name}, in {run.resolve()} |" in (tmp_path / "m.onnx.card.md").read_text()
