"""``edgeling train DATA --device ID --out RUN``: train a model (resumes when RUN has a checkpoint).

A live one-line progress bar on a terminal (stderr); ``--events jsonl`` prints every job event as one
JSON line on stdout; ``--json`` prints the result. Ctrl-C stops at the next batch and keeps the last
checkpoint (a second Ctrl-C aborts at once); running the same command again continues the run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from edgeling.core.commands.common import (
    CommandError,
    add_import_options,
    add_json_flag,
    check_out_folder,
    device_id,
    emit_json,
    import_options_from_args,
    positive_float,
    positive_int,
    say,
    stop_on_ctrl_c,
)

STOPPED_EXIT = 130


def register(sub) -> None:
    p = sub.add_parser("train", help="train a model on a folder or CSV (resumes an interrupted run)")
    p.add_argument("data", help="a folder (one subfolder per class) or a CSV file")
    register_training_flags(p, out_help="the run folder to create (or resume)")
    p.add_argument("--more", action="store_true",
                   help="train a finished run further, to the --epochs given: its model is replaced, so files "
                        "exported from it before no longer match it (without --more, a finished run is left "
                        "as it is)")
    p.set_defaults(run=run)


def register_training_flags(p, out_help: str) -> None:
    """The flags of ``train`` (also ``crossval``'s): device, output folder, model, settings, import options."""
    p.add_argument("--device", required=True, type=device_id, help="target device id (see 'edgeling devices')")
    p.add_argument("--out", required=True, help=out_help)
    p.add_argument("--arch", help="model architecture (default: sized for the device)")
    p.add_argument("--epochs", type=positive_int, help="passes over the training data (default: from the data)")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same result)")
    p.add_argument("--batch-size", type=positive_int, help="samples per step (default: from the data)")
    p.add_argument("--lr", type=positive_float, help="peak learning rate (default: from the data)")
    p.add_argument("--no-augment", action="store_true", help="switch data augmentation off")
    add_import_options(p)
    p.add_argument("--events", choices=["jsonl"], help="print every event as a JSON line on stdout")
    add_json_flag(p)


def params_from_args(args) -> dict:
    options = import_options_from_args(args)
    params = {"data": args.data, "out": args.out, "device": args.device, "arch": args.arch,
              "epochs": args.epochs, "seed": args.seed, "batch_size": args.batch_size, "lr": args.lr,
              "import_options": options, "kind": args.kind}
    if args.no_augment:
        params["augment"] = False
    return params


class ProgressPrinter:
    """Human progress on stderr: a rewritten one-line bar on a terminal, one line per epoch otherwise."""

    def __init__(self, stream=None):
        from edgeling.core.commands.common import ImportProgressLine

        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.width = 24
        self.importing = ImportProgressLine(self.stream)

    def __call__(self, event) -> None:
        from edgeling.core.jobs import events as ev

        if isinstance(event, ev.Progress) and event.stage == "import":     # 'Reading the photos: 1,200 of 3,963'
            self.importing.show(event.message, event.fraction >= 1.0)
            return
        self.importing.close()
        if isinstance(event, ev.BatchEnd) and self.tty:
            frac = (event.step + 1) / max(1, event.steps_per_epoch)
            done = int(frac * self.width)
            eta = f" ETA {_clock(event.eta_s)}" if event.eta_s is not None else ""
            acc = f" acc {event.logs['accuracy']:.3f}" if "accuracy" in event.logs else ""
            line = (f"epoch {event.epoch + 1} [{'#' * done}{'.' * (self.width - done)}] {frac:4.0%} "
                    f"loss {event.logs.get('loss', float('nan')):.4f}{acc} {event.samples_per_s:,.0f}/s{eta}")
            self.stream.write("\r" + line[:118].ljust(118))
            self.stream.flush()
        elif isinstance(event, ev.EpochEnd):
            logs = event.logs
            parts = [f"loss {logs['loss']:.4f}"]
            for key, label in (("accuracy", "acc"), ("val_loss", "val loss"), ("val_accuracy", "val acc")):
                if key in logs:
                    parts.append(f"{label} {logs[key]:.4f}")
            self._line(f"epoch {event.epoch + 1}: " + ", ".join(parts))
        elif isinstance(event, ev.Log) and event.level != "debug":
            self._line(event.text)
        elif isinstance(event, ev.Progress) and (event.stage == "evaluate" and event.fraction == 0
                                                 or event.stage == "prepare" and event.message):
            self._line(event.message + " ...")     # preparing thousands of photos takes a while: say what

    def _line(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r" + " " * 118 + "\r")
        self.stream.write(text + "\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def run_job(target: str, params: dict, args, log_path: str | None = None, log_hint: str | None = None) -> dict:
    """Run a training-like job here (``train``, ``crossval``): progress on stderr, ``--events jsonl`` on
    stdout, Ctrl-C asks it to stop; its errors in plain words (the traceback goes to the log)."""
    from edgeling.core.data.dataset import DataError
    from edgeling.core.jobs.events import event_to_dict
    from edgeling.core.jobs.run_lock import RunLocked
    from edgeling.core.jobs.runner import run_inline
    from edgeling.core.jobs.train_job import TrainingError
    from edgeling.core.runs import LOG_FILE, RunError

    printer = ProgressPrinter()

    def on_event(event) -> None:
        printer(event)
        if args.events == "jsonl":
            emit_json(event_to_dict(event))

    try:
        with stop_on_ctrl_c() as should_stop:
            return run_inline(target, params, on_event=on_event, should_stop=should_stop, log_path=log_path)
    except (DataError, TrainingError, RunError, RunLocked) as e:
        raise CommandError(str(e), 2) from None
    except CommandError:  # e.g. an unknown device id: already in plain words
        raise
    except KeyboardInterrupt:
        raise
    except Exception as e:  # noqa: BLE001 - shown in plain words; the traceback is in the log
        where = log_hint or log_path or f"{args.out}/{LOG_FILE}"
        raise CommandError(f"Training failed: {type(e).__name__}: {e}. The full report is in {where}.", 1) from None


def _same_subjects_words(result: dict) -> str:
    """", measured on machines it also learnt from" when the data report found the test holds the machines
    (speakers) training learnt from (the pump walk: that note was the 6th finding, cut from the summary, and the
    last line gave 100% on new files likely 76% to 100%)."""
    from edgeling.core import runs
    from edgeling.core.data.report import FEW_SUBJECTS
    from edgeling.core.data.subject_findings import who_words

    if not any(isinstance(p, dict) and p.get("code") == FEW_SUBJECTS for p in result.get("data_problems") or []):
        return ""       # names that say nobody only *may* hold a speaker twice (the regression walk): not said here
    try:
        spec = runs.load_run(result["run"]).config.get("spec") or {}
    except (KeyError, OSError, ValueError, runs.RunError):
        spec = {}
    return f", measured on {who_words(spec.get('kind', ''), spec.get('meta'))} it also learnt from"


def _saved_metrics(result: dict) -> dict:
    """The run's metrics.json ({} when it cannot be read)."""
    from edgeling.core.fileio import read_json

    try:
        found = read_json(result["metrics_path"])
    except (KeyError, OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def finished_run_words(out: str, epochs: int | None) -> str | None:
    """Why training a finished run to more epochs needs --more, or None (no finished run there, or no more
    epochs asked). The vineyard walk: '--epochs 3' into a finished 2-epoch run replaced the model she had
    exported and compressed, unsaid."""
    from edgeling.core import runs

    if epochs is None or not runs.is_run(out):
        return None
    try:
        run = runs.load_run(out)
    except runs.RunError:
        return None
    planned = int(run.config.get("hyper", {}).get("epochs", 0) or 0)
    if run.status != "finished" or epochs <= planned or not run.has_checkpoint():
        return None
    acc = (run.metrics or {}).get("accuracy")
    score = f", test accuracy {acc:.1%}" if isinstance(acc, (int, float)) else ""
    return (f"{out} is a finished run ({planned} epoch{'s' * (planned != 1)}{score}). Training it to {epochs} "
            "epochs would replace its model, and files exported or compressed from it would no longer match "
            f"it. To keep it, train into a new folder (--out {Path(out).name}-{epochs}ep); to replace its model, "
            "add --more.")


def run(args) -> int:
    from edgeling.core.jobs.train_job import TARGET
    from edgeling.core.runs import LOG_FILE

    check_out_folder(args.out)
    refused = None if getattr(args, "more", False) else finished_run_words(args.out, args.epochs)
    if refused:
        raise CommandError(refused, 2)
    t0 = time.perf_counter()
    result = run_job(TARGET, params_from_args(args), args, log_path=str(Path(args.out) / LOG_FILE))
    took = time.perf_counter() - t0
    if result.get("status") == "stopped":
        say(result.get("message") or "Stopped.")
    else:
        m = result.get("metrics") or {}
        score = (f"test accuracy {m['accuracy']:.1%}" if m.get("accuracy") is not None else
                 f"test MAE {m['mae']:.4g}" if m.get("mae") is not None else "")
        from edgeling.core.results_words import FEW_HELD_OUT, baseline_sentence, new_things, subject_words

        saved = _saved_metrics(result)
        span = saved.get("accuracy_range")
        if score.startswith("test accuracy") and isinstance(span, list) and len(span) == 2:
            score += f", on new {new_things(saved)} likely {span[0]:.0%} to {span[1]:.0%}"  # as evaluate says it
            held = (saved.get("subjects") or {}).get("right") or {}
            if 0 < len(held) < FEW_HELD_OUT:     # evaluate adds that so few cannot say how a new one does
                one, many, _ = subject_words(saved)
                score += f", measured on only {len(held)} {one if len(held) == 1 else many}"
            score += _same_subjects_words(result)
        verdict = baseline_sentence(saved) if saved else None
        done = (f"Already trained earlier: {args.out}" if result.get("already_trained") else
                f"Trained in {took:.0f} s: {args.out}")     # not the seconds it took to find that out
        say(done + (f" ({score})" if score else "") + (f". {verdict}" if verdict else ""))
        from edgeling.core.training.recording_answers import whole_recordings_sentence

        whole = whole_recordings_sentence(saved) if saved else None
        if whole:        # the beekeeper walk: every number was per clip, predict answers per recording
            say(whole)
    if args.json and args.events != "jsonl":
        emit_json(result)
    return STOPPED_EXIT if result.get("status") == "stopped" else 0
