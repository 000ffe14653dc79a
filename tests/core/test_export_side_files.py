"""Two exports with the same stem in one folder (model.onnx, model.tflite) each keep their own model card
and labels file."""

from __future__ import annotations

import json

from edgeling.core.cli import main
from edgeling.core.export.model_card import card_paths
from edgeling.core.jobs.train_job import train_run
from tests.core.training_fixtures import ZOO, make_table_csv


def test_exports_with_the_same_stem_keep_their_own_cards(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = make_table_csv(tmp_path / "points.csv", n=120)
    assert train_run(data, tmp_path / "run", epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
    exp = tmp_path / "exp"
    for fmt, name in (("onnx", "model.onnx"), ("tflite", "model.tflite")):
        assert main(["export", str(tmp_path / "run"), "--format", fmt, "--out", str(exp / name), "--json"]) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["card"]["markdown"] == str(exp / f"{name}.card.md")
    for fmt, name in (("onnx", "model.onnx"), ("tflite", "model.tflite")):
        paths = card_paths(exp / name)
        assert json.loads(paths["json"].read_text())["format"] == fmt
        assert f"# Model card: {name}" in paths["markdown"].read_text()
        assert paths["labels"].read_text().splitlines() == ["high", "low", "mid"]
