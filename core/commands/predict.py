"""``edgeling predict RUN FILE...``: labels and confidences for new files with a trained run, or with a
file exported from it (``edgeling predict model.tflite FILE...``; .onnx or .tflite, float or int8)."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.commands.common import CommandError, add_json_flag, emit_json, say


def register(sub) -> None:
    p = sub.add_parser("predict", help="predict new files with a trained run or an exported model file")
    p.add_argument("run_dir", metavar="RUN",
                   help="the run folder given to 'edgeling train --out', or a .onnx / .tflite file exported "
                        "with 'edgeling export'")
    p.add_argument("files", nargs="+", metavar="FILE", help="pictures, clips, recordings or CSV tables, or folders "
                   "of them (every file in a folder that the model takes)")
    p.add_argument("--save-answers", metavar="FILE.csv",
                   help="also write the answers as a spreadsheet (one line per file or table row, with the "
                        "row's order number or ID when the table has one)")
    add_json_flag(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from edgeling.core.data.dataset import DataError
    from edgeling.core.data.row_names import place_words
    from edgeling.core.data.stuck_sensor import NO_READING
    from edgeling.core.export.errors import ExportError
    from edgeling.core.runs import RunError
    from edgeling.core.training.answer_trust import trust_notes
    from edgeling.core.training.predict import (
        INT8_FILE_SAID,
        PYTORCH,
        aggregated_notes,
        is_exported_file,
        predict_files_with_export,
        predict_run,
    )
    from edgeling.core.training.predict_inputs import model_kind, with_folders_opened

    _check_answers_path(args.save_answers, args.files)
    exported = is_exported_file(args.run_dir)
    answered_by = None
    try:
        files = with_folders_opened(args.files, model_kind(args.run_dir))
        if exported:
            predictions = predict_files_with_export(args.run_dir, files)
            file_words = exported_file_words(args.run_dir)
            answered_by = f"{Path(args.run_dir).name} ({file_words})"
        else:
            predictions, answered_by = predict_run(args.run_dir, files)
    except (DataError, RunError) as e:
        raise CommandError(str(e), 2, {"files": getattr(e, "files", [])[:50]}) from None
    except ExportError as e:
        raise CommandError(str(e), 2, e.details) from None
    for p in predictions:
        if "error" in p:
            say(f"{p['source']}: not predicted. {p['error']}")
        elif "value" in p:
            say(f"{place_words(p)}: {p['value']:.4g}")
        else:
            summary = windows_summary(p)
            if summary and len({str(w.get("label")) for w in p["windows"] if "label" in w}) > 1:
                say(f"{place_words(p)}: the answer changes along the recording: {summary}")   # as the app leads
                say(f"  over the whole recording: {p['label']} ({p['confidence']:.0%}), the mean of its "
                    f"{p.get('parts') or 'windows'}' answers (how sure each is of each class), not a count of them")
                continue
            if p.get("no_reading"):     # a dead sensor's "normal (100%)" is no answer (the GUI walk)
                say(f"{place_words(p)}: no answer: {NO_READING} (it said {p['label']})")
                continue
            say(f"{place_words(p)}: {p['label']} ({p['confidence']:.0%}){near_tie(p)}")
            if summary:
                say(f"  {summary}")
    notes = aggregated_notes(predictions) + trust_notes(predictions, _test_results(args.run_dir, exported))
    for note in notes:
        say(f"Note: {note}")
    unread = sum("error" in p for p in predictions)
    if unread:
        say(f"{unread} of {len(files)} files could not be read (see above); the others were predicted.")
    if answered_by == INT8_FILE_SAID:
        from edgeling.core.compress.int8 import INT8_FILE

        say(f"Answered by the run's int8 file ({INT8_FILE}, the model that goes on the device), as 'edgeling "
            "evaluate' scores this run.")
    elif answered_by == PYTORCH:
        say("Answered by the trained model (the one training kept, at full precision).")
    elif exported:
        say(f"Answered by the exported file {args.run_dir} ({file_words}).")
    elif answered_by:
        say(f"Answered by {answered_by}.")
    if args.save_answers:
        from edgeling.core.answers_file import write_answers

        try:
            written = write_answers(args.save_answers, predictions, files)
        except OSError as e:
            raise CommandError(f"The answers could not be written to {args.save_answers} ({e.strerror or e}). "
                               "Choose another place (a folder you can write to, with free space).", 2) from None
        say(f"Answers saved in {written} (opens in a spreadsheet).")
    if args.json:
        printed = {"model" if exported else "run": args.run_dir}
        if answered_by:
            printed["answered_by"] = answered_by
        emit_json({**printed, "predictions": predictions, "notes": notes})
    return 2 if unread else 0


FORMAT_WORDS = {"onnx": "ONNX float32", "onnx-int8": "ONNX int8", "tflite": "TFLite float32",
                "tflite-int8": "TFLite int8"}


def exported_file_words(path) -> str:
    """What an exported file is and what runs it, e.g. "TFLite int8, run in LiteRT"."""
    from edgeling.core.export.runtimes import read_export_metadata

    suffix = Path(path).suffix.lower()
    try:
        fmt = read_export_metadata(path).get("format")
    except Exception:  # noqa: BLE001 - it was just read to predict; words only, never an error here
        fmt = None
    words = FORMAT_WORDS.get(fmt) or ("ONNX" if suffix == ".onnx" else "TFLite")
    runtime = "ONNX Runtime" if suffix == ".onnx" else "LiteRT"
    return f"{words}, run in {runtime}"


MOST_CHANGES_SAID = 3
NEAR_TIE = 0.05


def near_tie(p: dict) -> str:
    """", nearly tied with aide (25%)" when the second answer is within NEAR_TIE of the first: the speech GUI
    walk read "encore (26% sure)" for a clip of 'aide', which had 25%."""
    top = p.get("top") or []
    if len(top) < 2 or top[0]["confidence"] - top[1]["confidence"] >= NEAR_TIE:
        return ""
    return f", nearly tied with {top[1]['label']} ({top[1]['confidence']:.0%})"


def _test_results(model: str, exported: bool) -> dict | None:
    """The run's test results (metrics.json), or an exported file's (its card's); None when there are none."""
    import json
    from pathlib import Path

    from edgeling.core.runs import RunError

    try:
        if exported:
            card = Path(model).with_name(Path(model).name + ".card.json")
            return json.loads(card.read_text(encoding="utf-8")).get("metrics")
        from edgeling.core import runs

        return runs.load_run(model).metrics
    except (OSError, ValueError, AttributeError, RunError):
        return None


def _check_answers_path(path, files: list[str]) -> None:
    """Refuse an answers file that would overwrite one of the files to predict, or a folder."""
    from pathlib import Path

    if not path:
        return
    target = Path(path).expanduser().resolve()
    if any(Path(f).expanduser().resolve() == target for f in files):
        raise CommandError(f"{path} is one of the files to predict; saving the answers there would overwrite it. "
                           "Nothing was written: choose another name, e.g. answers.csv.", 2)
    if target.is_dir():
        raise CommandError(f"{path} is a folder; --save-answers needs a file name, e.g. "
                           f"{Path(path) / 'answers.csv'}.", 2)


def windows_summary(prediction: dict, detail_hint: str = " (each window's answer: --json)") -> str | None:
    """For a recording answered window by window (``prediction["windows"]``), one line: how many windows
    each class won and where the answer changes, e.g. "44 windows: 29 normal, 15 cavitation; cavitation from
    the window starting at t = 29.0 s" (the file's own answer averages the windows' probabilities, which can
    hide a change). None for a file with one window."""
    windows = [w for w in prediction.get("windows") or [] if "label" in w]
    if len(windows) < 2:
        return None
    dead = sum(bool(w.get("no_reading")) for w in windows)
    parts = str(prediction.get("parts") or "windows")       # a sound recording's: "clips"
    counted_from = ""
    if 0 < dead < len(windows):     # windows of a stuck sensor say nothing (the file's answer leaves them out too)
        counted_from = f"{len(windows)} windows, {dead} of them with readings that never change (not counted); "
        windows = [w for w in windows if not w.get("no_reading")]
    labels = [str(w["label"]) for w in windows]
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])   # stable: ties in order of appearance
    head = f"{counted_from}the other {len(windows)}: " if counted_from else f"{len(windows)} {parts}: "
    line = head + ", ".join(f"{n} {label}" for label, n in ranked)
    changes = [i for i in range(1, len(labels)) if labels[i] != labels[i - 1]]
    times = [_window_start(str(w.get("source", ""))) for w in windows]
    if not changes or any(times[i] is None for i in changes):
        return line
    if len(changes) > MOST_CHANGES_SAID:
        return line + f"; the answer changes {len(changes)} times{detail_hint}"
    return line + "; " + ", ".join(f"{labels[i]} from the {parts[:-1]} starting at t = {_seconds(times[i])} s"
                                for i in changes)


def _window_start(source: str) -> float | None:
    """The start time a window's source gives ("pump.csv#t=30.00"), or None."""
    _, found, t = source.rpartition("#t=")
    try:
        return float(t.split("-")[0]) if found else None
    except ValueError:
        return None


def _seconds(t: float) -> str:
    text = f"{t:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text
