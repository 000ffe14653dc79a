"""The device catalogue: bundled entries (resources/devices.json), the user's custom devices, this computer.

``list_devices()`` returns every device; ``get_device(id)`` one of them, or a ``DeviceError`` naming the
known ids. A ``Device`` is plain data; its ``cost`` dict is the latency cost model (see ``cost.py``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from edgeling.core.commands.common import CommandError
from edgeling.core.resources import resource

DEVICE_KINDS = ("microcontroller", "sbc", "phone", "desktop")
KIND_WORDS = {"microcontroller": "microcontroller", "sbc": "single-board computer", "phone": "phone",
              "desktop": "desktop"}
THIS_COMPUTER = "this-computer"


class DeviceError(CommandError):
    """An unknown device id, a broken catalogue, or an invalid custom device: a plain message, exit 2."""


def catalogue_path() -> Path:
    return resource("devices.json")


@dataclass
class Device:
    id: str
    name: str
    kind: str
    core: str
    clock_mhz: float
    ram_bytes: int
    flash_bytes: int
    formats: list[str]
    cost: dict[str, Any]
    """Cost model: ``runtime``, per precision ``{op kind: cycles per MAC, "element": cycles per element}``,
    ``op_overhead_cycles``, ``invoke_overhead_cycles``, ``source``."""
    chip: str = ""
    cores: int = 1
    largest_ram_block_bytes: int | None = None
    accelerators: list[str] = field(default_factory=list)
    notes: str = ""
    sensors: list[dict] = field(default_factory=list)
    """On-board sensors as their usual library reads them: ``{sensor, part, library, rate_hz, units, note}``
    (devices.json), for the sensor models' cards and headers."""
    origin: str = "catalogue"
    """"catalogue", "custom" or "measured" (this computer)."""

    @property
    def in_sentence(self) -> str:
        """The name inside a sentence: "this computer (AMD EPYC)", not "This computer" mid-sentence; others as
        they are."""
        return self.name[:1].lower() + self.name[1:] if self.id == THIS_COMPUTER else self.name

    @property
    def is_microcontroller(self) -> bool:
        return self.kind == "microcontroller"

    def runs_format(self, fmt: str) -> bool:
        """Whether a file exported as ``fmt`` (``tflite-int8``, ``tflite``, ``onnx``, ``onnx-int8``, ``c-header``)
        runs here: a microcontroller runs int8 TFLite in TensorFlow Lite Micro (a C header embeds such a file);
        other devices the formats the catalogue lists. The app's Export page and the command's notes ask this."""
        if self.is_microcontroller:
            return fmt in ("tflite-int8", "c-header")
        return fmt != "c-header" and {"tflite": "tflite-float32", "onnx-int8": "onnx"}.get(fmt, fmt) in set(self.formats)

    @property
    def default_precision(self) -> str:
        """int8 for microcontrollers, single-board computers and phones (TFLite); float32 on a desktop."""
        if self.kind == "desktop" or "tflite-int8" not in self.formats:
            return "float32"
        return "int8"

    def precisions(self) -> list[str]:
        out = []
        if "tflite-int8" in self.formats:
            out.append("int8")
        if "onnx" in self.formats or "tflite-float32" in self.formats:
            out.append("float32")
        return out

    def runtime(self, precision: str) -> str:
        """The runtime the estimates assume, in words."""
        if self.is_microcontroller:
            return "TensorFlow Lite Micro"
        if precision == "float32" and "onnx" in self.formats and self.kind in ("desktop", "sbc"):
            return "ONNX Runtime"
        return "TensorFlow Lite"

    @property
    def arena_limit_bytes(self) -> int:
        """The most RAM one block of memory (a TFLite Micro arena) can use."""
        return int(min(self.ram_bytes, self.largest_ram_block_bytes or self.ram_bytes))

    @property
    def kernel_library(self) -> str:
        """The optimized kernels TensorFlow Lite Micro uses on this device, from its cost model's runtime
        ("TensorFlow Lite Micro with ESP-NN" -> "ESP-NN"); "" when it runs the reference kernels or is not a
        microcontroller."""
        return kernel_library(self.cost.get("runtime", "")) if self.is_microcontroller else ""

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["default_precision"] = self.default_precision
        d["kind_words"] = KIND_WORDS.get(self.kind, self.kind)
        return d


def kernel_library(runtime: str) -> str:
    """"TensorFlow Lite Micro with ESP-NN" -> "ESP-NN"; "" for the reference kernels or no library named."""
    head, sep, library = str(runtime or "").partition(" with ")
    return library.strip() if sep and "Micro" in head else ""


RAM_HEADROOM = 0.25
"""Share of a microcontroller's RAM kept for the rest of the application: ``edgeling plan``'s default
``--ram-headroom`` (``autosize.budgets``)."""


def _field(device, name: str, default=None):
    return device.get(name, default) if isinstance(device, dict) else getattr(device, name, default)


def ram_available(device, headroom: float = RAM_HEADROOM) -> dict[str, Any] | None:
    """The RAM a model's tensor arena can really use on a microcontroller, as the plan judges it
    (``autosize.budgets``): the smaller of the RAM less the application's share and the largest free block
    (an arena must be one block; on an ESP32-S3 Wi-Fi and FreeRTOS take the rest). ``device``: a ``Device``
    or its dict (the app has dicts). ``{"bytes", "total_bytes", "limited_by", "words"}``; ``words`` says
    where the figure comes from, with the total RAM as context. None when the device is not a
    microcontroller or has no RAM figure."""
    from edgeling.core.models.autosize import format_bytes

    total = int(_field(device, "ram_bytes", 0) or 0)
    if _field(device, "kind") != "microcontroller" or total <= 0:
        return None
    block = int(_field(device, "largest_ram_block_bytes", 0) or total)
    after_app = int(total * (1 - headroom))
    if block < min(total, after_app):
        limited_by = "block"
        words = (f"the largest free block (an arena must fit in one; {format_bytes(total)} of RAM in all"
                 + (f"; {_ram_note(device)}" if _ram_note(device) else "") + ")")
    else:
        limited_by = "headroom"
        words = (f"{format_bytes(total)} of RAM less {headroom:.0%} kept for the rest of the firmware")
    available = min(block, after_app, total)
    return {"bytes": int(available), "total_bytes": total, "limited_by": limited_by, "words": words}


def _ram_note(device) -> str:
    """The catalogue note's sentence about free RAM, if it has one ("roughly 320 KB is free for data after
    Wi-Fi and the board's operating system (FreeRTOS)")."""
    import re

    for part in re.split(r"(?<=[.;])\s+|,\s+of which\s+", str(_field(device, "notes", "") or "")):
        if " free " in f" {part} ":
            return part.strip().rstrip(".;")
    return ""


@lru_cache(maxsize=4)
def _load_bundled(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise DeviceError(f"The device catalogue {path} cannot be read ({e}). Reinstall Edgeling.") from None
    if not isinstance(data, dict) or "devices" not in data or "cost_models" not in data:
        raise DeviceError(f"The device catalogue {path} is not in the expected format. Reinstall Edgeling.")
    return data


def cost_models() -> dict[str, dict]:
    return dict(_load_bundled(str(catalogue_path()))["cost_models"])


def device_from_entry(entry: dict, models: dict[str, dict], origin: str = "catalogue") -> Device:
    model_name = entry.get("cost_model", entry.get("core"))
    cost = dict(models.get(model_name, {}))
    if not cost and model_name != "host":
        raise DeviceError(f"Device {entry.get('id')!r} names an unknown cost model {model_name!r}.")
    return Device(id=str(entry["id"]), name=str(entry["name"]), kind=str(entry["kind"]),
                  core=str(entry["core"]), clock_mhz=float(entry.get("clock_mhz", 0)),
                  ram_bytes=int(entry.get("ram_bytes", 0)), flash_bytes=int(entry.get("flash_bytes", 0)),
                  formats=list(entry.get("formats", [])), cost=cost, chip=str(entry.get("chip", "")),
                  cores=int(entry.get("cores", 1)),
                  largest_ram_block_bytes=entry.get("largest_ram_block_bytes"),
                  accelerators=list(entry.get("accelerators", [])), notes=str(entry.get("notes", "")),
                  sensors=[dict(s) for s in entry.get("sensors") or [] if isinstance(s, dict)], origin=origin)


def bundled_devices() -> list[Device]:
    data = _load_bundled(str(catalogue_path()))
    models = data["cost_models"]
    return [device_from_entry(e, models) for e in data["devices"] if e["id"] != THIS_COMPUTER]


def list_devices(measure: bool = False) -> list[Device]:
    """Every device: the catalogue, then this computer, then the user's custom devices.

    ``measure``: run this computer's speed benchmark if no measurement is cached (imports torch)."""
    from edgeling.core.devices import custom, host

    return [*bundled_devices(), host.this_computer(measure=measure), *custom.load_custom_devices()]


def find_device(device_id: str | None) -> Device | None:
    """The device with this id, never measured (for words and checks about a run's or a file's device), or
    None when there is no id or it is unknown (a custom device removed since, a damaged custom file)."""
    if not device_id:
        return None
    try:
        return get_device(str(device_id), measure=False)
    except DeviceError:
        return None


def _id_key(typed: str) -> str:
    return "-".join(str(typed).strip().lower().replace("_", " ").split())


def known_device_id(typed: str) -> str:
    """The id of the device ``typed`` names in other capitals or spacing ('ESP32-S3', 'Raspberry Pi 4',
    'raspberry_pi_4'), as ``edgeling devices`` shows them; ``typed`` itself when it names none (the vineyard
    walk: '--device ESP32-S3' was refused, though the list prints 'ESP32-S3 (camera / dev boards)')."""
    from edgeling.core.devices import custom

    if typed == THIS_COMPUTER:
        return typed
    bundled = [d.id for d in bundled_devices()] + [THIS_COMPUTER]   # first: a damaged custom-devices file must
    found = typed if typed in bundled else next((i for i in bundled if _id_key(i) == _id_key(typed)), None)
    if found is not None:                                             # not hide the bundled boards (the review)
        return found
    ids = [d.id for d in custom.load_custom_devices()]
    if typed in ids:
        return typed
    return next((i for i in ids if _id_key(i) == _id_key(typed)), typed)


def get_device(device_id: str, measure: bool = True) -> Device:
    """The device with this id (this computer measured on first use), or DeviceError listing the ids."""
    from edgeling.core.devices import custom, host

    device_id = known_device_id(device_id)
    if device_id == THIS_COMPUTER:
        return host.this_computer(measure=measure)
    for d in bundled_devices():
        if d.id == device_id:
            return d
    for d in custom.load_custom_devices():
        if d.id == device_id:
            return d
    ids = [d.id for d in bundled_devices()] + [THIS_COMPUTER] + [d.id for d in custom.load_custom_devices()]
    from edgeling.core.terminal_hint import in_terminal

    raise DeviceError(f"There is no device called {device_id!r}. Known devices: {', '.join(ids)}. Choose one "
                      f"on the Model page{in_terminal('edgeling devices describes them all')}, or add your board "
                      "as a custom device.", 2, {"known_devices": ids})
