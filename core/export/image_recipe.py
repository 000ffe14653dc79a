"""A picture's part of the input recipe (``input_recipe``): the multiply-add from a camera's 8-bit pixel to
the network's input, the steps from a camera frame to the model's picture, and the buffers they need."""

from __future__ import annotations


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


def floats_said(values) -> str:
    return "[" + ", ".join(f"{float(v):.6g}" for v in values) + "]"


CAMERA_FRAMES = ((320, 240, "QVGA"), (640, 480, "VGA"), (800, 600, "SVGA"), (1600, 1200, "UXGA"))
"""Frame sizes a typical camera module (an OV2640, say) gives; the recipe's examples use the smallest whose
short side is at least the model's picture."""


def image_sizes(frontend: dict, data_meta: dict) -> tuple[list, list]:
    """(the imported pictures' size, the network's input size), each [height, width]."""
    side = list(frontend.get("input_size") or data_meta.get("image_size") or [])
    return side, list(frontend.get("size") or side)


def example_frame(size: list) -> tuple[int, int, str]:
    """(width, height, name) of the smallest usual camera frame whose short side is at least the model's."""
    need = max(int(v) for v in size) if size else 0
    return next((f for f in CAMERA_FRAMES if f[1] >= need), CAMERA_FRAMES[-1])


def image_steps(frontend: dict, data_meta: dict) -> list[str]:
    if not image_pixel_to_input(frontend, None):
        return []  # an incomplete front end: say nothing rather than guess
    grey = int(frontend.get("channels", 3)) == 1
    side, size = image_sizes(frontend, data_meta)
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
                 f"picture and needs no {side[1]}x{side[0]} picture in between ({picture_bytes(side, grey):,} "
                 f"bytes). Resizing twice as training did (to {side[1]}x{side[0]} rounded to whole 0-255 values, as "
                 f"the import stored it, then to {w}x{h}) matches it exactly, when the memory is there")
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
            f"Per channel c: x = (value / 255 - mean[c]) / std[c], with mean = {floats_said(frontend['mean'])} and "
            f"std = {floats_said(frontend['std'])}."]


def picture_bytes(size: list, grey: bool) -> int:
    return int(size[0]) * int(size[-1]) * (1 if grey else 3)


def image_buffers(frontend: dict, data_meta: dict) -> list[str]:
    """The RAM a camera picture takes on its way to the input, besides the arena (which holds the int8 input
    the resize writes into): the frame, the one-step resize's two rows, and what resizing twice would add."""
    if not image_pixel_to_input(frontend, None):
        return []
    grey = int(frontend.get("channels", 3)) == 1
    side, size = image_sizes(frontend, data_meta)
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
                    f"{picture_bytes(side, grey):,} bytes more.")
    return said
