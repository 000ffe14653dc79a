"""A sensor model exported for a board whose catalogue entry lists its on-board sensor says what that sensor's
usual library reads (devices.json ``sensors``), and every window model with a magnitude channel says how
exactly its scale must match. The firmware walk: on the Arduino Nano 33 BLE Sense the Arduino_LSM9DS1
library reads the accelerometer at a fixed 119 Hz, in g, while the model took 100 readings per second; and
the pump model's |xyz| was standardised with a spread of 0.027 around 1.003, so a gain of 1.02 already cost
2 windows of 24 (1.05: 11 of 24)."""

from __future__ import annotations

import pytest
import torch

from edgeling.core.devices.catalogue import cost_models, device_from_entry, get_device
from edgeling.core.export.sensor_notes import board_sensor_lines, magnitude_scale_said
from tests.core.test_sensor_header import RATE, _export, c_array
from tests.core.tflm_build import compile_with_tflm_flags

NANO_SAID = ("On Arduino Nano 33 BLE Sense, the Arduino_LSM9DS1 library reads the accelerometer (LSM9DS1) at a "
             f"fixed 119 Hz, in g: resample to {RATE:g} Hz, the model's rate.")


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)
    torch.manual_seed(0)


def test_the_nano_s_accelerometer_library_rate_and_the_magnitude_s_scale_are_said(tmp_path):
    text, md, card, frontend, _, _ = _export(tmp_path, "conv1d", {"width": 4, "depth": 2,
                                                                  "orientation": "axes+magnitude"},
                                             device="arduino-nano-33-ble-sense")
    said = " ".join(line[3:] for line in text.splitlines() if line.startswith("// "))
    assert NANO_SAID in said
    section = md.split("## On the device", 1)[1].split("\n## ", 1)[0]
    assert f"- Sensor: {NANO_SAID}" in section
    # the tolerance is worked out from the header's own standardisation of |acc|
    channels = c_array(text, "pump_model_channels")
    m = c_array(text, "pump_model_mean")[channels.index("|acc|")]
    s = c_array(text, "pump_model_std")[channels.index("|acc|")]
    scale = (f"Check the sensor's scale: at rest its magnitude |acc| must read 1.00 (1 g; the training windows "
             f"averaged {m:.4g}), within about {100 * s / m / 3:.2g}%: the model standardises |acc| with a spread "
             f"(std) of only {s:.3g}, so a gain error of 1% already moves it by {0.01 * m / s:.2g} of that spread.")
    assert scale in said and scale in md
    compile_with_tflm_flags(tmp_path, "pump model.h", "PUMP_MODEL_WINDOW_READINGS > 0")


def test_the_pump_s_figures_give_about_one_percent():
    """The reviewer's pump: |xyz| mean 1.003, std 0.0273; 24/24 windows right at gain 1.00, 22/24 at 1.02."""
    said = magnitude_scale_said({"type": "window", "channel_names": ["|xyz|", "xyz_pc1"],
                                 "mean": [1.00299949, 0.0], "std": [0.0273331001, 0.0643]})
    assert "must read 1.00 (1 g; the training windows averaged 1.003), within about 0.91%" in said
    assert "a gain error of 1% already moves it by 0.37 of that spread" in said
    assert magnitude_scale_said({"type": "window", "channel_names": ["x"], "mean": [0.0], "std": [1.0]}) == ""


def test_the_board_note_comes_from_the_catalogue_not_the_code():
    nano = get_device("arduino-nano-33-ble-sense")
    assert nano.sensors and nano.sensors[0]["rate_hz"] == 119 and nano.sensors[0]["units"] == "g"
    window = {"type": "window", "sample_rate": 100.0}
    assert board_sensor_lines(nano, window)[0].startswith(
        "On Arduino Nano 33 BLE Sense, the Arduino_LSM9DS1 library reads the accelerometer (LSM9DS1) at a fixed "
        "119 Hz, in g: resample to 100 Hz, the model's rate.")
    assert board_sensor_lines(nano, {"type": "image"}) == [] and board_sensor_lines(None, window) == []
    assert board_sensor_lines(get_device("esp32-s3"), window) == []            # no sensor in its entry
    board = device_from_entry({"id": "my-board", "name": "My board", "kind": "microcontroller", "core": "cortex-m4f",
                               "cost_model": "cortex-m4f", "sensors": [{"sensor": "IMU", "library": "MyIMU",
                                                                        "rate_hz": 100, "units": "m/s^2"}]},
                              cost_models(), origin="custom")
    assert board_sensor_lines(board, window) == ["On My board, the MyIMU library reads the IMU at a fixed 100 Hz, "
                                                 "in m/s^2."]                   # same rate: nothing to resample


def test_a_model_faster_than_the_board_s_sensor_says_what_resampling_cannot_give():
    """The pump walk: a model at 200 Hz, a Nano reading 119 Hz, and only "resample to 200 Hz" said."""
    said = board_sensor_lines(get_device("arduino-nano-33-ble-sense"), {"type": "window", "sample_rate": 200.0})[0]
    assert "resample to 200 Hz, the model's rate. Readings at 119 Hz hold no vibration faster than 59.5 Hz" in said
    assert "record the training data with this board at 119 Hz." in said
    slower = board_sensor_lines(get_device("arduino-nano-33-ble-sense"), {"type": "window", "sample_rate": 100.0})[0]
    assert "faster than" not in slower


def test_the_terminal_export_says_the_board_s_sensor_too(tmp_path, monkeypatch, capsys):
    """The GUI walk: the Nano's accelerometer library (its fixed 119 Hz) was said only inside the model card."""
    from edgeling.core.cli import main
    from edgeling.core.jobs.train_job import train_run
    from edgeling.core.resources import samples_dir

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    run = tmp_path / "run"
    assert train_run(samples_dir() / "pump", run, epochs=1, threads=1,
                     device="arduino-nano-33-ble-sense")["status"] == "finished"
    capsys.readouterr()
    assert main(["export", str(run), "--format", "tflite-int8", "--out", str(tmp_path / "m.tflite")]) == 0
    err = capsys.readouterr().err
    assert "Sensor: On Arduino Nano 33 BLE Sense, the Arduino_LSM9DS1 library reads the accelerometer" in err


def test_the_board_note_says_to_convert_when_the_model_learnt_another_unit():
    """The pump walk: a model learnt in m/s^2; the note said the board's library reads g and how to fix the rate,
    but not the units."""
    nano = get_device("arduino-nano-33-ble-sense")
    ms2 = {"axis_units": [{"channels": ["x", "y", "z"], "unit": "m/s^2"}]}
    said = board_sensor_lines(nano, {"type": "window", "sample_rate": 400.0}, ms2)[0]
    assert ("119 Hz, in g: multiply each reading by 9.81, as the model learnt x, y, z in m/s^2, and resample to "
            "400 Hz, the model's rate.") in said
    by_magnitude = {"type": "window", "sample_rate": 119.0, "channel_names": ["x", "y", "z", "|xyz|"],
                    "mean": [0, 0, 9.7, 9.81]}
    assert "in g: multiply each reading by 9.81, as the model learnt x, y, z in m/s^2. The Rev2" in \
        board_sensor_lines(nano, by_magnitude)[0]
    in_g = board_sensor_lines(nano, {"type": "window", "sample_rate": 119.0}, {"axis_units": [{"unit": "g"}]})
    assert "at a fixed 119 Hz, in g. The Rev2" in in_g[0]
