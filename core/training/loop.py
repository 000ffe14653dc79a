"""The training loop: short and Keras-like. Batches come from in-memory tensors by indexing (no
per-sample DataLoader), augmentation runs on whole batches, callbacks see plain dicts, and
``trainer.stop_training`` is checked after every batch."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from edgeling.core.training.callbacks import Callback, CallbackList
from edgeling.core.training.device import keep_freed_memory
from edgeling.core.training.fastpath import channels_last_is_safe, pool_before_activation
from edgeling.core.training.schedule import lr_at, set_lr


@dataclass
class TensorData:
    """Network inputs and targets, already on the training device. With ``transform`` (for data too big
    to hold as float network inputs), ``x`` holds raw samples and each batch is transformed on the fly."""

    x: torch.Tensor
    y: torch.Tensor
    transform: Callable[[torch.Tensor], torch.Tensor] | None = None

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def inputs(self, index) -> torch.Tensor:
        """The network inputs of ``index`` (a slice or an index tensor)."""
        xb = self.x[index]
        return self.transform(xb) if self.transform is not None else xb


class Trainer:
    """The state callbacks see while ``fit`` runs."""

    def __init__(self, model, optimizer, epochs: int, batch_size: int, steps_per_epoch: int):
        self.model, self.optimizer = model, optimizer
        self.epochs, self.batch_size, self.steps_per_epoch = epochs, batch_size, steps_per_epoch
        self.epoch = 0
        self.global_step = 0
        self.stop_training = False
        self.stop_reason: str | None = None   # "stop", "nan", "early_stopping"
        self.stop_message: str | None = None
        self.history: list[dict] = []
        self.completed_epochs = 0

    def model_state(self) -> dict:
        """The model's weights in the default (contiguous) layout, on the CPU."""
        return {k: v.detach().to("cpu").contiguous() for k, v in self.model.state_dict().items()}


def make_loss(task: str, class_weights: torch.Tensor | None = None, label_smoothing: float = 0.0):
    if task == "regression":
        mse = torch.nn.MSELoss()
        return lambda out, y: mse(out.reshape(-1), y.reshape(-1))
    return torch.nn.CrossEntropyLoss(weight=class_weights, label_smoothing=label_smoothing)


def to_layout(x: torch.Tensor, channels_last: bool) -> torch.Tensor:
    return x.contiguous(memory_format=torch.channels_last) if channels_last and x.dim() == 4 else x


@torch.no_grad()
def evaluate_loss(model, data: TensorData, loss_fn, task: str, batch_size: int = 512,
                  channels_last: bool = False) -> dict:
    """Mean loss (and accuracy for classification) of ``model`` on ``data``, in eval mode."""
    was_training = model.training
    model.eval()
    total, loss_sum, correct = 0, 0.0, 0
    for i in range(0, len(data), batch_size):
        xb = to_layout(data.inputs(slice(i, i + batch_size)), channels_last)
        yb = data.y[i:i + batch_size]
        out = model(xb)
        n = int(yb.shape[0])
        loss_sum += float(loss_fn(out, yb)) * n
        if task == "classification":
            correct += int((out.argmax(1) == yb).sum())
        total += n
    model.train(was_training)
    if total == 0:
        return {}
    logs = {"loss": loss_sum / total}
    if task == "classification":
        logs["accuracy"] = correct / total
    return logs


@torch.enable_grad()
def fit(model, train_data: TensorData, val_data: TensorData | None, epochs: int, optimizer,
        callbacks: list[Callback] | tuple = (), *, loss_fn, task: str = "classification",
        batch_size: int = 32, lr: float = 1e-3, schedule: str = "cosine", augment=None,
        generator: torch.Generator | None = None, initial_epoch: int = 0, channels_last: bool = False,
        trainer: Trainer | None = None, reorder_pools: bool = True) -> Trainer:
    """Train ``model`` for ``epochs`` (starting at ``initial_epoch`` when resuming). Returns the Trainer
    (``history``, ``stop_reason``, ``stop_message``). ``reorder_pools`` applies the exact max-pool /
    activation reordering of ``fastpath`` while training (off only to compare). The process keeps freed
    memory for the next batch (``device.keep_freed_memory``)."""
    keep_freed_memory()
    with pool_before_activation(model) if reorder_pools else contextlib.nullcontext():
        return _fit(model, train_data, val_data, epochs, optimizer, callbacks, loss_fn=loss_fn, task=task,
                    batch_size=batch_size, lr=lr, schedule=schedule, augment=augment, generator=generator,
                    initial_epoch=initial_epoch, channels_last=channels_last, trainer=trainer)


def _fit(model, train_data: TensorData, val_data: TensorData | None, epochs: int, optimizer,
         callbacks, *, loss_fn, task: str, batch_size: int, lr: float, schedule: str, augment,
         generator: torch.Generator | None, initial_epoch: int, channels_last: bool,
         trainer: Trainer | None) -> Trainer:
    n = len(train_data)
    if n == 0:
        raise ValueError("no training samples")
    steps_per_epoch = math.ceil(n / batch_size)
    t = trainer or Trainer(model, optimizer, epochs, batch_size, steps_per_epoch)
    t.epochs, t.steps_per_epoch, t.batch_size = epochs, steps_per_epoch, batch_size
    t.global_step = initial_epoch * steps_per_epoch
    t.completed_epochs = initial_epoch
    total_steps = epochs * steps_per_epoch
    gen = generator or torch.Generator().manual_seed(0)
    cbs = CallbackList(callbacks)
    cbs.set_trainer(t)
    classify = task == "classification"
    channels_last = channels_last and channels_last_is_safe(model)
    if channels_last:
        model.to(memory_format=torch.channels_last)
    model.train()
    cbs.on_train_begin({})
    for epoch in range(initial_epoch, epochs):
        t.epoch = epoch
        cbs.on_epoch_begin(epoch)
        perm = torch.randperm(n, generator=gen).to(train_data.x.device)
        seen, loss_sum, correct = 0, 0.0, 0
        for step in range(steps_per_epoch):
            idx = perm[step * batch_size:(step + 1) * batch_size]
            xb, yb = train_data.inputs(idx), train_data.y[idx]
            if augment:
                xb = augment(xb, gen)
            xb = to_layout(xb, channels_last)
            current_lr = lr_at(t.global_step, total_steps, lr, schedule)
            set_lr(optimizer, current_lr)
            out = model(xb)
            loss = loss_fn(out, yb)
            batch_loss = float(loss.detach())
            bs = int(yb.shape[0])
            if math.isfinite(batch_loss):
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
            t.global_step += 1
            seen += bs
            loss_sum += batch_loss * bs
            logs = {"loss": loss_sum / seen, "batch_loss": batch_loss, "lr": current_lr, "size": bs}
            if classify:
                correct += int((out.detach().argmax(1) == yb).sum())
                logs["accuracy"] = correct / seen
            cbs.on_batch_end(step, logs)
            if t.stop_training:
                break
        if t.stop_training and t.stop_reason in ("stop", "nan"):
            break  # an unfinished epoch: no epoch-end, the last checkpoint stays the resume point
        logs = {"loss": loss_sum / max(seen, 1), "lr": current_lr}
        if classify:
            logs["accuracy"] = correct / max(seen, 1)
        if val_data is not None and len(val_data):
            for k, v in evaluate_loss(model, val_data, loss_fn, task, channels_last=channels_last).items():
                logs["val_" + k] = v
        t.history.append({"epoch": epoch, **logs})
        t.completed_epochs = epoch + 1
        cbs.on_epoch_end(epoch, logs)
        if t.stop_training:
            break
    cbs.on_train_end({"stop_reason": t.stop_reason})
    return t
