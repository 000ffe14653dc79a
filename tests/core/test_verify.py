"""Verification and the whole export: numbers on the real runtimes, failures with numbers and nothing
written, the C header and model card, a full disk, every architecture family, and ``edgeling export``."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch

from edgeling.core.export import verify as verify_mod
from edgeling.core.export.c_header import parse_c_header_bytes
from edgeling.core.export.errors import ExportError
from edgeling.core.export.exporter import export_model, exported_module, reference_outputs
from edgeling.core.export.runtimes import MicroRunner, predict_exported
from edgeling.core.export.tflite_info import tflite_info
from edgeling.core.export.verify import verify_export
from edgeling.core.models import zoo
from tests.core.export_graphs import train_tiny_cnn
from tests.core.tflm_build import compile_with_tflm_flags

SPEC = {"kind": "images", "task": "classification", "class_names": ["cat", "dog", "\"odd\" \\ name"],
        "num_classes": 3}


@pytest.fixture(scope="module")
def trained():
    torch.set_num_threads(1)
    return train_tiny_cnn()


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)


def test_verify_reports_every_number_and_fails_with_numbers(trained, tmp_path):
    model, x_train, x_test, y_test = trained
    result = export_model(model, {}, SPEC, x_train, x_test, y_test, "tflite", tmp_path / "m.tflite")
    v = result["verification"]
    assert result["status"] == "done" and v["passed"] and v["failures"] == []
    assert v["agreement"] >= 0.995 and v["max_abs_diff"] < 1e-4 and v["num_samples"] == len(x_test)
    assert v["size_bytes"] == (tmp_path / "m.tflite").stat().st_size > 0 and v["latency_ms"] > 0
    assert v["accuracy"] == pytest.approx(v["reference_accuracy"])

    ref = reference_outputs(exported_module(model, "classification"), x_test)
    off = verify_export(tmp_path / "m.tflite", "tflite", x_test, y_test, ref + 1e-3)
    assert not off["passed"] and "differ from PyTorch by up to 0.001" in off["failures"][0]
    swapped = ref[:, ::-1]  # a file that answers differently on most samples
    bad = verify_export(tmp_path / "m.tflite", "tflite", x_test, y_test, swapped)
    assert not bad["passed"] and bad["agreement"] < 0.995 and "agrees with PyTorch on" in bad["failures"][0]


def test_int8_criteria_agreement_and_accuracy_loss(trained, tmp_path):
    model, x_train, x_test, y_test = trained
    result = export_model(model, {}, SPEC, x_train, x_test, y_test, "tflite-int8", tmp_path / "q.tflite")
    v = result["verification"]
    assert v["passed"] and v["agreement"] >= 0.97 and v["arena_bytes"] > 0 and v["micro_agreement"] >= 0.97
    assert v["arena_required_bytes"] >= 0.75 * v["arena_bytes"]
    pred = predict_exported(tmp_path / "q.tflite", x_test).argmax(1)
    ref_pred = pred.copy()
    ref_pred[:3] = (pred[:3] + 1) % 3  # a reference that disagrees on 3 of 150 samples (2%) and is always right
    r = verify_export(tmp_path / "q.tflite", "tflite-int8", x_test, ref_pred, np.eye(3)[ref_pred])
    assert r["agreement"] == pytest.approx(1 - 3 / len(x_test)) and r["agreement"] >= 0.97
    assert not r["passed"] and r["failures"] == ["loses 2.00 points of accuracy (3 of 150 test samples; at most "
                                                 "1 allowed)"]
    assert r["accuracy_loss_allowed"] == 0.01 and r["accuracy_loss_samples"] == 3
    two = ref_pred.copy()
    two[1:3] = pred[1:3]  # 1 of 150 samples (0.67 points) is within the 1 point; 2 (1.33) are not
    assert verify_export(tmp_path / "q.tflite", "tflite-int8", x_test, two, np.eye(3)[two])["passed"]
    two[1] = (pred[1] + 1) % 3
    r = verify_export(tmp_path / "q.tflite", "tflite-int8", x_test, two, np.eye(3)[two])
    assert r["failures"] == ["loses 1.33 points of accuracy (2 of 150 test samples; at most 1 allowed)"]


@pytest.fixture(scope="module")
def int8_file(trained, tmp_path_factory):
    model, x_train, x_test, y_test = trained
    path = tmp_path_factory.mktemp("int8") / "q.tflite"
    assert export_model(model, {}, SPEC, x_train, x_test, y_test, "tflite-int8", path)["status"] == "done"
    return path


def _flipped(int8_file, x, flips: int) -> dict:
    """Verify ``int8_file`` on ``x`` against a PyTorch that is always right and that the file contradicts on
    ``flips`` samples: the file loses ``flips`` samples of accuracy."""
    pred = predict_exported(int8_file, x).argmax(1)
    ref_pred = pred.copy()
    ref_pred[:flips] = (pred[:flips] + 1) % 3
    return verify_export(int8_file, "tflite-int8", x, ref_pred, np.eye(3)[ref_pred])


def test_int8_may_lose_one_sample_when_a_sample_is_worth_more_than_a_point(trained, int8_file):
    """The bundled orders sample has 99 test rows: one answer changed by int8 is 1.01 points, and every int8
    export failed with 'loses 1.0 points of accuracy (at most 1 allowed)'. The loss allowed is 1 point, or one
    test sample when a sample is worth more."""
    _, _, x_test, _ = trained
    one = _flipped(int8_file, x_test[:50], 1)  # 1 of 50 = 2 points, agreement 98%
    assert one["passed"] and one["failures"] == [] and one["accuracy_loss_allowed"] == pytest.approx(0.02)
    assert one["accuracy_loss"] == pytest.approx(0.02) and one["accuracy_loss_samples"] == 1
    two = _flipped(int8_file, x_test[:50], 2)
    assert not two["passed"]
    assert "loses 4.00 points of accuracy (2 of 50 test samples; at most 2.00 allowed: one sample)" in two["failures"]
    orders = _flipped(int8_file, x_test[:99], 1)  # the orders case: 1.01 points, agreement 98.99%
    assert orders["passed"] and orders["accuracy_loss_allowed"] == pytest.approx(1 / 99)
    orders = _flipped(int8_file, x_test[:99], 2)  # 2.02 points, agreement 97.98%: only the loss fails
    assert orders["failures"] == ["loses 2.02 points of accuracy (2 of 99 test samples; at most 1.01 allowed: "
                                  "one sample)"]
    many = _flipped(int8_file, np.concatenate([x_test, x_test[:50]]), 3)  # 200 samples: 1.5 points, 98.5% agree
    assert many["agreement"] >= 0.97 and many["accuracy_loss_allowed"] == 0.01
    assert many["failures"] == ["loses 1.50 points of accuracy (3 of 200 test samples; at most 1 allowed)"]


def _changed(int8_file, x, changes: int, y=None) -> dict:
    """Verify ``int8_file`` on ``x`` against a PyTorch whose answer differs from the file's on ``changes``
    samples; labels ``y`` (default: the file's own answers, so no accuracy is lost)."""
    pred = predict_exported(int8_file, x).argmax(1)
    ref_pred = pred.copy()
    ref_pred[:changes] = (pred[:changes] + 1) % 3
    return verify_export(int8_file, "tflite-int8", x, pred if y is None else y, np.eye(3)[ref_pred])


def test_int8_may_change_two_answers_of_a_small_test_set(trained, int8_file):
    """The vineyard photos: 61 test samples, and a 97% agreement rule allowed one changed answer, so an int8
    file that changed 2 answers without losing any accuracy (91.8% before and after) was refused and no file
    for the board could be had. int8 may change 3% of the answers, or two when that is more."""
    _, _, x_test, _ = trained
    assert [verify_mod.int8_changes_allowed(n) for n in (10, 61, 66, 67, 150, 200)] == [2, 2, 2, 2, 4, 6]
    two = _changed(int8_file, x_test[:61], 2)
    assert two["passed"] and two["agreement"] == pytest.approx(59 / 61) and two["changes_allowed"] == 2
    three = _changed(int8_file, x_test[:61], 3)
    assert three["failures"] == ["agrees with PyTorch on 95.1% of test samples: 3 of 61 answers changed (needs "
                                 "97%, or at most 2 changed)"]
    five = _changed(int8_file, x_test[:150], 5)                 # 96.7% of 150: the 97% rule, as before
    assert not five["passed"] and five["changes_allowed"] == 4
    assert _changed(int8_file, x_test[:150], 4)["passed"]


def test_a_microcontroller_file_is_checked_with_the_kernels_tflite_micro_runs(trained, int8_file):
    """LiteRT's default kernels round int8 otherwise than TensorFlow Lite Micro (a narrow MobileNetV2 at 128 px
    gave other answers on 13% of the vineyard photos, and the accuracy shown was not the board's). A C header
    and a file for a microcontroller are checked with LiteRT's reference kernels: TFLite Micro's answers, with
    outputs at most one int8 step apart (the softmax's own rounding)."""
    from edgeling.core.export.runtimes import LiteRTRunner, int8_kernels

    assert int8_kernels("esp32-s3") == int8_kernels("arduino-nano-33-ble-sense") == "reference"
    assert int8_kernels("raspberry-pi-4") == int8_kernels(None) == int8_kernels("no-such-board") == "default"
    assert int8_kernels("raspberry-pi-4", "c-header") == "reference"
    _, _, x_test, _ = trained
    reference = LiteRTRunner(int8_file, "reference").predict(x_test).reshape(len(x_test), -1)
    if verify_mod.micro_available():
        micro = MicroRunner(int8_file).predict(x_test).reshape(len(x_test), -1)
        assert np.abs(reference - micro).max() <= 1 / 256 + 1e-6
        assert np.array_equal(reference.argmax(1), micro.argmax(1))
    pred = reference.reshape(len(x_test), -1).argmax(1)
    v = verify_export(int8_file, "tflite-int8", x_test, pred, np.eye(3)[pred], kernels="reference")
    assert v["kernels"] == "reference" and v["agreement"] == 1.0 and v["latency_ms"] > 0
    if verify_mod.micro_available():
        assert v["micro_agreement"] == 1.0 and v["micro_samples"] == min(100, len(x_test))


def test_the_loss_allowed_is_said_when_an_int8_export_passes(trained, tmp_path, monkeypatch):
    """The export message and the model card say what the file lost and what was allowed; --json has
    verification.accuracy_loss_allowed."""
    import edgeling.core.commands.export as export_cmd
    from edgeling.core.export.model_card import card_markdown
    from edgeling.core.export.verify import accuracy_loss_words

    model, x_train, x_test, y_test = trained
    result = export_model(model, {}, SPEC, x_train, x_test[:99], y_test[:99], "tflite-int8", tmp_path / "q.tflite")
    v = result["verification"]
    assert v["passed"] and v["accuracy_loss_allowed"] == pytest.approx(1 / 99)
    card = json.loads((tmp_path / "q.tflite.card.json").read_text())
    assert card["verification"]["accuracy_loss_allowed"] == pytest.approx(1 / 99)
    assert f"- The file {accuracy_loss_words(v)}" in card_markdown(card)
    assert accuracy_loss_words(dict(v, accuracy_loss=0.0, accuracy_loss_samples=0)) == (
        "loses no accuracy (at most 1.01 points allowed: one sample)")
    assert accuracy_loss_words(dict(v, accuracy_loss=0.0, accuracy_loss_samples=0, num_samples=150,
                                    accuracy_loss_allowed=0.01)) == "loses no accuracy (at most 1 point allowed)"
    # a file that gets one more test sample right than PyTorch said it "loses no accuracy"
    gained = dict(v, accuracy_loss=-1 / 99, accuracy_loss_samples=-1)
    assert accuracy_loss_words(gained) == "gains 1.01 points of accuracy (1 of 99 test samples)"
    assert "- The file gains 1.01 points of accuracy (1 of 99 test samples)\n" in card_markdown(
        dict(card, verification=gained))
    assert accuracy_loss_words(dict(v, accuracy_loss=-3 / 150, accuracy_loss_samples=-3, num_samples=150,
                                    accuracy_loss_allowed=0.01)) == "gains 2.00 points of accuracy (3 of 150 test samples)"
    said = []
    monkeypatch.setattr(export_cmd, "say", said.append)
    export_cmd._say_result(dict(result, verification=dict(v, accuracy_loss=1 / 99, accuracy_loss_samples=1)))
    assert said[0].endswith("; it loses 1.01 points of accuracy (1 of 99 test samples; at most 1.01 allowed: one "
                            "sample).")
    said.clear()
    export_cmd._say_result(dict(result, verification=gained))
    assert said[0].endswith("; it gains 1.01 points of accuracy (1 of 99 test samples).")


def test_failed_verification_writes_nothing(trained, tmp_path, monkeypatch):
    model, x_train, x_test, y_test = trained
    monkeypatch.setattr(verify_mod, "FLOAT_MAX_ABS_DIFF", 0.0)
    result = export_model(model, {}, SPEC, x_train, x_test, y_test, "onnx", tmp_path / "m.onnx")
    assert result["status"] == "failed" and not result["verification"]["passed"]
    assert result["verification"]["max_abs_diff"] >= 0.0 and result["card"] is None
    assert list(tmp_path.iterdir()) == []


def test_full_disk_during_export_leaves_nothing(trained, tmp_path, monkeypatch):
    model, x_train, x_test, y_test = trained

    def disk_full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(ExportError, match="No space left on device.*The disk is full.*nothing was written"):
        export_model(model, {}, SPEC, x_train, x_test, y_test, "tflite-int8", tmp_path / "m.tflite")
    assert list(tmp_path.iterdir()) == []


def test_c_header_holds_the_verified_model_labels_and_arena(trained, tmp_path):
    model, x_train, x_test, y_test = trained
    out = tmp_path / "kws model.h"
    result = export_model(model, {"type": "image"}, SPEC, x_train, x_test, y_test, "c-header", out)
    assert result["status"] == "done" and result["verification"]["kernels"] == "reference"   # as on the board
    card = (tmp_path / "kws model.h.card.md").read_text(encoding="utf-8")
    assert "test samples in TensorFlow Lite (LiteRT) with its reference kernels, which compute what " \
           "TensorFlow Lite Micro computes on the board, and compared" in card
    text = out.read_text()
    data = parse_c_header_bytes(text, "kws model")
    assert len(data) == result["model_bytes"] and f"kws_model_tflite_len = {len(data)};" in text
    assert "alignas(16) static const unsigned char kws_model_tflite[]" in text
    info = tflite_info(data)
    q = info["inputs"][0]
    assert f"#define KWS_MODEL_INPUT_ZERO_POINT {q['zero_point']}" in text
    arena = int(text.split("#define KWS_MODEL_ARENA_SIZE ")[1].split()[0])
    assert arena > result["verification"]["arena_required_bytes"] and arena % 16 == 0
    (tmp_path / "copy.tflite").write_bytes(data)
    MicroRunner(tmp_path / "copy.tflite", arena_size=arena).predict(x_test[:3])  # the reserved arena works
    assert '"\\"odd\\" \\\\ name",' in text
    card = json.loads((tmp_path / "kws model.h.card.json").read_text())
    assert card["classes"] == SPEC["class_names"] and card["verification"]["passed"]
    assert card["input_quantization"]["zero_point"] == q["zero_point"] and card["input_layout"] == "NHWC"
    assert (tmp_path / "kws model.h.labels.txt").read_text().splitlines() == SPEC["class_names"]
    assert "PASSED" in (tmp_path / "kws model.h.card.md").read_text()
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler:  # the header compiles as C11, and two files that include it link together
        src = tmp_path / "main.c"
        src.write_text('#include "kws model.h"\nint other(void);\n'
                       'int main(void) { return kws_model_tflite[4] == \'T\' && other() ? 0 : 1; }\n')
        (tmp_path / "other.c").write_text('#include "kws model.h"\n'
                                          'int other(void) { return kws_model_tflite_len > 0 && kws_model_labels[0][0]; }\n')
        subprocess.run([compiler, "-std=c11", "-Wall", "-Werror", "main.c", "other.c", "-o", "m"],
                       check=True, cwd=tmp_path, capture_output=True)
        assert subprocess.run([str(tmp_path / "m")]).returncode == 0
    cxx = shutil.which("g++") or shutil.which("c++")
    if cxx:  # and as C++ (Arduino sketches are C++)
        (tmp_path / "main.cpp").write_text('#include "kws model.h"\n'
                                           'int main() { return kws_model_tflite[4] == \'T\' ? 0 : 1; }\n')
        subprocess.run([cxx, "-std=c++11", "-Wall", "-Werror", "-c", "main.cpp", "-o", "mcpp.o"],
                       check=True, cwd=tmp_path, capture_output=True)
    compile_with_tflm_flags(tmp_path, "kws model.h", "kws_model_tflite_len > 0")   # TFLM's own warning flags


def test_tflite_micro_grows_its_arena_for_activations_far_larger_than_the_file(tmp_path):
    """A small network on big photos (the vineyard case, 224x224 on an ESP32-S3) needs an arena many times
    its file; the first guess (4x the file, at least 64 KB) was used as is and verification failed."""
    from edgeling.core.export.exporter import to_graph_layout
    from edgeling.core.export.tflite_writer import write_tflite
    from edgeling.core.models.lowering import lower

    spec = zoo.InputSpec("images", "classification", 3, (128, 128, 3), {"image_size": [128, 128]},
                         ["a", "b", "c"])
    x = np.random.default_rng(0).integers(0, 256, (8, 128, 128, 3), dtype=np.uint8)
    knobs = zoo.resolve_knobs("tutorial_cnn", spec, {"width": 4, "resolution": 128})
    frontend = zoo.fit_frontend("tutorial_cnn", spec, x, knobs)
    model = zoo.build_model("tutorial_cnn", spec, knobs, frontend).eval()
    net_in = zoo.apply_frontend(frontend, x)
    path = tmp_path / "big-input.tflite"
    data = write_tflite(lower(model, tuple(net_in.shape[1:]), append_softmax=True), path, precision="int8",
                        calibration=to_graph_layout(net_in))
    first_guess = max(64 * 1024, 4 * len(data))
    runner = MicroRunner(path)
    assert runner.predict(net_in[:2]).shape == (2, 3)
    assert runner.measure_arena() > first_guess and runner.arena_size >= runner.arena_bytes
    with pytest.raises(ExportError, match="could not load"):
        MicroRunner(path, arena_size=first_guess)  # a size given by the caller is used as is


FAMILY_KINDS = {"tutorial_cnn": "images", "mobilenet_v1": "images", "resnet8": "images",
                "mobilenet_v2": "images", "ds_cnn": "audio", "audio_cnn": "audio",
                "spectral_dense": "timeseries", "conv1d": "timeseries", "mlp": "table"}


def test_every_family_exports_and_verifies_in_float_and_int8(tmp_path):
    from tests.core.test_families import _samples, _spec
    from tests.core.tiny_models import randomize_batchnorm

    assert set(FAMILY_KINDS) == set(zoo.all_architectures())
    torch.manual_seed(0)
    for arch, kind in FAMILY_KINDS.items():
        spec = _spec(kind)
        knobs = zoo.size_grid(arch, spec)[0]
        x = _samples(spec, 90)
        fe = zoo.fit_frontend(arch, spec, x, knobs)
        model = randomize_batchnorm(zoo.build_model(arch, spec, knobs, fe))
        xin = zoo.apply_frontend(fe, x)
        for fmt in ("tflite", "tflite-int8"):
            r = export_model(model, fe, spec, xin[:40], xin[40:], None, fmt, tmp_path / f"{arch}-{fmt}.tflite")
            v = r["verification"]
            assert v["passed"], (arch, fmt, v)
            if fmt == "tflite-int8":
                assert v["arena_bytes"] > 0 and v["micro_agreement"] >= 0.97, (arch, v)


def _hand_made_run(tmp_path):
    """A run folder as the training engine writes it (mlp on a small table), without training."""
    from edgeling.core import runs
    from edgeling.core.data.load import open_dataset
    from tests.core.training_fixtures import make_table_csv

    csv = make_table_csv(tmp_path / "data.csv", n=150)
    ds = open_dataset(csv, kind="table", use_cache=False)
    spec = zoo.InputSpec.from_dataset(ds)
    knobs = zoo.default_knobs("mlp", spec)
    fe = zoo.fit_frontend("mlp", spec, ds.x, knobs)
    torch.manual_seed(0)
    model = zoo.build_model("mlp", spec, knobs, fe)
    run = tmp_path / "run"
    runs.save_checkpoint(run / runs.BEST_CHECKPOINT, {"model": model.state_dict()})
    runs.save_checkpoint(run / runs.LAST_CHECKPOINT, {"model": model.state_dict()})
    runs.write_config(run, {"data": str(csv), "dataset": {"kind": "table"}, "arch": "mlp", "knobs": knobs,
                            "frontend": fe, "spec": spec.to_dict(), "status": "finished", "device": "nano33ble"})
    return run


def test_export_command_prints_json_and_writes_the_files(tmp_path):
    run = _hand_made_run(tmp_path)
    out = tmp_path / "exports" / "model.tflite"
    proc = subprocess.run([sys.executable, "-m", "edgeling.core.cli", "export", str(run), "--format",
                           "tflite-int8", "--out", str(out), "--json"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["path"] == str(out) and result["format"] == "tflite-int8"
    assert result["size_bytes"] == out.stat().st_size
    v = result["verification"]
    assert v["passed"] and set(v) >= {"agreement", "max_abs_diff", "accuracy", "latency_ms", "arena_bytes"}
    assert v["arena_bytes"] > 0 and "Traceback" not in proc.stderr
    card = json.loads((tmp_path / "exports" / "model.tflite.card.json").read_text())
    assert card["device"] == "nano33ble" and card["data_kind"] == "table"

    from edgeling.core.cli import main as cli_main

    assert cli_main(["export", str(tmp_path / "nope"), "--format", "onnx", "--out", str(out)]) == 2
    (tmp_path / "cut.tflite").write_bytes(out.read_bytes()[:100])
    with pytest.raises(ExportError, match="cut.tflite is damaged or incomplete"):
        predict_exported(tmp_path / "cut.tflite", np.zeros((1, 3), np.float32))


def test_a_c_header_says_its_text_size_and_the_model_bytes_it_puts_in_flash(tmp_path, capsys):
    """The card said 'File size 394,080 bytes' for a model of 63,632: the header writes every byte as text.
    The card, the JSON and the message now give both, and say which is which."""
    from edgeling.core.cli import main as cli_main

    run = _hand_made_run(tmp_path)
    out = tmp_path / "exports" / "model.h"
    assert cli_main(["export", str(run), "--format", "c-header", "--out", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    size, model = out.stat().st_size, len(parse_c_header_bytes(out.read_text(), "model"))
    assert result["size_bytes"] == size and result["model_bytes"] == model and 0 < model < size / 3
    assert f"({size:,} bytes of C text; the model in it takes {model:,} bytes of flash)" in captured.err
    card = json.loads((tmp_path / "exports" / "model.h.card.json").read_text())
    assert card["size_bytes"] == size and card["model_bytes"] == model
    md = (tmp_path / "exports" / "model.h.card.md").read_text()
    assert f"| Header file size | {size:,} bytes of C source text (on the computer; not what the device stores) |" in md
    assert f"| Model in flash | {model:,} bytes: the model array the header embeds" in md
    assert "| File size |" not in md
    assert f"// The model takes {model} bytes of flash (model_tflite below)" in out.read_text()

    other = tmp_path / "exports" / "model.tflite"
    assert cli_main(["export", str(run), "--format", "tflite-int8", "--out", str(other), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["size_bytes"] == result["model_bytes"] == other.stat().st_size
    md = (tmp_path / "exports" / "model.tflite.card.md").read_text()
    assert f"| File size | {other.stat().st_size:,} bytes |" in md and "Model in flash" not in md


def test_model_card_says_in_words_what_compression_was_applied():
    from edgeling.core.export.model_card import card_markdown, describe_compression

    records = [{"pass": "distill", "teacher_arch": "resnet8", "student_arch": "tutorial_cnn",
                "compared": {"kept": "alone"}},
               {"pass": "prune", "method": "structured", "fraction": 0.5, "channels": {"0": [16, 8]},
                "fine_tune_epochs": 30},
               {"pass": "ptq", "calibration_samples": 300, "verification": {"passed": True}}]
    text = describe_compression(records)
    assert text == ("a tutorial_cnn student trained alone (the same student distilled from a resnet8 teacher did "
                    "less well on validation, so it was not kept); structured pruning: 50% of the channels "
                    "removed, fine-tuned 30 epochs; int8 post-training quantization (300 calibration samples)")
    records[0]["compared"]["kept"] = "distilled"
    assert describe_compression(records[:1]) == "distillation from a resnet8 teacher into a tutorial_cnn student"
    magnitude = {"pass": "prune", "method": "magnitude", "fraction": 0.5, "fine_tune_epochs": 2}
    assert describe_compression([magnitude]) == ("magnitude pruning: 50% of the weights set to zero, fine-tuned 2 "
                                                 "epochs (the zeros are stored: no smaller or faster for it)")
    assert describe_compression([]) == "none"
    md = card_markdown({"file": "m.tflite", "format_title": "TFLite int8", "size_bytes": 1000, "classes": ["a"],
                        "input_shape": [1, 4], "input_layout": "NC", "compression": records,
                        "metrics": {"accuracy": 0.123456789, "split": "test"}, "verification": None})
    assert "{" not in md.split("## Front end")[0]  # no raw dicts in the human part
    assert "- Accuracy: 12.3%" in md


def test_a_c_header_for_a_board_names_its_kernels_and_the_ram_left(trained, tmp_path):
    """The export passes the run's device to the header: an ESP32-S3's header named CMSIS-NN and said nothing
    of the RAM the board has for the arena."""
    model, x_train, x_test, y_test = trained
    out = tmp_path / "leaves.h"
    assert export_model(model, {"type": "image"}, SPEC, x_train, x_test, y_test, "c-header", out,
                        device="esp32-s3")["status"] == "done"
    text = out.read_text()
    assert "ESP-NN, this device's kernel library" in text
    assert "of RAM is available for the model" in text and "this arena leaves" in text


def test_the_tflite_card_and_the_c_header_reserve_the_same_arena(trained, tmp_path):
    """The pump walk: the header reserved 10,992 bytes (TFLite Micro's 9,680, the 9,968 estimated with CMSIS-NN
    scratch, a margin) while the .tflite card of the same model for the same board said 9,680, too little for
    a build with optimized kernels. The card re-read the header to know; the exporter now says it once."""
    model, x_train, x_test, y_test = trained
    for fmt, name in (("c-header", "m.h"), ("tflite-int8", "m.tflite")):
        assert export_model(model, {"type": "image"}, SPEC, x_train, x_test, y_test, fmt, tmp_path / name,
                            device="arduino-nano-33-ble-sense")["status"] == "done"
    reserved = int((tmp_path / "m.h").read_text().split("#define M_ARENA_SIZE ")[1].split()[0])
    for name in ("m.h", "m.tflite"):
        card = json.loads((tmp_path / f"{name}.card.json").read_text(encoding="utf-8"))
        assert card["on_device"]["arena_bytes"] == reserved, name
    assert "to reserve, the size a C header of this file defines" in (tmp_path / "m.tflite.card.md").read_text(encoding="utf-8")


def test_a_failed_check_of_a_model_that_hardly_learnt_says_to_train_it_first():
    """The newcomer run: a 2-epoch words model (16.7%, six classes) failed its int8 check with numbers and no word
    on what to do; its answers are near ties that any rounding flips."""
    from edgeling.core.commands.export import failed_export_advice
    from edgeling.core.export.verify import unlearnt_failure_words

    chance = {"accuracy": 1 / 6, "num_samples": 42, "majority_baseline": {"accuracy": 1 / 6, "class": "yes"}}
    said = unlearnt_failure_words(chance)
    assert said.startswith("The model has hardly learnt (test accuracy 16.7%, no better than always answering one "
                           "class): its answers are near ties between classes, which int8's rounding flips.")
    assert failed_export_advice({"format": "c-header"}, chance) == said
    learnt = {**chance, "accuracy": 0.95}
    assert unlearnt_failure_words(learnt) == "" and unlearnt_failure_words(None) == ""
    assert "--quantize qat" in failed_export_advice({"format": "tflite-int8"}, learnt)
