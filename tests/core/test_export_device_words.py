"""A tester's export walk: the advice after a failed int8 check of a run already made int8 with re-training
(it said to do that again), a float file for an int8-only board (written unsaid; its card said PASSED and 'not
measured (the export was not verified)'), this computer's latency said as the board's, an empty
``hardly_learnt`` in --json, and predict running a microcontroller's int8 file with other kernels than its
check did (the file did not say its device)."""

from __future__ import annotations

import json

import pytest

from edgeling.core.cli import main
from edgeling.core.commands.export import failed_export_advice
from edgeling.core.export.card_device import export_kernels, on_device_markdown
from edgeling.core.export.failure_advice import format_not_for_device
from edgeling.core.export.model_card import card_paths
from edgeling.core.jobs.train_job import train_run
from tests.core.training_fixtures import ZOO, make_table_csv

CHAIN = [{"pass": "prune", "method": "structured", "fraction": 0.5, "fine_tune_epochs": 20},
         {"pass": "qat", "fine_tune_epochs": 5}]
FAILED = {"format": "tflite-int8", "verification": {
    "passed": False, "agreement": 39 / 42, "num_samples": 42, "changes_allowed": 2, "accuracy": 39 / 42,
    "reference_accuracy": 36 / 42, "failures": ["agrees with PyTorch on 92.9% of test samples"]}}
LEARNT = {"accuracy": 0.86, "num_samples": 42, "majority_baseline": {"accuracy": 1 / 6, "class": "yes"}}


def test_a_run_already_made_int8_with_re_training_is_told_something_else():
    said = failed_export_advice(FAILED, LEARNT, {"compression": CHAIN, "compressed_from": "runs/words",
                                                 "device": "arduino-nano-33-ble-sense"})
    assert "compress RUN --quantize qat --out NEW_RUN" not in said       # what made this very run
    assert said.startswith("The int8 file got more test samples right than the trained model (92.9% against "
                           "85.7%), but it answers 3 of the 42 differently from it, so it is not shown as the "
                           "same model")
    assert "This run was already made int8 with re-training, so doing that again will not help." in said
    assert "edgeling compress runs/words --prune 0.3 --structured --quantize qat --out NEW_RUN" in said
    assert "--prune 0.5 --structured --quantize qat --fine-tune-epochs 40 --out NEW_RUN" in said
    assert "float" not in said          # the board runs int8 files only
    qat_only = failed_export_advice(FAILED, LEARNT, {"compression": [CHAIN[1]], "compressed_from": "runs/words",
                                                     "device": "raspberry-pi-4"})
    assert "--prune" not in qat_only and "--quantize qat --fine-tune-epochs 10 --out NEW_RUN" in qat_only
    assert "or export float TFLite or float ONNX, which Raspberry Pi 4" in qat_only
    plain = failed_export_advice({"format": "c-header"}, LEARNT, {"device": "esp32-s3"})
    assert plain.startswith("Make the run int8 with re-training") and "float" not in plain


def test_a_float_file_for_a_microcontroller_is_said_not_to_run_there():
    said = format_not_for_device("esp32-s3", "tflite", "digits.tflite")
    assert said.startswith("ESP32-S3") and "digits.tflite (a float TFLite file) does not run on it" in said
    assert format_not_for_device("esp32-s3", "tflite-int8", "q.tflite") == ""
    assert format_not_for_device("raspberry-pi-4", "tflite", "m.tflite") == ""
    assert format_not_for_device(None, "onnx", "m.onnx") == ""
    card = {"format": "tflite", "verification": {"passed": True, "latency_ms": 0.03},
            "on_device": {"name": "ESP32-S3", "kind": "microcontroller", "ram_available_bytes": 327680,
                          "ram_available_words": "the largest free block"}}
    text = "\n".join(on_device_markdown(card))
    assert "not verified" not in text and "TensorFlow Lite Micro on this board runs int8 files" in text


@pytest.fixture(scope="module")
def board_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("board-run")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        data = make_table_csv(tmp / "points.csv", n=120)
        assert train_run(data, tmp / "run", device="esp32-s3", epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
    return tmp / "run"


def test_the_command_says_a_float_file_does_not_run_on_the_board(board_run, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "m.tflite"
    assert main(["export", str(board_run), "--format", "tflite", "--out", str(out), "--json"]) == 0
    said = capsys.readouterr()
    result = json.loads(said.out)
    assert "m.tflite (a float TFLite file) does not run on it" in result["device_note"]
    assert f"Note: {result['device_note']}" in said.err
    assert "latency here (this computer) " in said.err and "latency 0" not in said.err
    assert "Verified in TensorFlow Lite (LiteRT): " in said.err      # not "computes what ... on the board"
    card = card_paths(out)["markdown"].read_text(encoding="utf-8")
    assert "(the export was not verified)" not in card and "runs int8 files, so this file does not run" in card
    assert "Lite Micro computes on the board" not in card
    assert main(["export", str(board_run), "--format", "tflite-int8", "--out", str(tmp_path / "q.tflite"),
                 "--json"]) == 0
    said = capsys.readouterr()
    assert "device_note" not in json.loads(said.out)
    assert "with its reference kernels, which compute what TensorFlow Lite Micro computes on the board" in said.err


def test_predict_runs_a_board_file_with_the_kernels_its_check_used(board_run, tmp_path, monkeypatch, capsys):
    from edgeling.core.export.runtimes import read_export_metadata
    from edgeling.core.training.predict import open_export

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    q = tmp_path / "q.tflite"
    assert main(["export", str(board_run), "--format", "tflite-int8", "--out", str(q), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verification"]["kernels"] == "reference"
    meta = read_export_metadata(q)
    assert meta["device"] == "esp32-s3"                  # the file says its device
    assert open_export(q)[0].kernels == "reference"
    older = {k: v for k, v in meta.items() if k != "device"}     # a file exported before it did: its card
    assert export_kernels(q, older) == "reference"
    card_paths(q)["json"].unlink()
    assert export_kernels(q, older) == "default"          # neither: the default kernels


def test_a_failed_export_has_no_empty_hardly_learnt(board_run, tmp_path, monkeypatch, capsys):
    from edgeling.core.export import exporter

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    real = exporter.verify_export

    def failing(*args, **kwargs):
        v = real(*args, **kwargs)
        return {**v, "passed": False, "failures": ["agrees with PyTorch on 90.0% of test samples"]}

    monkeypatch.setattr(exporter, "verify_export", failing)
    from edgeling.core.export import verify

    monkeypatch.setattr(verify, "unlearnt_failure_words", lambda metrics: "")   # a model that learnt
    assert main(["export", str(board_run), "--format", "tflite-int8", "--out", str(tmp_path / "q.tflite"),
                 "--json"]) == 4
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "failed" and "hardly_learnt" not in result     # as after a passed check


def test_which_files_a_device_runs_is_one_rule_for_the_command_and_the_app():
    """The command's note (failure_advice) and the app's Export page (export_words.fitting_formats) had each
    their own copy of this rule."""
    from edgeling.core.devices.catalogue import find_device
    from edgeling.core.export.failure_advice import runs_on

    formats = ("tflite-int8", "c-header", "tflite", "onnx", "onnx-int8")
    assert [f for f in formats if find_device("esp32-s3").runs_format(f)] == ["tflite-int8", "c-header"]
    assert [f for f in formats if find_device("raspberry-pi-4").runs_format(f)] == [
        "tflite-int8", "tflite", "onnx", "onnx-int8"]
    assert not find_device("this-computer").runs_format("c-header")
    assert all(runs_on(None, f) for f in formats)
