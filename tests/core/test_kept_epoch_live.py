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
