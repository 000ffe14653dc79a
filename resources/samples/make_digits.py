"""Write scikit-learn's bundled handwritten digits as the sample image dataset resources/samples/digits/.

The source is the "Optical Recognition of Handwritten Digits" set (UCI ML repository, E. Alpaydin and
C. Kaynak, 1998) as shipped inside scikit-learn (``sklearn.datasets.load_digits``; no download): 1,797
scans of 8x8 pixels with 17 grey levels (0..16), 10 classes. Each scan is scaled to 0..255 and upscaled
to 16x16 with bilinear interpolation, then written as an 8-bit greyscale PNG in one folder per class
(``digits/0/0007.png``; the number is the index in scikit-learn's array).

scikit-learn is a development dependency only; the PNG files are committed, so the app never needs it.
Run from the repository root:  python resources/samples/make_digits.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
from PIL import Image

SIDE = 16
OUT = Path(__file__).resolve().parent / "digits"


def main() -> None:
    from sklearn.datasets import load_digits

    digits = load_digits()
    if OUT.exists():
        shutil.rmtree(OUT)
    for label in range(10):
        (OUT / str(label)).mkdir(parents=True)
    for i, (img, label) in enumerate(zip(digits.images, digits.target)):
        grey = np.clip(np.rint(img * (255.0 / 16.0)), 0, 255).astype(np.uint8)
        im = Image.fromarray(grey, "L").resize((SIDE, SIDE), Image.BILINEAR)
        im.save(OUT / str(int(label)) / f"{i:04d}.png", optimize=True)
    print(f"wrote {len(digits.images)} images to {OUT}")


if __name__ == "__main__":
    main()
