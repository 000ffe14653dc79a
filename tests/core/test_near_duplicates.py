"""Photos saved again (resized, recompressed) are found like exact copies: reported with both files and
their labels, kept in one split and recorded in ``meta["cross_label_duplicates"]``; photos that only look
alike (leaves on one background, the same leaf with spots, small drawings) are not."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from edgeling.core.data import images, near_duplicates
from edgeling.core.data import report as R
from edgeling.core.data.load import ImportOptions, open_dataset
from edgeling.core.resources import samples_dir

NEAR_CODES = {R.NEAR_DUPLICATE, R.NEAR_DUPLICATE_ACROSS_LABELS}


def _leaf(seed: int, size=(400, 300), spots: int = 0) -> Image.Image:
    """A phone photo of one vine leaf in the middle of a blurred, noisy background: every photo looks much
    like the others (as in the vineyard folder the check was measured on)."""
    rng = np.random.default_rng(seed)
    w, h = size
    back = rng.integers(60, 140, 3) + rng.normal(0, 18, (h, w, 3))
    im = Image.fromarray(np.clip(back, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(3))
    draw = ImageDraw.Draw(im)
    cx, cy = w / 2 + rng.uniform(-0.1, 0.1) * w, h / 2 + rng.uniform(-0.1, 0.1) * h
    r = min(w, h) * rng.uniform(0.32, 0.45)
    a = np.linspace(0, 2 * np.pi, 100, endpoint=False)
    lobe = 1 + 0.25 * np.cos(5 * a) + 0.05 * rng.normal(size=100)
    colour = (int(rng.integers(40, 80)), int(rng.integers(110, 170)), int(rng.integers(20, 60)))
    draw.polygon(list(zip(cx + r * lobe * np.cos(a), cy + r * lobe * np.sin(a))), fill=colour)
    for k in range(5):
        t = 2 * np.pi * k / 5 - np.pi / 2
        draw.line([(cx, cy), (cx + 1.1 * r * np.cos(t), cy + 1.1 * r * np.sin(t))],
                  fill=(colour[0] + 40, colour[1] + 50, colour[2] + 30), width=3)
    for _ in range(spots):       # black rot: dark round spots
        x, y, s = cx + rng.uniform(-0.6, 0.6) * r, cy + rng.uniform(-0.6, 0.6) * r, r * rng.uniform(0.06, 0.12)
        draw.ellipse([x - s, y - s, x + s, y + s], fill=(40, 25, 15))
    noisy = np.asarray(im).astype(float) + rng.normal(0, 6, (h, w, 3))
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def _vineyard(tmp_path: Path, per_class: int = 12) -> Path:
    root = tmp_path / "vineyard"
    for c, name in enumerate(("black_rot", "healthy")):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            _leaf(100 * c + i, spots=6 if name == "black_rot" else 0).save(root / name / f"IMG_{c}{i:03d}.jpg",
                                                                         quality=90)
    return root


def _whatsapp(src: Path, dst: Path) -> None:
    """What a messaging app does to a photo sent and saved back: half the size, JPEG quality 70."""
    im = Image.open(src)
    im.resize((im.width // 2, im.height // 2), Image.BILINEAR).save(dst, quality=70)


def _near(ds) -> dict[str, list[str]]:
    return {p.code: p.files for p in ds.report.problems if p.code in NEAR_CODES}


def test_a_photo_saved_again_in_another_class_is_reported_and_kept_with_its_original(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    root = _vineyard(tmp_path)
    _whatsapp(root / "black_rot" / "IMG_0004.jpg", root / "healthy" / "WhatsApp_IMG_0004.jpg")
    Image.open(root / "healthy" / "IMG_1002.jpg").save(root / "healthy" / "IMG_1002 (copy).png")   # PNG
    (root / "healthy" / "IMG_0007.jpg").write_bytes((root / "black_rot" / "IMG_0007.jpg").read_bytes())
    ds = open_dataset(root, options=ImportOptions())
    near = _near(ds)
    across = ds.report.by_code(R.NEAR_DUPLICATE_ACROSS_LABELS)[0]
    assert across.severity == "warning" and "saved again" in across.message
    assert "resized or recompressed" in across.message and "wrong class" in across.advice
    assert "both copies are kept, each under its label, and in the same split" in across.message
    assert near[R.NEAR_DUPLICATE_ACROSS_LABELS] == [
        "black_rot/IMG_0004.jpg (black_rot) looks like healthy/WhatsApp_IMG_0004.jpg (healthy)"]
    assert ds.report.by_code(R.NEAR_DUPLICATE)[0].severity == "info"
    assert near[R.NEAR_DUPLICATE] == ["healthy/IMG_1002 (copy).png looks like healthy/IMG_1002.jpg"]
    split = dict(zip(ds.sources, np.asarray(ds.splits).tolist()))
    assert split["black_rot/IMG_0004.jpg"] == split["healthy/WhatsApp_IMG_0004.jpg"]
    assert split["healthy/IMG_1002.jpg"] == split["healthy/IMG_1002 (copy).png"]
    # exact and near copies under two labels alike, for evaluation to say when the test holds such a pair
    assert ds.meta["cross_label_duplicates"] == ["black_rot/IMG_0004.jpg", "black_rot/IMG_0007.jpg",
                                                 "healthy/IMG_0007.jpg", "healthy/WhatsApp_IMG_0004.jpg"]
    again = open_dataset(root, options=ImportOptions())          # from the cache: the same findings
    assert _near(again) == near and again.meta == ds.meta


def test_a_copy_turned_by_a_messaging_app_is_found(tmp_path, monkeypatch):
    """The vineyard re-walk: a photo saved back from a messaging app without its EXIF rotation is the same
    photo turned 90 degrees; it was not found, and the Evaluate page then showed it as the model's mistake."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    root = _vineyard(tmp_path)
    im = Image.open(root / "black_rot" / "IMG_0003.jpg")
    im.rotate(90, expand=True).resize((im.height // 2, im.width // 2), Image.BILINEAR).save(
        root / "healthy" / "WhatsApp_66.jpg", quality=70)
    im.rotate(180).save(root / "healthy" / "upside_down.jpg", quality=80)
    ds = open_dataset(root, options=ImportOptions())
    assert _near(ds)[R.NEAR_DUPLICATE_ACROSS_LABELS] == [
        "black_rot/IMG_0003.jpg (black_rot) looks like healthy/upside_down.jpg (healthy) and "
        "healthy/WhatsApp_66.jpg (healthy)"]
    split = dict(zip(ds.sources, np.asarray(ds.splits).tolist()))
    assert split["black_rot/IMG_0003.jpg"] == split["healthy/WhatsApp_66.jpg"] == split["healthy/upside_down.jpg"]


def test_a_mirrored_copy_is_found(tmp_path, monkeypatch):
    """A copy flipped left to right (a selfie camera's, or one flipped in an editor), turned or not."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    root = _vineyard(tmp_path)
    im = Image.open(root / "black_rot" / "IMG_0003.jpg")
    im.transpose(Image.FLIP_LEFT_RIGHT).save(root / "healthy" / "flipped.jpg", quality=80)
    im.transpose(Image.FLIP_TOP_BOTTOM).rotate(90, expand=True).save(root / "healthy" / "flipped_turned.jpg")
    ds = open_dataset(root, options=ImportOptions())
    assert _near(ds)[R.NEAR_DUPLICATE_ACROSS_LABELS] == [
        "black_rot/IMG_0003.jpg (black_rot) looks like healthy/flipped.jpg (healthy) and "
        "healthy/flipped_turned.jpg (healthy)"]


def test_different_photos_of_alike_leaves_are_not_copies(tmp_path):
    root = _vineyard(tmp_path, per_class=20)
    # the same leaf photographed with and without black rot: nearly the same hash, but not the same photo
    _leaf(999).save(root / "healthy" / "leaf_999.jpg", quality=90)
    _leaf(999, spots=3).save(root / "black_rot" / "leaf_999_spots.jpg", quality=90)
    ds = images.import_dataset(root, ImportOptions())
    assert _near(ds) == {} and "cross_label_duplicates" not in ds.meta
    assert len(set(ds.groups)) == len(ds.groups)


def test_copies_are_found_at_the_small_sizes_a_board_needs(tmp_path):
    root = _vineyard(tmp_path, per_class=6)
    _whatsapp(root / "black_rot" / "IMG_0002.jpg", root / "healthy" / "WhatsApp_IMG_0002.jpg")
    for side in (64, 96):
        ds = images.import_dataset(root, ImportOptions(image_size=side))
        assert _near(ds) == {R.NEAR_DUPLICATE_ACROSS_LABELS: [
            "black_rot/IMG_0002.jpg (black_rot) looks like healthy/WhatsApp_IMG_0002.jpg (healthy)"]}, side
    assert not near_duplicates.applies(32)


def test_small_drawings_are_not_compared(tmp_path):
    ds = images.import_dataset(samples_dir() / "digits", ImportOptions())
    big = images.import_dataset(samples_dir() / "digits", ImportOptions(image_size=64))
    assert _near(ds) == {} and _near(big) == {}
    assert not near_duplicates.comparable(16, 16, np.asarray(ds.x[0], dtype=np.float32)[..., 0])


def test_close_pairs_are_every_pair_within_the_limit(monkeypatch):
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 2**63, size=(300, 4), dtype=np.uint64)
    for i in range(0, 300, 7):                     # plant pairs 0 to 40 bits apart
        flip = rng.choice(256, size=int(rng.integers(0, 41)), replace=False)
        bits = np.unpackbits(codes[i].view(np.uint8))
        bits[flip] ^= 1
        codes[(i * 13 + 5) % 300] = np.packbits(bits).view(np.uint64)
    monkeypatch.setattr(near_duplicates, "_BLOCK_CELLS", 1000)     # many blocks
    found = near_duplicates.close_pairs(codes).tolist()
    bits = np.unpackbits(codes.view(np.uint8), axis=1).astype(int)
    expected = [[i, j] for i in range(300) for j in range(i + 1, 300)
                if int(np.abs(bits[i] - bits[j]).sum()) <= near_duplicates.MAX_BITS]
    assert found == expected and len(expected) > 10


def test_copies_of_copies_and_their_exact_copies_share_one_group():
    groups = ["g5", "g2", "g9", "g5", "g7"]
    pairs = [(0, 2), (2, 4)]        # 0 ~ 2 ~ 4; 3 is an exact copy of 0
    assert near_duplicates.merge_groups(groups, pairs) == ["g5", "g2", "g5", "g5", "g5"]
    assert near_duplicates.sets_of([(4, 9), (0, 4), (2, 3)]) == [[0, 4, 9], [2, 3]]
    assert near_duplicates.merge_groups(groups, []) == groups


def test_windows_console_can_print_the_findings(tmp_path, monkeypatch):
    root = _vineyard(tmp_path, per_class=4)
    _whatsapp(root / "black_rot" / "IMG_0001.jpg", root / "healthy" / "WhatsApp_IMG_0001.jpg")
    text = images.import_dataset(root, ImportOptions()).report.text()
    assert "WhatsApp_IMG_0001.jpg (healthy)" in text
    io.TextIOWrapper(io.BytesIO(), encoding="cp1252", errors="strict").write(text)


def test_photos_alike_in_grey_but_not_in_colour_are_not_copies(tmp_path):
    """The scale walk: green and purple stripes of the same brightness were paired as copies ('delete the
    extra copies' would have deleted good photos). A copy re-saved smaller and recompressed is still found."""
    root = _vineyard(tmp_path, per_class=12)
    rng = np.random.default_rng(5)
    stripes = (np.arange(300)[None, :, None] // 25 % 2).repeat(400, axis=0).astype(float)   # 400 x 300
    from edgeling.core.data.image_blur import _GREY

    green = np.array([40.0, 170.0, 40.0])
    purple = np.array([196.0, 60.0, 196.0])       # the same grey level as green's
    assert abs(float(green @ _GREY) - float(purple @ _GREY)) < 2
    for name, tint in (("green", green), ("purple", purple)):
        pixels = 30 + stripes * tint + rng.normal(0, 4, (400, 300, 3))
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(root / "healthy" / f"{name}.jpg", quality=92)
    _whatsapp(root / "healthy" / "green.jpg", root / "black_rot" / "green_again.jpg")
    ds = images.import_dataset(root, ImportOptions())
    assert _near(ds) == {R.NEAR_DUPLICATE_ACROSS_LABELS: [
        "black_rot/green_again.jpg (black_rot) looks like healthy/green.jpg (healthy)"]}
