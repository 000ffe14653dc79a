"""``edgeling_run.py``, written next to an exported .tflite / .onnx model of pictures or sound clips for a
device that runs Python (a Raspberry Pi, a Linux board, a PC): it prepares an input as Edgeling did and runs
the model, with nothing of Edgeling installed there. The script is one fixed file
(``resources/runner/edgeling_run.py``, numpy and the model's runtime only); what it needs about the model it
reads from the model's card (``<file>.card.json``). tests/core/test_python_runner.py holds it to the
answers ``edgeling predict`` gives with the same file.

Microcontrollers get a C header and firmware steps instead; tables and sensor recordings are prepared as
the card's recipe says (their row / window code is not in the script).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from edgeling.core.export.files import write_export
from edgeling.core.resources import resource

RUNNER_FILE = "edgeling_run.py"
RUNNER_KINDS = ("images", "audio")
RUNNER_FORMATS = ("onnx", "onnx-int8", "tflite", "tflite-int8")


def writes_runner(fmt: str, kind: str | None, device_id: str | None) -> bool:
    """Whether an export gets the script: a picture or sound model, as .onnx or .tflite, for a device that is
    not a microcontroller (or none chosen)."""
    if fmt not in RUNNER_FORMATS or kind not in RUNNER_KINDS:
        return False
    from edgeling.core.devices.catalogue import find_device

    device = find_device(device_id)
    return device is None or device.kind != "microcontroller"


def runner_source() -> bytes:
    return resource("runner", RUNNER_FILE).read_bytes()


def write_runner(folder: str | Path) -> Path:
    """Write the script into ``folder`` (atomically; the same text for every export, so a second model's
    export in the folder rewrites it unchanged)."""
    return write_export(Path(folder) / RUNNER_FILE, runner_source())


def runner_packages(kind: str | None, onnx: bool) -> str:
    """What ``pip`` installs for the script: numpy, the model's runtime, and the reader of its files (Pillow
    for pictures; soundfile for sound other than plain WAV)."""
    reader = "pillow" if kind == "images" else "soundfile"
    return f"numpy {reader} {'onnxruntime' if onnx else 'ai-edge-litert'}"


def runner_markdown(card: dict[str, Any]) -> list[str]:
    """The card's "Run it in Python" section, with the file's own name, or [] when no script was written."""
    if not card.get("runner"):
        return []
    name = card["file"]
    onnx = name.lower().endswith(".onnx")
    example = "photo.jpg" if card.get("data_kind") == "images" else "clip.wav"
    packages = runner_packages(card.get("data_kind"), onnx)
    device = (card.get("on_device") or {}).get("name") or "the device (a Raspberry Pi, a Linux board or a PC)"
    return ["", "## Run it in Python (Raspberry Pi, PC)", "",
            f"`{card['runner']}`, next to this file, prepares a {('picture' if example == 'photo.jpg' else 'sound clip')} "
            "exactly as Edgeling did when it trained and checked the model, runs the model and says the answer, "
            "with nothing of Edgeling installed. Copy the model, this card (`.card.json`) and the script to "
            f"{device}, then once, in a terminal there (a Python environment of its own: Raspberry Pi OS "
            "since Bookworm lets pip install only into one):", "",
            "```", "python3 -m venv ~/edgeling-env", f"~/edgeling-env/bin/python -m pip install {packages}", "```",
            "", "and for each file (or `from edgeling_run import Model` in your own program, run with that "
            "Python; see the script's first lines):", "",
            "```", f"~/edgeling-env/bin/python {card['runner']} {name} {example}", "```", "",
            f"On Windows: `py -m venv edgeling-env`, `edgeling-env\\Scripts\\python -m pip install {packages}`, "
            f"then `edgeling-env\\Scripts\\python {card['runner']} {name} {example}`."]
