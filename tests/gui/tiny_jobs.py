"""Job functions for the GUI tests, run in a spawn child by edgeling.core.jobs.process. No torch."""

from __future__ import annotations

import time

from edgeling.core.jobs.events import BatchEnd, CheckpointSaved, EpochEnd


def fake_training(params: dict, ctx) -> dict:
    """Emits what a training job emits: batches with loss/accuracy, epochs with validation scores."""
    epochs, steps, step_s = int(params.get("epochs", 3)), int(params.get("steps", 4)), params.get("step_s", 0.05)
    for epoch in range(epochs):
        for step in range(steps):
            if ctx.should_stop():
                return {"status": "stopped"}
            time.sleep(step_s)
            k = epoch * steps + step + 1
            ctx.emit(BatchEnd(epoch, step, steps, {"loss": 1.0 / k, "accuracy": 1 - 0.5 / k},
                              samples_per_s=100.0, eta_s=(epochs * steps - k) * step_s))
        ctx.emit(EpochEnd(epoch, {"loss": 1.0 / (epoch + 1), "val_loss": 1.2 / (epoch + 1),
                                  "accuracy": 0.6 + 0.1 * epoch, "val_accuracy": 0.55 + 0.1 * epoch}))
        if params.get("out"):
            ctx.emit(CheckpointSaved(f"{params['out']}/checkpoints/last.pt", epoch))
    return {"status": "finished", "metrics": {"accuracy": 0.8}, "echo_epochs": params.get("epochs")}


def failing_job(params: dict, ctx) -> dict:
    from edgeling.core.data.dataset import DataError

    raise DataError("The folder /nowhere has no images. Choose a folder with one subfolder per class.")
