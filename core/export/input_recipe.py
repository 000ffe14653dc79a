"""How to prepare one input on the device, in plain steps, for the model card and the C header.

The firmware person gets the file, not Edgeling: a model fed pixels in another range, another channel
order or without the standardisation answers nonsense without any error (the most common complaint about
exports: "the outputs do not match"). So every export says, from its own front-end config, what to do with
a raw picture / clip / window, and for images with an int8 input gives the whole chain as one multiply-add
per channel (``q = round(pixel * A[c] + B[c])``).
"""

from __future__ import annotations

from typing import Any

from edgeling.core.export.spectral_recipe import (
    fft_buffers,
    filter_bins,
    hann_power_sum,
    spectral_band_bins,
    spectral_step,
)
from edgeling.core.export.table_recipe import table_inputs, table_steps


def image_pixel_to_input(frontend: dict, quant: dict | None) -> tuple[list[float], list[float]] | None:
    """Per channel (A, B) with network input = pixel * A + B (float), or the int8 value before rounding
    when ``quant`` is given; None for other front ends."""
    if frontend.get("type") != "image" or any(k not in frontend for k in ("scale", "mean", "std")):
        return None
    scale, mean, std = float(frontend["scale"]), frontend["mean"], frontend["std"]
    a = [scale / s for s in std]
    b = [-m / s for m, s in zip(mean, std)]
    if quant:
        qs, zp = float(quant["scale"]), int(quant["zero_point"])
        a = [v / qs for v in a]
        b = [v / qs + zp for v in b]
    return a, b


GREY_FROM_RGB = ("grey = (R * 19595 + G * 38470 + B * 7471 + 32768) >> 16, that is round(0.299 R + 0.587 G + "
                 "0.114 B) with 8-bit R, G, B: the ITU-R 601-2 luma, as Pillow's \"L\" conversion that Edgeling's "
                 "importer uses")
"""How a colour pixel becomes the grey value a 1-channel picture model takes (Pillow's integer formula, exact)."""


def _floats(values) -> str:
    return "[" + ", ".join(f"{float(v):.6g}" for v in values) + "]"


CAMERA_FRAMES = ((320, 240, "QVGA"), (640, 480, "VGA"), (800, 600, "SVGA"), (1600, 1200, "UXGA"))
"""Frame sizes a typical camera module (an OV2640, say) gives; the recipe's examples use the smallest whose
short side is at least the model's picture."""


def _image_sizes(frontend: dict, data_meta: dict) -> tuple[list, list]:
    """(the imported pictures' size, the network's input size), each [height, width]."""
    side = list(frontend.get("input_size") or data_meta.get("image_size") or [])
    return side, list(frontend.get("size") or side)


def example_frame(size: list) -> tuple[int, int, str]:
    """(width, height, name) of the smallest usual camera frame whose short side is at least the model's."""
    need = max(int(v) for v in size) if size else 0
    return next((f for f in CAMERA_FRAMES if f[1] >= need), CAMERA_FRAMES[-1])


def _image_steps(frontend: dict, data_meta: dict) -> list[str]:
    if not image_pixel_to_input(frontend, None):
        return []  # an incomplete front end: say nothing rather than guess
    grey = int(frontend.get("channels", 3)) == 1
    side, size = _image_sizes(frontend, data_meta)
    h, w = (size + size)[:2] if size else ("?", "?")
    n = max(int(v) for v in size) if size else 0
    fw, fh, fname = example_frame(size)
    colour = ("8-bit grey values, 0 to 255 (from a colour camera: grey = 0.299 R + 0.587 G + 0.114 B, rounded, "
              "as Edgeling's importer made its grey pictures; a camera's own greyscale output, its luma Y, is the "
              "same)" if grey
              else "8-bit RGB values, 0 to 255 (red, green, blue in that order)")
    take = (f"Take the picture upright, the way up the training pictures were, as {colour}; transparent pixels "
            "count as white.\n"
            "   - From a camera module (an OV2640 on an ESP32 camera board, say), set it to RGB565 or JPEG and make "
            "8-bit RGB (RGB888) values: an RGB565 pixel is 16 bits, 5 of red (r5), 6 of green (g6) and 5 of blue "
            "(b5) from the top bit down (many drivers, "
            "esp32-camera among them, store its high byte first), and R = r5 << 3 | r5 >> 2, G = g6 << 2 | g6 >> 4, "
            "B = b5 << 3 | b5 >> 2; a JPEG frame is decoded to RGB888 first. An RGB565 frame can be converted pixel "
            "by pixel as the resize reads it: no RGB888 copy of the frame is needed.\n"
            "   - If the camera is mounted another way up, turn or mirror the picture (or use the camera's own "
            "flip and mirror settings).")
    if side and side != size:
        twice = (f"the training pictures were resized twice, to {side[1]}x{side[0]} when they were imported and then "
                 f"to {w}x{h} by the model's front end; one resize straight to {w}x{h} gives nearly the same "
                 f"picture and needs no {side[1]}x{side[0]} picture in between ({_picture_bytes(side, grey):,} "
                 "bytes). Resizing twice as training did matches it exactly, when the memory is there")
    else:
        twice = f"the training pictures were resized this way, once, to {w}x{h} when they were imported"
    f_example = f"{fh / n:.4g}" if n else "?"
    square = (f"Make it square without squashing, then resize it to {w}x{h} pixels in one step, by averaging: "
              "take the centred square whose side s is the picture's short side (its edges may fall between "
              f"pixels; a {fw}x{fh} {fname} frame: its middle {fh}x{fh}). Let f = s / {n} ({f_example} for a "
              f"{fh}-pixel square) and r the larger of f and 1. Measured in input pixels from the square's edge, input "
              f"pixel j is centred at j + 0.5 and output pixel i (0..{n - 1}) at (i + 0.5) x f; output pixel i is "
              "the average of the picture's pixels centred less than r from it (just outside the square too, "
              "where the picture has them), each weighted 1 - distance / r, divided by the sum of those weights. It is separable: along each row, then down the columns. "
              "Pillow's resize with BILINEAR and a box computes exactly this; OpenCV's INTER_AREA (equal weights) "
              "is simpler but gives a slightly sharper picture than training's.\n"
              "   - Why averaging: training resized every picture this way, a bilinear resize that averages all "
              "the pixels it shrinks. A plain bilinear sample of 2x2 pixels skips most of a large "
              "picture's pixels: it gives a grainier picture than any the model learnt from, and other answers.\n"
              f"   - Why one resize: {twice}.")
    return [take, square,
            f"Per channel c: x = (value / 255 - mean[c]) / std[c], with mean = {_floats(frontend['mean'])} and "
            f"std = {_floats(frontend['std'])}."]


def _picture_bytes(size: list, grey: bool) -> int:
    return int(size[0]) * int(size[-1]) * (1 if grey else 3)


def image_buffers(frontend: dict, data_meta: dict) -> list[str]:
    """The RAM a camera picture takes on its way to the input, besides the arena (which holds the int8 input
    the resize writes into): the frame, the one-step resize's two rows, and what resizing twice would add."""
    if not image_pixel_to_input(frontend, None):
        return []
    grey = int(frontend.get("channels", 3)) == 1
    side, size = _image_sizes(frontend, data_meta)
    if not size:
        return []
    fw, fh, fname = example_frame(size)
    channels = 1 if grey else 3
    h, w = int(size[0]), int(size[-1])
    said = [f"Besides the arena, the camera frame: width x height x 2 bytes in RGB565 ({fw}x{fh} {fname}: "
            f"{fw * fh * 2:,} bytes), or a JPEG plus the RGB888 frame it decodes to, width x height x 3 bytes "
            f"({fw * fh * 3:,} bytes; a decoder that scales by 1/2, 1/4 or 1/8 while decoding needs less, as long "
            f"as the short side stays at least {max(h, w)}). On ESP32 camera boards the frame buffers usually live "
            "in PSRAM (external RAM), not in the internal RAM the arena needs.",
            f"The one-step resize: two rows of {w} x {channels} floats ({2 * w * channels * 4:,} bytes), one input "
            "row averaged across and the running sums of the output row; each finished row goes straight into the "
            "input tensor as the steps above say (the input tensor is in the arena)."]
    if side and side != size:
        said.append(f"Resizing twice as training did needs the {side[1]}x{side[0]} picture in between: "
                    f"{_picture_bytes(side, grey):,} bytes more.")
    return said


def _audio_steps(frontend: dict, data_meta: dict) -> list[str]:
    f = frontend
    mfcc = f"; then the orthonormal DCT-II, keeping {f.get('n_mfcc')} coefficients (MFCC)." \
        if f.get("features") == "mfcc" else "."
    clip = data_meta.get("clip_s", "?")
    bands = ("each triangle peaks at 1, with no area normalisation (librosa htk=True, norm=None)"
             if f.get("mel_scale") == "htk" else "each triangle scaled to unit area (librosa's default norm)")
    return [f"Record mono audio at {f.get('sample_rate')} Hz (stereo: the mean of the channels), as floats from "
            f"-1 to 1, and take {f.get('length')} samples ({clip} s): pad a shorter recording with silence at the "
            f"end; from a longer one take its loudest {clip} s (the stretch with the largest sum of squares). A "
            "device listening all the time can slide the window, or start it when the sound gets loud.",
            f"Cut frames of {f.get('win_length')} samples every {f.get('hop_length')} (no padding at the ends), "
            f"multiply each by a periodic Hann window, take the power |FFT|^2 of size {f.get('n_fft')}"
            + (f" (the frame padded with zeros at its end to {f.get('n_fft')} points)"
               if int(f.get("n_fft") or 0) > int(f.get("win_length") or 0) else "") + ", sum it "
            f"into {f.get('n_mels')} triangular mel bands ({f.get('mel_scale')} scale, {f.get('fmin')}-"
            f"{f.get('fmax')} Hz, librosa's construction: {bands}) and take the natural log of each band, at "
            f"least {f.get('log_floor')}{mfcc} Every setting is in the front end below.",
            "Standardise every coefficient: x = (value - mean[i]) / std[i] (mean and std below)."]


def _sensor_steps(frontend: dict, data_meta: dict) -> list[str]:
    rate, mode = frontend.get("sample_rate"), frontend.get("orientation")
    stride = data_meta.get("stride_s")
    steps = [f"Take a window of {frontend.get('length')} readings" + (f" at {rate:g} per second" if rate else "")
             + f" of the channels {', '.join(frontend.get('input_channel_names') or [])}, in that order, in the "
             "same units as the training recordings" + magnitude_hint(frontend, data_meta) + "."
             + (f" In training, windows started every {stride:g} s; for a whole recording Edgeling averages the "
                "windows' probabilities." if stride else "")]
    from edgeling.core.export.sensor_notes import magnitude_scale_said

    steps[0] += (" " + magnitude_scale_said(frontend)).rstrip()
    if mode in ("axes+magnitude", "invariant"):
        invariant = mode == "invariant"
        steps.append(f"Make the channels {', '.join(frontend.get('channel_names') or [])}, in that order: "
                     + ("the other channels as they are" if invariant else "every channel as it is")
                     + ", then for each 3-axis sensor its magnitude sqrt(x^2 + y^2 + z^2) per reading"
                     + ("; then its principal axes over the window: subtract the window's mean of each axis, "
                        "take the 3x3 covariance of the window (sum of the products of the centred readings "
                        "divided by the number of readings), project the centred readings on its "
                        "eigenvectors (largest eigenvalue first), each of length 1 (any symmetric 3x3 eigen "
                        "solver gives them, e.g. Jacobi's method), and flip each projection's sign so that the "
                        "sum of its cubes over the window is not negative (this is what makes the model not care "
                        "how the sensor is held). The whole window is needed before the first value of these "
                        "channels." if invariant else "."))
    if frontend.get("type") == "spectral":
        steps.append(spectral_step(frontend))
        return steps + ["Standardise every feature: x[i] = (feature[i] - mean[i]) / std[i] (mean and std "
                        "below, one per feature)."]
    return steps + ["Standardise every value of channel c, at every reading: x = (value - mean[c]) / std[c]"
                    + _stats_said(frontend) + "."]


def _stats_said(frontend: dict, most: int = 8) -> str:
    mean, std = frontend.get("mean") or [], frontend.get("std") or []
    if not mean or len(mean) > most:
        return " (mean and std below)"
    return f", with mean = {_floats(mean)} and std = {_floats(std)}"


def magnitude_hint(frontend: dict, data_meta: dict | None = None) -> str:
    """The unit the model learnt its accelerometer in, when the import read it (``data_meta["axis_units"]``,
    ``sensor_units``): ": x, y, z in g (about 1 at rest)"; else, as sensors carry no unit in their CSV, the
    training magnitude's average, which tells g from m/s^2."""
    units = [u for u in (data_meta or {}).get("axis_units") or [] if isinstance(u, dict) and u.get("unit")]
    if units:
        return ": " + "; ".join(f"{', '.join(map(str, u.get('channels') or []))} in {u['unit']} (about "
                                f"{'1' if u['unit'] == 'g' else '9.8'} at rest)" for u in units)
    names, mean = frontend.get("channel_names") or [], frontend.get("mean") or []
    for name, m in zip(names, mean):
        if str(name).startswith("|") and str(name).endswith("|"):
            return (f" (their average magnitude {name} was {float(m):.3g}: about 1 means g, about 9.8 means "
                    "m/s^2)")
    return ""


KIND_STEPS = {"image": _image_steps, "audio": _audio_steps, "window": _sensor_steps, "spectral": _sensor_steps,
              "table": table_steps}
LAYOUT_ORDER = {"image": "row by row, pixel by pixel, the channels of a pixel together",
                "window": "reading by reading, the channels of a reading together",
                "audio": "frame by frame, the coefficients of a frame together"}
"""The order of the values in memory of a TFLite input (NHWC: batch, rows, columns, channels)."""
LAYOUT_ORDER_CHANNELS_FIRST = {"image": "channel by channel, each channel row by row, pixel by pixel",
                               "window": "channel by channel, each channel's readings in time order",
                               "audio": "frame by frame, the coefficients of a frame together"}
"""The order in memory of an ONNX input (NCHW: batch, channels, rows, columns; a sensor window is
(batch, channels, 1, readings), an audio clip (batch, 1, frames, coefficients), as PyTorch takes them)."""


def _layout_order(kind: str, layout: str, input_shape) -> str:
    if layout == "NHWC":
        return LAYOUT_ORDER.get(kind, "")
    if layout in ("NCHW", "NCL"):
        if kind == "image" and len(input_shape) == 4 and input_shape[1] == 1:
            return "row by row, pixel by pixel"   # one channel: nothing to put first
        return LAYOUT_ORDER_CHANNELS_FIRST.get(kind, "")
    return ""


def _flat_index(kind: str, input_shape, layout: str = "NHWC") -> str:
    """Where one value goes in the input tensor's memory, for sensor windows, audio frames and (channels
    first) pictures."""
    shape = list(input_shape)
    if not all(isinstance(d, int) for d in shape[1:]):
        return ""
    if layout == "NHWC" and len(shape) == 4:
        if kind == "window":
            return f"the value of channel c at reading t is element t x {shape[3]} + c"
        if kind == "audio":
            return f"coefficient i of frame f is element f x {shape[2]} + i"
        return ""
    if layout == "NCHW" and len(shape) == 4:
        if kind == "window" and shape[2] == 1:
            return f"the value of channel c at reading t is element c x {shape[3]} + t"
        if kind == "audio" and shape[1] == 1:
            return f"coefficient i of frame f is element f x {shape[3]} + i"
        if kind == "image":
            if shape[1] == 1:
                return f"the value at row y, column x is element y x {shape[3]} + x"
            return f"the value of channel c at row y, column x is element c x {shape[2] * shape[3]} + y x {shape[3]} + x"
        return ""
    if layout == "NCL" and len(shape) == 3 and kind == "window":
        return f"the value of channel c at reading t is element c x {shape[2]} + t"
    return ""


def recipe_lines(frontend: dict, data_meta: dict, quant: dict | None, layout: str, input_shape) -> list[str]:
    """Numbered Markdown steps from a raw sample to the file's input tensor ([] when the front end is
    unknown or incomplete)."""
    kind = str(frontend.get("type"))
    steps = KIND_STEPS[kind](frontend, data_meta) if kind in KIND_STEPS else []
    if not steps:
        return []
    if quant:
        zp = int(quant["zero_point"])
        steps.append(f"Quantize for the int8 input: q = round(x / {float(quant['scale']):.6g}) "
                     f"{'-' if zp < 0 else '+'} {abs(zp)}, clamped to -128..127.")
        ab = image_pixel_to_input(frontend, quant)
        if ab:
            steps.append(f"(Steps 3 and 4 in one, on the resized 0..255 values: q = round(value * A[c] + B[c]), "
                         f"clamped to -128..127, with A = {_floats(ab[0])} and B = {_floats(ab[1])}; a C header "
                         "has them as its pixel_a and pixel_b arrays.)")
    else:
        steps.append("Feed x as 32-bit floats.")
    order = _layout_order(kind, layout, input_shape)
    index = _flat_index(kind, input_shape, layout)
    if kind == "spectral" and len(input_shape) == 2:
        order = f"one flat vector of {input_shape[-1]} features in the order above, not a picture"
    steps.append(f"Lay the values out as the file's input: shape {list(input_shape)} ({layout}"
                 + (f": {order}" if order else "") + ")" + (f"; {index}" if index else "") + ".")
    return [f"{i}. {s}" for i, s in enumerate(steps, 1)]


def recipe_markdown(card: dict[str, Any]) -> list[str]:
    frontend, data_meta = card.get("frontend") or {}, card.get("data_meta") or {}
    lines = recipe_lines(frontend, data_meta, card.get("input_quantization"), card.get("input_layout") or "",
                         card.get("input_shape") or [])
    if not lines:
        return []
    if frontend.get("type") == "table" and data_meta.get("columns"):
        lines += [""] + table_inputs(data_meta, frontend)
    from edgeling.core.export.c_usage import ready_made_function_lines

    lines += ready_made_function_lines(card, frontend)
    memory = working_buffers(frontend, data_meta) if for_a_microcontroller(card) else []
    if memory:
        lines += ["", "## Memory for preparing an input", ""] + [f"- {m}" for m in memory]
    return ["", "## How to prepare an input on the device", ""] + lines


def for_a_microcontroller(card: dict[str, Any]) -> bool:
    """Whether the card's device is a microcontroller, or not known: its arena and buffers are said then. A
    Raspberry Pi's card spoke of "the arena" and "the firmware" (the speech walk), which a Pi has not."""
    kind = (card.get("on_device") or {}).get("kind")
    return kind in (None, "microcontroller")


def working_buffers(frontend: dict, data_meta: dict) -> list[str]:
    """The RAM the preparation takes on the device besides the network's tensor arena (which the plan, the
    verification and the C header's arena size cover): one raw window, clip or camera frame, and the working
    buffers the recipe implies. [] for tables (their input is the network's input)."""
    kind = frontend.get("type")
    if kind == "image":
        return image_buffers(frontend, data_meta)
    if kind in ("window", "spectral") and frontend.get("length"):
        n, c = int(frontend["length"]), int(frontend.get("channels") or len(frontend.get("input_channel_names") or []))
        made = len(frontend.get("channel_names") or [])
        said = [f"Besides the arena, the firmware needs a buffer for one window: {n} readings x {c} channels "
                f"({n * c * 4:,} bytes as float)."]
        if kind == "window":
            said.append(f"The model's {made} channels can go straight into the input tensor as int8 (it is in "
                        f"the arena); making them as floats first takes {n} x {made} x 4 = {n * made * 4:,} "
                        "bytes more.")
            return said
        features = len(frontend.get("feature_names") or [])
        said.append(f"Working buffers for the features: one model channel of {n} floats ({n * 4:,} bytes; all "
                    f"{made} channels at once: {n * made * 4:,} bytes), {fft_buffers(n)}, and the {features} "
                    f"features ({features * 4:,} bytes as float; or quantize each straight into the input "
                    "tensor).")
        return said
    if kind == "audio" and frontend.get("length"):
        n, n_fft, mels = int(frontend["length"]), int(frontend.get("n_fft") or 0), int(frontend.get("n_mels") or 0)
        return [f"Besides the arena, the firmware needs a buffer for one clip: {n:,} samples ({n * 4:,} bytes as "
                f"float, {n * 2:,} bytes as 16-bit samples).",
                f"Working buffers for the features: one frame and {fft_buffers(n_fft)}, and {mels} mel bands "
                f"({mels * 4:,} bytes as float); each frame's coefficients can go straight into the input "
                "tensor as int8."]
    return []


def input_ram(frontend: dict, data_meta: dict) -> tuple[int, str] | None:
    """(bytes, what they hold) of the least RAM the firmware needs besides the arena to prepare one input, as
    ``working_buffers`` describes it: one raw window as floats (plus, for frequency features, one channel,
    the FFT and the features), one clip as 16-bit samples plus the FFT and the mel bands, or the picture
    resize's two rows (the camera frame is the camera driver's, often in PSRAM, and not counted). None for
    tables, whose input is the network's input."""
    kind = frontend.get("type")
    if kind in ("window", "spectral") and frontend.get("length"):
        n, c = int(frontend["length"]), int(frontend.get("channels") or len(frontend.get("input_channel_names") or []))
        total = n * c * 4
        if kind == "window":
            return total, "to hold one window of readings"
        features = len(frontend.get("feature_names") or [])
        total += n * 4 + (n + 2 * (n // 2 + 1)) * 4 + features * 4
        return total, "to hold one window of readings and work out its frequency features"
    if kind == "audio" and frontend.get("length"):
        n, n_fft, mels = int(frontend["length"]), int(frontend.get("n_fft") or 0), int(frontend.get("n_mels") or 0)
        return n * 2 + (n_fft + 2 * (n_fft // 2 + 1)) * 4 + mels * 4, "to hold one clip and work out its features"
    if kind == "image" and image_pixel_to_input(frontend, None):
        _, size = _image_sizes(frontend, data_meta)
        if size:
            channels = 1 if int(frontend.get("channels", 3)) == 1 else 3
            return 2 * int(size[-1]) * channels * 4, "to resize a picture into the input, not counting the camera frame"
    return None


def device_constants(frontend: dict, data_meta: dict) -> dict | None:
    """The numbers firmware needs to prepare a sensor window or an audio clip, for the C header (None for
    other front ends, or an incomplete one): sample rate, window length and stride in readings, channel
    names in order, the standardisation's mean / std per channel (or per feature, or per coefficient) and
    for feature front ends their settings."""
    kind = frontend.get("type")
    mean, std = list(frontend.get("mean") or []), list(frontend.get("std") or [])
    if kind not in ("window", "spectral", "audio") or not frontend.get("length") or not mean:
        return None
    out: dict[str, Any] = {"kind": kind, "sample_rate": frontend.get("sample_rate"), "length": int(frontend["length"]),
                           "mean": mean, "std": std, "buffers": working_buffers(frontend, data_meta)}
    if kind == "audio":
        from edgeling.core.models import signal_features as sf

        out.update({k: frontend.get(k) for k in ("win_length", "hop_length", "n_fft", "n_mels", "fmin", "fmax",
                                                  "mel_scale", "log_floor", "features", "n_mfcc")})
        out["frames"] = sf.num_frames(int(frontend["length"]), int(frontend["win_length"]),
                                      int(frontend["hop_length"]))
        out["coefficients"] = sf.num_coefficients(frontend)
        return out
    stride = data_meta.get("stride_len")
    if stride is None and data_meta.get("stride_s") and frontend.get("sample_rate"):
        stride = round(float(data_meta["stride_s"]) * float(frontend["sample_rate"]))
    out.update(stride=None if stride is None else int(stride), stride_s=data_meta.get("stride_s"),
               input_channels=list(frontend.get("input_channel_names") or []),
               channels=list(frontend.get("channel_names") or []), orientation=frontend.get("orientation"))
    if kind == "spectral":
        out.update(features=list(frontend.get("feature_names") or []), band_bins=spectral_band_bins(frontend),
                   filter_bins=filter_bins(frontend), hann_power_sum=hann_power_sum(int(frontend["length"])))
    return out
