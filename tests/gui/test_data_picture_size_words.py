"""The Data page says a picture's size in words: "32 × 32 pixels, colour" (or grey), not the array's shape
"32 × 32 × 3" (the vineyard walk: "224 × 224 × 3" meant nothing to the technician)."""

from __future__ import annotations

import numpy as np
from PIL import Image

from tests.gui.test_main_window import make_images


def grey_images(root, classes=("dark", "light"), n=6):
    rng = np.random.default_rng(1)
    for cls in classes:
        (root / cls).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            Image.fromarray((rng.random((12, 12)) * 255).astype("uint8"), "L").save(root / cls / f"{i}.png")
    return root


def read(window, qtbot, folder):
    page = window.pages["data"]
    page.import_path(str(folder))
    qtbot.waitUntil(lambda: not page.importing and window.state.dataset is not None
                    and window.state.dataset.root.endswith(folder.name), timeout=60000)
    return page.status.text(), window.state.dataset


def test_colour_and_grey_pictures_are_said_in_pixels(window, qtbot, tmp_path):
    window.pages["home"].create_button.click()
    said, ds = read(window, qtbot, make_images(tmp_path / "leaves"))
    side = ds.sample_shape[0]
    assert tuple(ds.sample_shape) == (side, side, 3)
    assert f"12 pictures ({side} × {side} pixels, colour)" in said
    assert f"{side} × {side} × 3" not in said
    said, ds = read(window, qtbot, grey_images(tmp_path / "scans"))
    assert tuple(ds.sample_shape)[-1] == 1
    assert f"12 pictures ({ds.sample_shape[1]} × {ds.sample_shape[0]} pixels, grey)" in said


def test_the_words_for_each_shape():
    from edgeling.gui.pages.data_words import picture_size_words

    assert picture_size_words((224, 224, 3)) == "224 × 224 pixels, colour"
    assert picture_size_words((96, 128, 1)) == "128 × 96 pixels, grey"      # width × height
    assert picture_size_words((28, 28)) == "28 × 28 pixels, grey"
