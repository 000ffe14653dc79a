"""The training job: data -> model -> trained run folder (+ evaluation). Runs in a spawn child (GUI)
or in-process (CLI, tests) through ``edgeling.core.jobs``. Imports torch only inside the job.

params (all JSON-able):
    data            path of the folder / CSV to train on
    out             the run folder (re-running with the same folder resumes from its last checkpoint)
    device          target device id from the catalogue (drives auto-sizing), e.g. "nano33ble"
    arch, knobs     the model (default: auto-sized for the device, else the kind's default)
    import_options  dict of ImportOptions fields
    epochs, batch_size, lr, weight_decay, schedule, patience, class_weights, augment, label_smoothing
                    training settings (default: chosen from the data, see training/defaults.py)
    seed            seed for weights, shuffling and augmentation (default 0)
    compute         "cpu" / "cuda" / "mps" (default: the best present), threads (default: all cores)
    evaluate        evaluate on the test split at the end (default True)
    zoo             module providing the zoo API (default edgeling.core.models.zoo; tests pass a tiny one)
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from edgeling.core import run_samples, runs
from edgeling.core.jobs.context import JobContext
from edgeling.core.jobs.events import Progress
from edgeling.core.sentences import first_sentence  # noqa: F401 - also imported from here
from edgeling.core.training.augment import SETTINGS_ONLY

TARGET = "edgeling.core.jobs.train_job.train_job"


class TrainingError(Exception):
    """A training problem to show as-is (plain words, what to do)."""

    user_facing = True


def train_run(data_path, out, device: str | None = None, arch: str | None = None, epochs: int | None = None,
              seed: int = 0, on_event=None, should_stop=None, **params) -> dict:
    """Train in this process (see the module docstring for ``params``); returns the job's result."""
    from edgeling.core.jobs.runner import run_inline

    p = {"data": str(data_path), "out": str(out), "device": device, "arch": arch, "epochs": epochs,
         "seed": seed, **params}
    return run_inline(TARGET, p, on_event=on_event, should_stop=should_stop,
                      log_path=str(Path(out) / runs.LOG_FILE))


def train_job(params: dict, ctx: JobContext) -> dict:
    """Train into ``params["out"]``, holding its lock (``run_lock.py``): a second training into the same
    folder at the same time is refused."""
    from edgeling.core.jobs.run_lock import run_lock

    out = Path(params["out"]).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    with run_lock(out, params["out"]):
        if not ctx.log_path:
            ctx.log_path = str(out / runs.LOG_FILE)
        return _train(params, ctx, out)


def _train(params: dict, ctx: JobContext, out: Path) -> dict:
    from edgeling.core.training import setup

    threads = setup.set_threads(params.get("threads"))
    run = runs.load_run(out) if runs.is_run(out) else None
    if run is not None:
        _check_same_settings(run, params)
    if run is not None and run.status == "finished" and not _wants_more(run, params):
        if not run.has_checkpoint():     # trained, but its saved model is gone: nothing to use, nothing to resume
            raise TrainingError(runs.model_gone_words(run))
        ctx.log(f"{out} is already trained; nothing to do (use a new --out folder to train again).")
        return {"status": "finished", "already_trained": True, **_result_paths(out), "metrics": run.metrics}
    resume = run is not None and run.has_checkpoint()
    if resume:
        ctx.log(f"Resuming the run in {out} from its last checkpoint.")
    ctx.emit(Progress("prepare", 0.0, "Opening the data"))
    saved = _with_data_now(run, params) if resume else None
    try:
        ds = setup.open_data(saved or params, ctx)
    except setup.StopRequested:          # asked while the files were being read
        return _stopped_early(out)
    problems = data_problems(ds.report)
    if problems and params.get("say_data_problems", True):  # what 'edgeling inspect' reports, also here
        ctx.log(problems_summary(problems, (saved or params)["data"], (saved or params).get("import_options")),
                level="warning" if any(p["severity"] != "info" for p in problems) else "info")
    try:
        prepared = setup.prepare(ds, params, saved, ctx)
    except setup.StopRequested as stop:    # asked while choosing the model or preparing the samples
        if stop.config is not None:         # the run's settings were chosen: recorded, as after preparing
            runs.write_config(out, {**stop.config, "data_problems": problems, "threads": threads})
        return _stopped_early(out, problems)
    config = prepared.config
    config["data_problems"] = problems
    config["status"] = "training"
    config["threads"] = threads
    runs.write_config(out, config)
    if not run_samples.has_run_samples(out):   # what evaluate / export / int8 use once the data is gone
        run_samples.save_run_samples(out, ds)
        if params.get("say_data_problems", True):    # once, not for every fold of a cross-validation
            ctx.log(run_samples.kept_words(ds))     # what the run folder holds of the data (the speech walk)
    if ctx.should_stop():
        return _stopped_early(out, problems)
    ctx.log(settings_words(config["arch"], config["knobs"], config["hyper"], str(prepared.device), threads)
            + _input_words(ds))
    started = time.monotonic()
    trainer = setup.train(prepared, out, ctx, resume)
    # seconds spent training, added up over resumes (a pause between them is not counted): the app estimates
    # how long a cross-validation of as many trainings will take from it
    spent = float(config.get("train_seconds") or 0.0) + (time.monotonic() - started)
    status = "finished"
    message = trainer.stop_message or f"Trained for {trainer.completed_epochs} epochs."
    if trainer.stop_reason == "nan":
        runs.update_config(out, status="failed", message=message, epochs_done=trainer.completed_epochs)
        raise TrainingError(message)
    if trainer.stop_reason == "stop" and not (out / runs.LAST_CHECKPOINT).exists():
        status = "stopped"
        message = ("Stopped before the first epoch finished, so nothing was kept; train again with the same "
                   "folder to start over.")
    elif trainer.stop_reason == "stop":
        status = "stopped"
        message = (f"Stopped after {trainer.completed_epochs} finished epochs. The last checkpoint is kept "
                   f"in {out / runs.LAST_CHECKPOINT}; train again with the same folder to continue.")
    calibrated = _calibrate(out, prepared, ctx) if status == "finished" else None
    runs.update_config(out, status=status, message=message, epochs_done=trainer.completed_epochs,
                       best_epoch=runs.kept_epoch(trainer.history), train_seconds=round(spent, 3),
                       **({"calibration": calibrated} if calibrated else {}))
    result = {"status": status, "message": message, "epochs_done": trainer.completed_epochs,
              # every finished epoch, counted from 0 as in history.json and the EpochEnd events (it held the
              # last one only, "epoch": 1 where the text said "epoch 2": the vineyard walk)
              "history": list(trainer.history), "data_problems": problems,
              **_result_paths(out)}
    if status == "finished" and params.get("evaluate", True):
        from edgeling.core.training.evaluate import evaluate_run

        ctx.emit(Progress("evaluate", 0.0, "Evaluating on the test samples"))
        metrics = evaluate_run(out, ds=ds)
        ctx.emit(Progress("evaluate", 1.0, "Evaluated"))
        # what train's last line says too: the 95% range, the always-one-class baseline, who the test held
        result["metrics"] = {k: metrics.get(k) for k in ("accuracy", "macro_f1", "roc_auc", "mae", "rmse",
                                                         "r2", "latency_ms", "split", "num_samples", "accuracy_range",
                                                         "majority_baseline", "subjects", "same_subjects")
                             if k in metrics}
    return result


def _calibrate(out: Path, prepared, ctx) -> dict | None:
    """Fold a temperature fitted on the validation samples into the kept model (best.pt), so that how sure it says
    it is matches how often it is right (``calibration.py``); what was done, or None."""
    from edgeling.core.training.calibration import calibrate, calibration_words

    config = prepared.config
    best = out / runs.BEST_CHECKPOINT
    if config["dataset"]["task"] != "classification" or prepared.val is None or not best.exists():
        return None
    state = runs.load_checkpoint(best)
    model = prepared.model
    model.load_state_dict(state["model"])
    found = calibrate(model, prepared.val, len(config["dataset"]["class_names"]), prepared.channels_last)
    if found and found["folded"]:
        state["model"] = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
        runs.save_checkpoint(best, state)
        ctx.log(calibration_words(found))
    return found


PROBLEM_FILES_KEPT = 10
PROBLEMS_SAID = 5
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
INSPECT_FLAGS = {"kind": "--kind", "target": "--target", "task": "--task", "image_size": "--image-size",
                 "grayscale": "--grayscale", "window_s": "--window", "stride_s": "--stride",
                 "sample_rate": "--sample-rate", "recorded_rate": "--recorded-rate", "audio_rate": "--audio-rate",
                 "clip_s": "--clip",
                 "leave_out": "--leave-out"}


def data_problems(report) -> list[dict]:
    """The import report's findings as run.json keeps them (``data_problems``): code, severity, a one-line
    title, the message and advice, how many files and the first few; warnings first, then notes."""
    kept = []
    for p in sorted(report.problems, key=lambda p: SEVERITY_ORDER.get(p.severity, 3)):
        kept.append({"code": p.code, "severity": p.severity, "title": first_sentence(p.message),
                     "message": p.message, "advice": p.advice, "count": len(p.files),
                     "files": list(p.files[:PROBLEM_FILES_KEPT])})
    return kept


AUGMENT_WORDS = {"hflip": "mirrored", "rotate_deg": "turned a little", "shift": "shifted", "zoom": "zoomed",
                 "brightness": "brighter or darker", "time_shift": "shifted in time", "noise": "with noise added",
                 "freq_masks": "with a frequency band hidden", "time_masks": "with a moment hidden",
                 "jitter": "with noise added", "scale": "as if the sensor read a little high or low"}
"""How each augmentation switch (``training/augment.py``) changes a training sample, in words."""


def settings_words(arch: str, knobs: dict, hyper: dict, compute: str, threads: int) -> str:
    """What training is about to do, for the terminal and the run's log: the model and the settings chosen
    from the data, in words (run.json keeps them as numbers)."""
    from edgeling.core.models.autosize import describe_knobs

    said = [f"Model: {arch} ({describe_knobs(knobs)})." if describe_knobs(knobs) else f"Model: {arch}."]
    patience = int(hyper.get("patience") or 0)
    epochs = int(hyper.get("epochs") or 0)
    early = (f", stopping early after {patience} without a better validation loss" if 0 < patience < epochs else "")
    said.append(f"Training: up to {epochs} epoch{'s' * (epochs != 1)}{early}; {hyper.get('batch_size')} samples per step, "
                f"learning rate {hyper.get('lr'):g} ({hyper.get('schedule')} schedule)"
                + ("; rare classes weighed up" if hyper.get("class_weights") else "") + ".")
    augment = [AUGMENT_WORDS.get(k, k.replace("_", " ")) for k, v in (hyper.get("augment") or {}).items()
               if v and k not in SETTINGS_ONLY]
    if augment:
        said.append(f"Each pass varies the training samples: {', '.join(augment)}.")
    said.append(f"On the {compute.upper() if compute == 'cpu' else compute}, {threads} thread{'s' * (threads != 1)}.")
    return " ".join(said)


ABOUT_THE_TEST = ("grouped_by_name", "no_subjects_in_names", "few_subjects")
"""Notes that say how the test split was made (whole speakers or machines held out): said among the first, as
they tell what the test score means (the regression walk: hidden behind "... and 1 more")."""


def said_first(problems: list[dict]) -> list[dict]:
    """Errors, then warnings, then the notes about the test, then the other notes; each in report order."""
    rank = {"error": 0, "warning": 1}
    return sorted(problems, key=lambda p: (rank.get(p.get("severity"), 2),
                                           0 if p.get("code") in ABOUT_THE_TEST else 1))


def problems_summary(problems: list[dict], data: str, import_options: dict | None = None) -> str:
    """A few lines for the terminal: how many findings, the first titles, and the command for the rest."""
    import shlex

    problems = said_first(problems)
    warnings = sum(p["severity"] != "info" for p in problems)
    notes = len(problems) - warnings
    counted = " and ".join(part for part in (_count(warnings, "warning"), _count(notes, "note")) if part)
    lines = [f"The import found {counted} about the data:"]
    lines += [f"  - [{p['severity']}] {_with_files(p)}" for p in problems[:PROBLEMS_SAID]]
    if len(problems) > PROBLEMS_SAID:
        lines.append(f"  ... and {len(problems) - PROBLEMS_SAID} more.")
    flags = []
    for key, value in (import_options or {}).items():
        if key in INSPECT_FLAGS and value not in (None, False):
            values = value if isinstance(value, list) else [value]
            flags += [part for v in values for part in ([INSPECT_FLAGS[key]] if v is True else [INSPECT_FLAGS[key], str(v)])]
    command = shlex.join(["edgeling", "inspect", str(data), *flags])
    lines.append(f"Run `{command}` for the whole report.")
    return "\n".join(lines)


SOURCE_PART = re.compile(r"#(?:t|row|segment|column)=[^\s)]*")
"""Where in a file a finding is ('a.csv#t=2.00-4.00', 'b.csv#row=7'), left out of a title's file names."""


def _with_files(problem: dict) -> str:
    """The finding's title, naming the file when a warning is about one or two files its title does not
    name: "1 file is empty (0 bytes) and was skipped (ja/child41_take1.wav)." (it said which only in the
    whole report)."""
    title = str(problem.get("title", ""))
    files = [SOURCE_PART.sub("", str(f)) for f in problem.get("files") or []]   # not a '#' inside words said
    if problem.get("severity") == "info" or not files or int(problem.get("count") or len(files)) > 2 \
            or any(f.split(" (", 1)[0] in title for f in files):   # a file's entry may add its details
        return title
    end = "." if title.endswith(".") else ""
    return f"{title[:len(title) - len(end)]} ({', '.join(files[:2])}){end}"


def _input_words(ds) -> str:
    """" One input: a window of 2 s = 400 readings of x, y, z at 200 per second, a new window every 1 s." for
    sensor data (the pump walk: only inspect said it), else ""."""
    from edgeling.core.sentences import window_words

    shown = window_words(ds.meta or {}, int(ds.sample_shape[0])) if ds.kind == "timeseries" else ""
    return f" One input: a window of {shown}." if shown else ""


def _count(n: int, word: str) -> str:
    from edgeling.core.sentences import counted

    return counted(n, word) if n else ""


def _result_paths(out: Path) -> dict:
    """Where the run's files are; a checkpoint is listed only when it exists (none before an epoch ends)."""
    paths = {"run": str(out), "metrics_path": str(out / runs.METRICS_FILE), "log_path": str(out / runs.LOG_FILE)}
    for key, name in (("checkpoint", runs.BEST_CHECKPOINT), ("last_checkpoint", runs.LAST_CHECKPOINT)):
        if (out / name).exists():
            paths[key] = str(out / name)
    return paths


def _wants_more(run: runs.Run, params: dict) -> bool:
    epochs = params.get("epochs")
    return epochs is not None and int(epochs) > int(run.config.get("hyper", {}).get("epochs", 0))


def _with_data_now(run: runs.Run, params: dict) -> dict:
    """The run's config with its data where it is now: the recorded place, the same place next to the run
    folder, or (when both are gone) the data given to resume with; resuming checks the files are the same.
    The import options name the run's split scheme (a run from before they did: "per-file"), so it resumes
    on the samples it started with, and run.json records the scheme from then on."""
    where = runs.data_location(run) or params.get("data") or run.config.get("data")
    return {**run.config, "data": str(Path(where).expanduser().resolve()),
            "import_options": runs.import_options(run.config)}


STOPPED_EARLY = "Stopped before training began."


def _stopped_early(out: Path, problems: list | None = None) -> dict:
    """Stop asked before the first batch (reading the files, sizing the model, preparing the samples): a run
    folder that holds a run says so; the result for the CLI and the app."""
    if runs.is_run(out):
        runs.update_config(out, status="stopped", message=STOPPED_EARLY)
    return {"status": "stopped", "message": STOPPED_EARLY, **({"data_problems": problems} if problems is not None
                                                              else {}), **_result_paths(out)}


def _check_same_settings(run: runs.Run, params: dict) -> None:
    changed = runs.changed_settings(run, params.get("data"), params.get("device"), params.get("arch"))
    if not changed:
        return
    what, was, now = changed[0]
    said = {"data": f"a run trained on {was}, not {now}", "device": f"a run trained for the device {was}, not {now}",
            "model": f"a {was} model, not {now}"}[what]
    other = {"data": "on other data", "device": "for another device", "model": "another model"}[what]
    raise TrainingError(f"{run.path} already holds {said}. Choose a new output folder (--out) to train {other}.")
