"""Stopping before the first epoch ends says that nothing was kept (no checkpoint exists yet) and lists no
checkpoint paths in the result (what --json prints)."""

from __future__ import annotations

from edgeling.core import runs
from edgeling.core.jobs import events as ev
from edgeling.core.jobs.train_job import train_run
from tests.core.training_fixtures import ZOO, make_table_csv


def test_stop_during_the_first_epoch_keeps_nothing_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = make_table_csv(tmp_path / "points.csv", n=240)
    seen = []
    out = tmp_path / "run"
    result = train_run(data, out, epochs=5, zoo=ZOO, threads=1, batch_size=8, on_event=seen.append,
                       should_stop=lambda: any(isinstance(e, ev.BatchEnd) for e in seen))
    assert result["status"] == "stopped" and not (out / runs.LAST_CHECKPOINT).exists()
    assert "nothing was kept" in result["message"] and "checkpoint is kept" not in result["message"]
    assert "checkpoint" not in result and "last_checkpoint" not in result
    # after a finished epoch the checkpoint is kept, and listed
    seen.clear()
    result = train_run(data, out, epochs=5, zoo=ZOO, threads=1, batch_size=8, on_event=seen.append,
                       should_stop=lambda: any(isinstance(e, ev.EpochEnd) for e in seen))
    assert result["status"] == "stopped" and result["last_checkpoint"] == str(out / runs.LAST_CHECKPOINT)
    assert "The last checkpoint is kept" in result["message"]
