"""run.json says the kept epoch (best_epoch) and the finished epochs as training goes, not only when a run ends: a
run killed later (an out-of-memory kill, the app closed) showed the score of the epoch kept before its last resume
(the robustness walk: epoch 8's 95.5% while best.pt held epoch 15's 96.1%)."""

from __future__ import annotations

import json

import pytest
import torch

from edgeling.core import runs
from edgeling.core.jobs.train_job import train_run
from edgeling.core.training import callbacks as cb
from tests.core.training_fixtures import make_table_csv


class Killed(Exception):
    pass


def test_a_run_killed_after_its_third_epoch_says_the_epoch_best_pt_holds(tmp_path, monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = make_table_csv(tmp_path / "t.csv", n=200)
    seen = []
    real = cb.CheckpointEvents.__call__

    def kill_after_third(self, path, epoch):
        real(self, path, epoch)
        seen.append(epoch)
        if epoch == 2:
            raise Killed           # the process dies here: nothing after this epoch runs
    monkeypatch.setattr(cb.CheckpointEvents, "__call__", kill_after_third)
    with pytest.raises(Killed):
        train_run(data, tmp_path / "run", arch="mlp", epochs=6, threads=1)
    config = json.loads((tmp_path / "run" / "run.json").read_text())
    assert seen == [0, 1, 2] and config["epochs_done"] == 3 and isinstance(config["best_epoch"], int)
    assert torch.load(tmp_path / "run" / runs.BEST_CHECKPOINT, weights_only=True)["epoch"] == config["best_epoch"]


def test_a_run_ended_before_its_first_epoch_is_not_said_to_have_lost_its_model(tmp_path, monkeypatch):
    """The robustness walk: evaluate on a run killed before its first epoch said its saved model 'is gone ... Train
    again, into a new run folder', though nothing was deleted and training in the same folder works."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = make_table_csv(tmp_path / "t.csv", n=200)

    def killed(self, *args, **kwargs):
        raise Killed
    monkeypatch.setattr(cb.Checkpoints, "on_epoch_end", killed)
    with pytest.raises(Killed):
        train_run(data, tmp_path / "run", arch="mlp", epochs=6, threads=1)
    with pytest.raises(runs.RunError) as said:
        runs.load_model(tmp_path / "run")
    assert str(said.value) == (f"The run in {tmp_path / 'run'} has no trained model yet: it ended before its first "
                               "epoch finished. Train it again (training into the same folder starts it over).")


def test_evaluate_and_export_say_a_run_did_not_finish(tmp_path, monkeypatch, capsys):
    """The robustness walk: a run killed at epoch 7 of 25 was evaluated and exported with no word of it."""
    import os

    from edgeling.core.cli import main
    from edgeling.core.jobs.run_lock import LOCK_FILE

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = make_table_csv(tmp_path / "t.csv", n=200)
    real = cb.CheckpointEvents.__call__

    def kill_after_second(self, path, epoch):
        real(self, path, epoch)
        if epoch == 1:
            raise Killed
    monkeypatch.setattr(cb.CheckpointEvents, "__call__", kill_after_second)
    with pytest.raises(Killed):
        train_run(data, tmp_path / "run", arch="mlp", epochs=6, threads=1)
    capsys.readouterr()
    said = ("run did not finish training: it ended after 2 of 6 epochs. These numbers are those of the model it kept "
            "so far; train it again into the same folder to carry on.")
    assert main(["evaluate", str(tmp_path / "run")]) == 0 and f"Note: {said}" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "run"), "--format", "onnx", "--out", str(tmp_path / "m.onnx")]) == 0
    assert f"Note: {said}" in capsys.readouterr().err
    (tmp_path / "run" / LOCK_FILE).write_text(str(os.getpid()))        # a training going on now
    assert runs.unfinished_words(runs.load_run(tmp_path / "run")).startswith("run is still training (process ")
