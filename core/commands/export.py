"""``edgeling export RUN --format F --out PATH``: write a verified ONNX / TFLite / C-header file of a run.

``--json`` prints ``{path, format, size_bytes (the file), model_bytes (the model in it: for a C header the
.tflite bytes it embeds, what goes into flash), status, verification: {passed, agreement, max_abs_diff,
accuracy, latency_ms (on this computer), arena_bytes, ...}, card}``; ``device_note`` when the run's device does
not run the format (a float file for a microcontroller); after a failed check of a model that has hardly
learnt, ``hardly_learnt`` says what to do (absent otherwise). A failed verification exits with code 4 and the
numbers.
"""

from __future__ import annotations

import os
from pathlib import Path

from edgeling.core.commands.common import CommandError, add_data_flag, add_json_flag, emit_json, say

FORMAT_CHOICES = ["onnx", "onnx-int8", "tflite", "tflite-int8", "c-header"]
EXIT_VERIFICATION_FAILED = 4


def register(sub) -> None:
    p = sub.add_parser("export", help="export a trained run as ONNX, TFLite or a C header, and verify it")
    p.add_argument("run_dir", metavar="RUN", help="the run folder given to 'edgeling train --out'")
    p.add_argument("--format", required=True, choices=FORMAT_CHOICES, dest="fmt")
    p.add_argument("--out", required=True, help="the file to write (e.g. model.tflite)")
    p.add_argument("--no-verify", action="store_true", help="skip running the file in its runtime")
    p.add_argument("--float-io", action="store_true",
                   help="tflite-int8: float input and output (quantize inside the model) instead of int8")
    add_data_flag(p)
    add_json_flag(p)
    p.set_defaults(run=run)


def load_run_for_export(run_dir: str, calibration_samples: int | None = None, data=None):
    """(model, frontend, spec, x_calib, x_test, y_test, run, note) from a run folder; network inputs in
    torch layout; the test split falls back to validation when it is empty. ``note`` says when the samples
    saved with the run stood in for its data (moved, deleted or changed since), else None."""
    from edgeling.core import runs
    from edgeling.core.data.dataset import TEST, TRAIN, VAL
    from edgeling.core.run_samples import CALIBRATION_SAMPLES, calibration_indices, saved_samples_sentence
    from edgeling.core.training.evaluate import open_run_dataset

    run = runs.load_run(run_dir)
    model, frontend, spec = runs.load_model(run)
    zoo = runs.zoo_module(run)
    ds = open_run_dataset(run, data)
    test = ds.indices(TEST)
    if len(test) == 0:
        test = ds.indices(VAL)
    train = ds.indices(TRAIN)
    calib = calibration_indices(train, calibration_samples or CALIBRATION_SAMPLES) if len(train) else test
    x_calib = zoo.apply_frontend(frontend, ds.x[calib])
    x_test = zoo.apply_frontend(frontend, ds.x[test])
    y_test = ds.y[test] if ds.task == "classification" else None
    return model, frontend, spec, x_calib, x_test, y_test, run, saved_samples_sentence(ds, "verified")


def compressed_int8_file(run_dir, fmt: str) -> bytes | None:
    """The int8 .tflite a PTQ / QAT compression wrote into the run (same weights and calibration samples
    as a new quantization would use, already verified), for "tflite-int8" and "c-header"; None when the run
    has none or it cannot be read (the export then quantizes the checkpoint again)."""
    from edgeling.core.compress.int8 import INT8_FILE
    from edgeling.core.export.errors import ExportError
    from edgeling.core.export.tflite_info import tflite_info

    path = Path(run_dir) / INT8_FILE
    if fmt not in ("tflite-int8", "c-header") or not path.is_file():
        return None
    try:
        data = path.read_bytes()
        info = tflite_info(data, str(path))
    except (OSError, ExportError):
        say(f"Note: {path} cannot be read; quantizing the model again instead.")
        return None
    if info["inputs"][0]["dtype"] != "int8":
        return None
    return data


def _file_in_folder(out: str, fmt: str, run_dir) -> str:
    """``--out exports/`` (a folder: ending in a separator, or one that exists) means a file in that folder named
    after the run ("exports/run-001.tflite"); the beekeeper walk's ``--out exports/`` wrote a file named
    ``exports``."""
    from edgeling.core.export.exporter import SUFFIX

    text = str(out)
    if not (text.endswith(("/", os.sep)) or Path(text).expanduser().is_dir()):
        return text
    named = str(Path(text).expanduser() / f"{Path(run_dir).name}{SUFFIX[fmt]}")
    say(f"{text} is a folder: writing {named}.")
    return named


def run(args) -> int:
    from edgeling.core import runs
    from edgeling.core.data.dataset import DataError
    from edgeling.core.export.exporter import export_model
    from edgeling.core.export.out_path import check_export_out
    from edgeling.core.runs import RunError

    try:
        run_ = runs.load_run(args.run_dir)
        args.out = _file_in_folder(args.out, args.fmt, run_.path)
        check_export_out(args.out, args.fmt, run_.path, args.data or runs.data_location(run_))
        model, frontend, spec, x_calib, x_test, y_test, run_, note = load_run_for_export(args.run_dir,
                                                                                         data=args.data)
    except (RunError, DataError) as e:
        raise CommandError(str(e), 2) from None
    cfg = run_.config
    refused = float_of_int8_only_run(run_, args.fmt)
    if refused:
        raise CommandError(refused, 2)
    say(f"Exporting {run_.path} as {args.fmt} to {args.out} ...")
    unfinished = runs.unfinished_words(run_)
    if unfinished:            # the robustness walk: a run killed at epoch 7 of 25 was exported unsaid
        say(f"Note: {unfinished}")
    if note:
        say(f"Note: {note}")
    from edgeling.core.export.exporter import SUFFIX

    if Path(args.out).suffix.lower() != SUFFIX[args.fmt]:
        say(f"Note: {args.fmt} files usually end in {SUFFIX[args.fmt]}; {Path(args.out).name} does not, so "
            "other tools (and 'edgeling predict') may not recognise it.")
    from edgeling.core.export.failure_advice import format_not_for_device

    not_there = format_not_for_device(cfg.get("device"), args.fmt, Path(args.out).name)
    if not_there:        # the app's Export page says it; the command wrote a float file for an ESP32-S3 unsaid
        say(f"Note: {not_there}")
    int8_file = None if args.float_io else compressed_int8_file(run_.path, args.fmt)
    if int8_file is not None:
        checked = _compression_check_passed(run_)
        say("Using the int8 file the compression wrote " + ("and verified" if checked else "(it did not pass "
            "its checks then; they are run again now)") + " (model-int8.tflite in the run).")
    result = export_model(model, frontend, spec, x_calib, x_test, y_test, args.fmt, args.out,
                          verify=not args.no_verify, int8_io=not args.float_io, device=cfg.get("device"),
                          compression=cfg.get("compression"), metrics=run_.metrics, run=str(Path(run_.path).resolve()),
                          int8_file=int8_file)
    result["reused_int8_file"] = int8_file is not None
    if not_there:
        result["device_note"] = not_there
    if note:
        result["note"] = note
    _say_result(result)
    if result["status"] == "failed":
        from edgeling.core.export.verify import unlearnt_failure_words

        unlearnt = unlearnt_failure_words(run_.metrics)
        if unlearnt:        # the app shows it as it is; absent otherwise, as after a passed check (not "")
            result["hardly_learnt"] = unlearnt
        say(failed_export_advice(result, run_.metrics, cfg))
    if args.json:
        emit_json(result)
    return EXIT_VERIFICATION_FAILED if result["status"] == "failed" else 0


def failed_export_advice(result: dict, metrics: dict | None, config: dict | None = None) -> str:
    """What to do after a file failed its check: train longer first when the model has hardly learnt (its
    answers are near ties any rounding flips), else, for an int8 file, int8 with re-training, or for a run
    already made so (``config["compression"]``), less pruning or longer re-training of its source run. An int8
    file that scored at least as well as the model says first that it is a different model, not a worse one."""
    from edgeling.core.export.failure_advice import INT8_FORMATS, int8_advice, score_above_words
    from edgeling.core.export.verify import unlearnt_failure_words

    advice = unlearnt_failure_words(metrics)
    if advice or result.get("format") not in INT8_FORMATS:
        return advice or "Send the log file with a note of what you were doing, so the fault can be fixed."
    cfg = config or {}
    said = score_above_words(result.get("verification") or {})
    todo = int8_advice(cfg.get("compression"), cfg.get("compressed_from"), cfg.get("device"))
    return f"{said} {todo}" if said else todo


FLOAT_FORMATS = ("onnx", "tflite")


def float_of_int8_only_run(run, fmt: str) -> str:
    """Why a float file of a run that post-training int8 alone made is refused ('' otherwise): PTQ changes no
    weight, so the file would be the source run's model under the compressed run's name, its card saying
    'int8' (the small-screen walk found it written so from the app)."""
    from edgeling.core.compress.notes import float_is_source

    source = float_is_source(run.config.get("compression"), run.config.get("compressed_from"))
    if fmt not in FLOAT_FORMATS or source is None:
        return ""
    name = Path(run.path).name
    kind = {"onnx": "an ONNX", "tflite": "a TFLite"}[fmt]
    return (f"{name} is {source} made int8 after training, which changes no weight: {kind} float file of it "
            f"would be {source}'s own model. For a float file export {source}; for this run's int8 model choose "
            "tflite-int8, onnx-int8 or c-header.")


def _compression_check_passed(run) -> bool:
    """Whether the last int8 pass of a compressed run passed its verification (compression.json)."""
    from edgeling.core.compress.compress_job import COMPRESSION_FILE
    from edgeling.core.fileio import read_json

    try:
        passes = read_json(Path(run.path) / COMPRESSION_FILE).get("passes") or []
    except (OSError, ValueError, AttributeError):
        return False
    checks = [p.get("verification") for p in passes if isinstance(p, dict) and p.get("verification")]
    return bool(checks) and bool(checks[-1].get("passed"))


def _size_said(result: dict) -> str:
    """'394,080 bytes', or for a C header both sizes: its text is several times the model it puts in flash."""
    if result.get("format") == "c-header" and result.get("model_bytes"):
        return (f"{result['size_bytes']:,} bytes of C text; the model in it takes {result['model_bytes']:,} bytes "
                "of flash")
    return f"{result['size_bytes']:,} bytes"


def _say_result(result: dict) -> None:
    _say_outcome(result)
    for warning in result.get("warnings") or []:     # a generic C header name ("model.h"), for one
        say(warning)


def _say_outcome(result: dict) -> None:
    from edgeling.core.export.runtime_names import changes_words, checked_in_words

    v = result["verification"]
    if v is None:
        say(f"Wrote {result['path']} ({_size_said(result)}). Not verified (--no-verify).")
        return
    changed = changes_words(v)
    numbers = (f"agreement {v['agreement']:.2%}{f' ({changed})' if changed else ''}, max difference "
               f"{v['max_abs_diff']:.2g}, latency here (this computer) {v['latency_ms']:.3f} ms"
               + (" for the network alone" if v.get("latency_network_only") else ""))
    if v.get("accuracy") is not None:
        numbers += f", accuracy {v['accuracy']:.2%} (PyTorch {v['reference_accuracy']:.2%})"
    if v.get("arena_bytes") and (result.get("on_device") or {}).get("kind") in (None, "microcontroller"):
        numbers += f", TFLite Micro arena {v['arena_bytes']:,} bytes"
    if v.get("accuracy_loss_allowed") is not None and v["passed"]:   # a failure says it already
        from edgeling.core.export.verify import accuracy_loss_words

        numbers += f"; it {accuracy_loss_words(v)}"
    if v["passed"]:
        say(f"Wrote {result['path']} ({_size_said(result)}). Verified in {checked_in_words(v, result.get('format'))}: {numbers}.")
        if result.get("card"):       # the shop walk: the card and labels files were written unsaid
            name = Path(result["path"]).name
            labels = f" and {name}.labels.txt (the class names in the output's order)" if (
                result.get("card") or {}).get("labels") else ""
            say(f"Beside it: {name}.card.md (how to prepare an input and read the answer; .card.json for "
                f"programs){labels}.")
        from edgeling.core.export.card_device import ram_sentence

        ram = ram_sentence(Path(result["path"]).name, result.get("on_device"))
        if ram:
            from edgeling.core.export.card_device import header_arena_said

            reserved = result.get("arena_reserved_bytes")
            said = header_arena_said(result["path"], reserved) if result.get("format") == "c-header" else \
                f"(Reserve {reserved:,} bytes for the tensor arena, as the model card says.)" if reserved else ""
            say(ram + (f" {said}" if said else ""))
        for line in (result.get("on_device") or {}).get("sensor_notes") or []:
            say(f"Sensor: {line}")      # the board's own sensor library (the GUI walk: said only in the card)
        if result.get("runner"):
            name = Path(result["path"]).name
            say(f"Wrote {result['runner']} beside it: it runs {name} in Python with nothing of Edgeling installed "
                f"(a Raspberry Pi, a PC). Copy {name}, {name}.card.json and it; the card's 'Run it in Python' "
                "says how.")
    else:
        say(f"Export FAILED verification in {checked_in_words(v, result.get('format'))}; nothing was written to {result['path']}. "
            f"{'; '.join(v['failures'])}. ({numbers})")

