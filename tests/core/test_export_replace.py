"""Exporting over an earlier export: a card that fails to write leaves the earlier export whole (its model,
card and labels as they were, nothing new beside them)."""

from __future__ import annotations

import errno
import os

import pytest
import torch

from edgeling.core.export import files as files_mod
from edgeling.core.export.errors import ExportError
from edgeling.core.export.exporter import export_model
from tests.core.export_graphs import train_tiny_cnn

OLD = {"kind": "images", "task": "classification", "class_names": ["cat", "dog", "bird"], "num_classes": 3}
NEW = {"kind": "images", "task": "classification", "class_names": ["cavitation", "loose", "normal"],
       "num_classes": 3}


@pytest.fixture(scope="module")
def trained():
    torch.set_num_threads(1)
    return train_tiny_cnn()


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("where", ["rename", "write"])
def test_a_card_that_fails_to_write_leaves_the_earlier_export_whole(trained, tmp_path, monkeypatch, where):
    model, x_train, x_test, y_test = trained
    out = tmp_path / "m.tflite"
    first = export_model(model, {}, OLD, x_train, x_test, y_test, "tflite", out)
    assert first["status"] == "done"
    before = snapshot(tmp_path)
    assert set(before) == {"m.tflite", "m.tflite.card.md", "m.tflite.card.json", "m.tflite.labels.txt",
                           "edgeling_run.py"}
    if where == "rename":       # the model and card.json went through, then the disk filled at card.md
        real_replace = os.replace

        def card_disk_full(src, dst, *a, **k):
            if str(dst).endswith(".card.md"):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_replace(src, dst, *a, **k)

        monkeypatch.setattr(os, "replace", card_disk_full)
    else:                       # the disk filled while the card was being written
        real_open = open

        def open_full(path, *a, **k):
            if ".card.md." in str(path):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_open(path, *a, **k)

        monkeypatch.setattr(files_mod, "open", open_full, raising=False)
    with pytest.raises(ExportError, match=r"m\.tflite\.card\.md .*The disk is full"):
        export_model(model, {}, NEW, x_train, x_test, y_test, "tflite-int8", out)
    assert snapshot(tmp_path) == before       # the old model, card and labels, and nothing else


def test_an_export_over_an_earlier_one_replaces_all_its_files(trained, tmp_path):
    model, x_train, x_test, y_test = trained
    out = tmp_path / "m.tflite"
    export_model(model, {}, OLD, x_train, x_test, y_test, "tflite", out)
    second = export_model(model, {}, NEW, x_train, x_test, y_test, "tflite-int8", out)
    assert second["status"] == "done"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edgeling_run.py", "m.tflite", "m.tflite.card.json",
                                                          "m.tflite.card.md", "m.tflite.labels.txt"]
    assert (tmp_path / "m.tflite.labels.txt").read_text() == "cavitation\nloose\nnormal\n"
    assert b"cavitation" in out.read_bytes() and "int8" in (tmp_path / "m.tflite.card.md").read_text()
