"""The train job in a spawn child: Stop gives a clean Stopped event quickly; a SIGKILL mid-epoch is
reported in plain words, leaves a consistent run folder, and training resumes from the checkpoint."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from edgeling.core import runs
from edgeling.core.jobs import events as ev
from edgeling.core.jobs.process import start_job
from edgeling.core.jobs.train_job import TARGET, train_run
from tests.core.training_fixtures import ZOO, make_table_csv


@pytest.fixture
def table(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    return make_table_csv(tmp_path / "points.csv")


def params(table, out, **kw):
    return {"data": str(table), "out": str(out), "zoo": ZOO, "threads": 1, **kw}


def wait_for(handle, predicate, timeout=60.0):
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = handle.poll()
        seen += new
        if any(predicate(e) for e in new):
            return seen
        if handle.done:
            break
        time.sleep(0.02)
    raise AssertionError(f"event not seen; got {[type(e).__name__ for e in seen]}")


def test_stop_gives_a_clean_stopped_event_within_two_seconds(table, tmp_path):
    out = tmp_path / "run"
    h = start_job(TARGET, params(table, out, epochs=200, knobs={"step_sleep": 0.01}), out / "train.log")
    try:
        wait_for(h, lambda e: isinstance(e, ev.BatchEnd))
        t0 = time.monotonic()
        h.stop(grace_s=2)
        events = wait_for(h, ev.is_terminal, timeout=10)
        took = time.monotonic() - t0
        h.wait(timeout=10)
    finally:
        h.close()
    assert isinstance(events[-1], ev.Stopped), events[-1]
    assert took < 2.0, (took, events[-1].message)
    assert h.exitcode == 0
    assert events[-1].result["status"] == "stopped"
    assert runs.load_run(out).status == "stopped"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_mid_epoch_is_reported_and_training_resumes(table, tmp_path):
    out = tmp_path / "run"
    h = start_job(TARGET, params(table, out, epochs=4, knobs={"step_sleep": 0.03}), out / "train.log")
    try:
        seen = wait_for(h, lambda e: isinstance(e, ev.CheckpointSaved) and e.epoch == 1)
        seen += wait_for(h, lambda e: isinstance(e, ev.BatchEnd) and e.epoch == 2 and e.step >= 2)
        os.kill(h.pid, signal.SIGKILL)
        seen += h.wait(timeout=10)
    finally:
        h.close()
    failed = seen[-1]
    assert isinstance(failed, ev.Failed), failed
    assert "ended unexpectedly" in failed.message and "killed" in failed.message
    assert str(out / runs.LAST_CHECKPOINT) in failed.message
    # The folder is consistent: the config reads, the checkpoint loads, history matches it.
    run = runs.load_run(out)
    state = runs.load_checkpoint(run.last_checkpoint)
    assert state["epoch"] == 2 and len(run.history) == 2 and run.config["epochs_done"] == 2
    assert not list((out / "checkpoints").glob(".*.tmp"))
    # Training again with the same folder continues after epoch 2 (loses only the unfinished epoch).
    again = []
    result = train_run(table, out, epochs=4, on_event=again.append, zoo=ZOO, threads=1)
    assert [e.epoch for e in again if isinstance(e, ev.EpochEnd)] == [2, 3]
    assert result["status"] == "finished" and len(runs.load_run(out).history) == 4
