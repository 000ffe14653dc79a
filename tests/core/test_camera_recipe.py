"""A picture model's card takes a firmware person from a camera frame to the model's input.

The vineyard card said: resize the photo to 224x224, then to 128x128. Done literally on an ESP32-S3 that is a
150 KB picture in between that nobody mentioned, and nothing said what to do with the camera's RGB565 or JPEG
frames. The recipe now resizes once, straight to the model's size, by averaging (and says why), converts
RGB565 / JPEG to 8-bit RGB first, and lists the memory it takes, frame included."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from edgeling.core.export.input_recipe import recipe_lines, working_buffers

LEAVES = {"type": "image", "input_size": [224, 224], "channels": 3, "size": [128, 128], "scale": 1 / 255,
          "mean": [0.32344, 0.464423, 0.27653], "std": [0.110015, 0.114927, 0.136241]}
QUANT = {"scale": 0.030517207458615303, "zero_point": -18}


def test_a_camera_frame_goes_to_the_input_in_one_resize_with_its_buffers_counted():
    lines = recipe_lines(LEAVES, {"image_size": [224, 224]}, QUANT, "NHWC", [1, 128, 128, 3])
    take, square = lines[0], lines[1]
    assert "RGB565" in take and "JPEG" in take and "OV2640" in take
    assert "R = r5 << 3 | r5 >> 2, G = g6 << 2 | g6 >> 4, B = b5 << 3 | b5 >> 2" in take
    assert "resize it to 128x128 pixels in one step, by averaging" in square
    assert "then resize to 128x128" not in square and "resize it to 224x224" not in square
    assert "Why averaging" in square and "plain bilinear sample of 2x2 pixels" in square
    assert "Why one resize" in square and "no 224x224 picture in between (150,528 bytes)" in square
    assert "pixel_a and pixel_b" in lines[4] and "q = round(x / 0.0305172) - 18" in lines[3]

    memory = " ".join(working_buffers(LEAVES, {"image_size": [224, 224]}))
    assert "320x240 QVGA: 153,600 bytes" in memory and "230,400 bytes" in memory and "PSRAM" in memory
    assert "two rows of 128 x 3 floats (3,072 bytes)" in memory
    assert "224x224 picture in between: 150,528 bytes more" in memory
    # the card lists them
    from edgeling.core.export.input_recipe import recipe_markdown

    card = {"frontend": LEAVES, "data_meta": {"image_size": [224, 224]}, "input_quantization": QUANT,
            "input_layout": "NHWC", "input_shape": [1, 128, 128, 3]}
    md = "\n".join(recipe_markdown(card))
    assert "## Memory for preparing an input" in md and "3,072 bytes" in md


def _as_the_card_says(picture: np.ndarray, n: int) -> np.ndarray:
    """Step 2 done literally from the card's words: centred square of side s, f = s / n, r = max(f, 1), output
    pixel i at (i + 0.5) f from the square's edge, tent weights 1 - distance / r over the picture's pixels
    (just outside the square too), divided by their sum; along rows, then down columns."""
    def weights(length: int, s: int, offset: float) -> np.ndarray:
        f = s / n
        r = max(f, 1.0)
        centres = offset + (np.arange(n) + 0.5) * f
        pixels = np.arange(length) + 0.5
        w = np.maximum(0.0, 1.0 - np.abs(pixels[None, :] - centres[:, None]) / r)
        w[np.abs(pixels[None, :] - centres[:, None]) >= r] = 0.0
        return w / w.sum(axis=1, keepdims=True)

    h, w = picture.shape[:2]
    s = min(h, w)
    rows = weights(h, s, (h - s) / 2)
    cols = weights(w, s, (w - s) / 2)
    return np.einsum("oh,hwc->owc", rows, np.einsum("pw,hwc->hpc", cols, picture.astype(np.float64)))


def test_the_resize_in_words_is_what_pillow_and_the_training_import_compute():
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)     # a QVGA frame
    smooth = np.asarray(Image.fromarray(frame).filter(ImageFilter.BoxBlur(1)))
    for picture in (frame, smooth):
        ours = _as_the_card_says(picture, 128)
        w, h = 320, 240
        box = ((w - h) / 2, 0, (w + h) / 2, h)
        pillow = np.asarray(Image.fromarray(picture).resize((128, 128), Image.BILINEAR, box=box), np.float64)
        assert np.max(np.abs(ours - pillow)) <= 1.0 and np.mean(np.abs(ours - pillow)) < 0.3
    # other kinds of data keep their steps: a table's input is the network's input, no buffers
    assert working_buffers({"type": "table", "mean": [0.0], "std": [1.0]}, {}) == []
