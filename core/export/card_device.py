"""What an export needs on its device, for the model card's "On the device" and the pages that show it: the
tensor arena to reserve against the RAM the board has free for a model (``catalogue.ram_available``), the
flash, and the latency the device's cost model estimates for the very file written. Estimates, not
measurements on the board; this computer's figures come from the verification."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from edgeling.core.export.input_recipe import input_ram, working_buffers

HEADER_ARENA_SAID = "the size the header defines"
"""``on_device["arena_said"]`` for a C header: it #defines the arena's size; the firmware declares the buffer."""

PRECISION_OF = {"tflite": "float32", "tflite-int8": "int8", "c-header": "int8"}
"""The formats whose model Edgeling can read back and estimate on a device (a .tflite file, or the .tflite
bytes a C header embeds), with the precision the estimate assumes."""


def model_file_bytes(export_path, fmt: str) -> bytes | None:
    """The .tflite bytes of a written export (for a C header: the array it embeds); None for other formats
    or a file that cannot be read."""
    from edgeling.core.export.c_header import parse_c_header_bytes

    path = Path(export_path)
    try:
        if fmt == "c-header":
            return parse_c_header_bytes(path.read_text(encoding="utf-8"), path.stem) or None
        return path.read_bytes() if fmt in PRECISION_OF else None
    except (OSError, UnicodeDecodeError):
        return None


def on_device(export_path, fmt: str, device_id: str | None, verification: dict | None,
              arena_reserved: int | None = None, frontend: dict | None = None,
              data_meta: dict | None = None, model_data: bytes | None = None) -> dict | None:
    """What the export needs on its device, against what the device has, for the card's "On the device":
    the latency the plan's cost model estimates for this very file (an estimate, not a measurement), the RAM
    available for the model (``catalogue.ram_available``: the figure the plan judged the model against,
    with the total RAM as context) beside the arena the file needs, and the flash. None without a device
    (or for this computer, where the verification measured everything)."""
    from edgeling.core.devices.catalogue import find_device, ram_available

    device = find_device(device_id)
    if device is None or device.kind == "desktop":
        return None
    out: dict[str, Any] = {"device": device.id, "name": device.name, "kind": device.kind,
                           "runtime": device.cost.get("runtime") or device.runtime(PRECISION_OF.get(fmt, "int8")),
                           "clock_mhz": device.clock_mhz, "flash_bytes": device.flash_bytes}
    # model_data: the .tflite bytes of an export not yet renamed in place (files.Staged); else read from the file
    data = (model_data if fmt in PRECISION_OF else None) if model_data is not None else \
        model_file_bytes(export_path, fmt)
    if data is not None:
        from edgeling.core.models.estimate import estimate_tflite

        try:
            est = estimate_tflite(data, device, PRECISION_OF[fmt])
        except ValueError:    # an unreadable file, or a device without a clock
            est = None
        if est is not None:
            out.update(latency_ms=round(float(est["latency_ms"]), 3),
                       latency_assumes=f"{est['precision']}, {device.cost.get('runtime') or est['runtime']}",
                       latency_source=est["latency_detail"].get("source", ""), macs=est["macs"])
    ram = ram_available(device)
    if ram:
        out.update(ram_available_bytes=ram["bytes"], ram_bytes=ram["total_bytes"],
                   ram_available_words=ram["words"])
        measured = (verification or {}).get("arena_bytes")
        if arena_reserved:
            out["arena_bytes"] = int(arena_reserved)
            out["arena_said"] = (HEADER_ARENA_SAID if fmt == "c-header" else
                                 "to reserve, the size a C header of this file defines: TensorFlow Lite Micro's "
                                 "arena (with a 32-bit board's pointers) or the estimate with optimized kernels' "
                                 "scratch buffers, the larger, plus a margin")
        elif measured:
            out["arena_bytes"], out["arena_said"] = int(measured), "used by TensorFlow Lite Micro here"
    from edgeling.core.export.sensor_notes import board_sensor_lines

    sensor_notes = board_sensor_lines(device, frontend or {}, data_meta)
    if sensor_notes:
        out["sensor_notes"] = sensor_notes
    needs = input_ram(frontend or {}, data_meta or {}) if device.kind == "microcontroller" else None
    if needs:
        out["input_ram_bytes"], out["input_ram_words"] = needs
    return out


def export_kernels(export_path, meta: dict) -> str:
    """The LiteRT kernels that give the answers an exported .tflite gives on its device, as its verification
    ran it (``runtimes.int8_kernels``): the device is read from the file's metadata (the export writes it there),
    else from its .card.json beside it (files exported before it did: an ESP32-S3's q.tflite said no device
    and predict ran it with other kernels than its check), else none (the default kernels)."""
    from edgeling.core.export.runtimes import REFERENCE_KERNELS, int8_kernels

    fmt = str(meta.get("format") or "tflite-int8")
    device = meta.get("device")
    if device:
        return int8_kernels(str(device), fmt)
    from edgeling.core.export.model_card import card_paths
    from edgeling.core.fileio import read_json

    try:
        card = read_json(card_paths(export_path)["json"])
    except (OSError, ValueError):
        card = None
    if not isinstance(card, dict):
        return int8_kernels(None, fmt)
    on_board = card.get("on_device") if isinstance(card.get("on_device"), dict) else {}
    if card.get("device") and int8_kernels(str(card["device"]), fmt) == REFERENCE_KERNELS:
        return REFERENCE_KERNELS
    # a custom device removed from the catalogue since: the card still says it was a microcontroller
    return REFERENCE_KERNELS if on_board.get("kind") == "microcontroller" else int8_kernels(None, fmt)


def _no_arena_words(card: dict[str, Any]) -> str:
    """Why the card gives no arena: a microcontroller runs int8 files only (the ESP32-S3's float .tflite said
    PASSED above and 'not measured (the export was not verified)' here); a float file elsewhere has none to
    reserve (its runtime allocates its memory); an int8 file not verified was not measured."""
    fmt = card.get("format")
    if fmt in ("tflite-int8", "c-header"):
        return (" The arena was not measured (the export was not verified)." if not card.get("verification")
                else " The arena was not measured.")
    if (card.get("on_device") or {}).get("kind") == "microcontroller":
        return (" TensorFlow Lite Micro on this board runs int8 files, so this file does not run there and has no "
                "arena; export tflite-int8 (or c-header) for it.")
    return ""


def device_latency_line(card: dict[str, Any]) -> str:
    """'Latency per prediction on ESP32-S3 ..., estimated (not measured): about 69 ms (...)', or ''."""
    d = card.get("on_device") or {}
    if d.get("latency_ms") is None:
        return ""
    from edgeling.core.models.autosize import format_ms

    clock = f" at {d['clock_mhz']:g} MHz" if d.get("clock_mhz") else ""
    return (f"Latency per prediction on {d['name']}, estimated (not measured on the board): about "
            f"{format_ms(d['latency_ms'])} ({d.get('latency_assumes') or d.get('runtime')}{clock}; from the device "
            "catalogue's cost model, see \"On the device\")")


def on_device_markdown(card: dict[str, Any]) -> list[str]:
    """'## On the device': the arena against the RAM really available for the model there (the total RAM as
    context), the flash, and the estimated latency beside the one measured on this computer."""
    d = card.get("on_device")
    if not d:
        return []
    from edgeling.core.models.autosize import format_bytes, format_ms

    lines = ["", "## On the device", "",
             f"{d['name']}: what this file needs there, against what the device has (Edgeling's device catalogue; "
             "estimates, not measurements on the board).", ""]
    available = d.get("ram_available_bytes")
    if available:
        said = (f"{format_bytes(available)} ({available:,} bytes) of RAM is available for the model: "
                f"{d['ram_available_words']}")
        arena = d.get("arena_bytes")
        if arena:
            left = available - arena
            how = d["arena_said"]
            measured = (card.get("verification") or {}).get("arena_bytes")
            if how in (HEADER_ARENA_SAID, "reserved by the header"):     # the latter: cards written before
                how = (f"the size the header defines as {header_macro(card)}; the firmware declares the arena "
                       f"itself: `{arena_declaration(header_macro(card))}`")
            if measured and measured != arena:
                how += f"; TensorFlow Lite Micro used {measured:,} bytes here"
            extra = d.get("input_ram_bytes") or 0
            if extra:
                left -= extra
                how_much = (f"Adding at least {extra:,} bytes {d['input_ram_words']} (\"Memory for preparing an "
                            f"input\" below): about {format_bytes(arena + extra)} in all. ")
            else:
                how_much = ""
            verdict = how_much + (f"That leaves {format_bytes(left)}." if left >= 0 else
                                  f"It does NOT fit: {format_bytes(-left)} too much.")
            lines.append(f"- RAM: the tensor arena takes {format_bytes(arena)} ({arena:,} bytes, {how}); {said}. "
                         + verdict)
        else:
            lines.append(f"- RAM: {said}.{_no_arena_words(card)}")
        if not d.get("input_ram_bytes") and working_buffers(card.get("frontend") or {}, card.get("data_meta") or {}):
            lines.append("- The memory to prepare an input comes on top of the arena (see \"Memory for preparing "
                         "an input\" below).")
    lines += [f"- Sensor: {said}" for said in d.get("sensor_notes") or [] if isinstance(said, str)]
    if d.get("flash_bytes"):
        lines.append(f"- Flash: the model takes {card.get('model_bytes') or card.get('size_bytes'):,} bytes of the "
                     f"{format_bytes(d['flash_bytes'])} of flash.")
    if d.get("latency_ms") is not None:
        measured = (card.get("verification") or {}).get("latency_ms")
        clock = f" at {d['clock_mhz']:g} MHz" if d.get("clock_mhz") else ""
        lines.append(f"- Latency: about {format_ms(d['latency_ms'])} per prediction, estimated ({d['latency_assumes']}"
                     f"{clock}; {d.get('macs', 0):,} multiply-accumulates)"
                     + (f"; measured on this computer: {format_ms(measured)}, which says little about the board"
                        if measured is not None else "") + ".")
        if d.get("latency_source"):
            lines.append(f"  The device's cost model: {d['latency_source']}")
    elif card.get("format") not in PRECISION_OF:
        lines.append("- Latency on the device is estimated for TFLite files and C headers only.")
    return lines


def ram_sentence(name: str, on_device: dict | None) -> str:
    """'run-001-c-header.h needs about 5.8 KB of RAM of the 320 KB ESP32-S3 has free for it.' (or that it does
    not fit); '' when there is no arena or no RAM figure for the device (a PC, an unknown device)."""
    from edgeling.core.models.autosize import format_bytes

    d = on_device or {}
    arena, free = d.get("arena_bytes"), d.get("ram_available_bytes")
    device = d.get("name") or "the device"
    if not (isinstance(arena, int) and arena and isinstance(free, int) and free):
        return ""
    extra = d.get("input_ram_bytes") if isinstance(d.get("input_ram_bytes"), int) else 0
    total = arena + extra
    parts = (f" ({format_bytes(arena)} for the model's tensor arena, {format_bytes(extra)} "
             f"{d.get('input_ram_words') or 'to prepare an input'})") if extra else ""
    if total <= free:
        return (f"{name} needs about {format_bytes(total)} of RAM{parts}, of the {format_bytes(free)} {device} has "
                "free for it." if extra else
                f"{name} needs about {format_bytes(total)} of RAM of the {format_bytes(free)} {device} has free for it.")
    need, have = format_bytes(total), format_bytes(free)
    if need == have:        # "needs about 81 KB ... more than the 81 KB": in bytes, where the rounding hides it
        need, have = f"{total:,} bytes", f"{free:,} bytes"
    return (f"{name} needs about {need} of RAM{parts}, more than the {have} {device} has free for it "
            f"({format_bytes(total - free)} too much): choose a smaller network on the Model page, or compress the "
            "run, then export again.")


def arena_declaration(macro: str) -> str:
    """The line the firmware declares its tensor arena with (the header only #defines its size)."""
    return f"alignas(16) static uint8_t tensor_arena[{macro}];"


def header_arena_said(header_path, reserved: int | None) -> str:
    """For the export's message: '(The header defines LEAVES_MODEL_ARENA_SIZE as 309,392 bytes: declare the tensor
    arena with it in the firmware, alignas(16) static uint8_t tensor_arena[LEAVES_MODEL_ARENA_SIZE];)'. The
    header reserves nothing itself: a #define is only a number."""
    from edgeling.core.export.c_header import c_identifier

    if not reserved:
        return ""
    macro = f"{c_identifier(Path(header_path).stem).upper()}_ARENA_SIZE"
    return (f"(The header defines {macro} as {int(reserved):,} bytes, the size of the tensor arena: declare the "
            f"arena with it in the firmware, {arena_declaration(macro)})")


def header_macro(card: dict[str, Any]) -> str:
    """'LEAVES_MODEL_ARENA_SIZE' for a C header's card ('' for other formats)."""
    from edgeling.core.export.c_header import c_identifier

    if card.get("format") != "c-header":
        return ""
    return f"{c_identifier(Path(card['file']).stem).upper()}_ARENA_SIZE"
