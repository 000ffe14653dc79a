"""Predict says when a picture is too small to tell much, as the import warns of such pictures (SMALL_IMAGE):
the vineyard walk's 1x1 picture was answered "healthy (44%)" with nothing said."""

from __future__ import annotations

from PIL import Image

from edgeling.core.training.predict import samples_from_file

META = {"image_size": [32, 32], "channels": 3}


def test_a_tiny_picture_gets_a_note_and_a_normal_one_none(tmp_path):
    Image.new("RGB", (1, 1), (0, 128, 0)).save(tmp_path / "dot.png")
    Image.new("RGB", (64, 48), (0, 128, 0)).save(tmp_path / "leaf.png")
    notes: list = []
    x, sources = samples_from_file("images", tmp_path / "dot.png", META, notes)
    assert x.shape == (1, 32, 32, 3) and len(notes) == 1
    assert notes[0] == ["the picture is only 1x1 pixels: it holds very little detail and was blown up to the model's "
                        "size, so the answer says little about it; use the full-size photo"]
    notes = []
    samples_from_file("images", tmp_path / "leaf.png", META, notes)
    assert notes == [[]]
