"""The Model page's RAM bars are drawn against what the model can really use on the board.

On an ESP32-S3 the plan judged networks against the 320 KB largest free block, but the bars said
"322 KB of 512 KB" beside "no: needs 322 KB of RAM, 320 KB is available for the model"."""

from __future__ import annotations

from dataclasses import asdict

from edgeling.core.devices.catalogue import get_device

PLAN = {"device": "esp32-s3", "explanation": "mobilenet_v2 (alpha 0.1) uses 269 KB ...",
        "budget": {"ram_bytes": 327680, "flash_bytes": 6291456, "ram_headroom": 0.25, "flash_headroom": 0.25},
        "pick": {"arch": "mobilenet_v2", "knobs": {"alpha": 0.1}},
        "candidates": [{"arch": "mobilenet_v2", "knobs": {"alpha": 0.1}, "params": 47299,
                        "ram_bytes": 269 * 1024, "flash_bytes": 96 * 1024, "latency_ms": 69.0, "fits": True},
                       {"arch": "mobilenet_v2", "knobs": {"alpha": 0.2}, "params": 90000,
                        "ram_bytes": 322 * 1024, "flash_bytes": 150 * 1024, "latency_ms": 120.0, "fits": False,
                        "why_not": ["needs 322 KB of RAM, 320 KB is available for the model"]}]}


def plan_shown(window, size: tuple[int, int] | None = None, plan: dict | None = None, **device_options):
    """The Model page of a new project showing ``plan`` (PLAN) for the ESP32-S3 (the window resized to ``size``
    first)."""
    if size is not None:
        window.resize(*size)
    window.pages["home"].create_button.click()
    window.show_page("model")
    page = window.pages["model"]
    page.devices = [asdict(get_device("esp32-s3", **device_options))]
    page.show_plan(plan or PLAN)
    return page


def test_ram_bars_are_against_the_ram_available_for_the_model(window):
    page = plan_shown(window)
    fits, over = page.table.cellWidget(0, 2), page.table.cellWidget(1, 2)
    assert fits.text() == "269 KB of 320 KB" and fits.value() == int(269 / 320 * 1000)
    assert over.text() == "322 KB of 320 KB" and over.value() == 1000
    assert page.table.item(1, 5).text() == "no: too much RAM"       # the figures in the bar, and in the tooltip:
    assert page.table.item(1, 5).toolTip().startswith("Needs 322 KB of RAM, 320 KB is available")
    assert "320 KB of RAM available for the model on ESP32-S3" in fits.toolTip()
    note = page.limits_note.text()
    assert "320 KB of RAM available for the model" in note and "largest free block" in note
    assert "512 KB of RAM in all" in note                       # the total as context
    assert page.table.cellWidget(0, 3).text() == "96 KB of 6 MB" and "8 MB in all" in note
    # a plan without a budget (an older one): the catalogue's figure, not the total
    page.show_plan({k: v for k, v in PLAN.items() if k != "budget"})
    assert page.table.cellWidget(0, 2).text() == "269 KB of 320 KB"
    page.leave_project()
    assert page.limits_note.text() == ""


def test_a_ram_bar_holds_the_arena_and_the_buffer_to_prepare_an_input(window):
    """The plan judges a microcontroller candidate by its arena plus the input buffer (as the export does): the
    bar shows that sum, and its tooltip says the two parts."""
    window.pages["home"].create_button.click()
    window.show_page("model")
    page = window.pages["model"]
    page.devices = [asdict(get_device("esp32-s3"))]
    first = {**PLAN["candidates"][0], "input_ram_bytes": 36 * 1024,
             "input_ram_words": "to hold one clip and work out its features"}
    page.show_plan({**PLAN, "candidates": [first, PLAN["candidates"][1]]})
    bar = page.table.cellWidget(0, 2)
    assert bar.text() == "305 KB of 320 KB"
    assert "269 KB for the model's tensor arena, 36 KB to hold one clip and work out its features" in bar.toolTip()
    assert page.table.cellWidget(1, 2).text() == "322 KB of 320 KB"    # no buffer given: the arena alone
    page.leave_project()
