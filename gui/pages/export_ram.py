"""The RAM an int8 export needs on its microcontroller, as its model card says it ("On the device"): the
tensor arena to reserve (what the C header reserves: TensorFlow Lite Micro's measured arena or the estimate with
optimized kernels' scratch, the larger, plus a margin) against the RAM the board has free for a model
(``catalogue.ram_available``). Read from the card the export wrote (``<file>.card.json``, named in the export's
result), so the page says the same figures as the header and the card.

Sizes are said in KB and MB, as the Model and Compress pages say them (``autosize.format_bytes``), the exact
bytes in the tooltips (the vineyard walk: "96,672 bytes" here, "94 KB" there)."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.export.model_card import card_paths
from edgeling.core.fileio import read_json
from edgeling.core.models.autosize import format_bytes


def card_on_device(path: Path | None) -> dict:
    """The card's "on_device" of the export at ``path``; {} without a card, or for a PC (no such section)."""
    if path is None:
        return {}
    try:
        d = read_json(card_paths(path)["json"]).get("on_device")
    except (OSError, ValueError, AttributeError):
        return {}
    return d if isinstance(d, dict) else {}


def arena_cell(verification: dict, on_device: dict, micro: bool = True) -> tuple[str, str]:
    """(the table's text, its tooltip) for the arena: the arena to reserve when the card has it, else the one
    TensorFlow Lite Micro measured here (a file whose device is not known), else a dash. ``micro``: False for a
    file whose card names a device that is not a microcontroller (a Raspberry Pi): it reserves no arena."""
    measured = verification.get("arena_bytes")
    if not micro:
        name = on_device.get("name") or "its device"
        runs = f" (it runs the file in {on_device['runtime']})" if on_device.get("runtime") else ""
        tip = (f"Nothing to reserve on {name}: it is not a microcontroller{runs}. A tensor arena is the RAM a "
               "microcontroller's firmware sets aside for the model.")
        if isinstance(measured, int) and measured:
            return format_bytes(measured), tip + (f" On a microcontroller it would take {measured:,} bytes "
                                                  "(measured on this computer).")
        return "—", tip
    reserved = on_device.get("arena_bytes") if on_device.get("arena_said") != "used by TensorFlow Lite Micro here" \
        else None
    if isinstance(reserved, int) and reserved:
        tip = f"The tensor arena to reserve on {on_device.get('name') or 'the device'}, as the C header does: " \
              f"{reserved:,} bytes"
        if isinstance(measured, int) and measured and measured != reserved:
            tip += (f" (TensorFlow Lite Micro used {format_bytes(measured)}, {measured:,} bytes, on this computer; "
                    "a board's optimized kernels need scratch room on top, and a margin is kept)")
        extra = on_device.get("input_ram_bytes")
        if isinstance(extra, int) and extra:     # the arena is part of the RAM needed: the note's whole figure
            tip += (f". With {format_bytes(extra)} {on_device.get('input_ram_words') or 'to prepare an input'}, "
                    f"the model needs about {format_bytes(reserved + extra)} of RAM in all")
        return format_bytes(reserved), tip + "."
    if isinstance(measured, int) and measured:
        return format_bytes(measured), f"The tensor arena TensorFlow Lite Micro used on this computer: {measured:,} bytes."
    return "—", ""


def whole_ram_words(on_device: dict) -> str:
    """Said after the RAM note when the device also needs RAM to prepare an input: the table's column is the
    arena alone, the firmware needs the whole ("… 7.6 KB of RAM (2.6 KB for the tensor arena, …)")."""
    arena, extra = on_device.get("arena_bytes"), on_device.get("input_ram_bytes")
    if not (isinstance(arena, int) and arena and isinstance(extra, int) and extra):
        return ""
    return (f"The table's \"tensor arena to reserve\" ({format_bytes(arena)}) is the arena alone; plan for all "
            f"{format_bytes(arena + extra)} of RAM in the firmware.")


def size_cell(export: dict) -> tuple[str, str]:
    """(the table's text, its tooltip) for an exported file's size: "94 KB", its exact bytes in the tooltip;
    a C header says the model it embeds and its C text ("94 KB (C text 585 KB)")."""
    size = export.get("size_bytes")
    if not isinstance(size, (int, float)) or isinstance(size, bool):
        return "—", ""
    model = export.get("model_bytes")
    if isinstance(model, (int, float)) and model and export.get("format") == "c-header":   # the model it embeds
        return (f"{format_bytes(model)} (C text {format_bytes(size)})",
                f"{model:,} bytes of model in {size:,} bytes of C text")
    return format_bytes(size), f"{size:,} bytes"
