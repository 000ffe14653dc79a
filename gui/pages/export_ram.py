"""The RAM an int8 export needs on its microcontroller, as its model card says it ("On the device"): the
tensor arena to reserve (what the C header reserves: TensorFlow Lite Micro's measured arena or the estimate with
optimized kernels' scratch, the larger, plus a margin) against the RAM the board has free for a model
(``catalogue.ram_available``). Read from the card the export wrote (``<file>.card.json``, named in the export's
result), so the page says the same figures as the header and the card."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.export.model_card import card_paths
from edgeling.core.fileio import read_json


def card_on_device(path: Path | None) -> dict:
    """The card's "on_device" of the export at ``path``; {} without a card, or for a PC (no such section)."""
    if path is None:
        return {}
    try:
        d = read_json(card_paths(path)["json"]).get("on_device")
    except (OSError, ValueError, AttributeError):
        return {}
    return d if isinstance(d, dict) else {}


def arena_cell(verification: dict, on_device: dict) -> tuple[str, str]:
    """(the table's text, its tooltip) for the arena: the arena to reserve when the card has it, else the one
    TensorFlow Lite Micro measured here (a file not for a microcontroller), else a dash."""
    measured = verification.get("arena_bytes")
    reserved = on_device.get("arena_bytes") if on_device.get("arena_said") != "used by TensorFlow Lite Micro here" \
        else None
    if isinstance(reserved, int) and reserved:
        tip = f"The tensor arena to reserve on {on_device.get('name') or 'the device'}, as the C header does"
        if isinstance(measured, int) and measured and measured != reserved:
            tip += (f" (TensorFlow Lite Micro used {measured:,} bytes on this computer; a board's optimized kernels "
                    "need scratch room on top, and a margin is kept)")
        return f"{reserved:,} bytes", tip + "."
    if isinstance(measured, int) and measured:
        return f"{measured:,} bytes", "The tensor arena TensorFlow Lite Micro used on this computer."
    return "—", ""
