"""The Export page's tick boxes: which are ticked at first, which are greyed out and why, and the note when
none is ticked, all agreeing with each other (the upgrade walk: on a PC's int8-only run the note said "float
ONNX is ticked at first" while float ONNX was greyed out and nothing was ticked, and "Export and check" then
answered with an error and a log path)."""

from __future__ import annotations

from edgeling.core.devices.catalogue import find_device
from edgeling.gui.pages.export_words import (
    FLOAT_FORMATS,
    FORMAT_SHORT,
    device_note,
    first_ticks,
    float_is_original,
    float_of_original_words,
    format_label,
    hint_for,
)


def greyed_formats(entry: dict | None) -> tuple[list[str], str]:
    """The formats the run of ``entry`` cannot give, and why: a run only made int8 has no float model of its
    own (core refuses its float files); none otherwise."""
    original = float_is_original(entry)
    if not original:
        return [], ""
    return list(FLOAT_FORMATS), float_of_original_words((entry or {}).get("id") or "This run", original)


def tick_for_device(page) -> None:
    """Tick the formats the picked run's device needs and the run can give (a microcontroller: the C header
    and int8 TFLite; a PC: float ONNX, or int8 TFLite for a run only made int8), grey out the ones it cannot
    give, saying why, and say what is ticked; the ticks are set again only when the device or the greyed
    formats change, the user's own ticks stay otherwise."""
    device_id = page.run_device_id()
    greyed, why = greyed_formats(page.runs.current_entry())
    for fmt, box in page.checks.items():
        box.setEnabled(fmt not in greyed)
        box.setToolTip(why if fmt in greyed else "")
        if fmt in greyed:
            box.setChecked(False)
    page.float_note.setText(why)
    page.float_note.setVisible(bool(why))
    if (device_id, tuple(greyed)) == page._ticked_for:
        return
    page._ticked_for = (device_id, tuple(greyed))
    page._device = find_device(device_id)
    wanted = first_ticks(page._device, greyed)
    for fmt, box in page.checks.items():
        box.setChecked(fmt in wanted)
        box.setText(format_label(fmt, page._device))
    page.hint_label.setText(hint_for(page._device))
    note = device_note(page._device, greyed)
    page.device_note.setText(note)
    page.device_note.setVisible(bool(note))


def nothing_ticked_words(page) -> str:
    """What to do when no format is ticked: a step to take, not a fault (no log named)."""
    greyed = [f for f, box in page.checks.items() if not box.isEnabled()]
    run = (page.runs.current_entry() or {}).get("id") or "this run"
    if not greyed:
        return "Tick at least one format above to export."
    names = " and ".join(FORMAT_SHORT.get(f, f) for f in greyed)
    return (f"Tick at least one format above to export; {names} {'is' if len(greyed) == 1 else 'are'} greyed "
            f"out, as {run} cannot give {'it' if len(greyed) == 1 else 'them'}.")
