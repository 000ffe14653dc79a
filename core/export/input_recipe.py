"""How to prepare one input on the device, in plain steps, for the model card and the C header.

The firmware person gets the file, not Edgeling: a model fed pixels in another range, another channel
order or without the standardisation answers nonsense without any error (the most common complaint about
exports: "the outputs do not match"). So every export says, from its own front-end config, what to do with
a raw picture / clip / window, and for images with an int8 input gives the whole chain as one multiply-add
per channel (``q = round(pixel * A[c] + B[c])``).
"""

from __future__ import annotations

from typing import Any

from edgeling.core.export.image_recipe import (
    floats_said,
    image_buffers,
    image_pixel_to_input,
    image_sizes,
    image_steps,
)
from edgeling.core.export.spectral_recipe import (
    fft_buffers,
    filter_bins,
    hann_power_sum,
    spectral_band_bins,
    spectral_step,
)
from edgeling.core.export.table_recipe import table_inputs, table_steps


def _audio_steps(frontend: dict, data_meta: dict) -> list[str]:
    f = frontend
    mfcc = f"; then the orthonormal DCT-II, keeping {f.get('n_mfcc')} coefficients (MFCC)." \
        if f.get("features") == "mfcc" else "."
    clip = data_meta.get("clip_s", "?")
    bands = ("each triangle peaks at 1, with no area normalisation (librosa htk=True, norm=None)"
             if f.get("mel_scale") == "htk" else "each triangle scaled to unit area (librosa's default norm)")
    take = (f"take {f.get('length')} samples ({clip} s) at a time, one after another: the model was trained on "
            f"long recordings cut into clips of {clip} s, and answers for each. Edgeling's answer for a whole "
            "recording is the mean of the answers (the probabilities) of all its clips (600 spread evenly over "
            "a longer recording), leaving out silent ones "
            "(nothing louder than -60 dB of full scale); a device listening all the time can do the same over the "
            "last minute, say, for a steadier answer than one clip gives." if data_meta.get("cut") == "clips of each recording" else
            f"take {f.get('length')} samples ({clip} s): pad a shorter recording with silence at the end; from a "
            f"longer one take its loudest {clip} s (the stretch with the largest sum of squares). A device listening "
            "all the time can slide the window, or start it when the sound gets loud.")
    return [f"Record mono audio at {f.get('sample_rate')} Hz (stereo: the mean of the channels), as floats from "
            f"-1 to 1, and {take}",
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
    return f", with mean = {floats_said(mean)} and std = {floats_said(std)}"


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


KIND_STEPS = {"image": image_steps, "audio": _audio_steps, "window": _sensor_steps, "spectral": _sensor_steps,
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
                         f"clamped to -128..127, with A = {floats_said(ab[0])} and B = {floats_said(ab[1])}; a C header "
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
        _, size = image_sizes(frontend, data_meta)
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
