"""The Export page's words, which depend on the device the run is for: the formats (a microcontroller runs int8
TFLite in TensorFlow Lite Micro; a Raspberry Pi, a phone or a PC runs them in TensorFlow Lite or ONNX Runtime),
which ones are ticked, and what the model card next to each file is for."""

from __future__ import annotations

from edgeling.core.compress.notes import float_is_source

FORMATS = (("tflite-int8", "TFLite, int8 (microcontrollers)", ".tflite"),
           ("tflite", "TFLite, float", ".tflite"),
           ("onnx", "ONNX, float (PCs, phones)", ".onnx"),
           ("onnx-int8", "ONNX, int8", ".onnx"),
           ("c-header", "C header for TFLite Micro", ".h"))
EXPORT_COLUMNS = ["file", "format", "size", "check", "agreement", "accuracy", "latency\nhere",
                  "tensor arena\nto reserve"]
"""The last column is the tensor arena alone (what the C header #defines), not all the RAM the model needs: the
pump walk read "RAM to reserve: 2.6 KB" there while the note under the table said "about 7.6 KB of RAM"."""
INT8_FORMATS = ("tflite-int8", "onnx-int8", "c-header")
FORMAT_WORDS = {fmt: label for fmt, label, _ext in FORMATS}
FORMAT_SHORT = {"tflite-int8": "int8 TFLite", "tflite": "float TFLite", "onnx": "float ONNX",
                "onnx-int8": "int8 ONNX", "c-header": "the C header"}
FORMAT_COLUMN = {**FORMAT_SHORT, "c-header": "C header"}
"""The table's format column: the plain names ("int8 TFLite"), not the command's codes ("tflite-int8")."""
DEFAULT_FORMATS = ("tflite-int8", "onnx")


def format_cell(fmt: str, micro: bool = True) -> tuple[str, str]:
    """The format column's text and tooltip: the plain name, then the full words and the code the terminal uses.
    ``micro``: the file is for a microcontroller (or its device is not known); else the words of the tick box
    for a Raspberry Pi, a phone or a PC (the speech walk: "TFLite, int8 (microcontrollers)" for a Pi's file)."""
    if fmt not in FORMAT_COLUMN:
        return fmt, ""
    words = FORMAT_WORDS[fmt] if micro else NEUTRAL_LABELS.get(fmt, FORMAT_WORDS[fmt])
    return FORMAT_COLUMN[fmt], f"{words} (in the terminal: --format {fmt})"
MICRO = "TensorFlow Lite Micro"


def fitting_formats(device) -> list[str]:
    """The page's formats that run on ``device``: a microcontroller runs int8 TFLite in TensorFlow Lite Micro
    (the C header embeds that file); other devices run the formats the catalogue lists for them. Every
    format when the device is not known."""
    if device is None:
        return [f for f, _label, _ext in FORMATS]
    return [f for f in ("tflite-int8", "c-header", "tflite", "onnx", "onnx-int8") if device.runs_format(f)]


def default_formats(device) -> list[str]:
    """The formats ticked for ``device``: what a microcontroller needs (the C header and int8 TFLite); for a PC
    float ONNX, which runs in ONNX Runtime on any of them at full accuracy (int8 is for small devices); else
    int8 TFLite and float ONNX as before, leaving out what the device does not run."""
    if device is not None and device.is_microcontroller:
        return ["tflite-int8", "c-header"]
    fits = fitting_formats(device)
    if device is not None and device.kind == "desktop" and "onnx" in fits:
        return ["onnx"]
    return [f for f in DEFAULT_FORMATS if f in fits] or fits[:1]


def first_ticks(device, greyed=()) -> list[str]:
    """The formats ticked at first for ``device`` when the picked run cannot give the ``greyed`` ones (a run
    only made int8 has no float model of its own): the device's defaults it can give, else the first format
    fitting the device that it can (a PC's int8-only run: int8 TFLite, the run's own int8 file; the upgrade
    walk found float ONNX greyed out and nothing ticked)."""
    wanted = [f for f in default_formats(device) if f not in greyed]
    return wanted or [f for f in fitting_formats(device) if f not in greyed][:1]


def _said(formats: list[str]) -> str:
    names = [FORMAT_SHORT.get(f, f) for f in formats]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def device_note(device, greyed=()) -> str:
    """One line under the formats for a microcontroller (it runs only some of them) or a PC (what is ticked
    and why, ``greyed`` being the formats the picked run cannot give); empty for the others."""
    if device is not None and device.kind == "desktop":
        ticked = first_ticks(device, greyed)
        if ticked == ["onnx"]:
            return (f"{device.name} is a PC: float ONNX is ticked at first, as it runs in ONNX Runtime on Windows, "
                    "macOS and Linux with the trained model's full accuracy. The int8 files are for "
                    "microcontrollers and other small devices.")
        if "onnx" in greyed and "onnx" in default_formats(device) and ticked:
            return (f"{device.name} is a PC: {_said(ticked)} is ticked at first, as this run is an int8 model "
                    f"and that is its own file. Float ONNX, ticked at first for a PC's other runs, is greyed out "
                    "for this one (the line below says why); for ONNX Runtime, tick int8 ONNX.")
    if device is None or not device.is_microcontroller:
        return ""
    return (f"{device.name} is a microcontroller: it runs int8 TFLite files in {MICRO}, so the C header and "
            "int8 TFLite are ticked at first; the float and ONNX files do not run on it.")


NEUTRAL_LABELS = {"tflite-int8": "TFLite, int8 (small and fast: Raspberry Pi, phones)",
                  "onnx": "ONNX, float (PCs, Raspberry Pi)",
                  "c-header": "C header for TFLite Micro (microcontrollers only)"}
"""The labels for a device that is not a microcontroller (the others say what a firmware needs); the C header
stays offered (a board may come later) but says it is not for this device, and is not ticked."""
ARENA_HEADING = EXPORT_COLUMNS[-1]
HINT = ("Write the model as a file for your device. Each file is checked after it is written: it is run by the real "
        "runtime and compared with the trained model. Next to each file: its labels, and a model card (.card.md) ")


def is_micro(device) -> bool:
    return device is None or bool(device.is_microcontroller)


def format_label(fmt: str, device) -> str:
    """The tick box's words for ``fmt``: for a microcontroller (or a device not known) as in FORMATS; for a
    Raspberry Pi, a phone or a PC without "(microcontrollers)"."""
    return FORMAT_WORDS[fmt] if is_micro(device) else NEUTRAL_LABELS.get(fmt, FORMAT_WORDS[fmt])


def hint_for(device) -> str:
    """The page's hint: the card tells the firmware person (a microcontroller), or how to run the file on the
    device (a Raspberry Pi, a phone, a PC)."""
    if is_micro(device):
        return HINT + "that tells the firmware person how to prepare an input on the device."
    return HINT + f"that explains how to run it on {device.in_sentence}: how to prepare an input and read the answer."


def is_for_microcontroller(entry: dict, on_device: dict) -> bool:
    """True when an export listed on the page is for a microcontroller: a C header, or its card's device is one."""
    return entry.get("format") == "c-header" or on_device.get("kind") == "microcontroller"


def runner_sentence(model_file: str, device) -> str:
    """The line under an export that wrote ``edgeling_run.py`` beside ``model_file`` (core's ``runner``): what
    the script is for, and where the card says how to use it."""
    where = device.name if device is not None else "the device (a Raspberry Pi, a Linux board or a PC)"
    return (f"edgeling_run.py was written beside {model_file}: it runs the model on {where} with only Python "
            "installed (no Edgeling). The model card's section 'Run it in Python' says what to copy there and "
            "what to type.")


def check_words(v: dict, micro: bool = True) -> str:
    """Where a file was checked, in plain words: "Checked in TensorFlow Lite (LiteRT) on 42 test samples".
    ``micro``: the file is for a microcontroller (or its device is not known), and its check in TensorFlow Lite
    Micro is said; a Raspberry Pi's file runs in TensorFlow Lite, which is what is said for it."""
    from edgeling.core.export.runtime_names import checked_in_words

    said = f"Checked in {checked_in_words(v)}"
    if micro and v.get("micro_agreement") is not None:
        said += " and in TensorFlow Lite Micro"
    if isinstance(v.get("num_samples"), int):
        said += f" on {v['num_samples']} test samples"
    return said + "."


def failed_checks(v: dict) -> str:
    """The checks a file failed, named: "TensorFlow Lite (LiteRT)", "TensorFlow Lite Micro", or both joined
    with "and" (a failure saying "TensorFlow Lite Micro …" is Micro's check; the others are the runtime's)."""
    from edgeling.core.export.runtime_names import runtime_words

    failures = [str(f) for f in v.get("failures") or []]
    micro = [f for f in failures if f.startswith(MICRO)]
    names = [runtime_words(v.get("runtime"))] if len(micro) < len(failures) or not failures else []
    return " and in ".join(names + ([MICRO] if micro else []))


def export_file_name(project_name: str, run_name: str, fmt: str, ext: str) -> str:
    """The file an export writes, named after the project and the run: "Retours-run-001.onnx",
    "Retours-run-001-int8.tflite" for the int8 formats, and for the C header a name C accepts in an
    ``#include`` and as a variable: "Retours_run_001.h" (accents dropped, other signs made "_")."""
    import re
    import unicodedata

    from edgeling.core.project import slugify

    base = f"{slugify(project_name)}-{run_name}"
    if fmt == "c-header":
        plain = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
        return (re.sub(r"[^0-9A-Za-z]+", "_", plain).strip("_") or "model") + ext
    return base + ("-int8" if fmt in INT8_FORMATS else "") + ext


FLOAT_FORMATS = ("tflite", "onnx")


def float_is_original(entry: dict | None) -> str | None:
    """The name of the run whose float model a float export of ``entry`` would write, when that is another
    run's: a run only made int8 (int8 without re-training: its float weights are its source's, unchanged, and
    its int8 is in its own int8 file), else None. A pruned, distilled or re-trained run has float weights of
    its own."""
    if not entry:
        return None
    return float_is_source(entry.get("passes"), entry.get("compressed_from"))    # core's rule: export refuses them


def float_of_original_words(run: str, original: str) -> str:
    """Why the float formats are greyed out for ``run``, made int8 from ``original``."""
    return (f"{run} was only made int8: its float model is {original}'s, unchanged. To export the float model, "
            f"choose {original} above; here, export the int8 formats.")
