"""The Export page speaks of microcontrollers only when the run is for one.

For a Raspberry Pi 4 the page labelled int8 TFLite "(microcontrollers)", showed a "TFLite Micro arena" column
and said the model card "tells the firmware person" how to prepare an input."""

from __future__ import annotations

import json
import re

from edgeling.core.devices.catalogue import find_device
from edgeling.core.export.model_card import card_paths, on_device
from tests.gui.test_vineyard_walk import add_run

ARENA = 7    # the table's last column: RAM to reserve (TFLite Micro arena)


def exported(project, name: str, fmt: str, device: str, v: dict | None = None, size_bytes: int = 5) -> None:
    """A passed export of ``fmt`` for ``device`` in the project, with its card (``v``: its check)."""
    v = v or {"passed": True, "runtime": "ai-edge-litert", "agreement": 1.0, "accuracy": 0.9, "arena_bytes": 4880}
    path = project.exports_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"model")
    card = {"verification": v, "on_device": on_device(path, fmt, device, v)}
    card_paths(path)["json"].write_text(json.dumps(card), encoding="utf-8")
    number = re.search(r"run[-_](\d+)", name)        # the run the name names ("Grape_leaves_run_001_ptq.h": run-001)
    project.add_export(str(path), format=fmt, size_bytes=size_bytes, verification=v,
                       run=f"run-{number.group(1)}" if number else "run-001")


def test_a_raspberry_pi_run_is_exported_without_microcontroller_words(window):
    assert find_device("raspberry-pi-4").kind == "sbc"
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-001", device="raspberry-pi-4")
    exported(project, "run-001-tflite-int8.tflite", "tflite-int8", "raspberry-pi-4")
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    int8 = page.checks["tflite-int8"]
    assert int8.isChecked() and int8.text() != "TFLite, int8 (microcontrollers)"
    assert int8.text() == "TFLite, int8 (small and fast: Raspberry Pi, phones)"
    assert "firmware" not in page.hint_label.text()
    assert "explains how to run it on Raspberry Pi 4" in page.hint_label.text()
    assert page.table.rowCount() == 1 and page.table.isColumnHidden(ARENA)     # no microcontroller file listed

    add_run(project, "run-002", device="esp32-s3")            # a board: the microcontroller words are back
    exported(project, "run-002-c-header.h", "c-header", "esp32-s3")
    window.state.edited()
    page.on_shown()
    assert page.runs.currentData() == "runs/run-002"
    assert page.checks["tflite-int8"].text() == "TFLite, int8 (microcontrollers)"
    assert "tells the firmware person" in page.hint_label.text()
    assert not page.table.isColumnHidden(ARENA)
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))     # the Pi's run: its own file listed only
    assert "explains how to run it" in page.hint_label.text() and page.table.isColumnHidden(ARENA)
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "run-001-tflite-int8.tflite"
