"""Custom devices a user adds (RAM, flash, clock, core), kept as JSON in the data folder (atomic writes).

Each custom device borrows the cost model of its core from the catalogue, so its latency estimate is as
good as that core's. Validation errors are ``DeviceError`` with plain words.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from edgeling.core.devices.catalogue import (
    DEVICE_KINDS,
    THIS_COMPUTER,
    Device,
    DeviceError,
    bundled_devices,
    cost_models,
    device_from_entry,
)

FILE_NAME = "custom-devices.json"
# cores a custom device may name: each is a cost model of the same name in resources/devices.json
CUSTOM_CORES = ("cortex-m0plus", "cortex-m4f", "cortex-m33", "cortex-m7", "xtensa-lx7", "cortex-a72",
                "cortex-a76", "cortex-a78")
MIN_RAM, MAX_RAM = 2 * 1024, 2 ** 40
MIN_FLASH, MAX_FLASH = 8 * 1024, 2 ** 44


def custom_devices_path() -> Path:
    from edgeling.core.project import data_root

    return data_root() / FILE_NAME


def _read_entries() -> list[dict]:
    from edgeling.core.fileio import read_json

    path = custom_devices_path()
    if not path.exists():
        return []
    try:
        data = read_json(path)
    except (OSError, ValueError) as e:
        raise DeviceError(f"Your custom devices file {path} cannot be read ({e}). Fix or delete it; the "
                          "bundled devices still work without it.") from None
    entries = data.get("devices") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise DeviceError(f"Your custom devices file {path} is not in the expected format. Delete it and "
                          "add your devices again.")
    return entries


def load_custom_devices() -> list[Device]:
    models = cost_models()
    out = []
    for e in _read_entries():
        try:
            out.append(device_from_entry(e, models, origin="custom"))
        except (KeyError, TypeError, ValueError) as err:
            raise DeviceError(f"A device in {custom_devices_path()} is incomplete ({err}). Delete it from "
                              "the file and add it again.") from None
    return out


def _slug(name: str) -> str:
    """The name in lower case with runs of other characters as "-"; letters of every script are kept
    ("日本 board é" -> "日本-board-é"), so two names in other alphabets do not both become "board"."""
    return re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", name).lower()).strip("-")[:40] or "device"


def _same_name(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", str(a)).strip().casefold() == unicodedata.normalize("NFC", str(b)).strip().casefold()


def validate_custom(name: str, ram_bytes: int, flash_bytes: int, clock_mhz: float, core: str,
                    kind: str) -> None:
    if not str(name).strip():
        raise DeviceError("Give the device a name, for example 'My sensor board'.")
    if core not in CUSTOM_CORES:
        raise DeviceError(f"Unknown processor core {core!r}. Choose the closest of: {', '.join(CUSTOM_CORES)}.")
    if kind not in DEVICE_KINDS:
        raise DeviceError(f"Unknown kind of device {kind!r}. Choose one of: {', '.join(DEVICE_KINDS)}.")
    if not MIN_RAM <= ram_bytes <= MAX_RAM:
        raise DeviceError(f"RAM of {ram_bytes / 1024:g} KB is not plausible. Enter the RAM in KB, e.g. 256 "
                          f"(at least {MIN_RAM // 1024} KB).")
    if not MIN_FLASH <= flash_bytes <= MAX_FLASH:
        raise DeviceError(f"Flash of {flash_bytes / 1024:g} KB is not plausible. Enter the flash (program "
                          f"storage) in KB, e.g. 1024 for 1 MB (at least {MIN_FLASH // 1024} KB).")
    if not 1 <= clock_mhz <= 10000:
        raise DeviceError(f"A clock of {clock_mhz} MHz is not plausible. Enter the CPU clock in MHz, "
                          "e.g. 64 or 240.")


def add_custom_device(name: str, ram_bytes: int, flash_bytes: int, clock_mhz: float, core: str,
                      kind: str = "microcontroller", device_id: str | None = None,
                      replace: bool = False) -> Device:
    """Validate, save and return the new device. Its id comes from the name, with a number added when
    another custom device already has it. A custom device of the same name (or ``device_id``) is replaced
    only with ``replace=True``; otherwise that is a DeviceError, so nothing is overwritten by accident."""
    from edgeling.core.fileio import atomic_write_json

    ram_bytes, flash_bytes, clock_mhz = int(ram_bytes), int(flash_bytes), float(clock_mhz)
    validate_custom(name, ram_bytes, flash_bytes, clock_mhz, core, kind)
    existing = _read_entries()
    device_id = device_id or _new_id(name, existing)
    if device_id == THIS_COMPUTER or device_id in {d.id for d in bundled_devices()}:
        raise DeviceError(f"The id {device_id!r} belongs to a bundled device; choose another name.")
    same = [e for e in existing if e.get("id") == device_id]
    if same and not replace:
        raise DeviceError(f"You already have a custom device {same[0].get('name')!r} (id {device_id!r}). To "
                          "change it, add it again as an update ('edgeling devices add ... --replace'); or "
                          "choose another name.")
    formats = ["tflite-int8"] if kind == "microcontroller" else ["tflite-int8", "tflite-float32", "onnx"]
    entry = {"id": device_id, "name": str(name).strip(), "kind": kind, "core": core, "clock_mhz": clock_mhz,
             "cores": 1, "ram_bytes": ram_bytes, "flash_bytes": flash_bytes, "accelerators": [],
             "formats": formats, "cost_model": core}
    entries = [e for e in existing if e.get("id") != device_id] + [entry]
    atomic_write_json(custom_devices_path(), {"format": 1, "devices": entries})
    return device_from_entry(entry, cost_models(), origin="custom")


def _new_id(name: str, entries: list[dict]) -> str:
    """``custom-<slug>``; the id of a custom device with the same name (to replace it); else, when another
    name already has that id, ``custom-<slug>-2``, ``-3``..."""
    base = "custom-" + _slug(name)
    taken = {e.get("id"): e.get("name", "") for e in entries}
    for n in range(1, 1000):
        candidate = base if n == 1 else f"{base}-{n}"
        if candidate not in taken or _same_name(taken[candidate], name):
            return candidate
    raise DeviceError(f"Too many custom devices are named like {name!r}; choose another name.")


def remove_custom_device(device_id: str) -> None:
    from edgeling.core.fileio import atomic_write_json

    entries = _read_entries()
    kept = [e for e in entries if e.get("id") != device_id]
    if len(kept) == len(entries):
        raise DeviceError(f"There is no custom device called {device_id!r}.")
    atomic_write_json(custom_devices_path(), {"format": 1, "devices": kept})
