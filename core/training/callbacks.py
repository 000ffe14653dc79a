"""Callbacks for ``loop.fit``: history, early stopping, checkpoints, the NaN guard, and the bridge that
turns training into job events. A callback sees the ``Trainer`` as ``self.trainer`` and stops training by
setting ``self.trainer.stop_training = True`` (checked after every batch)."""

from __future__ import annotations

import math
import time
from pathlib import Path

from edgeling.core.jobs.events import BatchEnd, CheckpointSaved, EpochEnd


class Callback:
    trainer = None

    def set_trainer(self, trainer) -> None:
        self.trainer = trainer

    def on_train_begin(self, logs: dict | None = None) -> None: ...

    def on_epoch_begin(self, epoch: int) -> None: ...

    def on_batch_end(self, step: int, logs: dict) -> None: ...

    def on_epoch_end(self, epoch: int, logs: dict) -> None: ...

    def on_train_end(self, logs: dict | None = None) -> None: ...

    def state_dict(self) -> dict:
        """What this callback needs to resume (plain values)."""
        return {}

    def load_state_dict(self, state: dict) -> None: ...


class CallbackList(Callback):
    def __init__(self, callbacks):
        self.callbacks = list(callbacks)

    def set_trainer(self, trainer) -> None:
        for c in self.callbacks:
            c.set_trainer(trainer)

    def on_train_begin(self, logs=None):
        for c in self.callbacks:
            c.on_train_begin(logs)

    def on_epoch_begin(self, epoch):
        for c in self.callbacks:
            c.on_epoch_begin(epoch)

    def on_batch_end(self, step, logs):
        for c in self.callbacks:
            c.on_batch_end(step, logs)

    def on_epoch_end(self, epoch, logs):
        for c in self.callbacks:
            c.on_epoch_end(epoch, logs)

    def on_train_end(self, logs=None):
        for c in self.callbacks:
            c.on_train_end(logs)


class NanGuard(Callback):
    """Stops when the loss is not a number, with a plain message (the last good checkpoint is kept)."""

    def on_batch_end(self, step, logs):
        loss = logs.get("batch_loss", logs.get("loss"))
        if loss is not None and not math.isfinite(loss):
            t = self.trainer
            t.stop_training = True
            t.stop_reason = "nan"
            t.stop_message = (
                f"Training stopped: the loss became {loss} (not a number) in epoch {t.epoch + 1}, step "
                f"{step + 1}. The learning rate is probably too high for this data; try a lower one "
                "(for example half), or check the data for extreme values.")


class EarlyStopping(Callback):
    """Stops after ``patience`` epochs without a lower ``monitor`` (validation loss)."""

    def __init__(self, patience: int, monitor: str = "val_loss", min_delta: float = 1e-4):
        self.patience, self.monitor, self.min_delta = int(patience), monitor, min_delta
        self.best = math.inf
        self.wait = 0

    def on_epoch_end(self, epoch, logs):
        value = logs.get(self.monitor)
        if value is None or self.patience <= 0:
            return
        if value < self.best - self.min_delta:
            self.best, self.wait = value, 0
        else:
            self.wait += 1
            if self.wait >= self.patience and epoch + 1 < getattr(self.trainer, "epochs", math.inf):
                self.trainer.stop_training = True   # not on the last epoch: training ended there anyway
                self.trainer.stop_reason = "early_stopping"
                self.trainer.stop_message = (f"Stopped early after epoch {epoch + 1}: the validation loss "
                                             f"did not improve for {self.patience} epochs.")

    def state_dict(self):
        return {"best": self.best, "wait": self.wait}

    def load_state_dict(self, state):
        self.best, self.wait = float(state.get("best", math.inf)), int(state.get("wait", 0))


class Checkpoints(Callback):
    """After every finished epoch: ``last.pt`` with everything needed to resume (``state_fn()``), and
    ``best.pt`` (model weights) when ``monitor`` improved. Both written atomically. ``runs.kept_epoch`` says
    the same epoch from a run's history afterwards."""

    def __init__(self, last_path, best_path, state_fn, monitor: str = "val_loss", on_saved=None):
        self.last_path, self.best_path = Path(last_path), Path(best_path)
        self.state_fn, self.monitor, self.on_saved = state_fn, monitor, on_saved
        self.best = math.inf
        self.best_epoch = -1

    def on_epoch_end(self, epoch, logs):
        from edgeling.core.runs import save_checkpoint

        if self.trainer.stop_reason == "nan":
            return
        value = logs.get(self.monitor, logs.get("loss"))
        if value is not None and math.isfinite(value) and value < self.best:
            self.best, self.best_epoch = float(value), epoch
            save_checkpoint(self.best_path, {"model": self.trainer.model_state(), "epoch": epoch})
        logs["best_epoch"] = self.best_epoch
        save_checkpoint(self.last_path, self.state_fn(epoch))
        if self.on_saved:
            self.on_saved(str(self.last_path), epoch)

    def state_dict(self):
        return {"best": self.best, "best_epoch": self.best_epoch}

    def load_state_dict(self, state):
        self.best = float(state.get("best", math.inf))
        self.best_epoch = int(state.get("best_epoch", -1))


class JobEvents(Callback):
    """The bridge to the job system: BatchEnd (at most ``max_per_s`` per second, plus each epoch's last
    batch) with throughput and ETA, EpochEnd, and stop requests (``should_stop`` checked every batch)."""

    def __init__(self, emit, should_stop=None, max_per_s: float = 20.0):
        self.emit, self.should_stop = emit, should_stop or (lambda: False)
        self.min_gap = 1.0 / max_per_s
        self._last_emit = 0.0
        self._epoch_t0 = 0.0
        self._samples = 0
        self._speed = None  # samples/s, smoothed over epochs

    def on_epoch_begin(self, epoch):
        self._epoch_t0 = time.perf_counter()
        self._samples = 0

    def on_batch_end(self, step, logs):
        t = self.trainer
        self._samples += int(logs.get("size", 0))
        if self.should_stop():
            t.stop_training = True
            t.stop_reason = t.stop_reason or "stop"
        now = time.perf_counter()
        last = step == t.steps_per_epoch - 1
        if now - self._last_emit < self.min_gap and not last and not t.stop_training:
            return
        self._last_emit = now
        elapsed = max(now - self._epoch_t0, 1e-9)
        speed = self._samples / elapsed
        remaining = (t.steps_per_epoch - step - 1) + (t.epochs - t.epoch - 1) * t.steps_per_epoch
        eta = remaining * t.batch_size / speed if speed > 0 and step >= 1 else None
        clean = {k: v for k, v in logs.items() if k not in ("size", "batch_loss")}
        self.emit(BatchEnd(t.epoch, step, t.steps_per_epoch, clean, float(speed), eta))

    def on_epoch_end(self, epoch, logs):
        self.emit(EpochEnd(epoch, dict(logs)))


class CheckpointEvents:
    """``on_saved`` hook of ``Checkpoints`` that emits CheckpointSaved."""

    def __init__(self, emit):
        self.emit = emit

    def __call__(self, path: str, epoch: int) -> None:
        self.emit(CheckpointSaved(path, epoch))
