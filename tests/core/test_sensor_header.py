"""A C header for a sensor or audio model carries what firmware needs to prepare an input, as a picture
model's carries pixel_a / pixel_b: sample rate, window length and stride in readings, the channels in order,
the standardisation's mean / std and (for the frequency summary) the FFT bins of each band. These tests read
the header back as C text and rebuild the network's int8 input from a raw window with only its constants and
the steps its comments and the model card give; it must equal what Edgeling feeds the file.

A pump engineer's header gave the arena, the quantization and the labels, and nothing of the 200 readings per
second, the 400-reading window or the standardisation (only in the card), and called a {1, 45} feature vector
"NHWC"."""

from __future__ import annotations

import json
import re
import subprocess

import numpy as np
import pytest
import torch

from edgeling.core.export.exporter import export_model, to_graph_layout
from edgeling.core.models import frontends, zoo
from tests.core.tflm_build import c_compiler, compile_with_tflm_flags

RATE, SECONDS = 50.0, 2.0
T = int(RATE * SECONDS)   # 100 readings: not a power of two, as the pump's 400
META = {"sample_rate": RATE, "window_s": SECONDS, "stride_s": 0.5, "window_len": T, "stride_len": 25,
        "channels": ["acc_x", "acc_y", "acc_z", "temp"]}


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)
    torch.manual_seed(0)


def _windows(n: int = 40, seed: int = 0) -> np.ndarray:
    """Accelerometer windows in g (tilted, vibrating at a few frequencies) and a temperature."""
    rng = np.random.default_rng(seed)
    t = np.arange(T) / RATE
    out = np.empty((n, T, 4), np.float32)
    for i in range(n):
        f = rng.uniform(2, 20)
        wave = np.sin(2 * np.pi * f * t) + 0.3 * rng.normal(size=T)
        direction = rng.normal(size=3)
        rotation = np.linalg.qr(rng.normal(size=(3, 3)))[0]   # and a wobble with three distinct spreads
        wobble = (rng.normal(size=(T, 3)) * [0.08, 0.04, 0.02]) @ rotation
        out[i, :, :3] = [0.1, 0.2, -0.97] + 0.2 * np.outer(wave, direction / np.linalg.norm(direction)) + wobble
        out[i, :, 3] = 25 + rng.normal() + 0.05 * rng.normal(size=T)
    return out


def _export(tmp_path, arch: str, knobs: dict, name: str = "pump model", device=None):
    spec = zoo.InputSpec("timeseries", "classification", 3, (T, 4), dict(META), ["cavitation", "loose", "normal"])
    x = _windows()
    knobs = zoo.resolve_knobs(arch, spec, knobs)
    frontend = zoo.fit_frontend(arch, spec, x, knobs)
    model = zoo.build_model(arch, spec, knobs, frontend).eval()
    net_in = zoo.apply_frontend(frontend, x)
    out = tmp_path / f"{name}.h"
    result = export_model(model, frontend, spec, net_in[:30], net_in[30:], None, "c-header", out,
                          verify=device is not None, device=device)
    card = json.loads((tmp_path / f"{name}.h.card.json").read_text())
    return out.read_text(), (tmp_path / f"{name}.h.card.md").read_text(), card, frontend, x, result


# ------------------------------------------------------------------------------------ reading C text back
def defines(text: str) -> dict[str, str]:
    return dict(re.findall(r"^#define (\w+) (\S+)$", text, re.M))


def c_number(literal: str) -> float | int:
    """A C float literal (``0.5f``, ``-1e-20f``; ``200f`` is not C) or an integer."""
    if re.fullmatch(r"-?\d+", literal):
        return int(literal)
    assert re.fullmatch(r"-?\d+\.\d*(e[-+]?\d+)?f|-?\d+(\.\d*)?e[-+]?\d+f", literal), f"{literal!r} is not C"
    return float(literal.rstrip("f"))


def c_array(text: str, name: str) -> list:
    """The values of ``static const TYPE name[N] = {...};``, checking that N is their count."""
    m = re.search(rf"static const (?:float|unsigned short|char\* const) {re.escape(name)}\[(\d+)\] = \{{(.*?)\}};",
                  text, re.S)
    assert m, f"no array {name} in the header"
    body = m.group(2)
    values = re.findall(r'"((?:[^"\\]|\\.)*)"', body) if '"' in body else \
        [c_number(v.strip()) for v in body.split(",") if v.strip()]
    assert len(values) == int(m.group(1)), name
    return values


def quantize(x: np.ndarray, d: dict[str, str], macro: str) -> np.ndarray:
    scale, zp = c_number(d[f"{macro}_INPUT_SCALE"]), int(d[f"{macro}_INPUT_ZERO_POINT"])
    return np.clip(np.round(x / scale) + zp, -128, 127)


def invariant_channels(raw: np.ndarray, names: list[str], sensor: list[str]) -> np.ndarray:
    """The model's channels from the header's words: other channels as they are, then per 3-axis sensor its
    magnitude and the centred readings on the covariance's unit eigenvectors (largest first), each sign
    flipped so that the sum of cubes is not negative (here by SVD, not the eigen solver Edgeling uses)."""
    axes = [sensor.index(n) for n in ("acc_x", "acc_y", "acc_z")]
    out = []
    for w in raw.astype(np.float64):
        v = w[:, axes]
        centred = v - v.mean(axis=0)
        _, _, vt = np.linalg.svd(centred, full_matrices=False)   # rows: eigenvectors, largest first
        proj = centred @ vt.T
        proj *= np.where((proj ** 3).sum(axis=0) < 0, -1.0, 1.0)
        made = {"|acc|": np.sqrt((v ** 2).sum(axis=1)), "temp": w[:, sensor.index("temp")]}
        made.update({f"acc_pc{k + 1}": proj[:, k] for k in range(3)})
        out.append(np.stack([made[n] for n in names], axis=1))
    return np.stack(out)


# ------------------------------------------------------------------------------------------------ tests
def test_a_conv1d_header_holds_the_window_channels_and_standardisation(tmp_path):
    text, card_md, card, frontend, x, _ = _export(tmp_path, "conv1d", {"width": 4, "depth": 2,
                                                                       "orientation": "invariant"})
    d = defines(text)
    assert c_number(d["PUMP_MODEL_SAMPLE_RATE_HZ"]) == RATE and int(d["PUMP_MODEL_WINDOW_READINGS"]) == T
    assert int(d["PUMP_MODEL_WINDOW_STRIDE_READINGS"]) == 25 and int(d["PUMP_MODEL_NUM_SENSOR_CHANNELS"]) == 4
    sensor, names = c_array(text, "pump_model_sensor_channels"), c_array(text, "pump_model_channels")
    assert sensor == META["channels"] and names == ["temp", "|acc|", "acc_pc1", "acc_pc2", "acc_pc3"]
    assert names == frontend["channel_names"] and int(d["PUMP_MODEL_NUM_CHANNELS"]) == 5
    mean, std = c_array(text, "pump_model_mean"), c_array(text, "pump_model_std")
    np.testing.assert_allclose(mean, frontend["mean"], rtol=1e-8, atol=1e-30)
    np.testing.assert_allclose(std, frontend["std"], rtol=1e-8)
    assert "x = (v - pump_model_mean[c]) / pump_model_std[c]" in text
    assert "input[t * PUMP_MODEL_NUM_CHANNELS + c] = q" in text and "sum of its cubes is not negative" in text
    assert "// Input tensor shape (NHWC): {1, 1, 100, 5}" in text
    flat = " ".join(line[2:].strip() for line in text.splitlines() if line.startswith("//"))
    assert "Read them in the units the training recordings had (their average magnitude |acc| was 1" in flat
    assert "about 1 means g, about 9.8 means m/s^2), at 50 readings per second: a sensor library's default" in flat

    # the header's constants and words rebuild Edgeling's int8 input from raw readings
    raw = _windows(12, seed=5)
    ours = quantize(to_graph_layout(frontends.apply(frontend, raw)), d, "PUMP_MODEL").reshape(len(raw), -1)
    made = (invariant_channels(raw, names, sensor) - np.array(mean)) / np.array(std)
    theirs = quantize(made, d, "PUMP_MODEL").reshape(len(raw), -1)   # input[t * C + c]
    assert np.mean(ours == theirs) > 0.999 and np.abs(ours - theirs).max() <= 1

    # RAM besides the arena: the window buffer, in the card and the header
    said = ("Besides the arena, the firmware needs a buffer for one window: 100 readings x 4 channels (1,600 bytes "
            "as float).")
    assert said in card_md and "## Memory for preparing an input" in card_md
    assert "// Besides the arena, the firmware needs a buffer for one window: 100 readings x 4 channels" in text
    assert "making them as floats first takes 100 x 5 x 4 = 2,000 bytes more" in card_md
    assert "element t x 5 + c" in card_md and "each of length 1" in card_md
    assert card["frontend"]["mean"] == frontend["mean"]
    _compiles(tmp_path, "pump model.h", "pump_model_mean[0] < pump_model_std[0] + 1e9f && "
                                        "PUMP_MODEL_WINDOW_READINGS == 100 && pump_model_channels[0][0] == 't'")


def _spectral_features(chans: np.ndarray, text: str, names: list[str], macro: str, ident: str) -> np.ndarray:
    """Features from the header: per channel mean (when the header lists one), rms, skewness, kurtosis - 3
    of the (filtered) centred signal, then log10 band powers over the header's FFT bins."""
    d = defines(text)
    n, power_sum = int(d[f"{macro}_FFT_SIZE"]), c_number(d[f"{macro}_HANN_POWER_SUM"])
    first, last = c_array(text, f"{ident}_band_first_bin"), c_array(text, f"{ident}_band_last_bin")
    features = c_array(text, f"{ident}_features")
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)
    out = []
    for k, name in enumerate(names):
        v = chans[:, :, k]
        m = v.mean(axis=1)
        dd = v - m[:, None]
        if f"{macro}_FILTER_FIRST_BIN" in d:
            spec = np.fft.rfft(dd, axis=1)
            keep = np.zeros(spec.shape[1], bool)
            keep[int(d[f"{macro}_FILTER_FIRST_BIN"]):int(d[f"{macro}_FILTER_LAST_BIN"]) + 1] = True
            dd = np.fft.irfft(spec * keep, n=n, axis=1)
        rms = np.sqrt((dd ** 2).mean(axis=1))
        z = dd / rms[:, None]
        stats = [rms, (z ** 3).mean(axis=1), (z ** 4).mean(axis=1) - 3]
        if f"{name} mean" in features:
            stats.insert(0, m)
        p = np.abs(np.fft.rfft(dd * window, axis=1)) ** 2 / power_sum
        bands = [np.log10(np.maximum(p[:, a:b + 1].mean(axis=1), 1e-10)) for a, b in zip(first, last)]
        out += stats + bands
    return np.stack(out, axis=1)


def test_a_spectral_header_says_how_to_compute_every_feature_and_calls_its_input_a_vector(tmp_path):
    text, card_md, card, frontend, x, _ = _export(tmp_path, "spectral_dense", {
        "width": 8, "depth": 1, "n_bands": 6, "orientation": "invariant", "highpass_hz": 1.0}, name="spec")
    d = defines(text)
    n_features = len(frontend["feature_names"])
    shape_said = f"// Input tensor shape (batch x {n_features} values: a flat vector, not a picture): {{1, {n_features}}}"
    assert shape_said in text
    assert "_prepare_window(" not in text        # the ready-made function is for windows of readings only
    assert "NHWC" not in text
    assert int(d["SPEC_NUM_FEATURES"]) == n_features and int(d["SPEC_FFT_SIZE"]) == T
    assert c_array(text, "spec_features") == frontend["feature_names"]
    names = c_array(text, "spec_channels")
    mean, std = np.array(c_array(text, "spec_mean")), np.array(c_array(text, "spec_std"))
    np.testing.assert_allclose(mean, frontend["mean"], rtol=1e-8)

    raw = _windows(12, seed=7)
    chans = invariant_channels(raw, names, c_array(text, "spec_sensor_channels"))
    feats = (_spectral_features(chans, text, names, "SPEC", "spec") - mean) / std
    ours = frontends.apply(frontend, raw)
    np.testing.assert_allclose(feats, ours, rtol=1e-4, atol=1e-4)
    assert np.abs(quantize(feats, d, "SPEC") - quantize(ours, d, "SPEC")).max() <= 1

    # the card's recipe says the same, precisely enough to write the code
    recipe = card_md.split("## How to prepare an input on the device")[1].split("## What the model answers")[0]
    for words in ("periodic Hann window w[t] = 0.5 - 0.5 cos(2 pi t / 100)", "log10(max(band, 1e-10))",
                  "(d[t] / rms)^4, minus 3", "P[k] = |X[k]|^2 / 37.5", "exactly 100 points, not padded",
                  "KISS FFT", "bins 2-50 are kept", "band0 = bins 2-9 (1-4.5 Hz)",
                  "except for acc_pc1, acc_pc2, acc_pc3: their mean is always 0",
                  f"shape [1, {n_features}] (NC: one flat vector of {n_features} features"):
        assert words in recipe, words
    assert "Compute the per-channel statistics and band powers listed in the front end below" not in recipe
    assert "a real FFT of 100 points (100 floats in and 51 complex values out, 808 bytes" in recipe
    assert "one window: 100 readings x 4 channels (1,600 bytes as float)" in recipe
    _compiles(tmp_path, "spec.h", "spec_band_last_bin[SPEC_NUM_BANDS - 1] == SPEC_FFT_SIZE / 2 && "
                                  "spec_features[0][0] == 't'")


def test_an_audio_header_holds_the_clip_frames_and_coefficient_statistics(tmp_path):
    spec = zoo.InputSpec("audio", "classification", 2, (4000,), {"sample_rate": 8000, "clip_s": 0.5}, ["no", "yes"])
    x = np.random.default_rng(0).uniform(-0.5, 0.5, (20, 4000)).astype(np.float32)
    knobs = zoo.resolve_knobs("ds_cnn", spec, None)
    frontend = zoo.fit_frontend("ds_cnn", spec, x, knobs)
    model = zoo.build_model("ds_cnn", spec, knobs, frontend).eval()
    net_in = zoo.apply_frontend(frontend, x)
    out = tmp_path / "kws.h"
    export_model(model, frontend, spec, net_in[:16], net_in[16:], None, "c-header", out, verify=False)
    text, card_md = out.read_text(), (tmp_path / "kws.h.card.md").read_text()
    d = defines(text)
    assert int(d["KWS_CLIP_SAMPLES"]) == 4000 and c_number(d["KWS_SAMPLE_RATE_HZ"]) == 8000
    assert int(d["KWS_FRAME_LENGTH"]) == frontend["win_length"] and int(d["KWS_FRAME_STEP"]) == frontend["hop_length"]
    assert int(d["KWS_FFT_SIZE"]) == frontend["n_fft"] and int(d["KWS_NUM_MEL_BANDS"]) == frontend["n_mels"]
    frames, coefficients = int(d["KWS_NUM_FRAMES"]), int(d["KWS_NUM_COEFFICIENTS"])
    assert (1, frames, coefficients, 1) == tuple(json.loads((tmp_path / "kws.h.card.json").read_text())["input_shape"])
    np.testing.assert_allclose(c_array(text, "kws_mean"), frontend["mean"], rtol=1e-8)
    assert len(c_array(text, "kws_std")) == coefficients
    assert "input[f * KWS_NUM_COEFFICIENTS + i] = q" in text
    assert ("Besides the arena, the firmware needs a buffer for one clip: 4,000 samples (16,000 bytes as float"
            in card_md)
    _compiles(tmp_path, "kws.h", "kws_mean[0] == kws_mean[0] && KWS_CLIP_SAMPLES == 4000")


def _compiles(folder, header: str, condition: str) -> None:
    """The header compiles as C11 and C++11 with TensorFlow Lite Micro's own warning flags, every warning an
    error, and ``condition`` holds (``tflm_build``)."""
    compile_with_tflm_flags(folder, header, condition)


def test_the_conv1d_description_says_what_the_exported_file_takes():
    """It said 'input laid out as channels x 1 x time' (PyTorch's inside layout) while the card and header say
    [1, 1, T, C], reading by reading."""
    said = zoo.describe("conv1d")
    assert "channels x 1 x time" not in said
    assert "reading by reading" in said and "the channels of a reading together" in said


def test_every_float_in_a_header_is_a_c_float_literal():
    """A whole number written as '200f' (the sample rate, a scale of 1) is not C; it is now '200.0f'."""
    from edgeling.core.export.c_header import c_float, c_header_text

    assert [c_float(v) for v in (200.0, 1.0, 0.5, -3e-20, 1e10)] == ["200.0f", "1.0f", "0.5f", "-3e-20f", "1e+10f"]
    text = c_header_text(b"\x00" * 4, name="m", labels=["a"], input_scale=1.0, input_zero_point=0, output_scale=2.0,
                         output_zero_point=0, arena_bytes=2048, arena_measured=None, arena_estimated=None,
                         input_shape=(1, 4))
    d = defines(text)
    assert d["M_INPUT_SCALE"] == "1.0f" and d["M_OUTPUT_SCALE"] == "2.0f"
    assert "// Input tensor shape (batch x 4 values: a flat vector, not a picture): {1, 4}" in text


def test_the_ram_said_for_a_board_counts_the_window_buffer_too(tmp_path):
    """The pump walk: 'needs about 11 KB of RAM' was the arena alone; the window the firmware fills comes on top
    (and for frequency features one channel, the FFT and the features), in the sentence, the card and --json."""
    import contextlib
    import io

    from edgeling.core.commands.export import _say_result
    from edgeling.core.models.autosize import format_bytes

    for arch, knobs, extra in (("conv1d", {"width": 4, "depth": 2}, T * 4 * 4),
                               ("spectral_dense", {}, None)):
        folder = tmp_path / arch
        folder.mkdir()
        text, md, card, frontend, x, result = _export(folder, arch, knobs, device="arduino-nano-33-ble-sense")
        d = result["on_device"]
        arena = result["arena_reserved_bytes"]
        if extra is None:       # a window, one channel, the FFT of T points and the features, as floats
            extra = T * 4 * 4 + T * 4 + (T + 2 * (T // 2 + 1)) * 4 + len(frontend["feature_names"]) * 4
        assert d["input_ram_bytes"] == extra and d["arena_bytes"] == arena
        said = io.StringIO()
        with contextlib.redirect_stderr(said):
            _say_result(result)
        assert (f"pump model.h needs about {format_bytes(arena + extra)} of RAM ({format_bytes(arena)} for the "
                f"model's tensor arena, {format_bytes(extra)} to hold one window of readings") in said.getvalue()
        assert f"Adding at least {extra:,} bytes to hold one window of readings" in md
        assert f"about {format_bytes(arena + extra)} in all" in md


@pytest.mark.parametrize("orientation", ["invariant", "axes+magnitude", "axes"])
def test_the_headers_ready_made_function_fills_the_input_as_edgeling_does(tmp_path, orientation):
    """The pump walk: the header asked the firmware person for a 3x3 eigen solver of their own. Its
    <name>_prepare_window() now does every step; compiled here and fed raw windows, it must write the int8
    input Edgeling's front end gives (the magnitude, the principal axes with their signs, the temperature as
    it is, standardised and quantized)."""
    compiler = c_compiler()
    text, md, card, frontend, _, _ = _export(tmp_path, "conv1d", {"width": 4, "depth": 2, "orientation": orientation})
    assert "pump_model_prepare_window(const float* window, signed char* input)" in text
    assert "The C header does all of these steps in `pump_model_prepare_window(window, input)`" in md
    raw = _windows(30, seed=7)                                     # windows the model never saw
    (tmp_path / "windows.bin").write_bytes(raw.astype("<f4").tobytes())
    channels = len(frontend["channel_names"])
    (tmp_path / "prep.c").write_text(f"""#include <stdio.h>
#include "pump model.h"
int main(void) {{
  static float window[PUMP_MODEL_WINDOW_READINGS * PUMP_MODEL_NUM_SENSOR_CHANNELS];
  static signed char input[PUMP_MODEL_WINDOW_READINGS * PUMP_MODEL_NUM_CHANNELS];
  FILE* in = fopen("windows.bin", "rb"); FILE* out = fopen("inputs.bin", "wb");
  for (int w = 0; w < {len(raw)}; w++) {{
    if (fread(window, sizeof window, 1, in) != 1) return 2;
    pump_model_prepare_window(window, input);
    fwrite(input, sizeof input, 1, out);
  }}
  fclose(in); fclose(out); return 0;
}}
""")
    subprocess.run([compiler, "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "prep.c", "-o", "prep", "-lm"],
                   check=True, cwd=tmp_path, capture_output=True)
    subprocess.run([str(tmp_path / "prep")], check=True, cwd=tmp_path)
    got = np.frombuffer((tmp_path / "inputs.bin").read_bytes(), np.int8).reshape(len(raw), T, channels)
    q = card["input_quantization"]
    features = zoo.apply_frontend(frontend, raw)[:, :, 0, :].transpose(0, 2, 1)     # (N, T, channels)
    want = np.clip(np.round(features / q["scale"]) + q["zero_point"], -128, 127).astype(np.int8)
    diff = np.abs(got.astype(int) - want.astype(int))
    assert diff.max() <= 1 and (diff > 0).mean() < 0.01, (diff.max(), (diff > 0).mean())
    _compiles(tmp_path, "pump model.h", "PUMP_MODEL_NUM_CHANNELS > 0")    # C11 and C++11 with TFLM's flags


def test_a_front_end_the_c_function_does_not_know_gets_no_function_rather_than_a_failed_export():
    """Review: the generator asserted its channels, so an export could have failed on an AssertionError."""
    from edgeling.core.export.c_prepare import prepare_window_c

    frontend = {"type": "window", "length": 10, "mean": [0.0, 0.0], "std": [1.0, 1.0], "orientation": "axes",
                "input_channel_names": ["a", "b"], "axis_groups": [], "channel_names": ["a", "b"]}
    assert "pm_prepare_window(" in prepare_window_c("pm", "PM", frontend)
    assert prepare_window_c("pm", "PM", {**frontend, "channel_names": ["b", "a"]}) == ""
