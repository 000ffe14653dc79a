"""The model card written next to each export ``<file>`` (e.g. ``model.onnx``): ``<file>.card.md`` for
people, ``<file>.card.json`` for programs, and ``<file>.labels.txt`` (one class name a line, in output order).

The side files carry the export's whole file name, ending included, so that two models exported into one
folder (also ``model.onnx`` and ``model.tflite``) never overwrite each other's card or labels.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from edgeling.core.export.card_device import (
    device_latency_line,
    on_device,
    on_device_markdown,
)
from edgeling.core.export.files import Staged, write_export_json, write_export_text
from edgeling.core.export.input_recipe import for_a_microcontroller, recipe_markdown
from edgeling.core.export.python_runner import runner_markdown
from edgeling.core.export.runtime_names import checked_in_words

FORMAT_TITLES = {"onnx": "ONNX float32", "onnx-int8": "ONNX int8 (static QDQ)", "tflite": "TFLite float32",
                 "tflite-int8": "TFLite int8 (full integer)", "c-header": "C header (TFLite Micro, int8)"}


def card_paths(export_path: str | os.PathLike) -> dict[str, Path]:
    p = Path(export_path)
    return {"markdown": p.with_name(f"{p.name}.card.md"), "json": p.with_name(f"{p.name}.card.json"),
            "labels": p.with_name(f"{p.name}.labels.txt")}


def write_model_card(export_path: str | os.PathLike, card: dict[str, Any], staged: Staged | None = None
                     ) -> dict[str, Path]:
    """Write the three files for ``card`` (see ``build_card``); returns their paths. With ``staged`` they are
    only added to it, to be renamed in place with the model (``files.Staged``)."""
    paths = card_paths(export_path)
    labels = "".join(f"{c}\n" for c in card.get("classes") or [])
    if not labels:       # a model that predicts a number has no class names (the review: an empty labels.txt)
        paths.pop("labels")
    for path, text in [(paths["markdown"], card_markdown(card))] + ([(paths["labels"], labels)] if labels else []):
        staged.add_text(path, text) if staged is not None else write_export_text(path, text)
    staged.add_json(paths["json"], card) if staged is not None else write_export_json(paths["json"], card)
    return paths


def run_of_export(export_path, frontend: dict | None = None):
    """The run an exported file was made from (its card's ``run``, a full path), when that folder is still a run
    whose front end is the file's (``frontend``, as the file's metadata records it); else None. The regression
    walk: an older card's relative "runs/leaves", read from another folder, found an unrelated run, and
    evaluate said 46 of 53 new photos were ones it had learnt from."""
    import json

    from edgeling.core import runs
    from edgeling.core.fileio import read_json

    try:
        folder = read_json(card_paths(export_path)["json"]).get("run")
        if not folder or not Path(folder).is_absolute() or not runs.is_run(folder):
            return None
        run = runs.load_run(folder)
    except (OSError, ValueError, AttributeError, TypeError, runs.RunError):
        return None
    same = json.dumps(run.config.get("frontend"), sort_keys=True) == json.dumps(frontend, sort_keys=True)
    return run if frontend is not None and same else None


def build_card(*, export_path, fmt: str, spec: dict, input_shape, input_layout: str, frontend: dict,
               input_quantization: dict | None, metrics: dict | None, device: str | None,
               compression: list | None, verification: dict | None, size_bytes: int, run: str | None,
               output_shape=None, output_quantization: dict | None = None,
               calibration_samples: int | None = None, model_bytes: int | None = None,
               arena_reserved: int | None = None, model_data: bytes | None = None) -> dict:
    """``calibration_samples``: how many training samples calibrated an int8 quantization done by this very
    export (None when the file is float, or reuses the int8 file a compression wrote). ``size_bytes``: the
    file's size; ``model_bytes``: the model it holds (for a C header, the .tflite bytes it embeds as text:
    what goes into the device's flash; for other formats the file itself). ``arena_reserved``: for an int8
    file, the tensor arena to reserve on the device (the size a C header of it defines). ``model_data``: the
    model's bytes (a C header's: the .tflite it embeds) when the file is not yet at ``export_path``."""
    return {"file": Path(export_path).name, "format": fmt, "format_title": FORMAT_TITLES.get(fmt, fmt),
            "size_bytes": int(size_bytes), "model_bytes": int(size_bytes if model_bytes is None else model_bytes),
            "run": run, "data_kind": spec.get("kind"), "task": spec.get("task"),
            "classes": list(spec.get("class_names") or []),
            "input_shape": [d if isinstance(d, str) else int(d) for d in input_shape],
            "data_meta": dict(spec.get("meta") or {}),
            "input_layout": input_layout, "frontend": frontend, "input_quantization": input_quantization,
            "output_shape": [d if isinstance(d, str) else int(d) for d in (output_shape or [])],
            "output_quantization": output_quantization, **_tensor_names(fmt),
            "metrics": shareable_metrics(metrics or {}), "device": device, "compression": list(compression or []),
            "calibration_samples": calibration_samples, "verification": verification,
            "on_device": on_device(export_path, fmt, device, verification, arena_reserved, frontend,
                                   dict(spec.get("meta") or {}), model_data)}


NAMING_METRICS = ("worst_samples", "wrong_samples", "skipped", "data")
"""Results that name the files tested (and so, often, the people recorded: ``MiaS_go_03.wav``) or where the
data lies: kept in the run and its results files, never in a card, which goes to every device the model does."""


def shareable_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    """The run's test results for the card: without the files' names (the speech walk: a card that must go to
    the Pi with the model listed ten children's recordings by name, and each child's score), and with the
    held-out speakers or machines numbered instead of named (their scores stay: they widen the accuracy's
    95% range, as in results.md)."""
    out = {k: v for k, v in metrics.items() if k not in NAMING_METRICS}
    subjects = out.get("subjects")
    if isinstance(out.get("per_recording"), dict):       # counts only: the wrong ones are named by their files
        out["per_recording"] = {k: v for k, v in out["per_recording"].items() if k != "wrong"}
    if isinstance(subjects, dict):
        word = subjects.get("who") if subjects.get("who") in ("machine", "subject", "source") else "speaker"
        names = sorted({*(subjects.get("test") or []), *(subjects.get("right") or {})})
        alias = {name: f"{word} {i}" for i, name in enumerate(names, 1)}
        out["subjects"] = {**subjects, "test": [alias[n] for n in subjects.get("test") or []],
                           "right": {alias[n]: d for n, d in (subjects.get("right") or {}).items()}}
    return out


def device_words(device_id: str | None) -> str:
    """'Raspberry Pi 4 Model B (4 GB) (raspberry-pi-4)', the id alone for a device no longer known."""
    if not device_id:
        return "not chosen"
    from edgeling.core.devices.catalogue import find_device

    device = find_device(device_id)
    return f"{device.name} ({device_id})" if device is not None and device.name != device_id else str(device_id)


def metrics_lines(metrics: dict[str, Any]) -> list[str]:
    """The trained model's test results in words (the card's JSON keeps them all): what was measured on what,
    the scores against always answering the most common class, the accuracy on each class."""
    from edgeling.core.results_words import baseline_sentence, model_words, samples_phrase

    lines = []
    if metrics.get("arch"):
        lines.append(f"- Model: {model_words(metrics['arch'])}")
    if metrics.get("num_samples"):
        model = str(metrics.get("model") or "PyTorch")
        model = model if model.startswith("the ") else f"the {model} model"     # "the int8 file in LiteRT"
        lines.append(f"- Measured on: the {samples_phrase(metrics)}, with {model}"
                     f"{(', ' + str(metrics['evaluated'])[:10]) if metrics.get('evaluated') else ''}")
    if isinstance(metrics.get("accuracy"), (int, float)):
        verdict = baseline_sentence(metrics)
        lines.append(f"- Accuracy: {metrics['accuracy']:.1%}" + (f". {verdict}" if verdict else ""))
    for key, label, pct in (("macro_f1", "Macro-F1 (every class counts the same)", True),
                            ("roc_auc", "ROC AUC", False), ("mae", "Mean absolute error", False),
                            ("rmse", "Root mean squared error", False), ("r2", "R²", False)):
        if isinstance(metrics.get(key), (int, float)):
            lines.append(f"- {label}: {metrics[key]:.1%}" if pct else f"- {label}: {metrics[key]:.3g}")
    per_class = {c: d for c, d in (metrics.get("per_class") or {}).items()
                 if isinstance(d, dict) and d.get("support") and isinstance(d.get("recall"), (int, float))}
    if per_class:
        lines.append("- Accuracy on each class (recall): " + ", ".join(
            f"{c} {d['recall']:.0%} ({round(d['recall'] * d['support'])} of {d['support']})"
            for c, d in per_class.items()))
    return lines


WHAT_IS_ANSWERED = {"images": "a picture", "audio": "a sound clip", "timeseries": "a window of the sensor recording",
                    "table": "a row of the table"}
"""What one answer is about, per kind of data."""
MAX_CLASSES_SAID = 12


def answers_sentence(kind: str | None, task: str | None, classes: list, data_meta: dict | None) -> str:
    """What the model predicts, in one sentence: for a table the target column ("The model answers:
    Retourné — one of Non, Oui, for each row of the table."), a number's unit when its column name gives it,
    for other data the classes (and where the names came from)."""
    meta = data_meta or {}
    about = WHAT_IS_ANSWERED.get(kind or "", "an input")
    column = meta.get("target") if kind == "table" else meta.get("label_column") if kind == "timeseries" else None
    if task == "regression":
        unit = unit_of(column) if column else None
        what = f"{column} — a number" if column else "a number"
        return f"The model answers: {what}{f', in {unit}' if unit else ''}, for each {about.split(' ', 1)[1]}."
    names = [str(c) for c in classes or []]
    said = ", ".join(names) if len(names) <= MAX_CLASSES_SAID else \
        ", ".join(names[:MAX_CLASSES_SAID - 2]) + f" and {len(names) - MAX_CLASSES_SAID + 2} more, all in the labels file"
    if column:
        return f"The model answers: {column} — one of {said}, for each {about.split(' ', 1)[1]}."
    source = meta.get("labels_from")
    where = "; the names are those of the training folders" if source == "folders" else \
        f"; the names are the labels given in {source}" if isinstance(source, str) and source else ""
    return f"The model answers: which class {about} belongs to — one of {said}{where}."


def unit_of(column: str) -> str | None:
    """The unit a column's name gives at its end in brackets: 'Montant (€)' -> '€', 'Temp [°C]' -> '°C'."""
    import re

    m = re.search(r"[(\[]\s*([^()\[\]]{1,12}?)\s*[)\]]\s*$", column or "")
    return m.group(1) if m else None


def card_markdown(card: dict[str, Any]) -> str:
    v = card.get("verification")
    lines = [f"# Model card: {card['file']}", "",
             answers_sentence(card.get("data_kind"), card.get("task"), card.get("classes") or [],
                              card.get("data_meta")), "",
             "| | |", "| --- | --- |",
             f"| Format | {card['format_title']} |",
             *size_rows(card),
             f"| Data | {card.get('data_kind')} ({card.get('task')}) |",
             f"| Classes | {', '.join(card['classes']) or '-'} |",
             f"| Input | shape {card['input_shape']} ({card['input_layout']}; the first number is the batch)"
             f"{_tensor_named(card, 'input')} |",
             *([f"| Output | shape {card['output_shape']}{_tensor_named(card, 'output')}: "
                + ("one probability per class, in the order of the labels file |" if card.get("task") == "classification"
                   else "the predicted number |")] if card.get("output_shape") else []),
             f"| Device | {device_words(card.get('device'))} |",
             "| Compression | " + describe_compression(card["compression"], card.get("format"),
                                                    card.get("calibration_samples")) + " |"]
    q = card.get("input_quantization")
    if q:
        lines.append(f"| Input quantization | q = {quantize_words(q)} (int8) |")
    if card.get("run"):      # its folder in full: "../runs/leaf1" meant nothing to a firmware person (a walk)
        lines.append(f"| Trained as | the run {Path(str(card['run'])).name}, in {card['run']} |")
    lines += ["", "## Verification", ""]
    if not v:
        lines.append("Not verified (exported with --no-verify). Run the export again without it before use.")
    else:
        status = "PASSED" if v.get("passed") else "FAILED"
        lines.append(f"**{status}**: the file was run on {v.get('num_samples')} test samples in "
                     f"{checked_in_words(v, card.get('format'))}, and compared with the PyTorch model.")
        lines.append("")
        for key, label in [("agreement", "Top-1 agreement with PyTorch"), ("accuracy", "Accuracy of the file"),
                           ("reference_accuracy", "Accuracy of the PyTorch model"),
                           ("max_abs_diff", "Largest output difference"),
                           ("latency_ms", "Latency per prediction on this computer (ms), measured"
                            + network_alone(card.get("frontend"))),
                           ("arena_bytes", "TFLite Micro arena used here (bytes)")]:
            if v.get(key) is not None and (key != "arena_bytes" or for_a_microcontroller(card)):
                lines.append(f"- {label}: {_fmt(key, v[key])}")
            if key == "latency_ms" and device_latency_line(card):   # the board's figure next to this one
                lines.append(f"- {device_latency_line(card)}")
        if v.get("accuracy_loss_allowed") is not None and v.get("passed"):   # a failure says it below
            from edgeling.core.export.verify import accuracy_loss_words

            lines.append(f"- The file {accuracy_loss_words(v)}")
        for failure in v.get("failures") or []:
            lines.append(f"- Failed: {failure}")
    lines += on_device_markdown(card)
    if card.get("metrics"):
        lines += ["", "## How good the trained model is", "", *metrics_lines(card["metrics"])]
        from edgeling.core.results_words import accuracy_range_sentence, copies_sentence, few_samples_sentence

        if accuracy_range_sentence(card["metrics"]):  # how far the test score can be trusted
            lines += ["", accuracy_range_sentence(card["metrics"])]
        from edgeling.core.training.recording_answers import whole_recordings_sentence

        lines += ["", whole_recordings_sentence(card["metrics"])] if whole_recordings_sentence(card["metrics"]) else []
        if copies_sentence(card["metrics"]):   # a copy under the wrong label counts as a mistake: say so here too
            lines += ["", copies_sentence(card["metrics"])]
        if few_samples_sentence(card["metrics"]):   # a perfect score on 3 samples of a class is no proof
            lines += ["", few_samples_sentence(card["metrics"])]
    lines += runner_markdown(card)
    lines += recipe_markdown(card)
    lines += output_markdown(card)
    lines += ["", "## Front end (applied before the network)", "", "```json",
              _json(card.get("frontend")), "```", ""]
    return "\n".join(lines)


def quantize_words(q: dict) -> str:
    """'round(x / 0.0305172) - 18': the int8 quantization with its zero point's own sign."""
    zp = int(q["zero_point"])
    return f"round(x / {float(q['scale']):.6g}) {'-' if zp < 0 else '+'} {abs(zp)}"


def size_rows(card: dict[str, Any]) -> list[str]:
    """The file's size, and for a C header also the model it embeds: the header is C text, several times
    larger than the bytes it puts in flash."""
    if card.get("format") != "c-header":
        return [f"| File size | {card['size_bytes']:,} bytes |"]
    model = card.get("model_bytes")
    rows = [f"| Header file size | {card['size_bytes']:,} bytes of C source text (on the computer; not what the "
            "device stores) |"]
    if model:
        rows.append(f"| Model in flash | {model:,} bytes: the model array the header embeds (the firmware's own "
                    "code comes on top) |")
    return rows


def output_markdown(card: dict[str, Any]) -> list[str]:
    """What the file's output means, and how to read it (the other half of "the outputs do not match")."""
    shape, q = card.get("output_shape") or [], card.get("output_quantization")
    kind = "int8" if q else "32-bit floats"
    lines = ["", "## What the model answers", ""]
    if card.get("task") == "regression":
        target = (card.get("data_meta") or {}).get("target") if card.get("data_kind") == "table" else None
        lines.append(f"The output (shape {shape}, {kind}) is the predicted value"
                     + (f" of {target}." if target else "."))
    else:
        classes = card.get("classes") or []
        lines.append(f"The output (shape {shape}, {kind}) holds one probability per class, adding up to 1, in "
                     f"the order of the labels file `{card['file']}.labels.txt` (index 0 = its first line): "
                     + ", ".join(f"{i} = {c}" for i, c in enumerate(classes)) + ". The answer is the class "
                     "with the largest value.")
    if q:
        zp = int(q["zero_point"])
        lines.append(f"Read each int8 value q as y = (q {'-' if zp >= 0 else '+'} {abs(zp)}) * {float(q['scale']):.6g}.")
    return lines


INT8_FORMATS = ("onnx-int8", "tflite-int8", "c-header")


def describe_compression(records: list, fmt: str | None = None, calibration_samples: int | None = None) -> str:
    """What was done to the model, in words (the JSON card keeps every number). An int8 file (``fmt``) made
    from a run with no int8 step says that the export quantized it, so the line never reads "none" under
    "Format: ONNX int8"."""
    said = _describe_records(records)
    quantized = any(isinstance(r, dict) and r.get("pass") in ("ptq", "qat") for r in records or [])
    if fmt in INT8_FORMATS and not quantized:
        how = (f"static, calibrated on {calibration_samples:,} training samples" if calibration_samples
               else "static, calibrated on training samples")
        at_export = f"this file is quantized to int8 at export ({how})"
        return f"{'; '.join(said)}; then {at_export}" if said else f"none before export; {at_export}"
    return "; ".join(said) or "none"


def _describe_records(records: list) -> list[str]:
    said = []
    for r in records or []:
        if not isinstance(r, dict):
            said.append(str(r))
            continue
        kind, epochs = r.get("pass"), r.get("fine_tune_epochs")
        tuned = f", fine-tuned {epochs} epochs" if epochs else ""
        if kind == "prune" and r.get("method") == "structured":
            said.append(f"structured pruning: {r.get('fraction', 0):.0%} of the channels removed{tuned}")
        elif kind == "prune":
            said.append(f"magnitude pruning: {r.get('fraction', 0):.0%} of the weights set to zero{tuned} (the "
                        "zeros are stored: no smaller or faster for it)")
        elif kind == "ptq":
            said.append(f"int8 post-training quantization ({r.get('calibration_samples', '?')} calibration "
                        "samples)")
        elif kind == "qat":
            said.append(f"int8 quantization-aware training{tuned}")
        elif kind == "distill" and (r.get("compared") or {}).get("kept") == "alone":
            said.append(f"a {r.get('student_arch') or 'smaller'} student trained alone (the same student "
                        f"distilled from a {r.get('teacher_arch') or 'larger'} teacher did less well on "
                        "validation, so it was not kept)")
        elif kind == "distill":
            said.append(f"distillation from a {r.get('teacher_arch') or 'larger'} teacher into a "
                        f"{r.get('student_arch') or 'smaller'} student")
        else:
            said.append(str(kind))
    return said


FEATURES_OUTSIDE = {"audio": "log-mel features", "spectral": "spectral features"}
"""Front ends whose features are computed before the network, outside the exported file."""


def network_alone(frontend) -> str:
    """", the network alone (the log-mel features it takes are computed before it)" for a model whose input is
    prepared outside the file, else "": the speech walk read export's 0.062 ms beside evaluate's 0.8 ms, which
    counts the features too."""
    kind = (frontend or {}).get("type") if isinstance(frontend, dict) else None
    what = FEATURES_OUTSIDE.get(kind)
    return f", the network alone (the {what} it takes are computed before it, outside the file)" if what else ""


def _tensor_names(fmt: str) -> dict:
    """An ONNX file's input and output names, for the card (the shop walk: the reseller's software asks for
    them; the regression walk: the .card.json a program reads lacked them)."""
    if not str(fmt or "").startswith("onnx"):
        return {}
    from edgeling.core.export.onnx_export import INPUT_NAME, OUTPUT_NAME

    return {"input_name": INPUT_NAME, "output_name": OUTPUT_NAME}


def _tensor_named(card: dict, which: str) -> str:
    """", tensor named 'input'" for an ONNX file, from the card's own names."""
    name = card.get(f"{which}_name") or _tensor_names(card.get("format")).get(f"{which}_name")
    return f", tensor named '{name}'" if name else ""


def _fmt(key: str, value: Any) -> str:
    if key in ("agreement", "accuracy", "reference_accuracy"):
        return f"{100 * value:.2f}%"
    if key == "max_abs_diff":
        return f"{value:.3g}"
    if key == "latency_ms":
        return f"{value:.3f}"
    return str(value)


def _json(obj: Any) -> str:
    import json

    from edgeling.core.export.files import json_default

    return json.dumps(obj, indent=2, default=json_default, ensure_ascii=False)
