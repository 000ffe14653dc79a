"""The train job end to end (in-process) with a tiny model: run folder, resume, seeds, NaN guard, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from edgeling.core import runs
from edgeling.core.cli import main
from edgeling.core.jobs import events as ev
from edgeling.core.jobs.train_job import TrainingError, train_run
from edgeling.core.training.evaluate import evaluate_run
from tests.core.training_fixtures import ZOO, make_table_csv

FAST = {"zoo": ZOO, "threads": 1}


@pytest.fixture
def table(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    return make_table_csv(tmp_path / "points.csv")


def test_train_run_writes_a_complete_run_folder(table, tmp_path):
    got = []
    out = tmp_path / "run"
    result = train_run(table, out, device="nano33ble", epochs=6, on_event=got.append, **FAST)
    assert result["status"] == "finished" and result["epochs_done"] == 6
    assert [h["epoch"] for h in result["history"]] == list(range(6))      # every epoch, as history.json
    for name in ("run.json", "history.json", "metrics.json", "train.log", "checkpoints/last.pt",
                 "checkpoints/best.pt"):
        assert (out / name).is_file(), name
    run = runs.load_run(out)
    assert run.status == "finished" and run.config["arch"] == "tiny_mlp" and run.config["seed"] == 0
    assert run.config["dataset"]["fingerprint"] and run.config["frontend"]["type"] == "tiny"
    assert run.config["params"] == sum(p.numel() for p in runs.load_model(run)[0].parameters()) > 0
    assert [h["epoch"] for h in run.history] == list(range(6))
    assert run.metrics["accuracy"] > 0.9 and set(run.metrics["per_class"]) == {"high", "low", "mid"}
    kinds = [type(e).__name__ for e in got]
    assert kinds[0] == "Started" and kinds[-1] == "Finished" and kinds.count("EpochEnd") == 6
    assert kinds.count("CheckpointSaved") == 6
    batch = next(e for e in got if isinstance(e, ev.BatchEnd))
    assert batch.steps_per_epoch > 1 and batch.samples_per_s > 0 and "loss" in batch.logs
    kept = [e.text for e in got if isinstance(e, ev.Log) and "samples.npz" in e.text]   # said, as it is the
    assert len(kept) == 1 and kept[0].startswith("The run folder keeps decoded copies of ")  # user's data
    assert "if your data is private, share those, not the run folder" in kept[0]
    model, frontend, spec = runs.load_model(run)
    assert spec.class_names == ["high", "low", "mid"] and not model.training


def test_same_seed_same_metrics_and_other_seed_differs(table, tmp_path):
    a = train_run(table, tmp_path / "a", epochs=3, seed=7, **FAST)
    b = train_run(table, tmp_path / "b", epochs=3, seed=7, **FAST)
    train_run(table, tmp_path / "c", epochs=3, seed=8, **FAST)
    ha, hb, hc = (runs.load_run(tmp_path / n).history for n in "abc")
    assert ha == hb and a["metrics"] == {**b["metrics"], "latency_ms": a["metrics"]["latency_ms"]}
    assert ha != hc


def test_stop_keeps_the_checkpoint_and_rerun_resumes_to_the_same_result(table, tmp_path):
    full = train_run(table, tmp_path / "full", epochs=5, **FAST)
    epochs_seen = []

    def stop_after_two():
        return len(epochs_seen) >= 2

    got = []

    def on_event(e):
        got.append(e)
        if isinstance(e, ev.EpochEnd):
            epochs_seen.append(e.epoch)

    out = tmp_path / "resumed"
    stopped = train_run(table, out, epochs=5, on_event=on_event, should_stop=stop_after_two, **FAST)
    assert stopped["status"] == "stopped" and stopped["epochs_done"] == 2
    assert isinstance(got[-1], ev.Stopped) and "checkpoint" in got[-1].message
    assert runs.load_run(out).status == "stopped" and len(runs.load_run(out).history) == 2
    first = runs.load_run(out).config["first_batch"]
    again = []
    resumed = train_run(table, out, epochs=5, on_event=again.append, **FAST)
    assert runs.load_run(out).config["first_batch"] == first     # the curves' start survives the resume
    assert [e.epoch for e in again if isinstance(e, ev.EpochEnd)] == [2, 3, 4]
    assert resumed["status"] == "finished"
    assert runs.load_run(out).history == runs.load_run(tmp_path / "full").history
    assert resumed["metrics"]["accuracy"] == full["metrics"]["accuracy"]


def test_nan_guard_fails_with_a_plain_message_and_keeps_last_good_checkpoint(table, tmp_path):
    got = []
    out = tmp_path / "nan"
    steps_per_epoch = 12  # ~190 training rows at batch 16
    with pytest.raises(TrainingError, match="not a number"):
        train_run(table, out, epochs=5, knobs={"nan_after": steps_per_epoch * 2 + 3}, on_event=got.append, **FAST)
    assert isinstance(got[-1], ev.Failed) and "learning rate" in got[-1].message
    run = runs.load_run(out)
    assert run.status == "failed" and "not a number" in run.config["message"]
    assert runs.load_checkpoint(run.last_checkpoint)["epoch"] == 2


def test_regression_run_reports_mae_rmse_r2(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=300), rng.normal(size=300)
    price = 100 + 30 * a - 10 * b + rng.normal(scale=2, size=300)
    csv = tmp_path / "prices.csv"
    csv.write_text("a,b,price\n" + "".join(f"{x:.4f},{y:.4f},{p:.3f}\n" for x, y, p in zip(a, b, price)))
    result = train_run(csv, tmp_path / "reg", epochs=30, **FAST)
    m = runs.load_run(tmp_path / "reg").metrics
    assert m["task"] == "regression" and {"mae", "rmse", "r2", "latency_ms", "worst_samples"} <= set(m)
    assert m["r2"] > 0.8 and result["metrics"]["mae"] == m["mae"]


def test_data_too_big_for_memory_runs_the_front_end_per_batch_with_the_same_result(table, tmp_path,
                                                                                   monkeypatch):
    train_run(table, tmp_path / "in-memory", epochs=3, **FAST)
    monkeypatch.setenv("EDGELING_TENSOR_MB", "0.001")  # ~1 KB: forces the per-batch path
    train_run(table, tmp_path / "per-batch", epochs=3, **FAST)
    assert runs.load_run(tmp_path / "per-batch").history == runs.load_run(tmp_path / "in-memory").history


def test_photos_whose_float_inputs_pass_the_default_limit_are_made_per_batch(monkeypatch):
    """The scale walk's photos: their float inputs (4 bytes a value) are kept as the raw bytes (1 a value) and
    made a batch at a time once they pass ``IN_MEMORY_MB``; below it they are made once."""
    from types import SimpleNamespace

    from edgeling.core.models import zoo
    from edgeling.core.training import setup

    monkeypatch.delenv("EDGELING_TENSOR_MB", raising=False)
    spec = zoo.InputSpec("images", "classification", 2, (96, 96, 3), {"image_size": [96, 96]}, ["a", "b"])
    frontend = zoo.fit_frontend("tutorial_cnn", spec, np.zeros((8, 96, 96, 3), np.uint8), {"resolution": 96})
    per_photo = 4 * int(np.prod(zoo.network_input_shape(frontend, spec)))
    assert per_photo == 96 * 96 * 3 * 4
    n = setup.IN_MEMORY_MB * 2**20 // per_photo + 1
    x = np.zeros((n, 96, 96, 3), np.uint8)
    x[:4] = np.random.default_rng(0).integers(0, 256, (4, 96, 96, 3), dtype=np.uint8)
    ds = SimpleNamespace(x=x, y=np.zeros(n, np.int64), task="classification")
    big = setup._tensors(zoo, frontend, ds, np.arange(n), torch.device("cpu"), spec)
    assert big.transform is not None and big.x.dtype == torch.uint8
    small = setup._tensors(zoo, frontend, ds, np.arange(n - 1), torch.device("cpu"), spec)
    assert small.transform is None and small.x.dtype == torch.float32
    assert torch.equal(big.transform(big.x[:4]), small.x[:4])


def test_rerunning_a_finished_run_does_not_train_again(table, tmp_path):
    train_run(table, tmp_path / "r", epochs=2, **FAST)
    got = []
    again = train_run(table, tmp_path / "r", epochs=2, on_event=got.append, **FAST)
    assert again["already_trained"] and not any(isinstance(e, ev.EpochEnd) for e in got)


def test_resume_refuses_other_data(table, tmp_path):
    train_run(table, tmp_path / "r", epochs=1, should_stop=lambda: True, **FAST)
    other = make_table_csv(tmp_path / "other.csv", seed=3)
    with pytest.raises(TrainingError, match="already holds a run"):
        train_run(other, tmp_path / "r", epochs=2, **FAST)


def test_evaluate_and_predict_commands(table, tmp_path, capsys):
    out = tmp_path / "run"
    train_run(table, out, epochs=4, **FAST)
    metrics = evaluate_run(out)
    assert metrics["split"] == "test" and metrics["latency_ms"] > 0
    assert main(["evaluate", str(out), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    for key in ("accuracy", "macro_f1", "per_class", "confusion_matrix", "roc_auc", "worst_samples",
                "latency_ms"):
        assert key in printed
    rows = tmp_path / "new.csv"
    rows.write_text("a,b,noise\n2.0,0.0,0.3\n-1.0,1.7,0.0\n")
    assert main(["predict", str(out), str(rows), "--json"]) == 0
    preds = json.loads(capsys.readouterr().out)["predictions"]
    assert [p["label"] for p in preds] == ["low", "mid"] and preds[0]["source"].endswith("#row=2")
    # a folder: every file in it the model takes (the walks: "new_photos does not exist or is not a file")
    folder = tmp_path / "new rows"
    (folder / "more").mkdir(parents=True)
    (folder / "b.csv").write_text("a,b,noise\n-1.0,1.7,0.0\n")
    (folder / "more" / "a10.csv").write_text("a,b,noise\n2.0,0.0,0.3\n")
    (folder / "more" / "a9.csv").write_text("a,b,noise\n2.0,0.0,0.3\n")
    (folder / "notes.txt").write_text("sent by the shop")
    (folder / ".hidden.csv").write_text("a,b,noise\n2.0,0.0,0.3\n")
    assert main(["predict", str(out), str(folder), "--json"]) == 0
    preds = json.loads(capsys.readouterr().out)["predictions"]
    assert [p["source"].split("new rows/")[1] for p in preds] == ["b.csv#row=2", "more/a9.csv#row=2",
                                                                  "more/a10.csv#row=2"]
    (tmp_path / "empty").mkdir()
    assert main(["predict", str(out), str(tmp_path / "empty")]) == 2
    assert f"{tmp_path / 'empty'} is a folder with no " in capsys.readouterr().err


def test_train_command_with_the_real_zoo_prints_events_and_resumes(table, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("EDGELING_THREADS", "1")
    out = tmp_path / "cli-run"
    argv = ["train", str(table), "--device", "arduino-nano-33-ble-sense", "--arch", "mlp", "--epochs", "2",
            "--out", str(out), "--events", "jsonl"]
    assert main(argv) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["event"] == "Started" and lines[-1]["event"] == "Finished"
    assert [e["epoch"] for e in lines if e["event"] == "EpochEnd"] == [0, 1]
    assert lines[-1]["result"]["metrics"]["accuracy"] > 0.5
    assert runs.load_run(out).config["device"] == "arduino-nano-33-ble-sense"
    first_model = (out / "checkpoints" / "best.pt").read_bytes()
    argv[argv.index("2")] = "3"  # more epochs into a finished run: refused unless --more says to replace its model
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{out} is a finished run (2 epochs, test accuracy" in err and "add --more" in err
    assert "--out cli-run-3ep" in err and (out / "checkpoints" / "best.pt").read_bytes() == first_model
    assert main(argv + ["--more"]) == 0       # continues from epoch 2
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["epoch"] for e in lines if e["event"] == "EpochEnd"] == [2]


def test_the_train_summary_gives_the_range_evaluate_gives(table, tmp_path, capsys, monkeypatch):
    """The vineyard walk: train ended with a bare "test accuracy 84.4%", evaluate said 71-92%."""
    monkeypatch.setenv("EDGELING_THREADS", "1")
    out = tmp_path / "run"
    assert main(["train", str(table), "--device", "arduino-nano-33-ble-sense", "--arch", "mlp", "--epochs", "2",
                 "--out", str(out)]) == 0
    last = capsys.readouterr().err.strip().splitlines()[-1]
    lo, hi = runs.load_run(out).metrics["accuracy_range"]
    assert f"test accuracy {runs.load_run(out).metrics['accuracy']:.1%}, on new rows likely {lo:.0%} to {hi:.0%}" in last


def test_cli_errors_are_plain(tmp_path, capsys):
    assert main(["evaluate", str(tmp_path), "--json"]) == 2
    err = json.loads(capsys.readouterr().out)["error"]["message"]
    assert "is not a training run" in err


def test_train_repeats_the_import_reports_findings_and_records_them(tmp_path, capsys, monkeypatch):
    """Training directly (no 'edgeling inspect' first) showed only the settings and the epochs; the import's
    findings (a row without a target, a left-out identifier column) are now summarised on stderr, kept in
    run.json and in the --json result."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EDGELING_THREADS", "1")
    plain = make_table_csv(tmp_path / "plain.csv", n=150).read_text().splitlines()
    lines = ["ref," + plain[0]] + [f"CMD-{i}," + row for i, row in enumerate(plain[1:])]
    lines[5] = lines[5].rsplit(",", 1)[0] + ","  # this row has no label
    data = tmp_path / "commandes.csv"
    data.write_text("\n".join(lines) + "\n")
    out = tmp_path / "run"
    assert main(["train", str(data), "--device", "this-computer", "--arch", "mlp", "--epochs", "1",
                 "--target", "label", "--out", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    err = captured.err
    assert "The import found 1 warning and 1 note about the data:" in err
    assert "  - [warning] 1 row has no value in the target column 'label' and was left out" in err
    assert "  - [info] The column 'ref' was left out" in err
    assert f"Run `edgeling inspect {data} --target label` for the whole report." in err
    assert err.index("The import found") < err.index("epoch 1:")  # before training, not after
    recorded = runs.load_run(out).config["data_problems"]
    assert [p["code"] for p in recorded] == [p["code"] for p in result["data_problems"]]
    assert recorded[0]["severity"] == "warning" and recorded[0]["count"] == 1
    assert recorded[0]["title"].startswith("1 row has no value") and recorded[0]["advice"]
    assert "The import found" in (out / "train.log").read_text(encoding="utf-8")
    # what it trains and how well, in words (run.json keeps the numbers): no raw dicts, a percentage
    assert "Model: mlp (" in err and "Training: up to 1 epoch; " in err and "stopping early" not in err
    assert "{'" not in err and "samples per step, learning rate" in err
    accuracy = json.loads((out / "metrics.json").read_text())["accuracy"]
    assert f"(test accuracy {accuracy:.1%}, on new rows likely " in err
    # a wrong answer is named by the row's own reference, as the shop owner looks orders up
    metrics = json.loads((out / "metrics.json").read_text())
    worst = metrics["worst_samples"][0]
    line = int(worst["source"].split("#row=")[1])
    assert worst["row_id_column"] == "ref" and worst["row_id"] == lines[line - 1].split(",")[0]
    entries = json.loads((out / "predictions.json").read_text())["samples"]
    assert all(e["row_id"] == lines[int(e["source"].split("#row=")[1]) - 1].split(",")[0] for e in entries)
    assert "Trained in " in err
    # the same command again: nothing to train, and not 'Trained in 0 s' (the pump walk)
    assert main(["train", str(data), "--device", "this-computer", "--arch", "mlp", "--epochs", "1",
                 "--target", "label", "--out", str(out)]) == 0
    again = capsys.readouterr().err
    assert f"Already trained earlier: {out} (test accuracy {accuracy:.1%}, on new rows likely " in again and "Trained in" not in again


def test_a_long_finding_is_cut_at_a_whole_word_in_the_terminal_summary():
    from edgeling.core.jobs.train_job import first_sentence

    text = ("66 longer clip(s) were cut to their loudest 1.0 s, and the rest of each was not used because the "
            "model hears one clip length. More words follow here.")
    assert first_sentence(text, 60) == "66 longer clip(s) were cut to their loudest 1.0 s, and the…"
    assert first_sentence(text) == text.split(" More")[0]


def test_clean_data_trains_without_a_findings_summary(table, tmp_path):
    got = []
    train_run(table, tmp_path / "r", epochs=1, on_event=got.append, **FAST)
    assert not any(isinstance(e, ev.Log) and "The import found" in e.text for e in got)
    assert runs.load_run(tmp_path / "r").config["data_problems"] == []


def test_the_settings_are_said_in_words():
    from edgeling.core.jobs.train_job import settings_words

    hyper = {"epochs": 60, "patience": 12, "batch_size": 16, "lr": 0.002, "schedule": "cosine",
             "augment": {"time_shift": 0.1, "noise": 0.05, "mask_frac": 0.12}}
    assert settings_words("audio_cnn", {"width": 16, "features": "logmel", "n_mfcc": 10}, hyper, "cpu", 2) == (
        "Model: audio_cnn (width 16, log-mel features). Training: up to 60 epochs, stopping early after 12 without "
        "a better validation loss; 16 samples per step, learning rate 0.002 (cosine schedule). Each pass varies "
        "the training samples: shifted in time, with noise added. On the CPU, 2 threads.")
    assert "stopping early" not in settings_words("mlp", {}, {**hyper, "epochs": 12}, "cpu", 1)


def test_the_time_spent_training_is_recorded(table, tmp_path):
    """run.json's train_seconds: the app estimates a cross-validation of K trainings from it."""
    from edgeling.core.jobs.train_job import train_run

    out = tmp_path / "run"
    assert train_run(table, out, epochs=2, zoo=ZOO, threads=1)["status"] == "finished"
    spent = runs.load_run(out).config["train_seconds"]
    assert isinstance(spent, float) and 0 < spent < 600


def test_run_json_keeps_the_first_batch_the_live_curves_drew(table, tmp_path):
    """A reopened run's curves start near epoch 0, as the live ones did, also for a run trained in the
    terminal: history.json has one average an epoch, so run.json keeps the first batch's scores."""
    got = []
    out = tmp_path / "run"
    train_run(table, out, epochs=2, on_event=got.append, **FAST)
    first = runs.load_run(out).config["first_batch"]
    live = next(e for e in got if isinstance(e, ev.BatchEnd))
    assert live.epoch == 0 and live.step == 0
    assert first == {"steps": live.steps_per_epoch, "loss": pytest.approx(live.logs["loss"]),
                     "accuracy": pytest.approx(live.logs["accuracy"])}
    assert first["loss"] > runs.load_run(out).history[-1]["loss"]


def test_the_terminal_summary_names_the_one_file_a_warning_is_about():
    """Reviewing the change with a broken file: '1 file is empty (0 bytes) and was skipped.' said which file
    only in the whole report."""
    from edgeling.core.jobs.train_job import problems_summary

    said = problems_summary([
        {"severity": "warning", "title": "1 file is empty (0 bytes) and was skipped.", "files": ["ja/c41.wav"], "count": 1},
        {"severity": "warning", "title": "nein/x.wav is cut off.", "files": ["nein/x.wav"], "count": 1},
        {"severity": "info", "title": "Resampled 3 files.", "files": ["a.wav"], "count": 1}], "d")
    assert "  - [warning] 1 file is empty (0 bytes) and was skipped (ja/c41.wav)." in said
    assert "  - [warning] nein/x.wav is cut off." in said and "  - [info] Resampled 3 files." in said


def test_stop_while_preparing_ends_before_the_samples_are_prepared(tmp_path, monkeypatch):
    """The scale walk: Ctrl-C 45 s into the preparation of 3,942 photos took 122 s more to end: Stop was
    only looked at once every sample was prepared. It is looked at after each step now."""

    from edgeling.core.training import setup

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = make_table_csv(tmp_path / "t.csv", n=120)

    def not_after_stop(*a, **k):
        raise AssertionError("the samples were prepared after Stop was asked")

    monkeypatch.setattr(setup, "_tensors", not_after_stop)
    events = []
    result = train_run(data, tmp_path / "run", device="esp32-s3", epochs=1, should_stop=lambda: True,
                       on_event=events.append, threads=1)
    assert result["status"] == "stopped" and result["message"] == "Stopped before training began."
    said = [e.message for e in events if type(e).__name__ == "Progress"]
    assert "Choosing a model size for the device" in said and "Preparing the samples" not in said


def test_stop_while_the_photos_are_read_or_the_model_is_sized_ends_there(tmp_path, monkeypatch):
    """The regression walk: Stop 6 s into reading 1,400 big photos ended 81 s later, after the import and the
    model sizing (neither looked at Stop)."""
    from PIL import Image

    from edgeling.core.data import import_progress
    from edgeling.core.models import autosize

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(import_progress, "EVERY_S", 0.0)
    rng = np.random.default_rng(0)
    for c in ("a", "b"):
        (tmp_path / "photos" / c).mkdir(parents=True)
        for i in range(8):
            Image.fromarray(rng.integers(0, 255, (24, 24, 3), dtype=np.uint8)).save(tmp_path / "photos" / c / f"{i}.png")
    events = []
    result = train_run(tmp_path / "photos", tmp_path / "run", device="esp32-s3", epochs=1, threads=1,
                       should_stop=lambda: True, on_event=events.append)
    assert result["status"] == "stopped" and result["message"] == "Stopped before training began."
    said = [e.message for e in events if type(e).__name__ == "Progress"]
    assert not any(m.startswith("Resizing the photos") for m in said)          # the import ended there
    assert not (tmp_path / "cache" / "datasets").exists() or not any((tmp_path / "cache" / "datasets").iterdir())

    from edgeling.core.data.load import open_dataset
    from edgeling.core.devices.catalogue import get_device
    from edgeling.core.models import zoo as real_zoo

    ds = open_dataset(tmp_path / "photos")
    asked = []

    def stop_at_the_third():
        asked.append(1)
        if len(asked) == 3:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        autosize.plan(real_zoo.InputSpec.from_dataset(ds), ds.x[:8], get_device("esp32-s3"), check=stop_at_the_third,
                      use_cache=False)
    assert len(asked) == 3                                   # asked before each candidate, and stopped there


def test_the_terminal_summary_says_warnings_and_how_the_test_was_made_first():
    """The regression walk: "The file names start with who ... was recorded" (how speakers were held out of the
    test) was folded into "... and 1 more" behind notes about resampling and clipping."""
    from edgeling.core.jobs.train_job import PROBLEMS_SAID, problems_summary

    notes = [{"severity": "info", "code": f"n{i}", "title": f"Note {i}.", "files": [], "count": 0} for i in range(5)]
    speakers = {"severity": "info", "code": "grouped_by_name", "title": "The file names start with who was "
                "recorded.", "files": [], "count": 0}
    loud = {"severity": "warning", "code": "too_loud", "title": "2 recordings go beyond full scale.", "files": [],
            "count": 0}
    lines = problems_summary([*notes, speakers, loud], "d").splitlines()[1:PROBLEMS_SAID + 1]
    assert lines[0] == "  - [warning] 2 recordings go beyond full scale."
    assert lines[1] == "  - [info] The file names start with who was recorded."


def test_a_finding_s_file_names_lose_only_where_in_the_file_not_a_hash_in_their_words():
    """The pump walk: "(cavitation/pump1_rec05.csv (no x, y, z; its columns: )." cut at a '#' in the columns."""
    from edgeling.core.jobs.train_job import _with_files

    said = _with_files({"title": "1 recording lacks channels.", "severity": "warning",
                        "files": ["c/p1.csv (no x; its columns: # FW 1.2, pump 1)"]})
    assert said == \
        "1 recording lacks channels (c/p1.csv (no x; its columns: # FW 1.2, pump 1))."
    assert _with_files({"title": "A gap.", "severity": "warning", "files": ["a.csv#t=2.00-4.00", "b.csv#row=7"]}) \
        == "A gap (a.csv, b.csv)."
    # the second pump walk: a title naming its file got it again, with its details, in nested brackets
    gap = "c/p3.csv has no readings for 3.0 s at t = 5.0 s (the logger stopped or lost data)."
    assert _with_files({"title": gap, "severity": "warning",
                        "files": ["c/p3.csv (no readings for 3.0 s at t = 5.0 s; 1 window lost)"]}) == gap


def test_a_near_tie_is_said_beside_the_answer():
    """The speech GUI walk: "encore (26% sure)" for a clip of 'aide', which had 25%."""
    from edgeling.core.commands.predict import near_tie

    tie = {"top": [{"label": "encore", "confidence": 0.26}, {"label": "aide", "confidence": 0.25}]}
    assert near_tie(tie) == ", nearly tied with aide (25%)"
    assert near_tie({"top": [{"label": "oui", "confidence": 0.9}, {"label": "non", "confidence": 0.05}]}) == ""
    assert near_tie({"top": [{"label": "oui", "confidence": 1.0}]}) == ""
