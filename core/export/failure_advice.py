"""What the ``export`` command says after a file failed its check, and which formats a device runs.

The check asks an int8 file to give the trained model's own answers (at most a few may differ). The usual way
out is int8 with re-training (QAT); a run already made that way needs something else: less pruning, longer
re-training, or a float file when the device runs one (the tester's walk: a pruned + QAT run was told to do
QAT again, what had made it)."""

from __future__ import annotations

from pathlib import Path

INT8_FORMATS = ("tflite-int8", "onnx-int8", "c-header")
FLOAT_NAMES = {"onnx": "float ONNX", "tflite": "float TFLite"}


def runs_on(device, fmt: str) -> bool:
    """``device.runs_format(fmt)``; True for no device (nothing is known against it)."""
    return device is None or device.runs_format(fmt)


def format_not_for_device(device_id: str | None, fmt: str, file_name: str) -> str:
    """A note for a file written for a device that does not run it (a float .tflite for an ESP32-S3, which runs
    int8 only; the app says so on its Export page, the command wrote it unsaid); '' otherwise. Not a refusal:
    the file still runs on a computer."""
    from edgeling.core.devices.catalogue import find_device

    device = find_device(device_id)
    if device is None or not device.is_microcontroller or runs_on(device, fmt):
        return ""
    kind = {"onnx": "a float ONNX file", "onnx-int8": "an ONNX file", "tflite": "a float TFLite file"}.get(
        fmt, "this kind of file")
    return (f"{device.name} is a microcontroller: TensorFlow Lite Micro on it runs int8 TFLite files only, so "
            f"{file_name} ({kind}) does not run on it. It is still written (for a PC or a Raspberry Pi, say); for "
            "the board export --format tflite-int8 or c-header.")


def score_above_words(v: dict) -> str:
    """For an int8 file that failed only on agreeing with the model while scoring at least as well: it is a
    different model, not a worse one ('' otherwise). Said so the higher accuracy beside 'FAILED' reads right."""
    n, agreement = v.get("num_samples"), v.get("agreement")
    acc, ref = v.get("accuracy"), v.get("reference_accuracy")
    if not (isinstance(n, int) and n and isinstance(agreement, (int, float))
            and isinstance(acc, (int, float)) and isinstance(ref, (int, float)) and acc >= ref):
        return ""
    changed = round((1 - agreement) * n)
    if not changed:
        return ""
    more = "more" if acc > ref else "as many"
    against = f" ({acc:.1%} against {ref:.1%})" if acc > ref else ""
    return (f"The int8 file got {more} test samples right than the trained model{against}, but it answers {changed} "
            f"of the {n} differently from it, so it is not shown as the same model: the check asks that the file "
            "give the model's own answers.")


def int8_advice(passes, compressed_from, device_id: str | None) -> str:
    """What to do after an int8 file failed its check, for a model that learnt: int8 with re-training; for a run
    already made so, compressing its source run again with less pruning or longer re-training. A float file
    is offered only when the device runs one."""
    from edgeling.core.devices.catalogue import find_device

    records = [p for p in passes or [] if isinstance(p, dict)]
    kinds = {str(p.get("pass")) for p in records} | {str(p) for p in passes or [] if isinstance(p, str)}
    device = find_device(device_id)
    floats = [f for f in ("tflite", "onnx") if runs_on(device, f)]
    if device is None:
        alt = "; or export a float format (onnx, tflite) if the device runs one."
    elif floats:
        alt = f"; or export {' or '.join(FLOAT_NAMES[f] for f in floats)}, which {device.in_sentence} also runs."
    else:
        alt = "."           # a microcontroller: no float file runs there
    if "qat" not in kinds:
        return ("Make the run int8 with re-training, which keeps the answers closer (edgeling compress RUN "
                f"--quantize qat --out NEW_RUN), then export the new run{alt}")
    source = str(compressed_from) if compressed_from else "the run it came from"
    prune = next((p for p in records if p.get("pass") == "prune"), None)
    epochs = max((int(p.get("fine_tune_epochs") or 0) for p in records
                  if p.get("pass") in ("prune", "qat")), default=0)
    longer = f" --fine-tune-epochs {2 * epochs}" if epochs else " --fine-tune-epochs 10"
    flags = ""
    tips = []
    if prune is not None:
        structured = " --structured" if prune.get("method") == "structured" else ""
        fraction = float(prune.get("fraction") or 0.5)
        less = max(0.1, round(fraction - 0.2, 1))
        flags = f" --prune {fraction:g}{structured}"
        tips.append(f"prune less (edgeling compress {source} --prune {less:g}{structured} --quantize qat --out "
                    "NEW_RUN)")
    tips.append(f"re-train longer (edgeling compress {source}{flags} --quantize qat{longer} --out NEW_RUN)")
    name = Path(source).name if compressed_from else "its source run"
    return (f"This run was already made int8 with re-training, so doing that again will not help. Compress "
            f"{name} again and {' or '.join(tips)}, then export the new run{alt}")
