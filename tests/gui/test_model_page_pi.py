"""The Model page's sentence and bars say the same figures for a Raspberry Pi, and "storage", not "flash".

The sentence is core's (``autosize.explain_pick``, also what ``edgeling plan`` prints). For a Raspberry Pi 4
it said "uses 144 KB of 4.0 GB RAM and 59 KB of 29.8 GB flash" (the totals)
while the bars beside it said "144 KB of 3.0 GB" and "59.3 KB of 22.4 GB" (what the model may use: the plan's
budget); and a Pi has an SD card, not flash."""

from __future__ import annotations

from dataclasses import asdict

from edgeling.core.devices.catalogue import get_device
from edgeling.core.models.autosize import budgets, explain_pick

PICK = {"arch": "audio_cnn", "knobs": {"width": 24}, "params": 52974, "ram_bytes": 144 * 1024,
        "flash_bytes": 59 * 1024, "latency_ms": 2.9, "fits": True}


def plan_for(device_id: str) -> dict:
    device = get_device(device_id, measure=False)
    budget = budgets(device, 0.25, 0.25, "int8")
    return {"device": device_id, "explanation": explain_pick(PICK, device, "int8", budget=budget),
            "budget": {**budget, "ram_headroom": 0.25, "flash_headroom": 0.25},
            "pick": dict(PICK), "candidates": [dict(PICK)]}


def test_the_sentence_says_the_figures_of_the_bars_and_a_pi_has_storage(window):
    window.pages["home"].create_button.click()
    window.show_page("model")
    page = window.pages["model"]
    page.devices = [asdict(get_device("raspberry-pi-4", measure=False)), asdict(get_device("esp32-s3", measure=False))]
    page.show_plan(plan_for("raspberry-pi-4"))
    ram_bar, storage_bar = page.table.cellWidget(0, 2), page.table.cellWidget(0, 3)
    assert ram_bar.text() == "144 KB of 3.0 GB" and storage_bar.text() == "59 KB of 22.4 GB"
    said = page.explanation.text()
    assert "uses 144 KB of the 3.0 GB of RAM available for the model (4.0 GB in all)" in said
    assert "59 KB of the 22.4 GB of storage available for the model (29.8 GB in all)" in said
    assert "flash" not in said and "4.0 GB RAM" not in said
    assert page.table.horizontalHeaderItem(3).text() == "storage"
    assert "Storage bars: against the 22.4 GB of storage available" in page.limits_note.text()
    assert "flash" not in page.limits_note.text() and "storage" in storage_bar.toolTip()

    page.show_plan(plan_for("esp32-s3"))                       # a microcontroller keeps its flash
    assert page.table.horizontalHeaderItem(3).text() == "flash"
    said = page.explanation.text()
    assert "uses 144 KB of the 320 KB of RAM available for the model (512 KB in all)" in said
    assert "59 KB of the 6.0 MB of flash available for the model (8.0 MB in all)" in said
    assert page.table.cellWidget(0, 3).text() == "59 KB of 6 MB"
    page.leave_project()
