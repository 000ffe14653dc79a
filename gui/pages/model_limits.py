"""What the Model page's RAM and flash bars are drawn against, and the words for it: the plan's budget (what a
model may use on the device), with the device's totals as context. The recommended pick's sentence says the same
figures. A microcontroller keeps its model in flash; a Raspberry Pi, a phone or a PC on its storage (an SD card,
a disk), so the page says "storage" for them."""

from __future__ import annotations

from edgeling.gui.pages.plain_terms import jargon_tip
from edgeling.gui.widgets.size_bar import SizeBar


def human_bytes(n) -> str:
    if not isinstance(n, (int, float)):
        return "—"
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" or n >= 100 or n == int(n) else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def storage_word(device: dict) -> str:
    """ "flash" for a microcontroller (or a device not known), "storage" for the others."""
    return "storage" if device.get("kind") not in (None, "microcontroller") else "flash"


def plan_limits(plan: dict, device: dict) -> dict:
    """What the RAM and flash bars are drawn against, with the words saying so: the plan's budget (what the
    model may use there, the figure each candidate's "fits" is judged on), else the RAM available for a model
    on a microcontroller (``catalogue.ram_available``), else the device's totals. The totals are context."""
    from edgeling.core.devices.catalogue import ram_available

    budget = plan.get("budget") or {}
    total_ram, total_flash = device.get("ram_bytes"), device.get("flash_bytes")
    mcu = ram_available(device) if device else None
    ram = budget.get("ram_bytes") or (mcu or {}).get("bytes") or total_ram
    flash = budget.get("flash_bytes") or total_flash
    name = device.get("name") or plan.get("device_name") or plan.get("device") or "this device"
    if mcu and ram == mcu["bytes"]:
        ram_words = f"{human_bytes(ram)} of RAM available for the model on {name}: {mcu['words']}"
    elif isinstance(total_ram, (int, float)) and ram != total_ram:
        ram_words = (f"{human_bytes(ram)} of RAM available for the model on {name}"    # 'Model B (4 GB)': no
                     f"{'; ' if name.endswith(')') else ' ('}{human_bytes(total_ram)} in all, "   # second bracket
                     f"less what the rest of the application and the runtime take{'' if name.endswith(')') else ')'}")
    else:
        ram_words = f"{human_bytes(ram)} of RAM on {name}"
    space = storage_word(device)
    if isinstance(total_flash, (int, float)) and flash != total_flash:
        share = budget.get("flash_headroom")
        flash_words = (f"{human_bytes(flash)} of {space} available for the model ({human_bytes(total_flash)} in all, less "
                       + (f"{share:.0%}" if isinstance(share, (int, float)) else "a share")
                       + (" kept for the rest of the firmware)" if device.get("kind") == "microcontroller"
                          else " kept for the rest of the system)"))
    else:
        flash_words = f"{human_bytes(flash)} of {space}"
    note = (f"RAM bars: against the {ram_words}. {space.capitalize()} bars: against the {flash_words}."
            if isinstance(ram, (int, float)) and ram else "")
    return {"ram_bytes": ram, "flash_bytes": flash, "ram_tip": ram_words, "flash_tip": flash_words, "note": note}


def bar(used, limit, tip: str = "") -> SizeBar:
    if isinstance(used, (int, float)) and isinstance(limit, (int, float)) and limit > 0:
        words = f"{human_bytes(used)} of {human_bytes(limit)}"
    else:
        words = human_bytes(used)
    said = f"{human_bytes(used)} of the {tip}" if tip else ""
    return SizeBar(words, used, limit, said + ("\n\n" + jargon_tip(said) if jargon_tip(said) else ""))


def input_tip(candidate: dict) -> str:
    """On a microcontroller the RAM bar holds the arena and the input buffer (``autosize.needs_ram``): the
    tooltip says both parts, as the plan's sentence does."""
    extra = candidate.get("input_ram_bytes")
    if not extra or candidate.get("ram_bytes") is None:
        return ""
    return (f"; {human_bytes(candidate['ram_bytes'])} for the model's tensor arena, {human_bytes(extra)} "
            f"{candidate.get('input_ram_words') or 'to prepare an input'}")
