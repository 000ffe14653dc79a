"""The speech walk, on the Export page for a Raspberry Pi 4: the format cell's tooltip said "TFLite, int8
(microcontrollers)", the check's "Checked in TensorFlow Lite (LiteRT) and in TensorFlow Lite Micro", and the
(hidden) arena cell's "The tensor arena TensorFlow Lite Micro used on this computer". A Pi's file is now said as it
runs there; a microcontroller's file keeps its words."""

from __future__ import annotations

from tests.gui.test_export_for_a_pi import exported
from tests.gui.test_vineyard_walk import add_run

FORMAT, CHECK, ARENA = 1, 3, 7


def _exported(project, name: str, fmt: str, device: str) -> None:
    v = {"passed": True, "runtime": "ai-edge-litert", "agreement": 1.0, "accuracy": 0.389, "arena_bytes": 50656,
         "micro_agreement": 1.0, "num_samples": 36}
    exported(project, name, fmt, device, v, size_bytes=30528)


def test_a_pi_s_file_has_no_microcontroller_words_in_its_tooltips(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-001", device="raspberry-pi-4")
    _exported(project, "run-001-tflite-int8.tflite", "tflite-int8", "raspberry-pi-4")
    add_run(project, "run-002", device="esp32-s3")
    _exported(project, "run-002-tflite-int8.tflite", "tflite-int8", "esp32-s3")
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    page.runs.setCurrentIndex(page.runs.findData("runs/run-001"))
    table = page.table
    pi = [table.item(0, c).toolTip() for c in (FORMAT, CHECK, ARENA)]
    assert pi[0] == "TFLite, int8 (small and fast: Raspberry Pi, phones) (in the terminal: --format tflite-int8)"
    assert pi[1] == "Checked in TensorFlow Lite (LiteRT) on 36 test samples."
    assert pi[2].startswith("Nothing to reserve on Raspberry Pi 4") and "not a microcontroller" in pi[2]
    assert not any("Lite Micro" in tip or "(microcontrollers)" in tip for tip in pi), pi
    page.runs.setCurrentIndex(page.runs.findData("runs/run-002"))     # the ESP32's run lists its file
    board = [table.item(0, c).toolTip() for c in (FORMAT, CHECK, ARENA)]     # the ESP32's file keeps its words
    assert "(microcontrollers)" in board[0] and "and in TensorFlow Lite Micro" in board[1]
    assert "tensor arena" in board[2]
