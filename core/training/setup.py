"""What the training job does between "open the data" and "save the run": choose the model and the
settings, apply the front end once, build tensors, wire callbacks, resume from a checkpoint."""

from __future__ import annotations

import importlib
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from edgeling.core import runs
from edgeling.core.data.dataset import TRAIN, VAL, DataError
from edgeling.core.training import callbacks as cb
from edgeling.core.training.augment import BatchAugmenter, resolve_augment
from edgeling.core.training.defaults import choose_hyperparams
from edgeling.core.training.device import pick_device, seed_everything, set_threads
from edgeling.core.training.loop import TensorData, Trainer, fit, make_loss

__all__ = ["set_threads", "open_data", "prepare", "train", "Prepared"]
HYPER_KEYS = ("epochs", "batch_size", "lr", "weight_decay", "schedule", "patience", "class_weights",
              "augment", "label_smoothing")
# Families whose training runs faster with channels_last memory on the CPU, measured with
# ``bench/train_throughput.py --families`` (1 thread, batch 64): every 4-D family gained 1.2-1.8x, and in
# float64 the gradients in both layouts agree to 1e-14 (the same math). A family added later is left in
# the default layout until it is measured.
CHANNELS_LAST_ARCHS = {"tutorial_cnn", "mobilenet_v1", "resnet8", "mobilenet_v2", "ds_cnn", "audio_cnn",
                       "conv1d"}


@dataclass
class Prepared:
    config: dict
    model: Any
    train: TensorData
    val: TensorData | None
    device: Any
    generator: torch.Generator
    augment: BatchAugmenter
    loss_fn: Any
    channels_last: bool


def open_data(cfg: dict, ctx=None):
    """The run's data; ``ctx``: the job, told how far a long import has got (``Progress("import", ...)``)."""
    from edgeling.core.data.import_progress import reporting
    from edgeling.core.data.load import ImportOptions, open_dataset

    if not cfg.get("data"):
        raise DataError("No data was given to train on. Choose a folder or a CSV file.")
    kind = (cfg.get("dataset") or {}).get("kind") or cfg.get("kind")

    def heard(done: int, total: int, what: str) -> None:
        from edgeling.core.data.import_progress import progress_words

        check_stop(ctx)                  # Stop while thousands of photos are read: ends the import there
        ctx.emit(cb_progress("import", done / max(total, 1), progress_words(done, total, what)))

    with reporting(heard if ctx is not None else None):
        return open_dataset(cfg["data"], kind=kind, options=ImportOptions(**(cfg.get("import_options") or {})))


def learnt_subjects(ds) -> list[str]:
    """The speakers (machines, ...) whose files the run learns from or validates on, when the split keeps each
    one's files together: a test on other files can then say which of its own were met in training (the speech
    walk: 36 of a new session's 40 children had been, and the files were said to be all new)."""
    from edgeling.core.data.dataset import TEST
    from edgeling.core.data.folds import SUBJECT
    from edgeling.core.data.subjects import subject_among

    splits = np.asarray(ds.splits).tolist()
    kept = {g[len(SUBJECT):] for g, s in zip(ds.groups, splits) if isinstance(g, str) and g.startswith(SUBJECT)
            and s != TEST}
    few = set((ds.meta or {}).get("few_subjects") or [])
    if not kept and few:        # too few to hold whole ones out (7 hives): files split one by one, names still said
        kept = {subject_among(src, few, ds.meta.get("subject_by_file")) for src, s in zip(ds.sources, splits)
                if s != TEST} - {None}      # (the re-walk: the new week's hive03 and hive06 were not said as met)
    return sorted(kept)


def recorded_import_options(options: dict | None) -> dict:
    """The import options a new run records in run.json: the ones given, with the split scheme always
    named ("per-class" unless told otherwise), since a run recorded without one reopens its data with the
    older "per-file" split (``runs.import_options``)."""
    from edgeling.core.data.splits import check_scheme

    options = dict(options or {})
    options["split"] = check_scheme(options.get("split"))
    return options


def zoo_module(name: str | None):
    return importlib.import_module(name or runs.DEFAULT_ZOO)


class StopRequested(Exception):
    """Stop was asked while the run was being prepared (before its first batch); ``config``: the run's
    settings when they were chosen already (run.json then records the stopped run, as after preparing)."""

    def __init__(self, config: dict | None = None):
        super().__init__("stopped before training began")
        self.config = config


def check_stop(ctx, config: dict | None = None) -> None:
    if ctx.should_stop():
        raise StopRequested(config)


def choose_arch(zoo, spec, device_id: str | None, x, train_idx: np.ndarray, ctx) -> tuple[str, dict | None, str]:
    """(arch, knobs or None, why): auto-sized for the target device (``autosize.plan``) with the real
    zoo; the smallest architecture for the kind when no device is given or another zoo is used. ``x`` and
    ``train_idx``: the samples and which of them train; the plan reads a few of them (not a copy of all:
    3,146 photos of 224 px are 470 MB) and is told how many there are."""
    if device_id and zoo.__name__ == runs.DEFAULT_ZOO:
        from edgeling.core.devices.catalogue import get_device
        from edgeling.core.models import autosize

        ctx.emit(cb_progress("prepare", 0.1, "Choosing a model size for the device"))
        plan = autosize.plan(spec, x[train_idx[:autosize.FRONTEND_SAMPLES]], get_device(device_id),
                             num_train=len(train_idx), check=lambda: check_stop(ctx))
        if plan.get("pick") is None:
            raise DataError(plan.get("explanation") or f"No model fits the device {device_id}.")
        return plan["pick"]["arch"], plan["pick"]["knobs"], str(plan.get("explanation", ""))
    arch = zoo.architectures_for(spec.kind)[0]
    return arch, None, f"{arch}: the default model for {spec.kind} data"


def prepare(ds, params: dict, saved: dict | None, ctx) -> Prepared:
    """Model, settings and tensors: from ``params`` for a new run, from ``saved`` (run.json) to resume."""
    train_idx, val_idx = ds.indices(TRAIN), ds.indices(VAL)
    if len(train_idx) == 0:
        raise DataError(f"{ds.root} has no training samples after splitting. Add more files.")
    if ds.task == "classification" and len(set(np.asarray(ds.y)[train_idx].tolist())) < 2:
        raise DataError(f"{ds.root} has only one class among the training samples; a classifier needs "
                        "at least two. Add a folder (or label) for another class.")
    fingerprint = runs.dataset_fingerprint(ds)
    if saved is not None:
        if saved.get("dataset", {}).get("fingerprint") not in (None, fingerprint):
            raise DataError(f"The files in {ds.root} changed since this run started, so it cannot be "
                            "resumed. Train into a new output folder.")
        config = dict(saved)
        zoo = zoo_module(config.get("zoo"))
        spec = zoo.InputSpec.from_dict(config["spec"])
        if params.get("epochs"):
            config["hyper"] = dict(config["hyper"], epochs=int(params["epochs"]))
    else:
        zoo = zoo_module(params.get("zoo"))
        if params.get("device") and zoo.__name__ == runs.DEFAULT_ZOO:
            from edgeling.core.devices.catalogue import get_device

            get_device(params["device"], measure=False)  # an unknown id is refused, also with --arch
        spec = zoo.InputSpec.from_dataset(ds)
        arch, knobs, why = params.get("arch"), params.get("knobs"), params.get("arch_reason") or "chosen by you"
        if not arch:
            arch, auto_knobs, why = choose_arch(zoo, spec, params.get("device"), ds.x, train_idx, ctx)
            knobs = {**(auto_knobs or {}), **(knobs or {})}
        knobs = zoo.resolve_knobs(arch, spec, knobs) if hasattr(zoo, "resolve_knobs") else \
            {**zoo.default_knobs(arch, spec), **(knobs or {})}
        ctx.emit(cb_progress("prepare", 0.3, "Computing the input normalisation"))
        frontend = zoo.fit_frontend(arch, spec, ds.x[train_idx], knobs)
        counts = np.bincount(np.asarray(ds.y)[train_idx].astype(np.int64), minlength=ds.num_classes).tolist() \
            if ds.task == "classification" else None
        hyper = choose_hyperparams(ds.kind, ds.task, len(train_idx), ds.num_classes, counts,
                                   {k: params.get(k) for k in HYPER_KEYS})
        hyper["augment"] = resolve_augment(ds.kind, hyper["augment"], ds.meta, ds.sample_shape)
        config = {
            "version": 1, "data": str(Path(params["data"]).expanduser().resolve()),
            "import_options": recorded_import_options(params.get("import_options")),
            "dataset": {"fingerprint": fingerprint, "kind": ds.kind, "task": ds.task,
                        "num_samples": ds.num_samples, "class_names": list(ds.class_names),
                        "splits": ds.split_counts(), "learnt_subjects": learnt_subjects(ds)},
            "device": params.get("device"), "arch": arch, "knobs": knobs, "arch_reason": why,
            "frontend": frontend, "spec": spec.to_dict(), "seed": int(params.get("seed") or 0),
            "hyper": hyper, "zoo": params.get("zoo") or runs.DEFAULT_ZOO,
        }
    check_stop(ctx, config)
    device = pick_device(params.get("compute"))
    gen = seed_everything(config["seed"])
    ctx.emit(cb_progress("prepare", 0.6, "Preparing the samples"))
    train = _tensors(zoo, config["frontend"], ds, train_idx, device, spec)
    check_stop(ctx, config)
    val = _tensors(zoo, config["frontend"], ds, val_idx, device, spec) if len(val_idx) else None
    model = zoo.build_model(config["arch"], spec, config["knobs"], config["frontend"]).to(device)
    config["params"] = int(sum(p.numel() for p in model.parameters()))   # the app compares networks' sizes by it
    if ds.task == "regression" and saved is None:
        _init_regression_head(model, train.y)
    hyper = config["hyper"]
    weights = None
    if ds.task == "classification" and hyper.get("class_weights"):
        counts = torch.bincount(train.y.cpu(), minlength=ds.num_classes).float()
        weights = (counts.sum() / (len(counts) * counts.clamp(min=1))).clamp(0.1, 10.0).to(device)
    loss_fn = make_loss(ds.task, weights, float(hyper.get("label_smoothing") or 0.0))
    axes = {"time": 2, "freq": 3} if config["frontend"].get("type") == "audio" else None
    # with the front end, a sensor's scaling is a gain error in the recording's units, not of standardised values
    augment = BatchAugmenter(ds.kind, hyper.get("augment") or {}, axes, frontend=config["frontend"])
    net_dims = 1 + len(zoo.network_input_shape(config["frontend"], spec)) if hasattr(zoo, "network_input_shape") \
        else train.x.dim()
    channels_last = device.type == "cpu" and config["arch"] in CHANNELS_LAST_ARCHS and net_dims == 4
    return Prepared(config, model, train, val, device, gen, augment, loss_fn, channels_last)


def cb_progress(stage: str, fraction: float, message: str):
    from edgeling.core.jobs.events import Progress

    return Progress(stage, fraction, message)


IN_MEMORY_MB = 256
"""Float network inputs up to this size are made once before training; above it the front end runs on each
batch of raw samples instead. For photos the raw samples are a quarter of their float inputs: on 6,200
photos at 96 px (480 MB of float inputs) the training peak went from 1.64 to 1.22 GB, and making the inputs
of a batch took about 4% of a MobileNet step (measured beside each other; it was 1,500 MB before)."""


def in_memory_limit() -> int:
    """Bytes of float network inputs held in memory at once (``EDGELING_TENSOR_MB``, default ``IN_MEMORY_MB``);
    above it the front end runs per batch on the raw samples instead."""
    return int(float(os.environ.get("EDGELING_TENSOR_MB") or IN_MEMORY_MB) * 2**20)


def _tensors(zoo, frontend: dict, ds, idx: np.ndarray, device, spec=None) -> TensorData:
    y = np.asarray(ds.y)[idx]
    y = torch.from_numpy(y.astype(np.int64 if ds.task == "classification" else np.float32)).to(device)
    if spec is not None and hasattr(zoo, "network_input_shape"):
        per_sample = 4 * int(np.prod(zoo.network_input_shape(frontend, spec)))
        if per_sample * len(idx) > in_memory_limit():
            raw = torch.from_numpy(np.ascontiguousarray(ds.x[idx]))

            def transform(xb: torch.Tensor) -> torch.Tensor:
                return torch.from_numpy(zoo.apply_frontend(frontend, xb.numpy())).to(device)

            return TensorData(raw, y, transform)
    x = None      # filled chunk by chunk: a list of chunks and their concatenation held both (1 GB more at
    for i in range(0, len(idx), 1024):        # the peak for 3,146 photos of 160 px)
        part = zoo.apply_frontend(frontend, ds.x[idx[i:i + 1024]])
        if x is None:
            x = np.empty((len(idx), *part.shape[1:]), dtype=np.float32)
        x[i:i + len(part)] = part
    if x is None:
        x = zoo.apply_frontend(frontend, ds.x[idx[:0]]).astype(np.float32)
    return TensorData(torch.from_numpy(x).to(device), y)


@torch.no_grad()
def _init_regression_head(model, y: torch.Tensor) -> None:
    """Start the output near the targets' mean and spread, so training need not learn the scale."""
    last = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    if last and last[-1].out_features == 1 and last[-1].bias is not None and len(y) > 1:
        last[-1].bias.fill_(float(y.float().mean()))
        last[-1].weight.mul_(max(float(y.float().std()), 1e-3))


def make_optimizer(model, hyper: dict):
    """AdamW with the fused kernel where torch has one for the model's device: one kernel for all
    parameters instead of a loop of small ones (measured interleaved on the tutorial CNN, CPU,
    channels_last: 3,245 vs 2,903 images/s, +12%). Same maths, same state dict, so resuming works either way."""
    params = list(model.parameters())
    try:
        return torch.optim.AdamW(params, lr=hyper["lr"], weight_decay=hyper["weight_decay"], fused=True)
    except (RuntimeError, TypeError, ValueError):  # no fused kernel for this device / dtype
        return torch.optim.AdamW(params, lr=hyper["lr"], weight_decay=hyper["weight_decay"])


def train(prep: Prepared, out: Path, ctx, resume: bool) -> Trainer:
    """Wire the callbacks, resume if there is a checkpoint, run ``fit``; history.json after each epoch."""
    hyper = prep.config["hyper"]
    model = prep.model
    optimizer = make_optimizer(model, hyper)
    steps = -(-len(prep.train) // hyper["batch_size"])
    trainer = Trainer(model, optimizer, hyper["epochs"], hyper["batch_size"], steps)
    early = cb.EarlyStopping(hyper.get("patience") or 0)
    gen = prep.generator

    def state_fn(epoch: int) -> dict:
        return {"model": trainer.model_state(), "optimizer": optimizer.state_dict(), "epoch": epoch + 1,
                "rng_generator": gen.get_state(), "rng_torch": torch.get_rng_state(),
                "history": list(trainer.history),
                "callbacks": {"early": early.state_dict(), "checkpoints": ckpt.state_dict()}}

    events = cb.CheckpointEvents(ctx.emit)

    def saved(path: str, epoch: int) -> None:
        # run.json says the kept epoch as soon as best.pt changes: a run killed later (an out-of-memory kill, the
        # app closed) showed the score of the epoch kept before a resume (the robustness walk: epoch 8's 95.5%
        # while best.pt held epoch 15's 96.1%)
        runs.update_config(out, best_epoch=ckpt.best_epoch if ckpt.best_epoch >= 0 else None, epochs_done=epoch + 1)
        events(path, epoch)

    ckpt = cb.Checkpoints(out / runs.LAST_CHECKPOINT, out / runs.BEST_CHECKPOINT, state_fn,
                          monitor="val_loss" if prep.val is not None else "loss", on_saved=saved)
    initial_epoch = 0
    if resume:
        state = runs.load_checkpoint(out / runs.LAST_CHECKPOINT)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        gen.set_state(state["rng_generator"])
        torch.set_rng_state(state["rng_torch"])
        trainer.history = list(state.get("history", []))
        early.load_state_dict(state.get("callbacks", {}).get("early", {}))
        ckpt.load_state_dict(state.get("callbacks", {}).get("checkpoints", {}))
        initial_epoch = int(state["epoch"])
        runs.write_history(out, trainer.history)
        ctx.log(f"Resumed after epoch {initial_epoch}.")
    callbacks = [cb.NanGuard(), early, ckpt, HistoryWriter(out), FirstBatchWriter(out),
                 cb.JobEvents(ctx.emit, ctx.should_stop), LogWriter(ctx)]
    return fit(model, prep.train, prep.val, hyper["epochs"], optimizer, callbacks, loss_fn=prep.loss_fn,
               task=prep.config["dataset"]["task"], batch_size=hyper["batch_size"], lr=hyper["lr"],
               schedule=hyper.get("schedule", "cosine"), augment=prep.augment or None, generator=gen,
               initial_epoch=initial_epoch, channels_last=prep.channels_last, trainer=trainer)


class HistoryWriter(cb.Callback):
    def __init__(self, out: Path):
        self.out = out

    def on_epoch_end(self, epoch, logs):
        runs.write_history(self.out, self.trainer.history)
        runs.update_config(self.out, epochs_done=epoch + 1)


class FirstBatchWriter(cb.Callback):
    """run.json's ``first_batch`` ({"steps", "loss", "accuracy"}): the scores after the run's first batch.
    history.json holds one average an epoch, drawn at the epoch's end, so without it a reopened run's curves
    began at epoch 1 where the live ones had begun near epoch 0 (the loss at 0.52 instead of 1.1)."""

    def __init__(self, out: Path):
        self.out = out

    def on_batch_end(self, step, logs):
        if step != 0 or self.trainer.epoch != 0:
            return
        kept = {k: float(logs[k]) for k in ("loss", "accuracy")
                if isinstance(logs.get(k), (int, float)) and math.isfinite(logs[k])}
        if kept:
            runs.update_config(self.out, first_batch={"steps": int(self.trainer.steps_per_epoch), **kept})


class LogWriter(cb.Callback):
    def __init__(self, ctx):
        self.ctx = ctx

    def on_epoch_end(self, epoch, logs):
        text = ", ".join(f"{k} {v:.4g}" for k, v in logs.items() if isinstance(v, float))
        self.ctx.log(f"epoch {epoch + 1}/{self.trainer.epochs}: {text}", emit=False)

    def on_train_end(self, logs=None):
        if self.trainer.stop_message:
            self.ctx.log(self.trainer.stop_message)
