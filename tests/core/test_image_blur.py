"""The blur check of the image importer: photos much blurrier than the rest of their class are named in
the report, an evenly soft folder, dark photos and the bundled samples are not, and small or few pictures
are not checked at all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from edgeling.core.data import image_blur, images
from edgeling.core.data import report as R
from edgeling.core.data.load import ImportOptions
from edgeling.core.resources import samples_dir


def _photo(seed: int, size=(320, 240)) -> Image.Image:
    """A sharp, textured 'photo': smooth colour patches with a varying number of sharp strokes on top."""
    rng = np.random.default_rng(seed)
    base = Image.fromarray(rng.integers(40, 220, size=(6, 8, 3), dtype=np.uint8)).resize(size, Image.BICUBIC)
    draw = ImageDraw.Draw(base)
    w, h = size
    for _ in range(int(rng.integers(25, 70))):
        x0, y0, x1, y1 = (int(v) for v in rng.integers(0, [w, h, w, h]))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.line((x0, y0, x1, y1), fill=colour, width=int(rng.integers(1, 4)))
        else:
            draw.ellipse((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), outline=colour)
    return base


def _save(im: Image.Image, path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "JPEG", quality=90)
    return f"{path.parent.name}/{path.name}"


def _vineyard(tmp_path: Path, per_class=25, blur=None, classes=("healthy", "mildew"), change=None) -> Path:
    root = tmp_path / "leaves"
    for c, name in enumerate(classes):
        for i in range(per_class):
            im = _photo(1000 * c + i)
            if blur:
                im = im.filter(ImageFilter.GaussianBlur(blur))
            if change:
                im = change(im)
            _save(im, root / name / f"IMG_{i:04d}.jpg")
    return root


def _import(root: Path, **options):
    return images.import_dataset(root, ImportOptions(**options))


def _blurry(ds) -> list[R.Problem]:
    return ds.report.by_code(R.BLURRY_IMAGE)


def test_blurred_copies_are_flagged_and_only_they(tmp_path):
    root = _vineyard(tmp_path)
    blurred = [_save(_photo(3).filter(ImageFilter.GaussianBlur(2)), root / "healthy" / "IMG_0003_shaken.jpg"),
               _save(_photo(1007).filter(ImageFilter.GaussianBlur(3)), root / "mildew" / "IMG_0007_soft.jpg"),
               _save(_photo(1011).filter(ImageFilter.GaussianBlur(1.5)), root / "mildew" / "IMG_0011_b.jpg")]
    ds = _import(root)
    assert ds.meta["image_size"] == [224, 224]
    found = _blurry(ds)
    assert len(found) == 1, ds.report.text()
    p = found[0]
    assert sorted(p.files) == sorted(blurred)
    assert p.files[0] == "mildew/IMG_0007_soft.jpg"   # the blurriest first
    assert p.severity == "warning"
    assert p.message.startswith("3 photos look much blurrier than most photos of their class "
                                "(mildew/IMG_0007")
    assert "may not show what tells its class apart" in p.message and "different kind of photo" in p.message
    assert "Look at these photos" in p.advice and "keep them if the camera in the field blurs" in p.advice
    assert "flat colour" not in p.message and "enlarged" not in p.message


def test_an_evenly_soft_folder_flags_nothing(tmp_path):
    ds = _import(_vineyard(tmp_path, blur=2))
    assert not _blurry(ds), ds.report.text()


def test_dark_or_dull_photos_are_not_taken_for_blurry_ones(tmp_path):
    root = _vineyard(tmp_path)
    for i in range(3):
        dark = ImageEnhance.Brightness(_photo(i)).enhance(0.35)
        _save(ImageEnhance.Contrast(dark).enhance(0.6), root / "healthy" / f"IMG_{i:04d}_dusk.jpg")
    assert not _blurry(_import(root))


def test_a_photo_of_nothing_is_flagged(tmp_path):
    root = _vineyard(tmp_path)
    dark = np.random.default_rng(0).normal(20, 1.5, (240, 320, 3))       # sensor noise on black
    pocket = Image.fromarray(dark.clip(0, 255).astype(np.uint8))
    name = _save(pocket, root / "mildew" / "IMG_pocket.jpg")
    (p,) = _blurry(_import(root))
    assert p.files == [name]
    assert p.message.startswith(f"1 photo shows almost nothing, nearly one flat colour ({name}).")
    assert "A blurry photo" not in p.message and "A photo of nothing (a lens cap, a pocket)" in p.message


def test_a_green_leaf_on_brown_soil_of_one_grey_is_not_flagged(tmp_path):
    """The vineyard walk: a good photo, a green leaf on brown soil, was called "nearly one flat colour": its
    greys are nearly one (green 60,140,50 and brown 130,100,55 are 106 and 104), its colours are not."""
    root = _vineyard(tmp_path)
    soil = np.empty((240, 320, 3), np.float64)
    soil[:] = (130, 100, 55)
    yy, xx = np.mgrid[:240, :320]
    soil[(yy - 120) ** 2 / 80 ** 2 + (xx - 160) ** 2 / 110 ** 2 < 1] = (60, 140, 50)        # the leaf
    soil += np.random.default_rng(1).normal(0, 1.0, soil.shape)
    leaf = Image.fromarray(soil.clip(0, 255).astype(np.uint8))
    g = image_blur.grey(np.asarray(leaf))
    assert g.std() < image_blur.FLAT_STD                          # one grey: the old check's flat photo
    _save(leaf, root / "healthy" / "IMG_20240198.jpg")
    assert _blurry(_import(root)) == []


def test_a_folder_of_flat_colours_is_normal(tmp_path):
    root = tmp_path / "paint"
    rng = np.random.default_rng(1)
    for c, name in enumerate(("red", "blue")):
        for i in range(15):
            colour = np.array([200, 30, 30] if c == 0 else [30, 30, 200]) + rng.integers(-20, 20, 3)
            _save(Image.new("RGB", (320, 240), tuple(int(v) for v in colour)), root / name / f"{i}.jpg")
    assert not _blurry(_import(root))


def test_few_photos_are_not_checked(tmp_path):
    root = _vineyard(tmp_path, per_class=8)
    _save(_photo(3).filter(ImageFilter.GaussianBlur(3)), root / "healthy" / "IMG_0003_shaken.jpg")
    _save(_photo(1007).filter(ImageFilter.GaussianBlur(3)), root / "mildew" / "IMG_0007_soft.jpg")
    assert not _blurry(_import(root))            # 18 photos: no typical sharpness to compare with
    _save(_photo(50), root / "healthy" / "IMG_0050.jpg")
    _save(_photo(1050), root / "mildew" / "IMG_0050.jpg")
    found = _blurry(_import(root))                # 20: the same two are named
    assert found and sorted(found[0].files) == ["healthy/IMG_0003_shaken.jpg", "mildew/IMG_0007_soft.jpg"]


def test_small_pictures_are_not_checked(tmp_path):
    root = tmp_path / "icons"
    for c, name in enumerate(("a", "b")):
        for i in range(20):
            im = _photo(100 * c + i, size=(48, 48))
            _save(im.filter(ImageFilter.GaussianBlur(3)) if i == 0 else im, root / name / f"{i}.jpg")
    ds = _import(root)
    assert ds.meta["image_size"] == [48, 48] and not image_blur.applies(48, 40)
    assert not _blurry(ds)


def test_enlarged_small_photos_are_said_to_be_enlarged(tmp_path):
    root = _vineyard(tmp_path)
    name = _save(_photo(5, size=(80, 60)), root / "healthy" / "IMG_thumb.jpg")
    (p,) = _blurry(_import(root))
    assert p.files == [name]
    assert "1 of them is smaller than 224x224 pixels and had to be enlarged" in p.message


def test_bundled_digits_flag_nothing():
    digits = samples_dir() / "digits"
    ds = _import(digits)
    assert ds.meta["image_size"] == [16, 16] and not _blurry(ds)   # 8x8 drawings: not photos, not checked
    big = _import(digits, image_size=64)                           # checked, all equally soft: nothing
    assert image_blur.applies(64, len(big.y)) and not _blurry(big)


def test_sharpness_does_not_depend_on_the_photo_resolution(tmp_path):
    for seed in range(3):
        photo = _photo(seed, size=(1280, 960))
        measured = []
        for size in ((1280, 960), (640, 480), (320, 240)):
            path = tmp_path / f"{seed}_{size[0]}.jpg"
            photo.resize(size, Image.LANCZOS).save(path, "JPEG", quality=92)
            measured.append(image_blur.measure(images.preprocess_image(str(path), {"image_size": [224, 224],
                                                                                   "channels": 3}))[0])
        assert max(measured) / min(measured) < 1.5, measured


def test_find_blurry_compares_each_photo_with_its_own_class():
    rng = np.random.default_rng(0)
    # class 0 is ten times sharper than class 1 (close-ups vs whole vines): neither is blurry for that
    sharp = np.concatenate([rng.lognormal(np.log(0.2), 0.3, 30), rng.lognormal(np.log(0.02), 0.3, 30)])
    labels = np.array([0] * 30 + [1] * 30)
    contrast = np.full(60, 50.0)
    assert image_blur.find_blurry(sharp, contrast, labels) == ([], [])
    sharp[5] = 0.002      # ten times below its class
    sharp[40] = 0.004     # five times below its class, but the classes spread little
    assert image_blur.find_blurry(sharp, contrast, labels) == ([5, 40], [])
    assert image_blur.find_blurry(sharp[:19], contrast[:19], labels[:19]) == ([], [])   # too few


def test_a_class_of_widely_varying_photos_still_flags_the_very_blurred_ones():
    """The vineyard walk: healthy photos from mixed phones and JPEG qualities varied 50-fold in sharpness, so the
    limit fell 265 times below their median and none of 18 blurred ones was flagged (a softer class's were)."""
    rng = np.random.default_rng(3)
    sharp = rng.lognormal(np.log(1.3), 1.0, 140)          # sharp photos 0.2 to 9, as measured on her folder
    blurred = np.array([0.009, 0.015, 0.03, 0.2])        # the last as sharp as some unblurred ones
    labels = np.zeros(144, int)
    contrast = np.full(144, 50.0)
    found, _ = image_blur.find_blurry(np.concatenate([sharp, blurred]), contrast, labels)
    assert sorted(found) == [140, 141, 142]
