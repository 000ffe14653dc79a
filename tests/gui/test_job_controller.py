"""The job controller drives a real spawn child from a QTimer: events, Stop, a killed child, failures."""

from __future__ import annotations

import os
import signal

from edgeling.gui.jobs import JobController

FAKE = "tests.gui.tiny_jobs.fake_training"


def test_events_arrive_and_finish(qtbot, tmp_path):
    c = JobController()
    seen = []
    c.sig_event.connect(lambda ev: seen.append(type(ev).__name__))
    with qtbot.waitSignal(c.sig_finished, timeout=60000) as blocker:
        assert c.start(FAKE, {"epochs": 2, "steps": 2, "step_s": 0.01}, str(tmp_path / "job.log"))
        assert c.running
    assert blocker.args[0]["echo_epochs"] == 2
    assert seen[0] == "Started" and seen[-1] == "Finished"
    assert seen.count("BatchEnd") == 4 and seen.count("EpochEnd") == 2
    assert not c.running


def test_stop_mid_way_gives_stopped(qtbot, tmp_path):
    c = JobController()
    batches = []
    c.sig_event.connect(lambda ev: batches.append(ev) if type(ev).__name__ == "BatchEnd" else None)
    c.start(FAKE, {"epochs": 50, "steps": 10, "step_s": 0.05}, str(tmp_path / "job.log"))
    qtbot.waitUntil(lambda: len(batches) >= 2, timeout=60000)
    with qtbot.waitSignal(c.sig_stopped, timeout=10000) as blocker:
        c.stop()
    assert "Stopped" in blocker.args[0]
    assert len(batches) < 500 and not c.running


def test_killed_child_reports_plainly(qtbot, tmp_path):
    c = JobController()
    batches = []
    c.sig_event.connect(lambda ev: batches.append(ev) if type(ev).__name__ == "BatchEnd" else None)
    c.start(FAKE, {"epochs": 50, "steps": 10, "step_s": 0.05, "out": str(tmp_path)}, str(tmp_path / "j.log"))
    qtbot.waitUntil(lambda: len(batches) >= 1, timeout=60000)
    with qtbot.waitSignal(c.sig_failed, timeout=10000) as blocker:
        os.kill(c.handle.pid, signal.SIGKILL)
    message = blocker.args[0]
    assert "ended unexpectedly" in message and "killed" in message
    assert not c.running


def test_job_error_is_the_plain_message(qtbot, tmp_path):
    c = JobController()
    with qtbot.waitSignal(c.sig_failed, timeout=60000) as blocker:
        c.start("tests.gui.tiny_jobs.failing_job", {}, str(tmp_path / "job.log"))
    message, details, _log = blocker.args
    assert message.startswith("The folder /nowhere has no images") and details == ""   # the user's to fix: no traceback


def test_a_job_that_cannot_start_is_a_message_not_an_exception(qtbot):
    def refuse(*_a):
        raise OSError("no more processes")

    c = JobController(start_fn=refuse)
    with qtbot.waitSignal(c.sig_failed, timeout=1000) as blocker:
        assert not c.start(FAKE, {}, None)
    assert "could not start" in blocker.args[0] and not c.running


def test_stop_waits_for_a_slow_batch_and_stop_again_ends_it_at_once(qtbot, tmp_path):
    """The scale walk: a batch of big photos took 6 s, and Stop ended the job after 2 s with the work lost."""
    from edgeling.gui.jobs import STOP_GRACE_S, press_stop

    assert STOP_GRACE_S >= 60
    c = JobController()
    batches = []
    c.sig_event.connect(lambda ev: batches.append(ev) if type(ev).__name__ == "BatchEnd" else None)
    c.start(FAKE, {"epochs": 5, "steps": 2, "step_s": 3.0}, str(tmp_path / "job.log"))   # 3 s batches
    qtbot.waitUntil(lambda: len(batches) >= 1, timeout=60000)
    said = press_stop(c)
    assert said.startswith("Stopping as soon as it can") and "press Stop again" in said
    with qtbot.waitSignal(c.sig_stopped, timeout=20000) as blocker:
        pass
    assert "ended before it reached" not in blocker.args[0]     # it stopped by itself, after its batch
    c.start(FAKE, {"epochs": 5, "steps": 2, "step_s": 30.0}, str(tmp_path / "job2.log"))
    qtbot.waitUntil(lambda: c.handle is not None and bool(c.handle.pid), timeout=60000)
    qtbot.wait(1500)
    press_stop(c)
    with qtbot.waitSignal(c.sig_stopped, timeout=15000) as blocker:
        assert press_stop(c) == "Ending it now…"
    assert "ended before it reached a point where it could stop by itself" in blocker.args[0]
