"""``edgeling compress`` end to end on a tiny image run: new run folders, the before/after table, the int8
file, channel plans that load, Stop, the child process, and plain errors."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image

from edgeling.core import runs
from edgeling.core.cli import main
from edgeling.core.compress.compress_job import COMPRESSION_FILE, TARGET, compress_run
from edgeling.core.jobs import events as ev
from edgeling.core.jobs.process import start_job
from edgeling.core.jobs.train_job import train_run
from edgeling.core.training.evaluate import evaluate_run

DEVICE = "arduino-nano-33-ble-sense"


def make_images(root, n_per_class: int = 30, side: int = 12, seed: int = 0, classes=("bar", "dot", "ring")):
    """Three classes of small RGB pictures: a horizontal bar, a centre dot, a ring, with noise."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:side, :side]
    r = np.hypot(yy - side / 2 + 0.5, xx - side / 2 + 0.5)
    shapes = {"bar": np.abs(yy - side // 2) < 2, "dot": r < 2.5, "ring": (r > 3) & (r < 5),
              "cross": (np.abs(yy - side // 2) < 1) | (np.abs(xx - side // 2) < 1)}
    for name in classes:
        (root / name).mkdir(parents=True)
        for i in range(n_per_class):
            img = rng.normal(60, 25, (side, side, 3))
            img[shapes[name]] += 140 + rng.normal(0, 20)
            img = np.roll(img, rng.integers(-1, 2, 2), axis=(0, 1))
            Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(root / name / f"{i}.png")
    return root


def _train(data, out, **kw):
    return train_run(data, out, device=DEVICE, arch="tutorial_cnn", epochs=3, threads=1,
                     knobs={"width": 4}, **kw)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    base = tmp_path_factory.mktemp("compress")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(base / "cache"))
        mp.setenv("EDGELING_THREADS", "1")
        data = make_images(base / "pictures")
        _train(data, base / "run")
        yield base, base / "run"


@pytest.fixture
def env(trained, monkeypatch):
    base, _ = trained
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("EDGELING_THREADS", "1")
    return trained


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _cli(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_structured_prune_then_ptq_writes_a_new_run_with_the_table(env, tmp_path, capsys):
    _, run = env
    before_files = _snapshot(run)
    out = tmp_path / "small"
    code, stdout, stderr = _cli([ "compress", str(run), "--prune", "0.5", "--structured", "--quantize", "ptq",
                                 "--fine-tune-epochs", "1", "--out", str(out), "--json"], capsys)
    assert code == 0, stderr
    result = json.loads(stdout)
    assert [p["pass"] for p in result["passes"]] == ["prune", "ptq"]
    assert result["passes"][0]["fine_tune_epochs"] == 1  # as given
    table = result["table"]
    for key in ("accuracy", "macro_f1", "params", "macs", "flash_bytes", "needs_ram_bytes", "latency_ms"):
        assert table["before"][key] is not None and table["after"][key] is not None, key
    assert table["before"]["precision"] == "float32" and table["after"]["precision"] == "int8"
    assert table["before"]["sized_as"] == "int8" and "sized_as" not in table["after"]   # a Nano runs int8 only
    assert "for the float model too as int8: Arduino Nano 33 BLE Sense runs int8 only" in stderr
    assert table["after"]["macs"] <= 0.6 * table["before"]["macs"]
    assert runs.load_run(out).config["params"] == table["after"]["params"] < runs.load_run(run).config["params"]
    assert table["after"]["flash_bytes"] < table["before"]["flash_bytes"]
    assert table["after"]["device"] == DEVICE
    # RAM on the board as the plan and the export's RAM sentence count it: the arena plus the picture resize's
    # rows the firmware needs (the Model page said 80 KB where this table said 44 KB, the arena alone)
    from edgeling.core.devices.catalogue import get_device
    from edgeling.core.models.autosize import input_buffer
    from edgeling.core.models.zoo import InputSpec

    source = runs.load_run(run)
    rows = input_buffer(get_device(DEVICE), source.config["frontend"], InputSpec.from_dict(source.config["spec"]))
    for column in (table["before"], table["after"]):      # ram_bytes: the arena, as in the plan's rows
        assert column["input_ram_bytes"] == rows[0] > 0
        assert column["needs_ram_bytes"] == column["ram_bytes"] + rows[0]
    # a table written before the input buffer was counted still shows its RAM row (the arena it had)
    from edgeling.core.compress.compare import comparison, table_rows

    old = {k: {**c, "needs_ram_bytes": None} for k, c in (("before", table["before"]), ("after", table["after"]))}
    said = dict((r[0], r) for r in table_rows(comparison(old["before"], old["after"])))
    assert said["RAM needed at most"][1] != "-"
    assert "multiply-adds per answer (MACs)" in stderr and "RAM needed at most" in stderr and "balanced over classes" in stderr  # the human table
    assert "like any other weight" not in stderr and "note" not in result["passes"][0]  # channels really go
    # the new run: loads with the pruned shapes, keeps the int8 file, records what was done
    new = runs.load_run(out)
    assert new.config["channel_plan"] and new.config["compressed_from"] == str(run)
    assert [c["pass"] for c in new.config["compression"]] == ["prune", "ptq"]
    ptq = new.config["compression"][1]
    assert (out / ptq["int8_file"]).is_file() and ptq["calibration_samples"] > 0
    exported = tmp_path / "small.tflite"    # the file the user takes home; the table's flash is its size
    assert main(["export", str(out), "--format", "tflite-int8", "--out", str(exported), "--no-verify"]) == 0
    size = exported.stat().st_size
    # the int8 file is there: its size, not the estimate (the vineyard walk: 98,189 said, 96,672 exported)
    assert table["after"]["flash_bytes"] == size and table["after"]["flash_measured"] is True
    assert "(after: flash is the int8 file's real size)" in stderr
    assert ptq["verification"]["agreement"] is not None
    v = ptq["verification"]   # the same rule as an export: 1 point, or one test sample when that is more
    assert v["accuracy_loss_allowed"] == pytest.approx(max(0.01, 1 / v["num_samples"]))
    model, _, _ = runs.load_model(new)
    assert sum(p.numel() for p in model.parameters()) == table["after"]["params"]
    saved = json.loads((out / COMPRESSION_FILE).read_text())
    assert saved["table"]["after"]["macs"] == table["after"]["macs"]
    assert new.metrics["accuracy"] is not None
    # what Evaluate shows for the new run is the int8 file the table measured, not the float weights
    assert new.metrics["model"] == "the int8 file in LiteRT"
    assert new.metrics["accuracy"] == pytest.approx(table["after"]["accuracy"])
    assert evaluate_run(out, write=False)["accuracy"] == pytest.approx(table["after"]["accuracy"])
    assert _snapshot(run) == before_files  # the source run is untouched
    assert not list(tmp_path.glob(".*partial*"))

    # pruning a pruned int8 run again composes the plans; the result still loads, and stays int8: the
    # table starts from the int8 model it is, and the new weights get their own int8 file
    again = compress_run(out, tmp_path / "smaller", prune=0.5, structured=True, fine_tune_epochs=1, threads=1)
    model2, _, _ = runs.load_model(tmp_path / "smaller")
    assert again["table"]["after"]["macs"] < again["table"]["before"]["macs"]
    assert sum(p.numel() for p in model2.parameters()) == again["table"]["after"]["params"]
    assert again["table"]["before"]["precision"] == again["table"]["after"]["precision"] == "int8"
    assert again["table"]["before"]["accuracy"] == pytest.approx(table["after"]["accuracy"])
    history = runs.load_run(tmp_path / "smaller").config["compression"]
    assert [c["pass"] for c in history] == ["prune", "prune", "ptq"]  # the old int8 file is not claimed
    assert history[0]["run"] == str(out) and history[-1]["why"].startswith("kept int8")
    assert (tmp_path / "smaller" / "model-int8.tflite").is_file()


def test_magnitude_pruning_says_why_flash_ram_and_latency_do_not_drop(env, tmp_path, capsys):
    """Only the non-zero parameters drop: the CLI, its --json and the new run say why, and what to use."""
    _, run = env
    out = tmp_path / "sparse"
    code, stdout, stderr = _cli(["compress", str(run), "--prune", "0.5", "--fine-tune-epochs", "1",
                                 "--out", str(out), "--json"], capsys)
    assert code == 0, stderr
    result = json.loads(stdout)
    table = result["table"]
    assert table["after"]["nonzero_params"] < table["before"]["nonzero_params"]
    assert table["change"]["flash_bytes"] == table["change"]["needs_ram_bytes"] == table["change"]["latency_ms"] == 0
    said = ("Pruning set 50% of the weights to zero, but TFLite, TFLite Micro and ONNX Runtime store and compute "
            "the zeros like any other weight: that pruning alone makes the model no smaller and no faster on the "
            "device (only the non-zero parameters drop, not flash, RAM or latency). To really shrink flash, RAM "
            "and the work per answer, remove whole channels: --prune 0.5 --structured.")
    assert said in stderr
    note = result["passes"][0]["note"]
    assert note.startswith(said[:-1]) and '"remove whole channels"' in note  # the files name both ways
    assert json.loads((out / COMPRESSION_FILE).read_text())["passes"][0]["note"] == note
    assert runs.load_run(out).config["compression"][0]["note"] == note


def test_int8_alone_says_an_int8_export_does_the_same_and_what_would_do_more(env, tmp_path, capsys):
    """The pump walk: --quantize ptq gave the same 62 KB / 11 KB as a plain int8 export, and nothing said so."""
    from edgeling.core.compress.notes import int8_only_note

    _, run = env
    code, _, stderr = _cli(["compress", str(run), "--quantize", "ptq", "--out", str(tmp_path / "q")], capsys)
    assert code == 0, stderr
    assert ("Post-training int8 alone is what an int8 export of the original run does anyway (the same steps), "
            "so its file is about the same") in stderr and "--quantize qat" in stderr
    assert int8_only_note([{"pass": "ptq", "source_was_int8": True}]) is None         # it was int8 already
    assert int8_only_note([{"pass": "prune", "method": "structured"}, {"pass": "ptq"}]) is None
    assert "pruning with whole channels removed" in int8_only_note([{"pass": "ptq"}], "app")


def test_magnitude_pruning_with_int8_says_where_the_drop_comes_from(env, tmp_path, capsys):
    """With int8 the table showed flash -66%, RAM -63%, latency -50% while the note said pruning 'makes the model
    no smaller and no faster ... not flash, RAM or latency'. It now says the drop comes from int8."""
    _, run = env
    out = tmp_path / "sparse-int8"
    code, stdout, stderr = _cli(["compress", str(run), "--prune", "0.5", "--quantize", "ptq",
                                 "--fine-tune-epochs", "1", "--out", str(out), "--json"], capsys)
    assert code == 0, stderr
    result = json.loads(stdout)
    # On the Nano the float model's sizes are its int8 file's already (the vineyard walk): no drop to explain
    assert result["table"]["before"]["sized_as"] == "int8" and result["passes"][1]["device_int8_only"]
    said = ("Pruning set 50% of the weights to zero, but TFLite, TFLite Micro and ONNX Runtime store and compute "
            "the zeros like any other weight: that pruning alone makes the model no smaller and no faster on the "
            "device (only the non-zero parameters drop, not flash, RAM or latency). To really shrink flash, RAM and "
            "the work per answer, remove whole channels: --prune 0.5 --structured.")
    assert said in stderr and "comes from int8" not in stderr
    note = result["passes"][0]["note"]   # the run's own files say the same
    assert note.startswith(said[:-1]) and '"remove whole channels"' in note
    assert runs.load_run(out).config["compression"][0]["note"] == note

    from edgeling.core.compress.notes import zeros_note

    prune = {"pass": "prune", "method": "magnitude", "fraction": 0.5}
    assert "comes from int8 (qat)" in zeros_note([prune, {"pass": "qat", "int8_file": "model-int8.tflite"}])
    assert ("The drop in flash, RAM and latency comes from int8 (ptq); pruning added none of it"     # a Pi runs
            in zeros_note([prune, {"pass": "ptq"}]))                                                  # float too
    for int8_before in ({"pass": "ptq", "source_was_int8": True},   # the run was int8 already: no drop from it
                        {"pass": "ptq", "why": "kept int8, as the run it started from was int8"}):
        assert "no smaller and no faster" in zeros_note([prune, int8_before])


def test_magnitude_prune_and_qat_as_an_in_process_job_with_events(env, tmp_path):
    _, run = env
    got = []
    result = compress_run(run, tmp_path / "qat", prune=0.5, quantize="qat", fine_tune_epochs=2, threads=1,
                          on_event=got.append)
    kinds = [type(e).__name__ for e in got]
    assert kinds[0] == "Started" and kinds[-1] == "Finished" and kinds.count("EpochEnd") == 4
    passes = result["passes"]
    assert [p["pass"] for p in passes] == ["prune", "qat"]
    assert passes[0]["method"] == "magnitude" and passes[0]["sparsity"] >= 0.45
    assert passes[1]["int8_file"] == "model-int8.tflite" and 0.0 <= passes[1]["accuracy"] <= 1.0
    assert result["table"]["after"]["accuracy"] == passes[1]["accuracy"]  # the int8 file's accuracy
    assert result["table"]["after"]["quality_measured_on"] == "the int8 file in LiteRT"
    assert result["table"]["after"]["nonzero_params"] < 0.75 * result["table"]["before"]["nonzero_params"]
    history = json.loads((tmp_path / "qat" / runs.HISTORY_FILE).read_text())
    assert [h["stage"] for h in history] == ["prune", "prune", "qat", "qat"]
    model, _, _ = runs.load_model(tmp_path / "qat")
    from edgeling.core.compress.magnitude import sparsity

    assert sparsity(model) >= passes[0]["sparsity"] - 1e-6  # QAT keeps the pruned weights at zero


def test_distillation_trains_the_given_student_from_the_teacher(env, tmp_path, capsys):
    _, run = env
    out = tmp_path / "student"
    code, stdout, stderr = _cli(["compress", str(run), "--distill-from", str(run), "--arch", "tutorial_cnn",
                                 "--knobs", '{"width": 2}', "--epochs", "2", "--alpha", "0.5", "--temperature", "2",
                                 "--out", str(out), "--json"], capsys)
    assert code == 0, stderr
    result = json.loads(stdout)
    rec = result["passes"][0]
    assert rec["pass"] == "distill" and rec["teacher"] == str(run) and rec["student_knobs"]["width"] == 2
    assert rec["alpha"] == 0.5 and rec["temperature"] == 2.0
    new = runs.load_run(out)
    assert new.config["arch"] == "tutorial_cnn" and new.config["knobs"]["width"] == 2
    assert result["table"]["after"]["params"] < result["table"]["before"]["params"]
    assert [h["stage"] for h in new.history] == ["distill", "distill", "alone", "alone"]
    # the same student was also trained alone; the better one on the validation samples is the new run
    compared = rec["compared"]
    assert compared["kept"] in ("distilled", "alone")
    assert result["table"]["after"]["accuracy"] == compared[compared["kept"]]["test_accuracy"]
    assert compared["test_gain_points"] == round(100 * (compared["distilled"]["test_accuracy"]
                                                        - compared["alone"]["test_accuracy"]), 2)
    assert "Distillation vs the same student trained alone: test accuracy" in stderr
    assert f"The student is tutorial_cnn with {rec['student_params']:,} parameters (the teacher has " in stderr

    code, stdout, stderr = _cli(["compress", str(run), "--distill-from", str(run), "--arch", "tutorial_cnn",
                                 "--knobs", '{"width": 2}', "--epochs", "2", "--no-compare",
                                 "--out", str(tmp_path / "quick"), "--json"], capsys)
    assert code == 0, stderr
    assert "compared" not in json.loads(stdout)["passes"][0] and "trained alone" not in stderr
    assert "The student is tutorial_cnn with" in stderr   # which student, also without the comparison
    assert [h["stage"] for h in runs.load_run(tmp_path / "quick").history] == ["distill", "distill"]


def test_the_student_chosen_for_the_device_is_never_bigger_than_the_run_compressed(monkeypatch):
    """The firmware walk: a 77,658-parameter run distilled from a 408k teacher became a 173,698-parameter
    student ("at most half the teacher's"), 2.2 times the run it was meant to compress, and nothing said so."""
    from types import SimpleNamespace

    from edgeling.core.compress import distill_step
    from edgeling.core.models import autosize, zoo

    rows = [{"arch": a, "knobs": {"width": w}, "params": n, "fits": True, "capacity": n}
            for a, w, n in (("resnet8", 8, 20_000), ("tutorial_cnn", 16, 60_000), ("resnet8", 24, 173_698))]
    monkeypatch.setattr(autosize, "plan", lambda *a, **k: {"candidates": rows})
    monkeypatch.setattr(zoo, "resolve_knobs", lambda arch, spec, knobs: dict(knobs))
    spec = SimpleNamespace(kind="images")
    device = SimpleNamespace(in_sentence="on the ESP32-S3")
    choose = distill_step.choose_student
    source = {"params": 77_658, "arch": "resnet8", "knobs": {"width": 16}}
    arch, knobs, why = choose(zoo, spec, device, None, 408_000, {}, source)
    assert (arch, knobs) == ("tutorial_cnn", {"width": 16})
    assert "no more than the run you compressed (77,658)" in why
    assert choose(zoo, spec, device, None, 408_000, {})[1] == {"width": 24}   # no run given: half the teacher
    # nothing in the zoo is smaller than the run: the run's own network, said so
    arch, knobs, why = choose(zoo, spec, device, None, 408_000, {}, {**source, "params": 15_000})
    assert (arch, knobs) == ("resnet8", {"width": 16}) and why.startswith("the network of the run you compressed")


def test_the_better_student_on_validation_is_kept_and_said_so():
    from edgeling.core.compress.distill_step import _better, comparison_sentence

    good = {"val_accuracy": 0.9, "val_loss": 0.4, "test_accuracy": 0.91}
    worse = {"val_accuracy": 0.8, "val_loss": 0.3, "test_accuracy": 0.93}
    assert _better(good, worse) and not _better(worse, good)
    tie = {"val_accuracy": 0.9, "val_loss": 0.5}
    assert _better(good, tie) and not _better(tie, good)
    assert _better({"test_accuracy": 1.0}, good)  # no validation samples: keep the distilled one
    rec = {"pass": "distill",
           "compared": {"distilled": good, "alone": worse, "kept": "distilled", "test_gain_points": -2.0}}
    assert comparison_sentence(rec) == ("Distillation vs the same student trained alone: test accuracy 91.0% "
                                        "vs 93.0% (-2.0 points); kept the distilled student.")
    rec["compared"]["kept"] = "alone"
    assert "kept the student trained alone" in comparison_sentence(rec)
    assert comparison_sentence({"pass": "ptq"}) is None


def test_a_distillation_that_kept_the_student_trained_alone_does_not_say_distill(env, tmp_path, capsys,
                                                                               monkeypatch):
    """The student trained alone did better on validation and was kept: the run, the CLI and the model card
    of its export say so, instead of a plain "distill"."""
    from edgeling.core.compress import distill_step

    monkeypatch.setattr(distill_step, "_better", lambda distilled, alone: False)
    _, run = env
    out = tmp_path / "alone"
    code, stdout, stderr = _cli(["compress", str(run), "--distill-from", str(run), "--arch", "tutorial_cnn",
                                 "--knobs", '{"width": 2}', "--epochs", "1", "--out", str(out), "--json"], capsys)
    assert code == 0, stderr
    label = "distill: the student trained alone was kept, as it did better on validation"
    rec = json.loads(stdout)["passes"][0]
    assert rec["compared"]["kept"] == "alone" and rec["label"] == label
    assert f"Wrote the compressed run {out} ({label})." in stderr
    assert runs.load_run(out).config["compression"][0]["label"] == label
    assert json.loads((out / COMPRESSION_FILE).read_text())["passes"][0]["label"] == label
    code, _, stderr = _cli(["export", str(out), "--format", "onnx", "--out", str(tmp_path / "m.onnx")], capsys)
    assert code == 0, stderr
    card = (tmp_path / "m.onnx.card.md").read_text()
    assert "| Compression | a tutorial_cnn student trained alone (the same student distilled from" in card
    card_json = json.loads((tmp_path / "m.onnx.card.json").read_text())
    assert card_json["compression"][0]["label"] == label


def test_the_passes_of_an_older_run_are_named_truthfully():
    from edgeling.core.compress.notes import pass_label, pass_labels

    label = "distill: the student trained alone was kept, as it did better on validation"
    old = {"pass": "distill", "compared": {"kept": "alone"}}  # written before runs carried "label"
    assert pass_label(old) == label
    assert pass_labels([old, {"pass": "ptq"}]) == [label, "ptq"]
    assert pass_label({"pass": "distill", "compared": {"kept": "distilled"}}) == "distill"
    assert pass_label({"pass": "distill"}) == "distill" and pass_label("prune") == "prune"


def test_stop_writes_nothing(env, tmp_path):
    _, run = env
    out = tmp_path / "stopped"
    result = compress_run(run, out, quantize="qat", fine_tune_epochs=3, threads=1, should_stop=lambda: True)
    assert result["status"] == "stopped" and "Nothing was written" in result["message"]
    assert not out.exists() and not list(tmp_path.iterdir())


def test_ptq_runs_as_a_child_process_job(env, tmp_path):
    _, run = env
    out = tmp_path / "child"
    h = start_job(TARGET, {"run": str(run), "out": str(out), "quantize": "ptq", "threads": 1})
    try:
        events = h.wait(timeout=120)
    finally:
        h.close()
    assert isinstance(events[-1], ev.Finished), events[-1]
    assert events[-1].result["table"]["after"]["precision"] == "int8"
    assert (out / "model-int8.tflite").is_file() and (out / COMPRESSION_FILE).is_file()


def _error(argv, capsys):
    code, stdout, stderr = _cli(argv + ["--json"], capsys)
    assert "Traceback" not in stderr
    return code, json.loads(stdout)["error"]["message"] if stdout.strip() else stderr


def test_plain_errors(env, tmp_path, capsys):
    base, run = env
    out = str(tmp_path / "x")
    code, msg = _error(["compress", str(tmp_path / "nope"), "--quantize", "ptq", "--out", out], capsys)
    assert code == 2 and "not a training run" in msg
    code, msg = _error(["compress", str(run), "--prune", "1.5", "--out", out], capsys)
    assert code == 2 and "above 0 and below 1" in msg
    code, msg = _error(["compress", str(run), "--out", out], capsys)
    assert code == 2 and "at least one" in msg
    code, msg = _error(["compress", str(run), "--structured", "--out", out], capsys)
    assert code == 2 and "--prune" in msg
    code, msg = _error(["compress", str(run), "--quantize", "ptq", "--alpha", "0.5", "--out", out], capsys)
    assert code == 2 and "--distill-from" in msg
    code, msg = _error(["compress", str(run), "--quantize", "ptq", "--no-compare", "--out", out], capsys)
    assert code == 2 and "--distill-from" in msg
    code, msg = _error(["compress", str(run), "--quantize", "ptq", "--out", str(run.parent)], capsys)
    assert code == 2 and "already exists" in msg
    other = tmp_path / "other_classes"
    shutil.copytree(run, other)
    cfg = json.loads((other / runs.RUN_FILE).read_text())
    cfg["dataset"]["class_names"] = ["cat", "dog", "bird"]
    (other / runs.RUN_FILE).write_text(json.dumps(cfg))
    code, msg = _error(["compress", str(run), "--distill-from", str(other), "--out", out], capsys)
    assert code == 2 and "same classes" in msg and "cat" in msg
    code, msg = _error(["compress", str(run), "--prune", "0.5", "--fine-tune-epochs", "-1", "--out", out], capsys)
    assert code == 2 and "--fine-tune-epochs must be 0" in msg
    for args in (["--prune", "half"], ["--distill-from", str(run), "--epochs", "0"]):
        with pytest.raises(SystemExit) as e:
            main(["compress", str(run), *args, "--out", out])
        assert e.value.code == 2
    assert not (tmp_path / "x").exists()


def test_fine_tune_epochs_default_to_more_after_structured_pruning():
    from edgeling.core.compress.compress_checks import fine_tune_epochs

    assert fine_tune_epochs(60, structured=True) == 30 and fine_tune_epochs(3, structured=True) == 5
    assert fine_tune_epochs(60, structured=False) == 5 and fine_tune_epochs(2, structured=False) == 1
    assert fine_tune_epochs(60, structured=True, given=2) == 2


def test_a_run_whose_saved_model_is_gone_says_what_to_do_by_name(env, tmp_path, capsys):
    """The small-screen walk: 'The checkpoint /tmp/.../run-001-ptq/checkpoints/last.pt is missing. Train again
    to make a new one.' for a compressed run, whose fix is to compress again."""
    import shutil

    _, run = env
    copy = tmp_path / "run-001"
    shutil.copytree(run, copy)
    out = tmp_path / "run-001-ptq"
    code, _, stderr = _cli(["compress", str(copy), "--quantize", "ptq", "--out", str(out)], capsys)
    assert code == 0, stderr
    for folder, fix in ((out, "Compress run-001 again, into a new run folder, to make it anew."),
                        (copy, "Train again, into a new run folder, to make it anew.")):
        shutil.rmtree(folder / "checkpoints")
        said = f"{folder.name}'s saved model is gone (its checkpoints folder is missing). {fix}"
        with pytest.raises(runs.RunError) as e:
            runs.load_model(folder)
        assert str(e.value) == said
        # the other commands say the same (the regression walk: compress said 'has no trained model yet. Train it
        # first', and train into the same folder said 'already trained; nothing to do')
        code, _, stderr = _cli(["compress", str(folder), "--quantize", "ptq", "--out", str(tmp_path / "again")], capsys)
        assert code == 2 and said in stderr
    from edgeling.core.jobs.train_job import TrainingError

    with pytest.raises(TrainingError, match="run-001's saved model is gone"):
        _train(runs.load_run(copy).config["data"], copy)


def test_macro_f1_is_said_as_the_evaluate_page_says_it():
    """The small-screen walk: 0.950 on the Compress page, 95.0% on the Evaluate page."""
    from edgeling.core.compress.compare import comparison, table_rows

    rows = table_rows(comparison({"accuracy": 0.9, "macro_f1": 0.95}, {"accuracy": 0.88, "macro_f1": 0.925}))
    assert ("balanced over classes (macro F1)", "95.0%", "92.5%", "-2.5 points") in rows


def test_a_float_file_of_a_run_made_int8_after_training_is_refused_with_what_to_export(env, tmp_path, capsys):
    """The small-screen walk: a float export of run-001-ptq wrote run-001's own model under run-001-ptq's name."""
    import shutil

    _, run = env
    source = tmp_path / "run-001"
    shutil.copytree(run, source)
    out = tmp_path / "run-001-ptq"
    assert _cli(["compress", str(source), "--quantize", "ptq", "--out", str(out)], capsys)[0] == 0
    for fmt, suffix in (("onnx", ".onnx"), ("tflite", ".tflite")):
        code, _, stderr = _cli(["export", str(out), "--format", fmt, "--out", str(tmp_path / f"m{suffix}")], capsys)
        assert code == 2 and not (tmp_path / f"m{suffix}").exists()
        kind = {"onnx": "an ONNX", "tflite": "a TFLite"}[fmt]
        assert (f"run-001-ptq is run-001 made int8 after training, which changes no weight: {kind} float file of "
                f"it would be run-001's own model. For a float file export run-001; for this run's int8 model "
                "choose tflite-int8, onnx-int8 or c-header.") in stderr
    code, _, stderr = _cli(["export", str(out), "--format", "tflite-int8", "--out", str(tmp_path / "m8.tflite")],
                           capsys)
    assert code == 0, stderr


def test_a_compression_that_costs_accuracy_says_how_to_keep_more():
    """The regression walk: half the channels and int8 took accuracy from 86.7% to 75.6%, said by the table only."""
    from edgeling.core.compress.notes import accuracy_loss_note

    table = {"before": {"accuracy": 0.867}, "after": {"accuracy": 0.756}, "change": {"accuracy": -0.111}}
    passes = [{"pass": "prune", "method": "structured", "fraction": 0.5, "fine_tune_epochs": 5}, {"pass": "ptq"}]
    assert accuracy_loss_note(table, passes) == (
        "The compressed model is 11.1 points less accurate on the test samples (86.7% before, 75.6% after). To "
        "keep more: prune less (--prune 0.3 --structured); or fine-tune longer (--fine-tune-epochs 10); or "
        "re-train with int8 (--quantize qat).")
    in_app = accuracy_loss_note(table, passes, "app")
    assert "Prune away 30%" in in_app and "fine-tune" not in in_app      # the app has no fine-tuning setting
    small = {**table, "change": {"accuracy": -0.02}}
    assert accuracy_loss_note(small, passes) is None and accuracy_loss_note({}, passes) is None


def test_the_table_says_storage_for_a_device_that_keeps_its_model_on_a_card():
    from edgeling.core.compress.compare import comparison, table_rows

    column = {"accuracy": 0.9, "params": 10, "flash_bytes": 4000, "needs_ram_bytes": 900, "latency_ms": 1.0}
    pi = comparison({**column, "device": "raspberry-pi-4"}, {**column, "device": "raspberry-pi-4"})
    nano = comparison({**column, "device": DEVICE}, {**column, "device": DEVICE})
    assert "storage" in [r[0] for r in table_rows(pi)] and "flash" not in [r[0] for r in table_rows(pi)]
    assert "flash" in [r[0] for r in table_rows(nano)]


def test_sizes_on_this_computer_say_storage_in_the_middle_of_the_sentence():
    """The GUI walk: "Sizes and latency are estimates for This computer (AMD EPYC) (after: flash is ...)" beside a
    table row called "storage"."""
    from edgeling.core.compress.compare import sizes_said
    from edgeling.core.devices.catalogue import get_device

    pc = get_device("this-computer", measure=False)
    said = sizes_said({"before": {}, "after": {"device": pc.id, "device_name": pc.name, "flash_measured": True}})
    assert said == f"Sizes and latency are estimates for {pc.in_sentence} (after: storage is the int8 file's real size)"
