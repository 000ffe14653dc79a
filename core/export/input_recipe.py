"""How to prepare one input on the device, in plain steps, for the model card and the C header.

The firmware person gets the file, not Edgeling: a model fed pixels in another range, another channel
order or without the standardisation answers nonsense without any error (the most common complaint about
exports: "the outputs do not match"). So every export says, from its own front-end config, what to do with
a raw picture / clip / window, and for images with an int8 input gives the whole chain as one multiply-add
per channel (``q = round(pixel * A[c] + B[c])``).
"""

from __future__ import annotations

from typing import Any


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


def _floats(values) -> str:
    return "[" + ", ".join(f"{float(v):.6g}" for v in values) + "]"


def _image_steps(frontend: dict, data_meta: dict) -> list[str]:
    if not image_pixel_to_input(frontend, None):
        return []  # an incomplete front end: say nothing rather than guess
    grey = int(frontend.get("channels", 3)) == 1
    side = list(frontend.get("input_size") or data_meta.get("image_size") or [])
    size = list(frontend.get("size") or side)
    n = side[0] if side else "?"
    colour = ("8-bit grey values, 0 to 255 (from a colour camera: grey = 0.299 R + 0.587 G + 0.114 B)" if grey
              else "8-bit RGB values, 0 to 255 (red, green, blue in that order)")
    square = (f"Make it square without squashing: take the centred square whose side is the picture's short "
              f"side (its edges may fall between pixels) and resize it to {n}x{n} with bilinear "
              "interpolation that averages all the pixels it shrinks (Pillow's BILINEAR with a box; a plain "
              "bilinear sample of 2x2 pixels differs on large pictures)")
    return [f"Take the picture upright as {colour}; transparent pixels count as white.",
            square + (f", then resize to {size[1]}x{size[0]} pixels (bilinear)." if side != size else "."),
            f"Per channel c: x = (value / 255 - mean[c]) / std[c], with mean = {_floats(frontend['mean'])} and "
            f"std = {_floats(frontend['std'])}."]


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
            f"multiply each by a periodic Hann window, take the power |FFT|^2 of size {f.get('n_fft')}, sum it "
            f"into {f.get('n_mels')} triangular mel bands ({f.get('mel_scale')} scale, {f.get('fmin')}-"
            f"{f.get('fmax')} Hz, librosa's construction: {bands}) and take the natural log of each band, at "
            f"least {f.get('log_floor')}{mfcc} Every setting is in the front end below.",
            "Standardise every coefficient: x = (value - mean[i]) / std[i] (mean and std below)."]


def _sensor_steps(frontend: dict, data_meta: dict) -> list[str]:
    rate, mode = frontend.get("sample_rate"), frontend.get("orientation")
    stride = data_meta.get("stride_s")
    steps = [f"Take a window of {frontend.get('length')} readings" + (f" at {rate:g} per second" if rate else "")
             + f" of the channels {', '.join(frontend.get('input_channel_names') or [])}, in that order, in the "
             "same units as the training recordings" + _magnitude_hint(frontend) + "."
             + (f" In training, windows started every {stride:g} s; for a whole recording Edgeling averages the "
                "windows' probabilities." if stride else "")]
    if mode in ("axes+magnitude", "invariant"):
        invariant = mode == "invariant"
        steps.append(f"Make the channels {', '.join(frontend.get('channel_names') or [])}, in that order: "
                     + ("the other channels as they are" if invariant else "every channel as it is")
                     + ", then for each 3-axis sensor its magnitude sqrt(x^2 + y^2 + z^2) per reading"
                     + ("; then its principal axes over the window: subtract the window's mean of each axis, "
                        "take the 3x3 covariance of the window, project the centred readings on its "
                        "eigenvectors (largest eigenvalue first) and flip each projection's sign so that the "
                        "sum of its cubes is not negative (this is what makes the model not care how the sensor "
                        "is held)." if invariant else "."))
    if frontend.get("type") == "spectral":
        steps.append("Compute the per-channel statistics and band powers listed in the front end below.")
    return steps + ["Standardise every channel or feature: x = (value - mean[i]) / std[i] (mean and std below)."]


def _magnitude_hint(frontend: dict) -> str:
    """Sensors carry no unit in their CSV; the training magnitude's average tells g from m/s^2."""
    names, mean = frontend.get("channel_names") or [], frontend.get("mean") or []
    for name, m in zip(names, mean):
        if str(name).startswith("|") and str(name).endswith("|"):
            return (f" (their average magnitude {name} was {float(m):.3g}: about 1 means g, about 9.8 means "
                    "m/s^2)")
    return ""


def _table_steps(frontend: dict, data_meta: dict) -> list[str]:
    if not data_meta.get("columns"):
        return []
    comma = "a decimal comma (1 234,50)" if data_meta.get("decimal_comma") else "a decimal point (1234.50)"
    return [f"Make the {len(frontend.get('mean') or [])} inputs from the row's columns as the table below says "
            f"(a blank cell gets the value shown). Numbers were written with {comma}; a number or date that "
            "cannot be read counts as blank. Text must equal a value below exactly (spaces at either end "
            "removed; capitals count).",
            "Standardise each: x[i] = (value[i] - mean[i]) / std[i], with the mean and std in the table."]


KIND_STEPS = {"image": _image_steps, "audio": _audio_steps, "window": _sensor_steps, "spectral": _sensor_steps,
              "table": _table_steps}
LAYOUT_ORDER = {"image": "row by row, pixel by pixel, the channels of a pixel together",
                "window": "reading by reading, the channels of a reading together",
                "audio": "frame by frame, the coefficients of a frame together"}


def recipe_lines(frontend: dict, data_meta: dict, quant: dict | None, layout: str, input_shape) -> list[str]:
    """Numbered Markdown steps from a raw sample to the file's input tensor ([] when the front end is
    unknown or incomplete)."""
    kind = str(frontend.get("type"))
    steps = KIND_STEPS[kind](frontend, data_meta) if kind in KIND_STEPS else []
    if not steps:
        return []
    if quant:
        steps.append(f"Quantize for the int8 input: q = round(x / {float(quant['scale']):.6g}) + "
                     f"{int(quant['zero_point'])}, clamped to -128..127.")
        ab = image_pixel_to_input(frontend, quant)
        if ab:
            steps.append(f"(Steps 3 and 4 in one: q = round(value * A[c] + B[c]) with A = {_floats(ab[0])} and "
                         f"B = {_floats(ab[1])}.)")
    else:
        steps.append("Feed x as 32-bit floats.")
    order = LAYOUT_ORDER.get(kind, "") if layout == "NHWC" else ""
    steps.append(f"Lay the values out as the file's input: shape {list(input_shape)} ({layout}"
                 + (f": {order}" if order else "") + ").")
    return [f"{i}. {s}" for i, s in enumerate(steps, 1)]


DATE_ORDERS = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year-month-day"}


def table_inputs(data_meta: dict, frontend: dict) -> list[str]:
    """A Markdown table: which column (and how) makes each input of a table model, with its mean / std."""
    mean, std = frontend.get("mean") or [], frontend.get("std") or []
    rows = ["| input | column | value | mean | std |", "| --- | --- | --- | --- | --- |"]
    for col in data_meta.get("columns") or []:
        first = int(col["slice"][0])
        for j in range(int(col["width"])):
            i = first + j
            if col["type"] == "number":
                how = f"the number (blank: {col['fill']:g})"
            elif col["type"] == "date":
                part = str(col["features"][j]).rsplit("(", 1)[-1].rstrip(")")
                how = (f"the {part} of the date (written {DATE_ORDERS.get(col['format'], col['format'])}; "
                       f"blank: {col['fill'][j]:g})" + (", Monday = 0" if part == "weekday" else ""))
            else:
                value = col["categories"][j]
                cell = {"(missing)": "blank", "(other)": "none of this column's other values"}.get(
                    value, f'"{value}"')
                how = f"1 if the cell is {cell}, else 0"
            stats = (f"{mean[i]:.6g} | {std[i]:.6g}" if i < len(mean) and i < len(std) else " | ")
            rows.append(f"| {i} | {col['name']} | {how} | {stats} |")
    return rows


def recipe_markdown(card: dict[str, Any]) -> list[str]:
    frontend, data_meta = card.get("frontend") or {}, card.get("data_meta") or {}
    lines = recipe_lines(frontend, data_meta, card.get("input_quantization"), card.get("input_layout") or "",
                         card.get("input_shape") or [])
    if not lines:
        return []
    if frontend.get("type") == "table" and data_meta.get("columns"):
        lines += [""] + table_inputs(data_meta, frontend)
    return ["", "## How to prepare an input on the device", ""] + lines
