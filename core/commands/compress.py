"""``edgeling compress RUN [--quantize {ptq,qat}] [--prune FRACTION] [--structured]
[--distill-from TEACHER_RUN] --out RUN2 [--json]``: write a compressed copy of a run into a new run folder.

Passes chain as distillation -> pruning -> QAT / PTQ. The before/after table (accuracy, macro-F1,
parameters, MACs, flash, peak RAM, estimated latency on the run's device) goes to stderr, and with
``--json`` one JSON object ``{run, source_run, passes, table, metrics}`` to stdout. Ctrl-C stops at the next
batch; nothing is written then.
"""

from __future__ import annotations

import json
from pathlib import Path

from edgeling.core.commands.common import (
    CommandError,
    add_data_flag,
    add_json_flag,
    check_out_folder,
    emit_json,
    positive_int,
    say,
    stop_on_ctrl_c,
)

STOPPED_EXIT = 130


def _fraction(text: str) -> float:
    import argparse

    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; give a fraction such as 0.5") from None


def register(sub) -> None:
    p = sub.add_parser("compress", help="quantize, prune or distil a trained run into a new run folder")
    p.add_argument("run_dir", metavar="RUN", help="the trained run folder (it is not changed)")
    p.add_argument("--out", required=True, help="the new run folder to create")
    p.add_argument("--quantize", choices=["ptq", "qat"], help="int8: post-training (ptq) or quantization-aware "
                   "fine-tuning (qat); the int8 .tflite is kept in the new run")
    p.add_argument("--prune", type=_fraction, metavar="FRACTION",
                   help="remove this fraction of the weights (0 < FRACTION < 1), then fine-tune")
    p.add_argument("--structured", action="store_true",
                   help="with --prune: remove whole channels, so MACs, flash and RAM really drop")
    p.add_argument("--distill-from", metavar="TEACHER_RUN",
                   help="train a smaller student on this trained run's soft targets plus the labels")
    p.add_argument("--arch", help="with --distill-from: the student architecture (default: sized for the device)")
    p.add_argument("--knobs", help="with --distill-from: the student's size settings as JSON, e.g. '{\"width\": 8}'")
    p.add_argument("--epochs", type=positive_int, help="with --distill-from: epochs (default: the run's)")
    p.add_argument("--temperature", type=float, help="with --distill-from: softening of the teacher's answers "
                   "(default 4)")
    p.add_argument("--alpha", type=_fraction, help="with --distill-from: weight of the teacher's answers "
                   "against the labels, 0..1 (default 0.7)")
    p.add_argument("--no-compare", action="store_true", help="with --distill-from: do not also train the "
                   "same student alone to compare (by default the better of the two is kept)")
    p.add_argument("--fine-tune-epochs", type=int, help="epochs of fine-tuning after pruning / for QAT")
    p.add_argument("--seed", type=int, help="random seed (default: the run's)")
    add_data_flag(p)
    add_json_flag(p)
    p.set_defaults(run=run)


def params_from_args(args) -> dict:
    knobs = None
    if args.knobs:
        try:
            knobs = json.loads(args.knobs)
        except ValueError:
            raise CommandError(f"--knobs must be JSON such as '{{\"width\": 8}}'; {args.knobs!r} is not.") from None
        if not isinstance(knobs, dict):
            raise CommandError("--knobs must be a JSON object such as '{\"width\": 8}'.")
    if (args.arch or knobs is not None or args.epochs or args.temperature or args.alpha is not None
            or args.no_compare) and not args.distill_from:
        raise CommandError("--arch, --knobs, --epochs, --temperature, --alpha and --no-compare set up a "
                           "distillation; add --distill-from TEACHER_RUN.")
    if args.fine_tune_epochs is not None and args.fine_tune_epochs < 0:
        raise CommandError(f"--fine-tune-epochs must be 0 (no fine-tuning) or more; {args.fine_tune_epochs} "
                           "was given.")
    if args.alpha is not None and not 0.0 <= args.alpha <= 1.0:
        raise CommandError(f"--alpha must be between 0 and 1; {args.alpha} was given.")
    if args.temperature is not None and args.temperature <= 0:
        raise CommandError(f"--temperature must be above 0; {args.temperature} was given.")
    return {"run": args.run_dir, "out": args.out, "quantize": args.quantize, "prune": args.prune,
            "structured": args.structured, "distill_from": args.distill_from, "arch": args.arch,
            "knobs": knobs, "epochs": args.epochs, "fine_tune_epochs": args.fine_tune_epochs, "seed": args.seed,
            "temperature": args.temperature, "alpha": args.alpha, "compare_alone": not args.no_compare,
            "data": args.data}


def run(args) -> int:
    from edgeling.core.commands.train import ProgressPrinter
    from edgeling.core.compress.compare import format_table
    from edgeling.core.compress.compress_checks import check_params
    from edgeling.core.compress.compress_job import TARGET
    from edgeling.core.compress.errors import CompressionError
    from edgeling.core.data.dataset import DataError
    from edgeling.core.export.errors import ExportError
    from edgeling.core.jobs.runner import run_inline
    from edgeling.core.runs import RunError

    params = params_from_args(args)
    try:
        check_params(params)  # plain errors before any work
    except (CompressionError, RunError, DataError) as e:
        raise CommandError(str(e), 2) from None
    check_out_folder(args.out, beside=True)
    printer = ProgressPrinter()
    say(f"Compressing {args.run_dir} into {args.out} ...")
    try:
        with stop_on_ctrl_c() as should_stop:
            result = run_inline(TARGET, params, on_event=printer, should_stop=should_stop)
    except (CompressionError, RunError, DataError, ExportError) as e:
        raise CommandError(str(e), 2) from None
    except KeyboardInterrupt:
        raise
    except Exception as e:  # noqa: BLE001 - shown in plain words
        raise CommandError(f"Compression failed: {type(e).__name__}: {e}. Nothing was written to "
                           f"{Path(args.out)}.", 1) from None
    if result.get("status") == "stopped":
        say(result.get("message") or "Stopped.")
        if args.json:
            emit_json(result)
        return STOPPED_EXIT
    say(format_table(result["table"]))
    from edgeling.core.compress.distill_step import comparison_sentence
    from edgeling.core.compress.notes import accuracy_loss_note, int8_only_note, pass_labels, zeros_note

    for note in (zeros_note(result["passes"]), int8_only_note(result["passes"]),
                 accuracy_loss_note(result["table"], result["passes"])):
        if note:
            say(note)
    for rec in result["passes"]:
        if comparison_sentence(rec):
            say(comparison_sentence(rec))
        v = rec.get("verification")
        if v is not None and not v.get("passed"):
            say(f"Note: the int8 file does not meet the export checks: {'; '.join(v.get('failures') or [])}.")
    say(f"Wrote the compressed run {result['run']} ({', '.join(pass_labels(result['passes']))}).")
    if args.json:
        emit_json(result)
    return 0
