"""What RAM a model can really use on a board: an ESP32-S3 has 512 KB, but its largest free block is 320 KB
("roughly 320 KB is free ... after Wi-Fi"), and a TensorFlow Lite Micro arena must fit in one block. The plan
judged models against 320 KB while saying "uses 269 KB of 512 KB RAM"; the helper below gives the one figure
(and its reason) that the plan's budget, the Model page's bars, the model card and the C header share."""

from __future__ import annotations

from edgeling.core.devices.catalogue import bundled_devices, get_device, ram_available
from edgeling.core.models.autosize import budgets


def test_the_ram_available_is_the_figure_the_plan_judges_models_against():
    esp = ram_available(get_device("esp32-s3"))
    assert esp["bytes"] == 327680 and esp["total_bytes"] == 524288 and esp["limited_by"] == "block"
    assert "largest free block" in esp["words"] and "512 KB of RAM in all" in esp["words"]
    assert "after Wi-Fi and the board's operating system (FreeRTOS)" in esp["words"]          # the catalogue's own reason
    nano = ram_available(get_device("arduino-nano-33-ble-sense"))
    assert nano["bytes"] == 196608 and "less 25% kept for the rest of the firmware" in nano["words"]
    for d in bundled_devices():
        if d.is_microcontroller:
            assert ram_available(d)["bytes"] == budgets(d, 0.25, 0.25)["ram_bytes"], d.id
        else:
            assert ram_available(d) is None, d.id
    # the app passes the catalogue's entries as dicts
    from dataclasses import asdict

    assert ram_available(asdict(get_device("esp32-s3"))) == esp


def test_each_microcontroller_names_its_own_kernel_library():
    assert get_device("esp32-s3").kernel_library == "ESP-NN"
    assert get_device("arduino-nano-33-ble-sense").kernel_library == "CMSIS-NN"
    assert get_device("raspberry-pi-pico").kernel_library == ""      # reference kernels
    assert get_device("raspberry-pi-4").kernel_library == ""
