"""Job functions for the GUI tests, run in a spawn child by edgeling.core.jobs.process. No torch."""

from __future__ import annotations

import time

from edgeling.core.jobs.events import BatchEnd, CheckpointSaved, EpochEnd


def fake_training(params: dict, ctx) -> dict:
    """Emits what a training job emits: batches with loss/accuracy, epochs with validation scores."""
    epochs, steps, step_s = int(params.get("epochs", 3)), int(params.get("steps", 4)), params.get("step_s", 0.05)
    if params.get("out"):   # as the real job: run.json is written before the first batch
        import json
        from pathlib import Path

        Path(params["out"], "run.json").write_text(json.dumps(
            {"status": "training", "data_problems": params.get("data_problems") or [],
             "dataset": {"kind": params.get("data_kind", "")}}), encoding="utf-8")
    for epoch in range(epochs):
        for step in range(steps):
            if ctx.should_stop():
                return {"status": "stopped"}
            time.sleep(step_s)
            k = epoch * steps + step + 1
            ctx.emit(BatchEnd(epoch, step, steps, {"loss": 1.0 / k, "accuracy": 1 - 0.5 / k},
                              samples_per_s=100.0, eta_s=(epochs * steps - k) * step_s))
        val_losses = params.get("val_losses")     # the validation loss of each epoch, when given
        val_loss = float(val_losses[epoch]) if val_losses else 1.2 / (epoch + 1)
        ctx.emit(EpochEnd(epoch, {"loss": 1.0 / (epoch + 1), "val_loss": val_loss,
                                  "accuracy": 0.6 + 0.1 * epoch, "val_accuracy": 0.55 + 0.1 * epoch}))
        if params.get("out"):
            ctx.emit(CheckpointSaved(f"{params['out']}/checkpoints/last.pt", epoch))
    if params.get("val_losses") and params.get("out"):
        # as the real job: run.json's best_epoch, the history's epoch index (counted from 0)
        import json
        from pathlib import Path

        losses = [float(v) for v in params["val_losses"][:epochs]]
        Path(params["out"], "run.json").write_text(json.dumps(
            {"status": "finished", "best_epoch": losses.index(min(losses))}), encoding="utf-8")
    result = {"status": "finished", "metrics": {"accuracy": 0.8}, "echo_epochs": params.get("epochs")}
    if params.get("metrics_split"):     # as the real job says where it measured (no test samples: "validation")
        result["metrics"]["split"] = params["metrics_split"]
    if params.get("write_metrics") and params.get("out"):   # as the real job: the evaluation's metrics.json
        import json
        from pathlib import Path

        path = Path(params["out"], "metrics.json")
        path.write_text(json.dumps(params["write_metrics"]), encoding="utf-8")
        result.update(metrics_path=str(path), metrics={"accuracy": params["write_metrics"].get("accuracy")})
    return result


def failing_job(params: dict, ctx) -> dict:
    from edgeling.core.data.dataset import DataError

    raise DataError("The folder /nowhere has no images. Choose a folder with one subfolder per class.")


TABLE = {"before": {"accuracy": 0.9, "params": 1000, "nonzero_params": 1000, "flash_bytes": 4000,
                    "ram_bytes": 2048, "latency_ms": 2.0, "precision": "float32", "arch": "tiny",
                    "device_name": "Tiny board", "quality_measured_on": "PyTorch float32"},
         "after": {"accuracy": 0.88, "params": 1000, "nonzero_params": 1000, "flash_bytes": 1000,
                   "ram_bytes": 512, "latency_ms": 0.5, "precision": "int8", "arch": "tiny",
                   "device_name": "Tiny board", "quality_measured_on": "the int8 file in LiteRT"},
         "change": {"accuracy": -0.02, "params": 0.0, "flash_bytes": -0.75, "ram_bytes": -0.75,
                    "latency_ms": -0.75}}


def fake_compress(params: dict, ctx) -> dict:
    """What the compression job does, seen from outside: progress, Stop, a new run folder with its table."""
    import json
    from pathlib import Path

    from edgeling.core.compress.compress_job import partial_folder
    from edgeling.core.jobs.events import Progress

    if params.get("write_partial"):  # as the real job: work in a hidden sibling folder first
        work = partial_folder(params["out"])
        work.mkdir(parents=True)
        (work / "model.pt").write_bytes(b"half")
    for i in range(int(params.get("steps", 3))):
        if ctx.should_stop():
            return {"status": "stopped", "message": f"Stopped. Nothing was written to {params['out']}."}
        ctx.emit(Progress("ptq", i / 3, "Writing and measuring the int8 model"))
        time.sleep(params.get("step_s", 0.05))
    out = Path(params["out"])
    out.mkdir(parents=True)
    passes = [{"pass": params.get("quantize") or "prune"}]
    if params.get("prune") and not params.get("quantize"):  # as the real job's record
        passes = [{"pass": "prune", "method": "structured" if params.get("structured") else "magnitude",
                   "fraction": params["prune"]}]
    if params.get("distill_from"):  # as the real job: the same student trained alone, to compare
        passes = [{"pass": "distill", "compared": {
            "distilled": {"val_accuracy": 0.9, "val_loss": 0.3, "test_accuracy": 0.88},
            "alone": {"val_accuracy": 0.85, "val_loss": 0.4, "test_accuracy": 0.86},
            "kept": params.get("kept", "distilled"), "test_gain_points": 2.0}}]
    report = {"source_run": params["run"], "passes": passes, "table": TABLE}
    (out / "compression.json").write_text(json.dumps(report), encoding="utf-8")
    (out / "run.json").write_text(json.dumps({"status": "finished"}), encoding="utf-8")
    return {"status": "finished", "run": str(out), "source_run": params["run"], "passes": report["passes"],
            "table": TABLE, "metrics": {"accuracy": 0.88}, "echo": params}


def crashing_import(params: dict, ctx) -> dict:
    """An import whose child dies as an out-of-memory kill would end it: one step said, then gone."""
    import os
    import signal

    from edgeling.core.jobs.events import Progress

    ctx.emit(Progress("import", 0.1, "reading the photos", 10, 100))
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
    return {}
