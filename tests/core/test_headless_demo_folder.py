"""The headless demo (``edgeling-studio`` with no display) writes into one folder in Edgeling's data folder,
which each demo replaces, and tells the user where it is; it used to leave a new ``/tmp/edgeling-demo-*``
folder behind at every run. (The demo never imports Qt, so it is tested here with the core tests.)"""

from __future__ import annotations

import tempfile

import pytest
import torch

from tests.core.test_compress_cli import make_images


@pytest.mark.slow
def test_the_demo_writes_into_one_folder_that_the_next_demo_replaces(tmp_path, monkeypatch, capsys):
    from edgeling.gui import headless_demo

    torch.set_num_threads(1)
    make_images(tmp_path / "samples" / "digits", n_per_class=10)
    temp = tmp_path / "temp"
    temp.mkdir()
    data = tmp_path / "data"
    monkeypatch.setenv("EDGELING_SAMPLES_DIR", str(tmp_path / "samples"))
    monkeypatch.setenv("EDGELING_DATA_DIR", str(data))
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert headless_demo.run_demo() == 0
    demo = data / "demo"
    assert f"Everything the demo wrote is in {demo} (the next demo replaces it)" in capsys.readouterr().out
    first = sorted(p.name for p in demo.iterdir())
    assert "run" in first and "model-tflite-int8.tflite" in first and "model-onnx.onnx" in first
    (demo / "run" / "left-by-the-first.txt").write_text("old")
    (demo / "model-onnx.onnx.stale.txt").write_text("old")
    (demo / "my notes.txt").write_text("the user's own")     # not the demo's: kept

    assert headless_demo.run_demo() == 0
    assert "Done." in capsys.readouterr().out
    assert not (demo / "run" / "left-by-the-first.txt").exists() and not (demo / "model-onnx.onnx.stale.txt").exists()
    assert sorted(p.name for p in demo.iterdir()) == sorted([*first, "my notes.txt"])
    assert (demo / "my notes.txt").read_text() == "the user's own"
    assert not list(temp.glob("edgeling-demo-*"))
    assert sorted(p.name for p in data.iterdir()) == ["demo"]


def test_a_demo_folder_that_cannot_be_written_is_said_plainly(tmp_path, monkeypatch, capsys):
    from edgeling.gui import headless_demo

    make_images(tmp_path / "samples" / "digits", n_per_class=4)
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("EDGELING_SAMPLES_DIR", str(tmp_path / "samples"))
    monkeypatch.setenv("EDGELING_DATA_DIR", str(blocked))
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    assert headless_demo.run_demo() == 1
    out = capsys.readouterr().out
    assert "The demo could not write its files in" in out and str(blocked) in out and "Traceback" not in out
