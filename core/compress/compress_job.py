"""The compression job: a trained run -> a NEW run folder holding the compressed model, with a before/after
table (``compression.json``). The source run is only read. Runs in a child process (GUI, via
``start_job(TARGET, params)``) or in-process (CLI, tests, ``compress_run``); sends the usual events and
honours Stop (nothing is written then).

Passes chain in this order: distillation -> pruning -> QAT / PTQ. params (all JSON-able):
    run             the source run folder
    out             the new run folder (must not exist yet, or be empty)
    quantize        None, "ptq" or "qat" (both write ``model-int8.tflite`` into the new run)
    prune           fraction of weights (magnitude) or of channels (``structured``) to remove, 0 < f < 1
    structured      True: remove whole channels (MACs, flash and RAM drop)
    distill_from    a trained teacher run (same classes): train a fresh, smaller student on its soft targets
                    (``distill_step.py``; compare_alone=False skips training the same student alone to compare)
    arch, knobs     the student (default: the largest zoo model that fits the device with at most half
                    the teacher's parameters)
    epochs          distillation epochs (default: the source run's); fine_tune_epochs for prune / QAT
                    (default: a quarter of the run's epochs, at most 5; half of them, at least 5, after
                    structured pruning)
    temperature, alpha   distillation settings (alpha=0 trains the student alone, as a baseline)
    threads         torch threads
The work happens in a hidden sibling folder that is renamed to ``out`` at the end.
"""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path

import numpy as np

from edgeling.core import run_samples, runs
from edgeling.core.compress.compress_checks import check_params, fine_tune_epochs
from edgeling.core.compress.errors import CompressionError
from edgeling.core.data.dataset import DataError
from edgeling.core.jobs.context import JobContext
from edgeling.core.jobs.events import Progress

TARGET = "edgeling.core.compress.compress_job.compress_job"
COMPRESSION_FILE = "compression.json"
LOG_FILE = "compress.log"
CALIBRATION_SAMPLES = run_samples.CALIBRATION_SAMPLES
QAT_LR_FACTOR = 0.1
PRUNE_LR_FACTOR = 0.3
STOPPED = "Stopped. Nothing was written to {out}; the run {run} is unchanged."


def compress_run(run, out, *, quantize: str | None = None, prune: float | None = None,
                 structured: bool = False, distill_from=None, on_event=None, should_stop=None,
                 **params) -> dict:
    """Compress in this process (see the module docstring for ``params``); returns the job's result."""
    from edgeling.core.jobs.runner import run_inline

    p = {"run": str(run), "out": str(out), "quantize": quantize, "prune": prune, "structured": structured,
         "distill_from": str(distill_from) if distill_from else None, **params}
    return run_inline(TARGET, p, on_event=on_event, should_stop=should_stop)


def partial_folder(out) -> Path:
    """The hidden sibling folder a compression works in before it becomes ``out``."""
    out = Path(out).expanduser()
    return out.parent / f".{out.name}.partial"


def discard_partial(out) -> bool:
    """Remove what a compression that was killed (window closed, crash) left half-written; True if there
    was something. The finished run at ``out`` is never touched."""
    work = partial_folder(out)
    if not work.is_dir():
        return False
    shutil.rmtree(work, ignore_errors=True)
    return True


def compress_job(params: dict, ctx: JobContext) -> dict:
    from edgeling.core.training.device import set_threads

    set_threads(params.get("threads"))
    p = check_params(params)
    out = Path(p["out"]).expanduser()
    work = partial_folder(out)
    discard_partial(out)  # what an earlier, killed compression into the same folder left
    work.mkdir(parents=True)
    ctx.log_path = str(work / LOG_FILE)
    try:
        result = _compress(p, work, ctx)
    except BaseException:
        ctx.log_path = None
        discard_partial(out)
        raise
    if result.get("status") == "stopped":
        ctx.log_path = None
        discard_partial(out)
        return result
    if out.exists():
        out.rmdir()  # checked empty above
    os.replace(work, out)
    ctx.log_path = str(out / LOG_FILE)
    result["run"] = str(out)
    return result


def _open_data(source: runs.Run, p: dict):
    """The source run's data; for a compression that only quantizes, its saved samples stand in when the
    data is gone or changed (``run_samples.py``). Pruning, quantization-aware training and distillation
    train on every training sample, so they need the data itself."""
    from edgeling.core.training.evaluate import open_run_dataset

    trains = bool(p.get("prune") or p.get("distill_from") or p.get("quantize") == "qat")
    try:
        return open_run_dataset(source, p.get("data"), whole=trains)
    except DataError as e:
        if trains and run_samples.has_run_samples(source.path):
            raise DataError(f"{e} (Quantizing to int8 alone, with post-training quantization, works without "
                            "the data: it uses the samples saved with the run.)", e.files) from None
        raise


def _keep_samples(source: runs.Run, ds, work: Path) -> None:
    """The new run gets the source run's saved samples (same data, same split), or saves its own."""
    saved = source.path / run_samples.SAMPLES_FILE
    if saved.is_file():
        try:        # one file on disk for both runs (3,000 photos at 160 px save 32 MB); it is never edited
            os.link(saved, work / run_samples.SAMPLES_FILE)   # in place, only replaced (temp file + rename)
        except OSError:
            shutil.copyfile(saved, work / run_samples.SAMPLES_FILE)
    elif not (ds.meta or {}).get(run_samples.SAVED_SPLIT_NOTE):
        run_samples.save_run_samples(work, ds)


def _stopped(p: dict) -> dict:
    return {"status": "stopped", "message": STOPPED.format(out=p["out"], run=p["run"])}


def _compress(p: dict, work: Path, ctx: JobContext) -> dict:
    import torch

    from edgeling.core.compress import passes
    from edgeling.core.compress.compare import comparison, model_column, quality_from_outputs
    from edgeling.core.data.dataset import TEST, TRAIN, VAL
    from edgeling.core.export.exporter import exported_module, reference_outputs
    from edgeling.core.models.autosize import export_metadata_bytes, input_buffer

    source = runs.load_run(p["run"])
    cfg = copy.deepcopy(source.config)
    if p.get("seed") is not None:
        cfg["seed"] = int(p["seed"])
    from edgeling.core.training.device import seed_everything

    seed_everything(int(cfg.get("seed") or 0))  # dropout in the fine-tunes: same seed, same result
    ctx.emit(Progress("prepare", 0.0, "Opening the data"))
    ds = _open_data(source, p)
    cfg["data"] = str(Path(ds.root).expanduser().resolve())  # the new run records where the data is now
    zoo = runs.zoo_module(source)
    model, frontend, spec = runs.load_model(source)
    task, class_names = ds.task, list(ds.class_names)
    device = _device(cfg.get("device"))
    test = ds.indices(TEST) if len(ds.indices(TEST)) else ds.indices(VAL)
    if len(test) == 0:
        raise CompressionError(f"{ds.root} has no test or validation samples to measure the compressed "
                               "model on. Add more files.")
    y_test = np.asarray(ds.y)[test]

    def column(m, fr, precision, quality, arch, measured_on):
        shape = zoo.network_input_shape(fr, spec)
        meta = export_metadata_bytes(spec, fr, shape, precision) if hasattr(spec, "class_names") else None
        buffer = input_buffer(device, fr, spec) if hasattr(spec, "meta") else None
        return model_column(m, shape, device, precision, quality, arch, measured_on, meta,
                            buffer[0] if buffer else 0)

    x_test = zoo.apply_frontend(frontend, ds.x[test])
    q_before = quality_from_outputs(task, y_test, reference_outputs(exported_module(model, task), x_test),
                                    class_names)
    before = column(model, frontend, "float32", q_before, cfg.get("arch"), "PyTorch float32")
    from edgeling.core.compress.int8 import int8_file_outputs

    source_int8 = int8_file_outputs(source, x_test)
    kept_int8 = False
    if source_int8 is not None:   # an int8 run: compared as the int8 model it is, and the result stays int8
        q_before = quality_from_outputs(task, y_test, source_int8[0], class_names)
        before = column(model, frontend, "int8", q_before, cfg.get("arch"), "the int8 file in LiteRT")
        if not p.get("quantize"):
            p = dict(p, quantize="ptq")
            kept_int8 = True
    records: list[dict] = []
    history: list[dict] = []
    plan = cfg.get("channel_plan")
    hyper = cfg.get("hyper") or {}
    ft_epochs = fine_tune_epochs(int(hyper.get("epochs", 8)), False, p.get("fine_tune_epochs"))
    prune_epochs = fine_tune_epochs(int(hyper.get("epochs", 8)), bool(p.get("structured")),
                                    p.get("fine_tune_epochs"))

    def fine_tune_data(fr, epochs, lr, arch):
        return _fine_tune_data(ds, zoo, fr, cfg, epochs, lr, arch, ctx, history)

    if p.get("distill_from"):
        from edgeling.core.compress.distill_step import distill_student

        ctx.emit(Progress("distill", 0.0, "Training the student on the teacher's answers"))
        got = distill_student(p, cfg, ds, zoo, spec, device, fine_tune_data, ctx, test, y_test)
        if got is None:
            return _stopped(p)
        model, frontend, record, epochs, trainer = got
        records.append(record)
        plan = None
        cfg.update(arch=record["student_arch"], knobs=record["student_knobs"], frontend=frontend,
                   arch_reason=record["why"], seed=int(cfg.get("seed") or 0), hyper=dict(hyper, epochs=epochs),
                   epochs_done=trainer.completed_epochs)
        cfg.pop("best_epoch", None)
    if p.get("prune"):
        ctx.emit(Progress("prune", 0.0, "Pruning, then fine-tuning"))
        ft = fine_tune_data(frontend, prune_epochs, PRUNE_LR_FACTOR * float(hyper.get("lr", 1e-3)), cfg["arch"])
        if p.get("structured"):
            example = torch.zeros(1, *zoo.network_input_shape(frontend, spec))
            model, record, plan, trainer = passes.structured_prune(model, p["prune"], ft, example, plan)
        else:
            model, record, trainer = passes.magnitude_prune(model, p["prune"], ft)
        if trainer.stop_reason == "stop":
            return _stopped(p)
        records.append(record)
    if p.get("quantize") == "qat":
        ctx.emit(Progress("qat", 0.0, "Fine-tuning with int8 rounding (QAT)"))
        ft = fine_tune_data(frontend, ft_epochs, QAT_LR_FACTOR * float(hyper.get("lr", 1e-3)), cfg["arch"])
        model, record, trainer = passes.qat(model, ft)
        if trainer.stop_reason == "stop":
            return _stopped(p)
        records.append(record)
    model.eval()
    if ctx.should_stop():
        return _stopped(p)

    ctx.emit(Progress("save", 0.0, "Writing the new run"))
    cfg.update(status="finished", compressed_from=str(source.path), channel_plan=plan,
               message=f"Compressed from {source.path}",
               params=int(sum(t.numel() for t in model.parameters())))   # fewer after a student or channels go
    if plan is None:
        cfg.pop("channel_plan")
    cfg["compression"] = _inherited(source) + records
    runs.write_config(work, cfg)
    state = {"model": {k: v.detach().contiguous() for k, v in model.state_dict().items()}}
    runs.save_checkpoint(work / runs.BEST_CHECKPOINT, state)
    runs.save_checkpoint(work / runs.LAST_CHECKPOINT, state)
    runs.write_history(work, history)
    _keep_samples(source, ds, work)
    from edgeling.core.training.evaluate import evaluate_run

    x_test = zoo.apply_frontend(frontend, ds.x[test])
    if p.get("quantize"):
        ctx.emit(Progress("int8", 0.0, "Writing and measuring the int8 model"))
        from edgeling.core.compress.int8 import write_int8

        calib = run_samples.calibration_indices(ds.indices(TRAIN), CALIBRATION_SAMPLES)
        x_calib = zoo.apply_frontend(frontend, ds.x[calib])
        int8 = write_int8(model, spec.to_dict(), frontend, x_calib, x_test,
                          y_test if task == "classification" else None, work,
                          {"device": cfg.get("device"), "compression": cfg["compression"]})
        q_after = quality_from_outputs(task, y_test, int8["outputs"], class_names)
        after = column(model, frontend, "int8", q_after, cfg.get("arch"), "the int8 file in LiteRT")
        # The file is there: its size, not the estimate (the vineyard walk: 98,189 bytes said here, 96,672 the
        # file the export then wrote from it)
        after.update(flash_bytes=int(int8["size_bytes"]), flash_measured=True)
        entry = {"pass": p["quantize"], "int8_file": int8["file"], "size_bytes": int8["size_bytes"],
                 "calibration_samples": int8["calibration_samples"], **q_after,
                 "verification": _short(int8["verification"])}
        if kept_int8:
            entry["why"] = "kept int8, as the run it started from was int8"
        if source_int8 is not None:   # the table's "before" is int8 too: no drop of flash, RAM... comes from it
            entry["source_was_int8"] = True
        elif before.get("sized_as") == "int8":   # a microcontroller: the float model's sizes were its int8 file's
            entry["device_int8_only"] = True
        if p["quantize"] == "qat":
            records[-1].update(entry, **{"pass": "qat"})
        else:
            records.append(entry)
        from edgeling.core.compress.notes import zeros_note

        for r in records:   # the run's own files: the drop of flash, RAM and latency is int8's, not pruning's
            if r.get("pass") == "prune" and r.get("note"):
                r["note"] = zeros_note(records, "file")
        cfg["compression"] = _inherited(source) + records
        runs.write_config(work, cfg)
    else:
        q_after = quality_from_outputs(task, y_test, reference_outputs(exported_module(model, task), x_test),
                                       class_names)
        after = column(model, frontend, "float32", q_after, cfg.get("arch"), "PyTorch float32")
    ctx.emit(Progress("evaluate", 0.0, "Evaluating the compressed model"))
    metrics = evaluate_run(work, ds=ds)   # after the int8 file: a run with one is measured on it
    table = comparison(before, after)
    from edgeling.core.fileio import atomic_write_json

    report = {"source_run": str(source.path), "passes": records, "table": table, "created": runs.now_iso()}
    atomic_write_json(work / COMPRESSION_FILE, report)
    from edgeling.core.compress.notes import pass_labels

    ctx.log(f"Compressed {source.path}: " + ", ".join(pass_labels(records)))
    return {"status": "finished", "run": str(p["out"]), "source_run": str(source.path), "passes": records,
            "table": table, "metrics": {k: metrics.get(k) for k in ("accuracy", "macro_f1", "mae")
                                        if k in metrics}}


def _inherited(source: runs.Run) -> list[dict]:
    """The source run's compression history, minus its int8 file (that file is of the source's weights,
    and stays in the source run): a ptq record is dropped, a qat record keeps only the fine-tuning."""
    out = []
    for r in source.config.get("compression") or []:
        if r.get("pass") == "ptq":
            continue
        if r.get("pass") == "qat":
            r = {k: v for k, v in r.items() if k in ("pass", "fine_tune_epochs", "lr", "fake_quant_points")}
        out.append(dict(r, run=r.get("run") or str(source.path)))
    return out


def _short(v: dict) -> dict:
    keys = ("passed", "agreement", "max_abs_diff", "accuracy", "reference_accuracy", "latency_ms",
            "arena_bytes", "runtime", "failures", "micro_agreement", "num_samples", "accuracy_loss",
            "accuracy_loss_samples", "accuracy_loss_allowed")
    return {k: v.get(k) for k in keys}


def _device(device_id: str | None):
    """The run's device, or this computer when the run has none or its device is gone (a custom device
    removed since): the table's estimates are then for this computer."""
    from edgeling.core.devices.catalogue import THIS_COMPUTER, find_device, get_device

    return find_device(device_id) or get_device(THIS_COMPUTER, measure=False)


def _fine_tune_data(ds, zoo, frontend: dict, cfg: dict, epochs: int, lr: float, arch: str, ctx, history):
    import torch

    from edgeling.core.compress.passes import FineTune
    from edgeling.core.data.dataset import TRAIN, VAL
    from edgeling.core.training.augment import BatchAugmenter
    from edgeling.core.training.loop import TensorData
    from edgeling.core.training.setup import CHANNELS_LAST_ARCHS

    def tensors(idx):
        chunks = [zoo.apply_frontend(frontend, ds.x[idx[i:i + 1024]]) for i in range(0, len(idx), 1024)]
        x = torch.from_numpy(np.ascontiguousarray(np.concatenate(chunks), dtype=np.float32))
        y = np.asarray(ds.y)[idx]
        return TensorData(x, torch.from_numpy(y.astype(np.int64 if ds.task == "classification" else np.float32)))

    hyper = cfg.get("hyper") or {}
    train_idx, val_idx = ds.indices(TRAIN), ds.indices(VAL)
    train = tensors(train_idx)
    val = tensors(val_idx) if len(val_idx) else None
    axes = {"time": 2, "freq": 3} if frontend.get("type") == "audio" else None
    augment = BatchAugmenter(ds.kind, hyper.get("augment") or {}, axes, frontend=frontend)   # as training: a gain error
    weights = None
    if ds.task == "classification" and hyper.get("class_weights"):  # as training/setup.py weighs them
        counts = torch.bincount(train.y, minlength=ds.num_classes).float()
        weights = (counts.sum() / (len(counts) * counts.clamp(min=1))).clamp(0.1, 10.0)
    return FineTune(train=train, val=val, task=ds.task, epochs=epochs, lr=lr, class_weights=weights,
                    label_smoothing=float(hyper.get("label_smoothing") or 0.0),
                    batch_size=int(hyper.get("batch_size", 32)), weight_decay=float(hyper.get("weight_decay", 0.0)),
                    seed=int(cfg.get("seed") or 0), augment=augment,
                    channels_last=arch in CHANNELS_LAST_ARCHS and train.x.dim() == 4, ctx=ctx, history=history)
