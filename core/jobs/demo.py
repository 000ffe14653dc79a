"""Tiny jobs without torch, for tests of the job machinery (here and in the GUI's tests).

``count_job`` pretends to train: ``params["epochs"]`` x ``params["steps"]`` batches of
``params["step_s"]`` seconds each, checking the stop flag every batch; ``crash_after_epoch`` makes it kill its own process with SIGKILL
(as the out-of-memory killer would). ``fail_job`` raises.
"""

from __future__ import annotations

import os
import signal
import time

from edgeling.core.jobs.context import JobContext
from edgeling.core.jobs.events import BatchEnd, CheckpointSaved, EpochEnd


def count_job(params: dict, ctx: JobContext) -> dict:
    epochs, steps, step_s = int(params.get("epochs", 2)), int(params.get("steps", 5)), params.get("step_s", 0.01)
    done = 0
    for epoch in range(epochs):
        for step in range(steps):
            # a job told to ignore Stop never looks at the flag (else a Stop that arrives before its first
            # step would be obeyed, and the escalation test would race)
            if not params.get("ignore_stop_sleep") and ctx.should_stop():
                return {"status": "stopped", "batches": done}
            if not params.get("ignore_stop_sleep"):
                time.sleep(step_s)
            else:  # a job stuck in a long step (tests the terminate / kill escalation)
                time.sleep(3600)
            done += 1
            ctx.emit(BatchEnd(epoch, step, steps, {"loss": 1.0 / done}, samples_per_s=10.0,
                              eta_s=(epochs * steps - done) * step_s))
        ctx.emit(EpochEnd(epoch, {"loss": 1.0 / done}))
        if params.get("checkpoint"):
            ctx.emit(CheckpointSaved(str(params["checkpoint"]), epoch))
        if params.get("crash_after_epoch") == epoch:
            os.kill(os.getpid(), signal.SIGKILL)
    ctx.log(f"counted {done} batches")
    return {"status": "finished", "batches": done}


def fail_job(params: dict, ctx: JobContext) -> dict:
    raise RuntimeError(params.get("message", "deliberate failure"))
