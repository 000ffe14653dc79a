"""The model card and C header say how to turn a raw sample into the file's input; for pictures with an
int8 input the one-step formula q = round(pixel * A[c] + B[c]) gives what Edgeling itself feeds the file."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import torch

from edgeling.core.export.c_header import parse_c_header_bytes
from edgeling.core.export.exporter import export_model
from edgeling.core.export.image_recipe import image_pixel_to_input
from edgeling.core.export.input_recipe import recipe_lines
from edgeling.core.models import frontends, zoo
from tests.core.tflm_build import compile_with_tflm_flags
from tests.core.untrained_models import untrained


def test_pixels_to_the_int8_input_in_one_multiply_add(tmp_path):
    spec = zoo.InputSpec("images", "classification", 2, (32, 32, 3), {"image_size": [32, 32]}, ["leaf", "rot"])
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (40, 32, 32, 3), dtype=np.uint8)
    model, frontend, net_in = untrained("tutorial_cnn", spec, {"width": 2, "resolution": 32}, x)
    out = tmp_path / "leaf model.h"
    result = export_model(model, frontend, spec, net_in[:30], net_in[30:], None, "c-header", out, verify=False)
    text = out.read_text()
    card_md = (tmp_path / "leaf model.h.card.md").read_text()
    assert "## How to prepare an input on the device" in card_md and "| Input | shape [1, 32, 32, 3]" in card_md

    quant = __import__("json").loads((tmp_path / "leaf model.h.card.json").read_text())["input_quantization"]
    a, b = image_pixel_to_input(frontend, quant)
    ours = np.clip(np.round(frontends.apply(frontend, x).transpose(0, 2, 3, 1) / quant["scale"])
                   + quant["zero_point"], -128, 127)
    recipe = np.clip(np.round(x * np.array(a) + np.array(b)), -128, 127)
    assert np.mean(ours == recipe) > 0.999 and np.max(np.abs(ours - recipe)) <= 1  # float rounding only
    assert "leaf_model_pixel_a[3] = {" in text and len(parse_c_header_bytes(text, "leaf model")) == result["model_bytes"]
    # what firmware needs besides the input: the operators to register, the output and how to read it
    assert "MicroMutableOpResolver<" in text and "CONV_2D" in text and "FULLY_CONNECTED" in text
    assert "clamped to -128..127" in text and "Output: shape [1, 2], one probability per label" in text
    assert "## What the model answers" in card_md and "0 = leaf, 1 = rot" in card_md
    assert "Read each int8 value q as y = (q + 128) * 0.00390625." in card_md
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler:  # the arrays are valid C next to the rest
        (tmp_path / "main.c").write_text('#include "leaf model.h"\n'
                                         'int main(void) { return leaf_model_pixel_a[0] > 0 ? 0 : 1; }\n')
        subprocess.run([compiler, "-std=c11", "-Wall", "-Werror", "main.c", "-o", "m"], check=True,
                       cwd=tmp_path, capture_output=True)
        assert subprocess.run([str(tmp_path / "m")]).returncode == 0
    compile_with_tflm_flags(tmp_path, "leaf model.h", "leaf_model_pixel_a[0] > 0.0f")   # as TFLM's build does


def test_every_kind_of_data_gets_steps_and_float_inputs_say_so():
    audio = {"type": "audio", "features": "logmel", "sample_rate": 16000, "length": 16000, "win_length": 512,
             "hop_length": 256, "n_fft": 512, "n_mels": 32, "mel_scale": "htk", "fmin": 20.0, "fmax": 8000.0,
             "log_floor": 1e-6}
    lines = recipe_lines(audio, {"clip_s": 1.0}, None, "NCHW", ["batch", 1, 61, 32])
    assert "16000 Hz" in lines[0] and "32 triangular mel bands" in lines[1] and "32-bit floats" in lines[-2]
    assert "periodic Hann window" in lines[1] and "natural log" in lines[1]
    assert "loudest 1.0 s" in lines[0] and "the mean of the channels" in lines[0]
    assert "peaks at 1, with no area normalisation (librosa htk=True, norm=None)" in lines[1]
    from edgeling.core.models.signal_features import mel_filterbank

    peaks = mel_filterbank(16000, 512, 32, 20.0, 8000.0, "htk").max(axis=0)
    assert np.all(peaks <= 1.0) and peaks.max() > 0.9                  # what the card says is what we do
    window = {"type": "window", "length": 200, "sample_rate": 100.0, "input_channel_names": ["x", "y", "z"],
              "orientation": "invariant", "channel_names": ["|xyz|", "xyz_pc1"], "mean": [1.003, 0.0]}
    lines = recipe_lines(window, {"stride_s": 1.0}, {"scale": 0.05, "zero_point": 3}, "NHWC", [1, 1, 200, 2])
    assert "same units as the training recordings (their average magnitude |xyz| was 1" in lines[0]
    read = recipe_lines(window, {"stride_s": 1.0, "axis_units": [{"channels": ["x", "y", "z"], "unit": "g"}]},
                        {"scale": 0.05, "zero_point": 3}, "NHWC", [1, 1, 200, 2])   # the unit the import read
    assert "same units as the training recordings: x, y, z in g (about 1 at rest)." in read[0]
    assert "windows started every 1 s" in lines[0]
    assert "200 readings at 100 per second" in lines[0] and "sqrt(x^2 + y^2 + z^2)" in lines[1]
    assert "eigenvectors (largest eigenvalue first)" in lines[1] and "sum of its cubes" in lines[1]
    assert "q = round(x / 0.05) + 3" in lines[-2]
    assert recipe_lines({"type": "image"}, {}, None, "NHWC", [1, 8, 8, 3]) == []  # incomplete: no guessing
    grey = {"type": "image", "channels": 1, "input_size": [16, 16], "scale": 1 / 255, "mean": [0.5], "std": [0.25]}
    lines = recipe_lines(grey, {}, None, "NHWC", [1, 16, 16, 1])
    assert "grey = 0.299 R + 0.587 G + 0.114 B" in lines[0] and "centred square" in lines[1]
    assert "averages all the pixels it shrinks" in lines[1]
    twice = {**grey, "input_size": [32, 32], "size": [16, 16]}    # imported at 32 px, the network takes 16
    said = " ".join(recipe_lines(twice, {}, None, "NHWC", [1, 16, 16, 1]))
    assert "Resizing twice as training did (to 32x32 rounded to whole 0-255 values, as the import stored it, then to " \
           "16x16) matches it exactly" in said          # the vineyard walk: rounded in between, or not?


def test_a_table_model_lists_every_input_with_its_column_and_statistics():
    from edgeling.core.export.table_recipe import table_inputs

    meta = {"columns": [
        {"name": "date", "type": "date", "format": "dmy", "features": ["date (year)", "date (weekday)"],
         "fill": [2024.0, 3.0], "width": 2, "slice": [0, 2]},
        {"name": "pays", "type": "category", "categories": ["France", "(missing)", "(other)"], "width": 3,
         "slice": [2, 5]},
        {"name": "prix (€)", "type": "number", "fill": 55.29, "width": 1, "slice": [5, 6]}]}
    frontend = {"type": "table", "mean": [2024.3, 3.0, 0.7, 0.1, 0.2, 70.15], "std": [0.5, 2.0, 0.46, 0.3, 0.4, 60.9]}
    rows = table_inputs(meta, frontend)
    assert rows[2] == "| 0 | date | the year of the date (written day/month/year; blank: 2024) | 2024.3 | 0.5 |"
    assert "Monday = 0" in rows[3] and '1 if the cell is "France", else 0' in rows[4]
    assert "1 if the cell is blank" in rows[5] and "none of this column's other values" in rows[6]
    assert rows[7] == "| 5 | prix (€) | the number (blank: 55.29) | 70.15 | 60.9 |"
    steps = recipe_lines(frontend, meta, None, "NC", ["batch", 6])
    assert "Make the 6 inputs" in steps[0] and "mean[i]" in steps[2] and "a decimal point" in steps[0]
    assert "a decimal comma" in recipe_lines(frontend, dict(meta, decimal_comma=True), None, "NC", ["batch", 6])[0]
    # the shop re-walk's reseller: what a text never seen gives, which columns to skip, full-precision stats
    assert "gives that column's \"none of the other values\" input 1 when it has one, else 0" in steps[1]
    unused = recipe_lines(frontend, dict(meta, unused_columns=["N° commande", "Commentaire"]), None, "NC", ["batch", 6])
    assert unused[3].endswith("Columns the model does not read (leave them out, or ignore them): 'N° commande', "
                              "'Commentaire'.")
    precise = table_inputs(meta, dict(frontend, mean=[2023.4925] + frontend["mean"][1:]))
    assert "| 2023.4925 | 0.5 |" in precise[2]


def test_a_frequency_summary_recipe_says_exactly_what_to_compute_and_what_memory_it_takes():
    """The card said only 'Compute the per-channel statistics and band powers listed in the front end below'
    for a [1, 45] input; a firmware author needs the window function, the FFT size and scaling, the bins of
    each band, the log floor, the kurtosis convention and which channels have no mean, and the RAM for it."""
    from edgeling.core.export.input_recipe import recipe_markdown

    spec = {"sample_shape": (400, 3), "meta": {"sample_rate": 200.0, "channels": ["x", "y", "z"], "stride_s": 1.0}}
    x = np.random.default_rng(0).normal(size=(8, 400, 3))
    fe = frontends.fit({"type": "spectral", "orientation": "invariant", "n_bands": 8}, spec, x)
    lines = recipe_lines(fe, spec["meta"], {"scale": 0.08, "zero_point": 19}, "NC", [1, 45])
    text = "\n".join(lines)
    for words in ("periodic Hann window w[t] = 0.5 - 0.5 cos(2 pi t / 400)", "X[k] for k = 0..200",
                  "P[k] = |X[k]|^2 / 150 (the sum of w[t]^2)", "log10(max(band, 1e-10))",
                  "kurtosis = the mean of (d[t] / rms)^4, minus 3", "If rms > 1e-12",
                  "band0 = bins 0-24 (0-12 Hz)", "band7 = bins 175-200 (87.5-100 Hz)",
                  "exactly 400 points, not padded", "arm_rfft_fast_f32 cannot do it",
                  "except for xyz_pc1, xyz_pc2, xyz_pc3: their mean is always 0 and is not a feature",
                  "shape [1, 45] (NC: one flat vector of 45 features in the order above, not a picture)"):
        assert words in text, words
    assert "listed in the front end below" not in text and "Filter d" not in text   # no filter set
    assert "q = round(x / 0.08) + 19" in lines[-2]
    memory = "\n".join(recipe_markdown({"frontend": fe, "data_meta": spec["meta"], "input_layout": "NC",
                                        "input_shape": [1, 45]}))
    assert ("- Besides the arena, the firmware needs a buffer for one window: 400 readings x 3 channels "
            "(4,800 bytes as float).") in memory
    assert "a real FFT of 400 points (400 floats in and 201 complex values out, 3,208 bytes" in memory
    assert "all 4 channels at once: 6,400 bytes" in memory and "the 45 features (180 bytes as float" in memory

    window = frontends.fit({"type": "window", "orientation": "invariant"}, spec, x)
    lines = recipe_lines(window, spec["meta"], None, "NHWC", [1, 1, 400, 4])
    assert "the value of channel c at reading t is element t x 4 + c" in lines[-1]
    assert "x = (value - mean[c]) / std[c], with mean = [" in lines[-3] and "each of length 1" in lines[1]
    memory = "\n".join(recipe_markdown({"frontend": window, "data_meta": spec["meta"], "input_layout": "NHWC",
                                        "input_shape": [1, 1, 400, 4]}))
    assert "400 readings x 3 channels (4,800 bytes as float)" in memory and "400 x 4 x 4 = 6,400 bytes" in memory


def test_an_onnx_sensor_card_says_the_order_of_the_values_as_the_file_takes_them(tmp_path):
    """The ONNX card of a sensor model (input [batch, channels, 1, readings]) said only "shape ['batch', 4,
    1, 100] (NCHW)": firmware that lays the readings out as a TFLite file takes them (reading by reading)
    feeds the model scrambled values without any error. The card now gives the element of each value, and
    filling a buffer by it gives the file's own answer."""
    import json
    import re

    import onnxruntime as ort

    torch.manual_seed(0)
    meta = {"sample_rate": 50.0, "channels": ["x", "y", "z"], "stride_s": 1.0, "window_len": 100,
            "stride_len": 50, "window_s": 2.0}
    spec = zoo.InputSpec("timeseries", "classification", 3, (100, 3), meta, ["idle", "walk", "run"])
    x = np.random.default_rng(0).normal(size=(12, 100, 3)).astype(np.float32)
    knobs = zoo.default_knobs("conv1d", spec)
    fe = zoo.fit_frontend("conv1d", spec, x, knobs)
    model = zoo.build_model("conv1d", spec, knobs, fe).eval()
    net_in = zoo.apply_frontend(fe, x)
    out = tmp_path / "sensor.onnx"
    export_model(model, fe, spec, net_in[:8], net_in[8:], None, "onnx", out, verify=False)
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    shape = session.get_inputs()[0].shape                        # ['batch', channels, 1, readings]
    channels, readings = shape[1], shape[3]
    assert shape[2] == 1 and (channels, readings) == (len(fe["channel_names"]), 100)
    card_md = (tmp_path / "sensor.onnx.card.md").read_text()
    assert json.loads((tmp_path / "sensor.onnx.card.json").read_text())["input_shape"] == shape
    said = (f"(NCHW: channel by channel, each channel's readings in time order); the value of channel c at "
            f"reading t is element c x {readings} + t.")
    assert said in card_md
    stride = int(re.search(r"element c x (\d+) \+ t", card_md).group(1))
    # what firmware holds: the prepared readings, one row per reading with its channels (net_in[n, c, 0, t])
    window = net_in[0, :, 0, :].T                                # (readings, channels)
    buffer = np.zeros(channels * readings, np.float32)
    for t in range(readings):
        for c in range(channels):
            buffer[c * stride + t] = window[t, c]                # as the card says
    name = session.get_inputs()[0].name
    want = session.run(None, {name: net_in[:1]})[0]
    got = session.run(None, {name: buffer.reshape(1, channels, 1, readings)})[0]
    assert np.allclose(got, want, atol=1e-6)
    tflite_order = window.reshape(-1)                           # reading by reading: not what this file takes
    assert not np.allclose(session.run(None, {name: tflite_order.reshape(1, channels, 1, readings)})[0], want,
                           atol=1e-4)


def test_channels_first_inputs_say_where_each_value_goes():
    grey = {"type": "image", "channels": 1, "input_size": [16, 16], "scale": 1 / 255, "mean": [0.5], "std": [0.25]}
    assert recipe_lines(grey, {}, None, "NCHW", ["batch", 1, 16, 16])[-1].endswith(
        "(NCHW: row by row, pixel by pixel); the value at row y, column x is element y x 16 + x.")
    rgb = dict(grey, channels=3, mean=[0.5] * 3, std=[0.25] * 3)
    assert recipe_lines(rgb, {}, None, "NCHW", ["batch", 3, 16, 24])[-1].endswith(
        "(NCHW: channel by channel, each channel row by row, pixel by pixel); the value of channel c at row y, "
        "column x is element c x 384 + y x 24 + x.")
    audio = {"type": "audio", "features": "logmel", "sample_rate": 16000, "length": 16000, "win_length": 512,
             "hop_length": 256, "n_fft": 512, "n_mels": 32, "mel_scale": "htk", "fmin": 20.0, "fmax": 8000.0,
             "log_floor": 1e-6}
    assert recipe_lines(audio, {"clip_s": 1.0}, None, "NCHW", ["batch", 1, 61, 32])[-1].endswith(
        "(NCHW: frame by frame, the coefficients of a frame together); coefficient i of frame f is element "
        "f x 32 + i.")
    window = {"type": "window", "length": 200, "sample_rate": 100.0, "input_channel_names": ["x", "y", "z"],
              "orientation": "axes", "channel_names": ["x", "y", "z"], "mean": [0.0] * 3, "std": [1.0] * 3}
    assert recipe_lines(window, {}, None, "NHWC", [1, 1, 200, 3])[-1].endswith(
        "(NHWC: reading by reading, the channels of a reading together); the value of channel c at reading t "
        "is element t x 3 + c.")                                # TFLite: unchanged


def test_a_grey_picture_header_says_how_a_colour_camera_pixel_becomes_grey(tmp_path):
    """The firmware walk: a 1-channel model's header said 'per channel c (RGB, or grey)' and nothing of how a
    colour camera's pixel becomes the grey value the importer made (Pillow's "L": ITU-R 601-2 luma)."""
    from PIL import Image

    spec = zoo.InputSpec("images", "classification", 2, (32, 32, 1), {"image_size": [32, 32]}, ["ok", "crack"])
    x = np.random.default_rng(0).integers(0, 256, (40, 32, 32, 1), dtype=np.uint8)
    model, frontend, net_in = untrained("tutorial_cnn", spec, {"width": 2, "resolution": 32}, x)
    export_model(model, frontend, spec, net_in[:30], net_in[30:], None, "c-header", tmp_path / "crack.h", verify=False)
    text = (tmp_path / "crack.h").read_text()
    said = " ".join(line[3:] for line in text.splitlines() if line.startswith("// "))
    assert "per channel c (one, c = 0: grey):" in text and "RGB, or grey" not in text
    assert ("grey = (R * 19595 + G * 38470 + B * 7471 + 32768) >> 16, that is round(0.299 R + 0.587 G + 0.114 B)"
            in said and "ITU-R 601-2 luma" in said)
    assert "A camera's own greyscale output (its luma, Y, as in YUV or YCbCr) uses these same" in said
    rgb = np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    pillow = np.asarray(Image.fromarray(rgb, "RGB").convert("L"))
    assert np.array_equal((r * 19595 + g * 38470 + b * 7471 + 32768) >> 16, pillow)   # the header's formula, exactly
    compile_with_tflm_flags(tmp_path, "crack.h", "crack_pixel_a[0] > 0.0f")
    colour = tmp_path / "colour"
    colour.mkdir()
    test_pixels_to_the_int8_input_in_one_multiply_add(colour)
    colour_text = (colour / "leaf model.h").read_text()
    assert "per channel c (R, G, B in that order):" in colour_text and "luma" not in colour_text
