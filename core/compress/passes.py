"""The compression passes on an in-memory torch model: each takes a trained model (and the run's training
tensors for fine-tuning) and returns the compressed model plus a JSON-able record of what it did.

- ``magnitude_prune``: global magnitude pruning to a sparsity, masks kept while fine-tuning, then made
  permanent (``magnitude.py``).
- ``structured_prune``: removes whole channels (``structured.py``), fine-tunes, returns the channel plan
  that ``runs.load_model`` applies to a fresh model before loading the weights.
- ``qat``: BatchNorm folded, fake-quantized fine-tuning (``fakequant.py``), then the tuned weights are
  written back into the original architecture (BatchNorm set to the identity), so the run loads as usual.
- ``distill``: a fresh student learns from a teacher's soft targets plus the labels (``distill.py``).

The job (``compress_job.py``) chains them and writes the new run; int8 export is in ``int8.py``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.fx
from torch import nn

from edgeling.core.compress.errors import CompressionError
from edgeling.core.training import callbacks as cb
from edgeling.core.training.loop import TensorData, Trainer, fit, make_loss

QAT_OBSERVE_EPOCHS = 1
"""Activation ranges follow the data (EMA) for the first epoch of QAT, then stay fixed."""


@dataclass
class FineTune:
    """Everything a fine-tune needs besides the model: tensors and settings from the source run."""

    train: TensorData
    val: TensorData | None
    task: str
    epochs: int
    lr: float
    batch_size: int = 32
    weight_decay: float = 0.0
    seed: int = 0
    augment: Any = None
    channels_last: bool = False
    class_weights: torch.Tensor | None = None
    label_smoothing: float = 0.0
    ctx: Any = None
    history: list = field(default_factory=list)

    def generator(self) -> torch.Generator:
        return torch.Generator().manual_seed(int(self.seed))

    def loss(self):
        """The run's own training loss (class weights, label smoothing)."""
        return make_loss(self.task, self.class_weights, self.label_smoothing)


class BestWeights(cb.Callback):
    """Keep the weights of the epoch with the lowest validation loss (training loss without validation),
    as the training job's best checkpoint does."""

    def __init__(self, monitor: str):
        self.monitor = monitor
        self.best = float("inf")
        self.state: dict | None = None

    def on_epoch_end(self, epoch, logs):
        value = logs.get(self.monitor, logs.get("loss"))
        if value is not None and value < self.best:
            self.best = float(value)
            self.state = copy.deepcopy(self.trainer.model.state_dict())

    def restore(self, model: nn.Module) -> None:
        if self.state is not None:
            model.load_state_dict(self.state)


class KeepZeros(cb.Callback):
    """Weights that were exactly zero (magnitude pruning) stay zero while fine-tuning: the mask is applied
    again after every optimizer step."""

    def __init__(self, model: nn.Module):
        self.pairs = []
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                w = _weight_tensor(m)
                mask = w.detach() != 0
                if not bool(mask.all()):
                    self.pairs.append((w, mask))

    def on_batch_end(self, step, logs):
        with torch.no_grad():
            for w, mask in self.pairs:
                w.mul_(mask)


def _weight_tensor(m: nn.Module) -> torch.Tensor:
    """The trainable weight of a layer, also under a parametrization (QAT's weight fake quantization)."""
    if torch.nn.utils.parametrize.is_parametrized(m, "weight"):
        return m.parametrizations.weight.original
    return m.weight


class FreezeObservers(cb.Callback):
    def __init__(self, after_epochs: int):
        self.after = after_epochs

    def on_epoch_end(self, epoch, logs):
        if epoch + 1 >= self.after:
            from edgeling.core.compress.fakequant import freeze_observers

            freeze_observers(self.trainer.model)


def fine_tune(model: nn.Module, ft: FineTune, stage: str, loss_fn=None, extra_callbacks=()) -> Trainer:
    """Train ``model`` in place for ``ft.epochs`` at ``ft.lr`` (cosine), keeping the best epoch's weights.
    Sends the usual BatchEnd / EpochEnd events and honours Stop (``trainer.stop_reason == "stop"``)."""
    loss_fn = loss_fn or ft.loss()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=ft.lr, weight_decay=ft.weight_decay)
    best = BestWeights("val_loss" if ft.val is not None and len(ft.val) else "loss")
    callbacks = [cb.NanGuard(), *extra_callbacks, best]
    if ft.ctx is not None:
        callbacks.append(cb.JobEvents(ft.ctx.emit, ft.ctx.should_stop))
    trainer = fit(model, ft.train, ft.val, ft.epochs, optimizer, callbacks, loss_fn=loss_fn, task=ft.task,
                  batch_size=ft.batch_size, lr=ft.lr, schedule="cosine", augment=ft.augment or None,
                  generator=ft.generator(), channels_last=ft.channels_last)
    model.to(memory_format=torch.contiguous_format)
    if trainer.stop_reason == "nan":
        raise CompressionError(f"The {stage} fine-tuning went numerically wrong (the loss became NaN). "
                               "Try fewer epochs or a lower learning rate.")
    if trainer.stop_reason != "stop":
        best.restore(model)
    ft.history.extend({"stage": stage, **h} for h in trainer.history)
    model.eval()
    return trainer


# ------------------------------------------------------------------------------------------ pruning
def magnitude_prune(model: nn.Module, fraction: float, ft: FineTune) -> tuple[nn.Module, dict, Trainer]:
    from edgeling.core.compress.magnitude import apply_global_magnitude, make_permanent, sparsity
    from edgeling.core.compress.notes import zeros_note

    apply_global_magnitude(model, fraction)
    trainer = fine_tune(model, ft, "prune")
    make_permanent(model)
    record = {"pass": "prune", "method": "magnitude", "fraction": float(fraction),
              "sparsity": round(sparsity(model), 4), "fine_tune_epochs": trainer.completed_epochs}
    record["note"] = zeros_note([record], "file")   # why flash, RAM and latency stay: in the run's own files
    return model, record, trainer


def structured_prune(model: nn.Module, fraction: float, ft: FineTune, example: torch.Tensor,
                     previous_plan: dict | None = None) -> tuple[nn.Module, dict, dict, Trainer]:
    """-> (pruned model, record, channel plan relative to a freshly built model, trainer)."""
    from edgeling.core.compress.structured import apply_channel_plan, plan_channels, width

    model.eval()
    plan = plan_channels(model, example, fraction)
    if not plan:
        raise CompressionError("This model has no channels or units that can be removed. Use --prune "
                               "without --structured instead.")
    before = {n: width(m) for n, m in model.named_modules() if n in plan}
    apply_channel_plan(model, plan, example)
    trainer = fine_tune(model, ft, "prune")
    full_plan = compose_plans(previous_plan, plan)
    record = {"pass": "prune", "method": "structured", "fraction": float(fraction),
              "channels": {n: [before[n], len(keep)] for n, keep in plan.items()},
              "fine_tune_epochs": trainer.completed_epochs}
    return model, record, full_plan, trainer


def compose_plans(first: dict | None, second: dict) -> dict:
    """A plan on an already pruned model, expressed against the fresh model the first plan started from."""
    first = first or {}
    out = dict(first)
    for name, keep in second.items():
        out[name] = [first[name][i] for i in keep] if name in first else list(keep)
    return out


# ------------------------------------------------------------------------------------------ QAT
def qat(model: nn.Module, ft: FineTune) -> tuple[nn.Module, dict, Trainer]:
    """Fake-quantized fine-tuning; returns a model of the original architecture with the tuned weights.
    Zero weights (from magnitude pruning) stay zero."""
    from edgeling.core.compress.fakequant import ActFakeQuant, prepare_qat, strip_qat

    model.eval()
    gm = prepare_qat(model)
    trainer = fine_tune(gm, ft, "qat", extra_callbacks=[FreezeObservers(QAT_OBSERVE_EPOCHS), KeepZeros(gm)])
    points = sum(isinstance(m, ActFakeQuant) for m in gm.modules())
    tuned = unfold_into(model, strip_qat(gm))
    record = {"pass": "qat", "fine_tune_epochs": trainer.completed_epochs, "lr": ft.lr,
              "fake_quant_points": points, "weights": "int8 symmetric, per-channel (conv) or per-tensor (dense)",
              "activations": "int8 per-tensor"}
    return tuned, record, trainer


def bn_pairs(model: nn.Module) -> dict[str, str]:
    """{conv or dense layer name: BatchNorm name} for the pairs ``fakequant.fold_batchnorm`` folds."""
    from edgeling.core.compress.fakequant import batchnorm_pairs

    gm = torch.fx.symbolic_trace(copy.deepcopy(model).eval())
    return {src.target: node.target for node, src in batchnorm_pairs(gm)}


@torch.no_grad()
def unfold_into(model: nn.Module, folded: nn.Module) -> nn.Module:
    """A copy of ``model`` computing what ``folded`` (its BatchNorm-folded form) computes: each folded
    conv's weights go back into the conv, and its BatchNorm becomes the identity plus the folded bias."""
    out = copy.deepcopy(model)
    src = folded.state_dict()
    dst = out.state_dict()
    for k, v in dst.items():
        if k in src and src[k].shape == v.shape:
            v.copy_(src[k])
    mods, fmods = dict(out.named_modules()), dict(folded.named_modules())
    for conv_name, bn_name in bn_pairs(model).items():
        conv, bn, fused = mods[conv_name], mods[bn_name], fmods[conv_name]
        if not bn.affine:
            raise CompressionError(f"The layer {bn_name} has no scale and shift, so QAT cannot keep it.")
        conv.weight.copy_(fused.weight)
        if conv.bias is not None:
            conv.bias.zero_()
        bn.weight.fill_(1.0)
        bn.bias.copy_(fused.bias)
        bn.running_mean.zero_()
        bn.running_var.fill_(1.0 - bn.eps)
    return out.eval()


# ------------------------------------------------------------------------------------------ distillation
class TeacherTap:
    """A forward hook on the student: in training mode, also runs the (frozen) teacher on the same batch
    (after augmentation) and keeps its logits for the loss."""

    def __init__(self, teacher: nn.Module):
        self.teacher = teacher.eval()
        for p in self.teacher.parameters():
            p.requires_grad_(False)
        self.logits: torch.Tensor | None = None

    def __call__(self, module, inputs, output):
        if module.training:
            with torch.no_grad():
                self.logits = self.teacher(inputs[0])
        else:
            self.logits = None


def distill(student: nn.Module, teacher: nn.Module, ft: FineTune, temperature: float = 4.0,
            alpha: float = 0.7) -> tuple[nn.Module, dict, Trainer]:
    """Train ``student`` (fresh) on the teacher's soft targets plus the labels (with the run's own loss:
    class weights, label smoothing); validation loss is that loss alone, so the best epoch is chosen as
    for a student trained alone. ``alpha=0`` trains the student alone through the same code (the fair
    baseline)."""
    from edgeling.core.compress.distill import distillation_loss

    tap = TeacherTap(teacher)
    handle = student.register_forward_hook(tap)
    hard = ft.loss()

    def loss_fn(out, y):
        if tap.logits is None:
            return hard(out, y)
        return distillation_loss(out, tap.logits, y, temperature=temperature, alpha=alpha, hard_loss=hard)

    try:
        trainer = fine_tune(student, ft, "distill", loss_fn=loss_fn)
    finally:
        handle.remove()
    record = {"pass": "distill", "temperature": temperature, "alpha": alpha,
              "epochs": trainer.completed_epochs}
    return student, record, trainer


def count_params(model: nn.Module) -> int:
    return int(sum(p.numel() for p in model.parameters()))
