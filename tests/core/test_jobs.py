"""The job machinery with torch-free demo jobs: events, Stop, failures, a child killed by SIGKILL."""

from __future__ import annotations

import pickle
import subprocess
import sys
import time

import pytest

from edgeling.core.jobs import events as ev
from edgeling.core.jobs.process import start_job
from edgeling.core.jobs.runner import run_inline

COUNT = "edgeling.core.jobs.demo.count_job"
FAIL = "edgeling.core.jobs.demo.fail_job"


def test_events_pickle_and_round_trip_through_json():
    samples = [ev.Started("j", "train", {"a": 1}), ev.BatchEnd(0, 1, 10, {"loss": 0.5}, 100.0, None),
               ev.EpochEnd(2, {"val_loss": 0.1}), ev.Progress("export", 0.5, "half"),
               ev.CheckpointSaved("/x/last.pt", 3), ev.Log("info", "hi"), ev.Finished({"p": "/x"}),
               ev.Failed("bad", "/x/train.log", "tb"), ev.Stopped("stopped", {})]
    for e in samples:
        assert pickle.loads(pickle.dumps(e)) == e
        assert ev.event_from_dict(ev.event_to_dict(e)) == e
    assert [ev.is_terminal(e) for e in samples] == [False] * 6 + [True] * 3


def test_run_inline_emits_started_batches_and_finished():
    got = []
    result = run_inline(COUNT, {"epochs": 2, "steps": 3, "step_s": 0}, on_event=got.append)
    assert result == {"status": "finished", "batches": 6}
    assert isinstance(got[0], ev.Started) and got[0].kind == "count_job"
    assert sum(isinstance(e, ev.BatchEnd) for e in got) == 6
    assert [e.epoch for e in got if isinstance(e, ev.EpochEnd)] == [0, 1]
    assert isinstance(got[-1], ev.Finished) and got[-1].result["batches"] == 6


def test_run_inline_stop_flag_gives_stopped():
    got = []
    calls = {"n": 0}

    def should_stop():
        calls["n"] += 1
        return calls["n"] > 4

    result = run_inline(COUNT, {"epochs": 5, "steps": 5, "step_s": 0}, on_event=got.append,
                        should_stop=should_stop)
    assert result["status"] == "stopped" and result["batches"] == 4
    assert isinstance(got[-1], ev.Stopped)


def test_a_stop_after_the_work_is_saved_reports_it_done():
    """Stop pressed while a compression writes its last file: the job saw no stop and finished, so the
    new run exists; calling it "stopped" left a complete run the app never recorded."""
    got = []
    result = run_inline("tests.core.test_jobs._finishes_anyway", {}, on_event=got.append, should_stop=lambda: True)
    assert result["status"] == "finished" and isinstance(got[-1], ev.Finished)


def _finishes_anyway(params, ctx):
    return {"status": "finished", "run": "runs/run-001-qat"}


def test_run_inline_failure_is_reported_then_raised(tmp_path):
    got = []
    log = tmp_path / "job.log"
    with pytest.raises(RuntimeError):
        run_inline(FAIL, {"message": "boom"}, on_event=got.append, log_path=str(log))
    failed = got[-1]
    assert isinstance(failed, ev.Failed)
    assert "boom" in failed.message and str(log) in failed.message
    assert "Traceback" in failed.details and "boom" in log.read_text()


def test_user_errors_keep_their_plain_message(tmp_path):
    got = []
    log = tmp_path / "job.log"
    with pytest.raises(Exception, match="pick a folder"):
        run_inline("tests.core.test_jobs._data_error_job", {}, on_event=got.append, log_path=str(log))
    assert got[-1].message == "Nothing to train on; pick a folder."
    assert "pick a folder" in log.read_text() and "Traceback" not in log.read_text()  # a mistake, not a crash


def _data_error_job(params, ctx):
    from edgeling.core.data.dataset import DataError

    raise DataError("Nothing to train on; pick a folder.")


def test_jobs_package_imports_neither_torch_nor_qt():
    code = ("import sys, edgeling.core.jobs.events, edgeling.core.jobs.process, edgeling.core.jobs.runner\n"
            "bad = [m for m in ('torch', 'PySide6', 'onnxruntime') if m in sys.modules]\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def _wait_done(handle, timeout=30.0):
    events = handle.wait(timeout=timeout)
    assert handle.done, f"job did not end within {timeout}s; events: {events}"
    return events


def test_child_job_streams_events_and_finishes(tmp_path):
    log = tmp_path / "logs" / "job.log"
    h = start_job(COUNT, {"epochs": 2, "steps": 2, "step_s": 0.01}, log)
    events = _wait_done(h)
    assert isinstance(events[0], ev.Started) and events[0].info["pid"] == h.pid
    assert isinstance(events[-1], ev.Finished) and events[-1].result["batches"] == 4
    assert h.exitcode == 0 and not h.is_alive()
    assert "counted 4 batches" in log.read_text()
    assert h.poll() == []  # nothing more after the end


def test_child_failure_becomes_failed_event_with_traceback(tmp_path):
    h = start_job(FAIL, {"message": "kaput"}, tmp_path / "job.log")
    events = _wait_done(h)
    assert isinstance(events[-1], ev.Failed)
    assert "kaput" in events[-1].message and "Traceback" in events[-1].details


def test_stop_gives_clean_stopped_event_quickly(tmp_path):
    h = start_job(COUNT, {"epochs": 1000, "steps": 10, "step_s": 0.01}, tmp_path / "job.log")
    while not any(isinstance(e, ev.BatchEnd) for e in h.poll()):
        time.sleep(0.02)
    t0 = time.monotonic()
    h.stop(grace_s=2)
    events = _wait_done(h, timeout=10)
    assert time.monotonic() - t0 < 2.0
    assert isinstance(events[-1], ev.Stopped) and events[-1].result["status"] == "stopped"
    assert h.exitcode == 0


def test_stop_escalates_to_terminate_when_the_job_does_not_listen(tmp_path):
    h = start_job(COUNT, {"epochs": 1, "steps": 1, "ignore_stop_sleep": True}, tmp_path / "job.log")
    while not any(isinstance(e, ev.Started) for e in h.poll()):
        time.sleep(0.02)
    t0 = time.monotonic()
    h.stop(grace_s=0.5)
    events = _wait_done(h, timeout=10)
    assert 0.4 < time.monotonic() - t0 < 3.0
    assert isinstance(events[-1], ev.Stopped) and not h.is_alive()
    assert events[-1].message.startswith("Stopped: the work was ended before it reached a point where it could "
                                         "stop by itself; no checkpoint")     # not 'the count_job process'


def test_stop_asked_twice_ends_the_job_at_once(tmp_path):
    """The scale walk: 2 s of grace ended every Stop of a slow batch; the grace is long now, and Stop pressed
    again ends the job at once."""
    h = start_job(COUNT, {"epochs": 1, "steps": 1, "ignore_stop_sleep": True}, tmp_path / "job.log")
    while not any(isinstance(e, ev.Started) for e in h.poll()):
        time.sleep(0.02)
    h.stop(grace_s=120)
    time.sleep(0.3)
    assert h.is_alive() and not any(isinstance(e, (ev.Stopped, ev.Finished, ev.Failed)) for e in h.poll())
    t0 = time.monotonic()
    h.stop(grace_s=0)
    events = _wait_done(h, timeout=10)
    assert time.monotonic() - t0 < 3.0 and isinstance(events[-1], ev.Stopped)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_child_is_reported_in_plain_words(tmp_path):
    ckpt = tmp_path / "run" / "checkpoints" / "last.pt"
    h = start_job(COUNT, {"epochs": 5, "steps": 2, "step_s": 0, "checkpoint": str(ckpt),
                          "crash_after_epoch": 1}, tmp_path / "job.log")
    events = _wait_done(h)
    failed = events[-1]
    assert isinstance(failed, ev.Failed)
    assert "ended unexpectedly" in failed.message and "killed" in failed.message
    assert str(ckpt) in failed.message and h.exitcode == -9
    assert sum(isinstance(e, ev.EpochEnd) for e in events) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_compression_is_named_in_words_and_says_its_source_is_unchanged(tmp_path):
    """The robustness walk read "The compress_job process ended unexpectedly ...; no checkpoint had been saved yet"."""
    h = start_job(COUNT, {"epochs": 5, "steps": 2, "step_s": 0, "crash_after_epoch": 0, "job_kind": "compress_job"},
                  tmp_path / "job.log")
    failed = _wait_done(h)[-1]
    assert failed.message.startswith("The compression process ended unexpectedly (killed, perhaps out of memory); "
                                     "the run it started from is unchanged.")
