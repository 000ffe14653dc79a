"""An export killed by the app's Stop leaves its temporary files in one folder Edgeling owns (under the
cache) or beside the target under a hidden name; the next export clears those an hour old or older, so
nothing piles up."""

from __future__ import annotations

import os
import tempfile
import time

import pytest
import torch

from edgeling.core.export import verify as verify_mod
from edgeling.core.export.exporter import export_model
from edgeling.core.export.scratch import scratch_root
from tests.core.export_graphs import train_tiny_cnn

SPEC = {"kind": "images", "task": "classification", "class_names": ["a", "b", "c"], "num_classes": 3}


@pytest.fixture(scope="module")
def trained():
    torch.set_num_threads(1)
    return train_tiny_cnn()


def aged(path, hours):
    t = time.time() - hours * 3600
    os.utime(path, (t, t))
    return path


@pytest.mark.parametrize("fmt, name", [("tflite", "m.tflite"), ("onnx-int8", "m.onnx")])
def test_an_exports_temporary_folders_are_in_the_cache_and_old_leftovers_are_cleared(trained, tmp_path,
                                                                                    monkeypatch, fmt, name):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "systemp"))
    (tmp_path / "systemp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", None)      # TMPDIR read again
    root = scratch_root()
    root.mkdir(parents=True)
    old = root / "edgeling-export-killed"               # a Stop two hours ago
    (old / "sub").mkdir(parents=True)
    (old / "candidate.tflite").write_bytes(b"x" * 1000)
    aged(old, 2)
    recent = root / "edgeling-export-running"           # another export running now
    recent.mkdir()
    seen = []
    real_verify = verify_mod.verify_export

    def spy(path, *a, **k):
        seen.append(path)
        return real_verify(path, *a, **k)

    monkeypatch.setattr("edgeling.core.export.exporter.verify_export", spy)
    model, x_train, x_test, y_test = trained
    result = export_model(model, {}, SPEC, x_train[:40], x_test, y_test, fmt, tmp_path / "out" / name)
    assert result["status"] == "done"
    assert seen and root in seen[0].parents             # the candidate was written under the cache
    assert not old.exists() and recent.exists()
    assert sorted(p.name for p in root.iterdir()) == ["edgeling-export-running"]
    assert list((tmp_path / "systemp").iterdir()) == []  # nothing in the system's temp folder


def test_files_of_a_killed_export_beside_the_target_are_cleared_by_the_next_export(trained, tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-cache"))
    out = tmp_path / "m.tflite"
    killed = tmp_path / ".m.tflite.0123456789ab.edgeling-new"
    killed.write_bytes(b"half a model")
    aged(killed, 2)
    running = tmp_path / ".m.tflite.card.md.ba9876543210.edgeling-new"   # another export writing it just now
    running.write_bytes(b"new")
    mine = tmp_path / "notes.edgeling-new.txt"
    mine.write_bytes(b"the user's")
    aged(mine, 2)
    model, x_train, x_test, y_test = trained
    assert export_model(model, {}, SPEC, x_train[:40], x_test, y_test, "tflite", out)["status"] == "done"
    assert not killed.exists() and running.exists() and mine.exists()
    assert {p.name for p in tmp_path.iterdir()} == {"m.tflite", "m.tflite.card.md", "m.tflite.card.json",
                                                     "m.tflite.labels.txt", "edgeling_run.py", running.name, mine.name}
