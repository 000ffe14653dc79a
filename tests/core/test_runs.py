"""Run folders: config, history, checkpoints written atomically and read back safely."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from edgeling.core import runs
from edgeling.core.data.dataset import TEST, TRAIN, VAL, Dataset


def tiny_dataset(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(6, 2)).astype(np.float32)
    return Dataset("table", "classification", x, np.array([0, 1, 0, 1, 0, 1]), ["a", "b"],
                   [f"t.csv#row={i}" for i in range(6)], [str(i) for i in range(6)],
                   np.array([TRAIN, TRAIN, TRAIN, VAL, TEST, TEST]), "t.csv")


def test_config_history_and_metrics_round_trip(tmp_path):
    runs.write_config(tmp_path, {"status": "training", "arch": "mlp", "seed": 3})
    runs.write_history(tmp_path, [{"epoch": 0, "loss": 1.0}])
    runs.update_config(tmp_path, status="finished")
    runs.write_metrics(tmp_path, {"accuracy": np.float32(0.5)})
    run = runs.load_run(tmp_path)
    assert run.status == "finished" and run.config["seed"] == 3 and run.config["created"]
    assert run.history == [{"epoch": 0, "loss": 1.0}] and run.metrics == {"accuracy": 0.5}
    assert runs.is_run(tmp_path) and not runs.is_run(tmp_path / "nope")


def test_not_a_run_and_damaged_files_are_plain_errors(tmp_path):
    with pytest.raises(runs.RunError, match="is not a training run"):
        runs.load_run(tmp_path)
    (tmp_path / "model.tflite-int8").write_bytes(b"\x1c\x00\x00\x00TFL3")  # an export with a lost ending
    with pytest.raises(runs.RunError, match="is a file, not a training run folder.*ending in .onnx or .tflite"):
        runs.load_run(tmp_path / "model.tflite-int8")
    (tmp_path / "run.json").write_text("{broken")
    with pytest.raises(runs.RunError, match="cannot be read"):
        runs.load_run(tmp_path)
    (tmp_path / "bad.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(runs.RunError, match="cannot be read"):
        runs.load_checkpoint(tmp_path / "bad.pt")
    with pytest.raises(runs.RunError, match="missing"):
        runs.load_checkpoint(tmp_path / "none.pt")


def test_a_run_json_cut_short_is_read_from_its_backup_copy(tmp_path):
    """The upgrade walk: run.json cut short made a run whose model was intact unusable ("Train again")."""
    runs.write_config(tmp_path, {"status": "training", "arch": "mlp", "seed": 3})
    runs.update_config(tmp_path, status="finished")
    text = (tmp_path / runs.RUN_FILE).read_text()
    (tmp_path / runs.RUN_FILE).write_text(text[: len(text) // 2])
    run = runs.load_run(tmp_path)
    assert run.status == "finished" and run.config["seed"] == 3
    assert runs.read_json(tmp_path / runs.RUN_FILE)["seed"] == 3          # mended from the copy on reading,
    assert (tmp_path / runs.RUN_DAMAGED).read_text() == text[: len(text) // 2]     # the damaged one kept aside
    runs.update_config(tmp_path, note="x")
    assert runs.read_json(tmp_path / runs.RUN_FILE)["note"] == "x"
    for name in (runs.RUN_FILE, runs.RUN_BACKUP):               # both spoiled: the plain message, as before
        (tmp_path / name).write_text("[1, 2")
    with pytest.raises(runs.RunError, match="run.json is damaged and cannot be read"):
        runs.load_run(tmp_path)


def test_checkpoint_round_trip_with_weights_only(tmp_path):
    model = torch.nn.Linear(3, 2)
    opt = torch.optim.AdamW(model.parameters())
    model(torch.randn(4, 3)).sum().backward()
    opt.step()
    state = {"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 2,
             "rng_generator": torch.Generator().manual_seed(1).get_state(), "history": [{"loss": 0.5}]}
    path = runs.save_checkpoint(tmp_path / "checkpoints" / "last.pt", state)
    back = runs.load_checkpoint(path)
    assert back["epoch"] == 2 and torch.equal(back["model"]["weight"], model.weight)
    assert back["optimizer"]["state"][0]["exp_avg"].shape == model.weight.shape
    assert not list((tmp_path / "checkpoints").glob(".*.tmp"))


def test_a_checkpoint_holding_code_is_refused(tmp_path):
    class Sneaky:
        def __reduce__(self):
            return (print, ("code ran",))

    torch.save({"x": Sneaky()}, tmp_path / "evil.pt")
    with pytest.raises(runs.RunError):
        runs.load_checkpoint(tmp_path / "evil.pt")


def test_dataset_fingerprint_changes_with_the_data():
    a, b = tiny_dataset(0), tiny_dataset(0)
    assert runs.dataset_fingerprint(a) == runs.dataset_fingerprint(b)
    b.y[0] = 1
    assert runs.dataset_fingerprint(a) != runs.dataset_fingerprint(b)
    assert runs.dataset_fingerprint(a) != runs.dataset_fingerprint(tiny_dataset(1))


def test_the_kept_epoch_is_the_lowest_finite_validation_loss_the_first_of_equal_ones():
    """One rule for the epoch a run keeps (run.json's best_epoch, and the app's run labels while a run trains or
    for runs recorded before); it was written three times (the callback, the training job, the Train page)."""
    from edgeling.core.runs import kept_epoch

    history = [{"epoch": 0, "val_loss": 0.9}, {"epoch": 1, "val_loss": 0.5}, {"epoch": 2, "val_loss": float("nan")},
               {"epoch": 3, "val_loss": 0.5}, {"epoch": 4, "val_loss": 0.7}]
    assert kept_epoch(history) == 1
    assert kept_epoch([{"epoch": 0, "loss": 2.0}, {"epoch": 1, "loss": 1.0}]) == 1      # no validation samples
    assert kept_epoch([]) is None and kept_epoch([{"epoch": 0, "val_loss": float("inf")}]) is None
