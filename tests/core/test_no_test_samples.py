"""A run whose data is too small to set test (or validation) samples aside: ``evaluate`` says so in plain
words and ``export`` refuses to verify with a message saying what to do (never a crash)."""

from __future__ import annotations

import json

from edgeling.core.cli import main


def test_evaluate_and_export_of_a_run_without_test_samples(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "two.csv"
    data.write_text("a,b,label\n1,2,x\n3,4,y\n")
    assert main(["train", str(data), "--device", "esp32-s3", "--epochs", "1", "--out", str(tmp_path / "run")]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(tmp_path / "run"), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["num_samples"] == 0
    assert "no score: there are 0 validation samples to test on" in captured.err
    assert "Traceback" not in captured.err and "bug" not in captured.err
    code = main(["export", str(tmp_path / "run"), "--format", "onnx", "--out", str(tmp_path / "m.onnx"), "--json"])
    message = json.loads(capsys.readouterr().out)["error"]["message"]
    assert code == 2 and "no test samples to verify" in message and "--no-verify" in message
    assert not (tmp_path / "m.onnx").exists()
    assert main(["export", str(tmp_path / "run"), "--format", "onnx", "--out", str(tmp_path / "m.onnx"),
                 "--no-verify"]) == 0
