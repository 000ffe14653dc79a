"""The pump walk: the Export table's column "RAM to reserve" read 2.6 KB (the tensor arena alone) while the note
under it said the C header "needs about 7.6 KB of RAM" (the arena plus 5.0 KB to hold one window): the firmware
person would have been handed 2.6 KB. The column now says what it is, and the note and the cell's tooltip say the
arena is part of the whole."""

from __future__ import annotations

import json

from edgeling.core.export.model_card import card_paths
from tests.gui.test_vineyard_walk import add_run

ARENA = 7
ON_DEVICE = {"name": "Arduino Nano 33 BLE Sense", "arena_bytes": 2662, "ram_available_bytes": 196608,
             "input_ram_bytes": 5120, "input_ram_words": "to hold one window of readings and work out its "
                                                         "frequency features"}


def test_the_arena_column_and_the_ram_note_agree(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-002", device="arduino-nano-33-ble-sense")
    path = project.exports_dir / "Pump_check_run_002.h"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"model")
    v = {"passed": True, "agreement": 1.0, "accuracy": 1.0, "arena_bytes": 2000}
    card_paths(path)["json"].write_text(json.dumps({"verification": v, "on_device": ON_DEVICE}), encoding="utf-8")
    project.add_export(str(path), format="c-header", size_bytes=5, verification=v, run="run-002")
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    heading = page.table.horizontalHeaderItem(ARENA)
    assert heading.text().replace("\n", " ") == "tensor arena to reserve"      # not "RAM to reserve"
    assert "only part of the RAM" in heading.toolTip()
    cell = page.table.item(0, ARENA)
    assert cell.text() == "2.6 KB"
    assert "the model needs about 7.6 KB of RAM in all" in cell.toolTip()
    note = page.ram_note.text()
    assert note.startswith("Pump_check_run_002.h needs about 7.6 KB of RAM (2.6 KB for the model's tensor arena")
    assert note.endswith('The table\'s "tensor arena to reserve" (2.6 KB) is the arena alone; plan for all '
                         "7.6 KB of RAM in the firmware.")
