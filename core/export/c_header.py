"""A C header for TensorFlow Lite Micro: the int8 model bytes (16-byte aligned), their length, the class
labels, the input / output quantization and shape, and the tensor arena size to declare (what TFLite Micro's
allocator measured here, plus a margin for optimized kernel builds such as CMSIS-NN or ESP-NN); given the
device, the arena is set against the RAM available for the model there, and its kernel library is named."""

from __future__ import annotations

import re

from edgeling.core.models.footprint import arena_to_reserve  # noqa: F401 - the header's figure, also read from here


def c_identifier(name: str) -> str:
    ident = re.sub(r"[^0-9A-Za-z_]", "_", name).strip("_") or "model"
    return ("m_" + ident) if ident[0].isdigit() else ident


def c_string(text: str) -> str:
    out = []
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif 32 <= byte < 127 and ch != "?":
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


def c_header_text(model_bytes: bytes, *, name: str, labels: list[str], input_scale: float,
                  input_zero_point: int, output_scale: float, output_zero_point: int,
                  arena_bytes: int, arena_measured: int | None, arena_estimated: int | None,
                  input_shape: tuple[int, ...], not_measured_because: str = "the export was not verified",
                  comment: str = "", pixel_to_input: tuple[list[float], list[float]] | None = None,
                  ops: list[str] | None = None, output_said: str = "see the model card",
                  frontend: dict | None = None, data_meta: dict | None = None, device=None,
                  output_shape: tuple[int, ...] | None = None) -> str:
    """``pixel_to_input``: per channel (A, B) with q = round(pixel * A + B) for a picture's 0..255 values
    (image models with an int8 input); written as two arrays, so firmware needs no other constants.
    ``frontend`` / ``data_meta``: for sensor and audio models, the sample rate, window, channel names,
    feature settings and standardisation are written as #defines and arrays too (``preparation_block``).
    ``device``: the ``Device`` the model is for (None: not known); the arena comment then names its kernel
    library and says how much of the RAM available for the model there the arena takes.
    ``output_shape``: the output tensor's shape (its values after the batch are ``<NAME>_NUM_OUTPUTS``; without
    it, one per label, or 1)."""
    ident = c_identifier(name)
    macro = ident.upper()
    ops = list(ops or [])
    rows = []
    for i in range(0, len(model_bytes), 12):
        rows.append("  " + ", ".join(f"0x{b:02x}" for b in model_bytes[i:i + 12]) + ",")
    parts = []
    if arena_measured:
        parts.append(f"TensorFlow Lite Micro used {arena_measured} bytes here (reference kernels)")
    else:
        parts.append(f"not measured ({not_measured_because})")
    if arena_estimated:
        parts.append(f"estimated {arena_estimated} bytes with {scratch_words(device)}")
    measured = "; ".join(parts) + ("; the larger (the measurement less what 8-byte pointers add here, as a "
                                   "32-bit board's are 4 bytes) plus a margin" if arena_measured else
                                   "; the larger plus a margin")
    ram_line = _comment(arena_against_ram(int(arena_bytes), device, frontend, data_meta)) if device is not None else ""
    label_lines = "\n".join(f"  {c_string(lab)}," for lab in labels) or "  \"\","
    shape = ", ".join(str(int(d)) for d in input_shape)
    layout = ("NHWC" if len(input_shape) == 4 else
              f"batch x {int(input_shape[-1])} values: a flat vector, not a picture" if len(input_shape) == 2
              else "see the model card")
    prep = preparation_block(ident, macro, frontend or {}, data_meta or {}, input_shape, device)
    ready = ""
    if prep:
        from edgeling.core.export.c_prepare import prepare_window_c

        ready = prepare_window_c(ident, macro, frontend or {})
        prep += ready
    clip = ""
    if prep and not ready:
        from edgeling.core.export.c_prepare_audio import prepare_clip_c

        clip = prepare_clip_c(ident, macro, frontend or {})
        prep += clip
    from edgeling.core.export.c_usage import usage_block

    outputs = (_count(output_shape[1:]) if output_shape and len(output_shape) > 1 else len(labels) or 1)
    usage = usage_block(ident, macro, ops, header_file=f"{name}.h", classifier=bool(labels),
                        prepare_window=bool(ready), prepare_clip=bool(clip),
                        recordings=(data_meta or {}).get("cut") == "clips of each recording")
    pixels = ""
    if pixel_to_input:
        a, b = (", ".join(c_float(v) for v in values) for values in pixel_to_input)
        sizes = picture_defines(macro, input_shape, pixel_to_input, frontend)
        if sizes:
            channels, width = int(input_shape[3]), int(input_shape[2])
            how = _comment(f"after making the picture square and resizing it to {macro}_INPUT_WIDTH x "
                           f"{macro}_INPUT_HEIGHT in one step by averaging (a camera's RGB565 or JPEG frame made "
                           "8-bit RGB first), as the model card's steps say. Besides the arena this takes the camera "
                           f"frame (on camera boards usually in PSRAM) and {2 * width * channels * 4} bytes of rows "
                           "for the resize (the model card: \"Memory for preparing an input\").")
        else:
            how = "// (after making it square and resizing it as the model card says).\n"
        grey = len(pixel_to_input[0]) == 1
        pixels = ("// A picture's 0..255 values straight to the int8 input, per channel c "
                  + ("(one, c = 0: grey):\n" if grey else "(R, G, B in that order):\n")
                  + f"//   q = round(pixel * {ident}_pixel_a[c] + {ident}_pixel_b[c]), clamped to -128..127\n"
                  + how + (grey_said() if grey else "")
                  + f"static const float {ident}_pixel_a[{len(pixel_to_input[0])}] = {{{a}}};\n"
                  f"static const float {ident}_pixel_b[{len(pixel_to_input[1])}] = {{{b}}};\n\n")
    from edgeling.core.export.c_names import names_comment

    return f"""// Generated by Edgeling. {comment}
{names_comment(ident, f"{name}.h")}\
// int8 TensorFlow Lite model for TensorFlow Lite Micro.
// Quantize an input value x (after the front end: see "How to prepare an input" in the model card) as:
//   q = round(x / {macro}_INPUT_SCALE) + {macro}_INPUT_ZERO_POINT, clamped to -128..127
// Read an output as: y = (q - {macro}_OUTPUT_ZERO_POINT) * {macro}_OUTPUT_SCALE
// Output: {output_said}.
{_comment(f"Operators to register (tflite::MicroMutableOpResolver<{len(ops)}>): {', '.join(ops) or '-'} (the "
           "usage below names the resolver's method for each).")}\
// The model takes {len(model_bytes)} bytes of flash ({ident}_tflite below); this header is larger only
// because it writes each byte as text.
// The model bytes equal a .tflite export of the same run except for the metadata that names the format.
// Include it in one source file: everything here is static, so each file that includes it gets its own
// copy of the model (it links either way, in C and in C++).
//
{usage}
#ifndef {macro}_H_
#define {macro}_H_

#ifndef __cplusplus
#include <stdalign.h>
#endif

{_comment(f"Tensor arena size: {measured}. This is only a number: the firmware declares the arena itself:")}//   alignas(16) static uint8_t tensor_arena[{macro}_ARENA_SIZE];
{ram_line}#define {macro}_ARENA_SIZE {int(arena_bytes)}
#define {macro}_INPUT_SCALE {c_float(input_scale)}
#define {macro}_INPUT_ZERO_POINT {int(input_zero_point)}
#define {macro}_OUTPUT_SCALE {c_float(output_scale)}
#define {macro}_OUTPUT_ZERO_POINT {int(output_zero_point)}
#define {macro}_NUM_LABELS {len(labels)}
// Input tensor shape ({layout}): {{{shape}}}
// The input's int8 values, and the output's:
#define {macro}_INPUT_BYTES {_count(input_shape)}
#define {macro}_NUM_OUTPUTS {outputs}
{picture_defines(macro, input_shape, pixel_to_input, frontend)}
{prep}{pixels}static const char* const {ident}_labels[] = {{
{label_lines}
}};

alignas(16) static const unsigned char {ident}_tflite[] = {{
{chr(10).join(rows)}
}};
static const unsigned int {ident}_tflite_len = {len(model_bytes)};

#endif  // {macro}_H_
"""


def _count(shape) -> int:
    """How many values a tensor of ``shape`` holds."""
    n = 1
    for d in shape:
        n *= int(d)
    return n


def grey_said() -> str:
    """For a 1-channel picture model: how a colour camera's pixel becomes its grey value, and that a camera's
    own greyscale (luma) output is the same."""
    from edgeling.core.export.image_recipe import GREY_FROM_RGB

    return _comment(f"The model takes grey pictures. From a colour camera's 8-bit R, G, B: {GREY_FROM_RGB}. A "
                    "camera's own greyscale output (its luma, Y, as in YUV or YCbCr) uses these same ITU-R 601 "
                    "weights, so it can be used as it is when it spans 0..255 (a 'limited range' Y of 16..235 "
                    "must first be stretched to 0..255).")


def scratch_words(device=None) -> str:
    """What the arena estimate adds for optimized kernels, naming the device's own library when known."""
    if device is None:
        return "the scratch buffers of optimized kernels such as CMSIS-NN or ESP-NN (sized like CMSIS-NN's)"
    library = getattr(device, "kernel_library", "")
    if library:
        return f"the scratch buffers of {library}, this device's kernel library (sized like CMSIS-NN's)"
    return (f"the scratch buffers of optimized kernels (sized like CMSIS-NN's; {device.name} runs the reference "
            "kernels, which need none)")


def arena_against_ram(arena_bytes: int, device, frontend: dict | None = None, data_meta: dict | None = None) -> str:
    """The arena against the RAM really available for the model on ``device`` (the largest free block, or the
    RAM less the application's share: the figure the plan judged it against), total RAM as context; with the
    RAM to prepare one input on top (``input_ram``), as the model card counts it, so the two say one figure
    (the vineyard walk: the header said the arena "leaves 24 KB", the card "That leaves 21 KB")."""
    from edgeling.core.devices.catalogue import ram_available
    from edgeling.core.export.input_recipe import input_ram
    from edgeling.core.models.autosize import format_bytes

    ram = ram_available(device)
    if not ram:
        return ""
    needs = input_ram(frontend or {}, data_meta or {}) if device.kind == "microcontroller" else None
    extra = needs[0] if needs else 0
    left = ram["bytes"] - int(arena_bytes) - extra
    what = f"this arena and at least {extra:,} bytes {needs[1]}," if extra else "this arena"
    verdict = (f"{what} {'leave' if extra else 'leaves'} {format_bytes(left)}" if left >= 0 else
               f"{what} {'do' if extra else 'does'} NOT fit: {format_bytes(-left)} too much")
    return (f"On {device.name}: {format_bytes(ram['bytes'])} ({ram['bytes']} bytes) of RAM is available for the "
            f"model: {ram['words']}; {verdict}.")


def picture_defines(macro: str, input_shape, pixel_to_input=None, frontend: dict | None = None) -> str:
    """#defines for a picture input's height, width and channels (NHWC); '' for other inputs."""
    shape = [int(d) for d in input_shape] if all(isinstance(d, int) for d in input_shape) else []
    if len(shape) != 4 or not (pixel_to_input or (frontend or {}).get("type") == "image"):
        return ""
    return (f"#define {macro}_INPUT_HEIGHT {shape[1]}\n#define {macro}_INPUT_WIDTH {shape[2]}\n"
            f"#define {macro}_INPUT_CHANNELS {shape[3]}\n")


def c_float(value: float) -> str:
    """A C float literal with 9 significant digits: 200 -> '200.0f' ('200f' is not C)."""
    text = f"{float(value):.9g}"
    if not any(ch in text for ch in ".eEn"):
        text += ".0"
    return text + "f"


def _c_floats(values) -> str:
    return _wrapped([c_float(v) for v in values])


def _c_strings(values) -> str:
    return _wrapped([c_string(str(v)) for v in values])


def _wrapped(items: list[str], width: int = 110) -> str:
    """Array items separated by commas, on lines of at most about ``width`` characters when they are many."""
    one = ", ".join(items)
    if len(one) <= width - 40:
        return one
    lines, line = [], ""
    for item in items:
        if line and len(line) + len(item) + 2 > width - 2:
            lines.append(line.rstrip())
            line = ""
        line += item + ", "
    lines.append(line.rstrip(", "))
    return "\n  " + "\n  ".join(lines) + "\n"


def _comment(text: str, width: int = 110) -> str:
    """``text`` as // lines of at most about ``width`` characters."""
    import textwrap

    return "\n".join("// " + line for line in textwrap.wrap(text, width - 3, break_on_hyphens=False)) + "\n"


def preparation_block(ident: str, macro: str, frontend: dict, data_meta: dict, input_shape, device=None) -> str:
    """#defines, arrays and comments for preparing a sensor window or an audio clip ('' for other models):
    the numbers the model card's recipe names, so firmware needs no other constants; for a sensor model, what
    the board's own sensor library reads (``device``) and how exactly the magnitude's scale must match."""
    from edgeling.core.export.input_recipe import device_constants

    k = device_constants(frontend, data_meta)
    if not k:
        return ""
    out = ["// ---- Preparing one input (every step in words: \"How to prepare an input on the device\" in the "
           "model card)\n"]
    rate = k.get("sample_rate")
    if rate:
        out.append(f"#define {macro}_SAMPLE_RATE_HZ {c_float(rate)}\n")
    mean, std = k["mean"], k["std"]
    q = (f"//   q = round(x / {macro}_INPUT_SCALE) + {macro}_INPUT_ZERO_POINT, clamped to -128..127\n")
    if k["kind"] == "audio":
        out.append(_comment(
            f"One clip: {k['length']} mono samples from -1 to 1 (the mean of the channels of a stereo recording). "
            f"Frames of {k['win_length']} samples every {k['hop_length']}, a periodic Hann window, power of a "
            f"{k['n_fft']}-point FFT, {k['n_mels']} {k['mel_scale']} mel bands from {float(k['fmin']):g} to "
            f"{float(k['fmax']):g} Hz, natural log (at least {float(k['log_floor']):g})"
            + (f", DCT-II keeping {k['n_mfcc']} coefficients" if k.get("features") == "mfcc" else "") + "."))
        out.append(f"#define {macro}_CLIP_SAMPLES {k['length']}\n"
                   f"#define {macro}_FRAME_LENGTH {k['win_length']}\n"
                   f"#define {macro}_FRAME_STEP {k['hop_length']}\n"
                   f"#define {macro}_FFT_SIZE {k['n_fft']}\n"
                   f"#define {macro}_NUM_MEL_BANDS {k['n_mels']}\n"
                   f"#define {macro}_MEL_FMIN_HZ {c_float(k['fmin'])}\n"
                   f"#define {macro}_MEL_FMAX_HZ {c_float(k['fmax'])}\n"
                   f"#define {macro}_LOG_FLOOR {c_float(k['log_floor'])}\n"
                   f"#define {macro}_NUM_FRAMES {k['frames']}\n"
                   f"#define {macro}_NUM_COEFFICIENTS {k['coefficients']}\n")
        out.append(f"// Standardise and quantize coefficient i (0..{k['coefficients'] - 1}) of frame f:\n"
                   f"//   x = (value - {ident}_mean[i]) / {ident}_std[i]\n" + q
                   + f"//   input[f * {macro}_NUM_COEFFICIENTS + i] = q\n")
    else:
        n, names, made = k["length"], k["input_channels"], k["channels"]
        seconds = f" ({n / float(rate):g} s)" if rate else ""
        from edgeling.core.export.input_recipe import magnitude_hint

        out.append(f"// One window: {macro}_WINDOW_READINGS readings{seconds} of the sensor channels "
                   f"{', '.join(names)}, in that order ({ident}_sensor_channels).\n")
        out.append(_comment("Read them in the units the training recordings had" + magnitude_hint(frontend, data_meta)
                            + (f", at {float(rate):g} readings per second: a sensor library's default rate may "
                               "differ, so set the rate, or resample" if rate else "") + "."))
        from edgeling.core.export.sensor_notes import board_sensor_lines, magnitude_scale_said

        out += [_comment(line) for line in [*board_sensor_lines(device, frontend, data_meta), magnitude_scale_said(frontend)]
                if line]
        out.append(f"#define {macro}_WINDOW_READINGS {n}\n")
        if k.get("stride"):
            stride_s = f" ({float(k['stride_s']):g} s)" if k.get("stride_s") else ""
            out.append(f"// In training a window started every {k['stride']} readings{stride_s}; on the device any "
                       "step works (a smaller one answers more often).\n"
                       f"#define {macro}_WINDOW_STRIDE_READINGS {k['stride']}\n")
        out.append(f"#define {macro}_NUM_SENSOR_CHANNELS {len(names)}\n"
                   f"static const char* const {ident}_sensor_channels[{len(names)}] = {{{_c_strings(names)}}};\n")
        if made != names:
            out.append(_comment(_made_channels_said(k)))
        out.append(f"#define {macro}_NUM_CHANNELS {len(made)}\n"
                   f"static const char* const {ident}_channels[{len(made)}] = {{{_c_strings(made)}}};\n")
        if k["kind"] == "window":
            out.append(f"// Standardise and quantize the value v of channel c ({ident}_channels) at reading t "
                       f"(0..{n - 1}):\n"
                       f"//   x = (v - {ident}_mean[c]) / {ident}_std[c]\n" + q
                       + f"//   input[t * {macro}_NUM_CHANNELS + c] = q   (reading by reading, the channels of "
                         "a reading together)\n")
        else:
            feats, bins = k["features"], k["band_bins"]
            out.append(_comment(
                f"Then {len(feats)} features, channel by channel ({ident}_features): per channel over the window, "
                "its mean m (not for principal-axis channels), and of d[t] = v[t] - m: rms, skewness = mean of "
                "(d/rms)^3, kurtosis = mean of (d/rms)^4 - 3 (both 0 if rms <= 1e-12), then per band "
                f"log10(max(mean of P[k] over the band's bins, 1e-10)) with P[k] = |X[k]|^2 / "
                f"{macro}_HANN_POWER_SUM and X the {n}-point real FFT (exactly {n} points, not padded) of "
                f"d[t] * (0.5 - 0.5 cos(2 pi t / {n}))"
                + (f"; d is first filtered: its FFT's bins outside {macro}_FILTER_FIRST_BIN..{macro}_FILTER_LAST_BIN "
                   f"set to 0, then the inverse FFT divided by {n}" if k.get("filter_bins") else "") + "."))
            out.append(f"#define {macro}_NUM_FEATURES {len(feats)}\n"
                       f"#define {macro}_FFT_SIZE {n}\n"
                       f"#define {macro}_HANN_POWER_SUM {c_float(k['hann_power_sum'])}\n"
                       f"#define {macro}_NUM_BANDS {len(bins)}\n")
            if k.get("filter_bins"):
                out.append(f"#define {macro}_FILTER_FIRST_BIN {k['filter_bins'][0]}\n"
                           f"#define {macro}_FILTER_LAST_BIN {k['filter_bins'][1]}\n")
            out.append(f"static const unsigned short {ident}_band_first_bin[{len(bins)}] = "
                       f"{{{', '.join(str(b[0]) for b in bins)}}};\n"
                       f"static const unsigned short {ident}_band_last_bin[{len(bins)}] = "
                       f"{{{', '.join(str(b[1]) for b in bins)}}};  // inclusive\n"
                       f"static const char* const {ident}_features[{len(feats)}] = {{{_c_strings(feats)}}};\n")
            out.append(f"// Standardise and quantize feature i:\n"
                       f"//   x = (feature[i] - {ident}_mean[i]) / {ident}_std[i]\n" + q
                       + "//   input[i] = q   (one flat vector of features)\n")
    out.append(f"static const float {ident}_mean[{len(mean)}] = {{{_c_floats(mean)}}};\n"
               f"static const float {ident}_std[{len(std)}] = {{{_c_floats(std)}}};\n")
    out.append("".join(_comment(line) for line in k["buffers"]))
    return "".join(out) + "\n"


def _made_channels_said(k: dict) -> str:
    """How the model's channels come from the sensor's, in one comment."""
    if k.get("orientation") == "invariant":
        return ("The model's channels, made per window: other channels as they are, then per 3-axis sensor its "
                "magnitude sqrt(x^2 + y^2 + z^2) per reading and the readings minus the window's mean projected on "
                "the unit eigenvectors of the window's 3x3 covariance (largest eigenvalue first), each projection's "
                "sign flipped so that the sum of its cubes is not negative.")
    if k.get("orientation") == "axes+magnitude":
        return ("The model's channels: every sensor channel as it is, then per 3-axis sensor its magnitude "
                "sqrt(x^2 + y^2 + z^2) per reading.")
    return "The model's channels, made from the sensor's as the model card says."


def parse_c_header_bytes(text: str, name: str) -> bytes:
    """The model bytes written into a header by ``c_header_text`` (used to check what was written)."""
    ident = c_identifier(name)
    m = re.search(rf"{ident}_tflite\[\] = \{{(.*?)\}};", text, re.S)
    if not m:
        return b""
    return bytes(int(v, 16) for v in re.findall(r"0x([0-9a-f]{2})", m.group(1)))
