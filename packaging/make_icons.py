"""Draw Edgeling's app icon with Pillow and write it in the three formats the installers need.

    python packaging/make_icons.py   # writes packaging/icons/edgeling.{png,ico,icns}

A rounded square in deep teal with a small three-layer network (dots joined by lines) in white: readable
at 16 px, no text, no fonts. The outputs are committed, so the build never needs to run this.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent / "icons"
BG = (14, 116, 124, 255)
FG = (255, 255, 255, 255)
LAYERS = ((0.24, (0.30, 0.50, 0.70)), (0.50, (0.38, 0.62)), (0.76, (0.50,)))


def draw(size: int = 1024) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = size // 16
    d.rounded_rectangle([pad, pad, size - pad, size - pad], radius=size // 5, fill=BG)
    points = [[(x * size, y * size) for y in ys] for x, ys in LAYERS]
    for left, right in zip(points, points[1:]):
        for a in left:
            for b in right:
                d.line([a, b], fill=FG, width=max(1, size // 40))
    r = size // 13
    for layer in points:
        for x, y in layer:
            d.ellipse([x - r, y - r, x + r, y + r], fill=FG)
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw(1024)
    big.resize((256, 256), Image.LANCZOS).save(OUT / "edgeling.png", optimize=True)
    big.save(OUT / "edgeling.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128),
                                           (256, 256)])
    # Each size drawn crisp (not resampled): flat colours compress well, so the .icns stays small.
    big.save(OUT / "edgeling.icns", append_images=[draw(s) for s in (16, 32, 64, 128, 256, 512)])
    for p in sorted(OUT.iterdir()):
        print(f"{p.name}: {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
