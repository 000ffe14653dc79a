"""Image importer: every format and layout, every kind of broken file, and the bundled digits sample."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from edgeling.core.cli import main as cli_main
from edgeling.core.data import images, sample_array
from edgeling.core.data.dataset import DataError
from edgeling.core.data.load import ImportOptions, detect_kind, open_dataset

ROOT = Path(__file__).resolve().parents[2]
RNG = np.random.default_rng(0)


def _save(path: Path, arr: np.ndarray, fmt: str | None = None, **kw) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "L" if arr.ndim == 2 else {3: "RGB", 4: "RGBA"}[arr.shape[2]]
    Image.fromarray(arr.astype(np.uint8), mode).save(path, fmt, **kw)
    return path


def _noise(h=24, w=24, c=3):
    return RNG.integers(0, 256, size=(h, w, c) if c else (h, w), dtype=np.uint8)


def labelled_leaves(root: Path, labels: list[str]) -> Path:
    """A folder of noise pictures leaf0.png, leaf1.png, ... with labels.csv giving each its label."""
    rows = ["file,label"]
    for i, label in enumerate(labels):
        _save(root / f"leaf{i}.png", _noise())
        rows.append(f"leaf{i}.png,{label}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def _folder(tmp_path: Path, per_class: int = 4, classes=("cat", "dog"), c=3, size=(24, 24), ext=".png"):
    root = tmp_path / "data"
    for name in classes:
        for i in range(per_class):
            _save(root / name / f"{i}{ext}", _noise(size[1], size[0], c))
    return root


def _import(root: Path, **opts):
    return images.import_dataset(root, ImportOptions(**opts))


def _problem(ds, code):
    found = ds.report.by_code(code)
    assert found, f"no {code!r} problem in {ds.report.codes()}"
    return found[0]


def test_all_four_formats_by_content_and_case_insensitive_extensions(tmp_path):
    root = tmp_path / "data"
    for cls in ("a", "b"):
        _save(root / cls / "one.PNG", _noise(), "PNG")
        _save(root / cls / "two.JpG", _noise(), "JPEG", quality=90)
        _save(root / cls / "three.bmp", _noise(), "BMP")
        _save(root / cls / "four.webp", _noise(), "WEBP", lossless=True)
        _save(root / cls / "five.jpg", _noise(), "PNG")   # a PNG named .jpg is read by its content
    assert detect_kind(root) == "images"
    ds = _import(root)
    assert ds.kind == "images" and ds.task == "classification"
    assert ds.x.dtype == np.uint8 and ds.x.shape == (10, 24, 24, 3)
    assert ds.class_counts() == {"a": 5, "b": 5}
    assert "a/four.webp" in ds.sources and all("\\" not in s for s in ds.sources)
    assert not ds.report.by_code("corrupt_file")
    # lossless formats round-trip exactly (no resize at 24x24)
    i = ds.sources.index("a/three.bmp")
    assert np.array_equal(ds.x[i], np.asarray(Image.open(root / "a" / "three.bmp")))


def test_grey_and_colour(tmp_path):
    grey = _folder(tmp_path / "g", c=0)
    ds = _import(grey)
    assert ds.x.shape[-1] == 1 and ds.meta["channels"] == 1
    mixed = _folder(tmp_path / "m", c=0)
    _save(mixed / "cat" / "colour.png", _noise())
    ds = _import(mixed)
    assert ds.x.shape[-1] == 3
    i = ds.sources.index("cat/0.png")
    assert np.array_equal(ds.x[i, ..., 0], ds.x[i, ..., 1])   # grey image replicated into 3 channels
    assert _import(mixed, grayscale=True).x.shape[-1] == 1
    assert _import(grey, grayscale=False).x.shape[-1] == 3
    # RGB files whose pixels are all grey (scans saved as colour) count as grey
    scans = tmp_path / "s" / "data"
    for cls in ("a", "b"):
        for i in range(3):
            g = _noise(c=0)
            _save(scans / cls / f"{i}.png", np.stack([g, g, g], -1))
    assert _import(scans).x.shape[-1] == 1


def test_mixed_sizes_resized_by_short_side_and_centre_crop(tmp_path):
    root = tmp_path / "data"
    stripes = np.zeros((20, 60, 3), np.uint8)
    stripes[:, :20] = (255, 0, 0)
    stripes[:, 20:40] = (0, 255, 0)
    stripes[:, 40:] = (0, 0, 255)
    _save(root / "a" / "wide.png", stripes)
    _save(root / "a" / "square.png", _noise(40, 40))
    _save(root / "b" / "tall.png", _noise(64, 30))
    _save(root / "b" / "other.png", _noise(30, 50))
    ds = _import(root)
    # median short side of (20, 40, 30, 30) is 30 -> rounded to a multiple of 4 = 32
    assert ds.x.shape == (4, 32, 32, 3) and ds.meta["image_size"] == [32, 32]
    assert ds.meta["resize"] == "short-side+center-crop"
    p = _problem(ds, "size_mismatch")
    assert p.severity == "info" and "resized to 32x32" in p.message
    wide = ds.x[ds.sources.index("a/wide.png")].astype(int)
    # the centre (green) survives, red and blue edges are cropped, nothing is squashed
    assert wide[:, 4:28, 1].min() > 200 and wide[:, 4:28, 0].max() < 60 and wide[:, 4:28, 2].max() < 60
    forced = _import(root, image_size=20)
    assert forced.x.shape[1:3] == (20, 20)
    assert np.all(forced.x[forced.sources.index("a/wide.png")] == (0, 255, 0))


def test_size_default_is_clamped(tmp_path):
    big = _folder(tmp_path / "big", per_class=2, size=(300, 260), ext=".jpg")
    assert _import(big).meta["image_size"] == [224, 224]
    tiny = _folder(tmp_path / "tiny", per_class=2, size=(6, 6))
    ds = _import(tiny)
    assert ds.meta["image_size"] == [16, 16]
    assert len(_problem(ds, "small_image").files) == 4
    with pytest.raises(DataError, match="outside"):
        _import(tiny, image_size=0)


def test_exif_orientation_alpha_palette_and_16_bit(tmp_path):
    root = tmp_path / "data"
    left_dark = np.zeros((20, 40, 3), np.uint8)
    left_dark[:, 20:] = 255
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    _save(root / "a" / "rotated.jpg", left_dark, "JPEG", quality=95, exif=exif)
    rgba = np.zeros((20, 20, 4), np.uint8)   # fully transparent black -> white
    _save(root / "a" / "transparent.png", rgba)
    pal = Image.fromarray(_noise(20, 20)).convert("P", palette=Image.ADAPTIVE, colors=8)
    (root / "b").mkdir()
    pal.save(root / "b" / "palette.png")
    wide16 = (np.arange(20 * 20, dtype=np.uint16).reshape(20, 20) * 163)
    deep16 = Image.fromarray(wide16)
    assert deep16.mode.startswith("I;16")
    deep16.save(root / "b" / "deep.png")
    ds = _import(root, image_size=20)
    rot = ds.x[ds.sources.index("a/rotated.jpg")].mean(axis=(1, 2))
    assert rot[:8].mean() < 40 and rot[-8:].mean() > 215      # the dark half is on top once rotated
    assert ds.x[ds.sources.index("a/transparent.png")].min() == 255
    deep = ds.x[ds.sources.index("b/deep.png")][..., 0].astype(int)
    assert deep.max() > 200 and deep.min() < 5                # 16-bit range scaled, not clipped at 255
    assert not ds.report.by_code("corrupt_file")


def test_broken_files_are_listed_with_reasons_and_never_crash(tmp_path):
    root = _folder(tmp_path, per_class=12)
    good = (root / "cat" / "0.png").read_bytes()
    (root / "cat" / "truncated.png").write_bytes(good[: len(good) // 2])
    jpeg = root / "dog" / "cut.jpg"
    _save(jpeg, _noise(64, 64), "JPEG")
    jpeg.write_bytes(jpeg.read_bytes()[:600])
    (root / "cat" / "zero.png").write_bytes(b"")
    (root / "dog" / "notes.png").write_text("this is not a picture\n")
    Image.fromarray(_noise()).save(root / "dog" / "anim.gif")
    (root / "dog" / "garbage.webp").write_bytes(bytes(RNG.integers(0, 256, 500, dtype=np.uint8)))
    (root / "dog" / "readme.txt").write_text("hello")
    ds = _import(root)
    assert ds.num_samples == 24
    reasons = {f: p.message for p in ds.report.by_code("corrupt_file") for f in p.files}
    assert "ends early (truncated)" in reasons["cat/truncated.png"]
    assert "ends early (truncated)" in reasons["dog/cut.jpg"]
    assert "holds text" in reasons["dog/notes.png"]
    assert "GIF" in reasons["dog/anim.gif"]
    assert "not a PNG, JPEG, BMP or WebP" in reasons["dog/garbage.webp"]
    assert _problem(ds, "empty_file").files == ["cat/zero.png"]
    assert _problem(ds, "ignored_file").files == ["dog/readme.txt"]
    for src in ("cat/truncated.png", "cat/zero.png", "dog/notes.png"):
        assert src not in ds.sources


def test_unusable_folders_raise_plain_data_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="No images"):
        _import(tmp_path / "empty")
    one = _folder(tmp_path / "one", classes=("only",))
    with pytest.raises(DataError, match="only one class"):
        _import(one)
    broken = tmp_path / "broken"
    for cls in ("a", "b"):
        (broken / cls).mkdir(parents=True)
        (broken / cls / "x.png").write_text("nope")
    with pytest.raises(DataError, match="No usable samples") as e:
        _import(broken)
    assert "a/x.png" in e.value.files
    assert "could not be read as an image: the file holds text" in str(e.value)  # why, not just "see the list"


def test_same_image_under_two_classes(tmp_path):
    root = _folder(tmp_path, per_class=10)
    (root / "dog" / "copy.png").write_bytes((root / "cat" / "3.png").read_bytes())
    ds = _import(root)
    p = _problem(ds, "duplicate_across_labels")
    assert "cat/3.png (cat)" in p.files[0] and "dog/copy.png (dog)" in p.files[0]
    i, j = ds.sources.index("cat/3.png"), ds.sources.index("dog/copy.png")
    assert ds.groups[i] == ds.groups[j] and ds.splits[i] == ds.splits[j]


def test_label_csv_mode(tmp_path):
    root = tmp_path / "data"
    rows = ["file name;Species"]
    for i in range(6):
        _save(root / f"img{i}.png", _noise())
        rows.append(f"img{i}.png;{'oak' if i % 2 else 'beech'}")
    _save(root / "more" / "deep.png", _noise())
    rows.append("more\\deep.png;oak")           # Windows separators, in a subfolder
    rows.append("IMG0.PNG;beech")               # wrong case still finds the file (a duplicate row)
    _save(tmp_path / "outside.png", _noise())
    _save(root / "nolabel.png", _noise())
    rows += ["../outside.png;oak", "/etc/passwd.png;oak", "gone.png;beech", "nolabel.png;"]
    _save(root / "unlisted.png", _noise())
    (root / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ds = _import(root)
    assert ds.meta["labels_from"] == "labels.csv"
    assert ds.class_names == ["beech", "oak"]
    assert sorted(ds.sources) == ["img0.png", "img0.png", "img1.png", "img2.png", "img3.png", "img4.png",
                                  "img5.png", "more/deep.png"]
    assert _problem(ds, "path_outside_folder").files == ["../outside.png", "/etc/passwd.png"]
    assert _problem(ds, "missing_file").files == ["gone.png"]
    assert _problem(ds, "unlabelled_file").files == ["unlisted.png"]
    assert "nolabel.png" in _problem(ds, "missing_values").files[0]
    assert not any("outside" in s for s in ds.sources)


def test_class_folders_with_a_sheet_naming_none_of_their_pictures_import_from_the_folders(tmp_path):
    """The regression walk: Edgeling's own answers.csv saved in a folder of class folders (its rows name files
    elsewhere) made the import fail: "answers.csv ... does not give a label to any image"."""
    root = _folder(tmp_path, per_class=4)
    (root / "answers.csv").write_text("file,answer\nnew/a.png,cat\nnew/b.png,dog\n")
    ds = _import(root)
    assert ds.meta["labels_from"] == "folders" and ds.class_names == ["cat", "dog"] and len(ds.sources) == 8
    assert not ds.report.by_code("missing_file")


def test_label_csv_without_header_and_chosen_column(tmp_path):
    root = tmp_path / "data"
    lines = []
    for i in range(6):
        _save(root / f"p{i}.jpg", _noise(), "JPEG")
        lines.append(f"p{i}.jpg\t{'x' if i < 3 else 'y'}\t{i % 2}")
    (root / "map.tsv").write_text("\n".join(lines))
    ds = _import(root)
    assert ds.class_counts() == {"0": 3, "1": 3}     # default: the last column
    headed = tmp_path / "h"
    headed.mkdir()
    for i in range(6):
        (headed / f"p{i}.jpg").write_bytes((root / f"p{i}.jpg").read_bytes())
    (headed / "map.csv").write_text("path,kind,parity\n" + "\n".join(ln.replace("\t", ",") for ln in lines))
    assert _import(headed, target="kind").class_counts() == {"x": 3, "y": 3}
    with pytest.raises(DataError, match="no column named 'colour'"):
        _import(headed, target="colour")
    (headed / "map.csv").write_text("path,kind\nnot_here.jpg,x\nnor_here.jpg,y\n")
    with pytest.raises(DataError, match="map.csv in .* does not give a label to any image") as e:
        _import(headed)
    assert "not_here.jpg" in e.value.files


def test_large_dataset_goes_through_a_memory_map(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    root = _folder(tmp_path, per_class=5, c=0)
    in_ram = _import(root)
    monkeypatch.setattr(sample_array, "MEMMAP_BYTES", 100)
    mapped = _import(root)
    assert isinstance(mapped.x, np.memmap) and not isinstance(in_ram.x, np.memmap)
    assert np.array_equal(np.asarray(mapped.x), in_ram.x)


def test_memory_mapped_import_goes_through_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(sample_array, "MEMMAP_BYTES", 100)
    root = _folder(tmp_path, per_class=5)
    first = open_dataset(root)
    again = open_dataset(root)
    assert np.array_equal(np.asarray(again.x), np.asarray(first.x)) and again.meta == first.meta


def test_parent_of_the_class_folders_is_understood(tmp_path):
    root = tmp_path / "project"
    _folder(root, per_class=3)  # project/data/cat, project/data/dog
    ds = _import(root)
    assert ds.class_names == ["cat", "dog"] and ds.sources[0] == "data/cat/0.png"


def test_large_jpeg_is_decoded_at_reduced_scale_like_a_full_decode(tmp_path):
    yy, xx = np.mgrid[0:1200, 0:1600]
    smooth = np.stack([xx * 255 // 1600, yy * 255 // 1200, (xx + yy) * 255 // 2800], -1).astype(np.uint8)
    path = _save(tmp_path / "big.jpg", smooth, "JPEG", quality=92)
    fast = images.preprocess_image(path, {"image_size": [32, 32], "channels": 3})
    full = Image.open(path).convert("RGB").resize((32, 32), Image.BILINEAR, box=(200, 0, 1400, 1200))
    assert np.abs(fast.astype(int) - np.asarray(full).astype(int)).mean() < 3


def test_preprocess_image_matches_import(tmp_path):
    root = tmp_path / "data"
    for cls in ("a", "b"):
        for i in range(3):
            _save(root / cls / f"{i}.jpg", _noise(48 + 10 * i, 36), "JPEG")
    ds = _import(root)
    i = ds.sources.index("b/2.jpg")
    path = root / "b" / "2.jpg"
    for source in (path, str(path), Image.open(path)):
        assert np.array_equal(images.preprocess_image(source, ds.meta), ds.x[i])
    (tmp_path / "bad.png").write_bytes(b"")
    with pytest.raises(DataError, match="bad.png"):
        images.preprocess_image(tmp_path / "bad.png", ds.meta)


def test_open_dataset_cache_and_inspect_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    root = _folder(tmp_path, per_class=12)
    (root / "cat" / "zero.png").write_bytes(b"")
    first = open_dataset(root)
    again = open_dataset(root)
    assert np.array_equal(np.asarray(again.x), first.x) and again.sources == first.sources
    assert cli_main(["inspect", str(root), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "images" and out["classes"] == {"cat": 12, "dog": 12}
    assert "empty_file" in [p["code"] for p in out["problems"]]
    one = _folder(tmp_path / "one", classes=("only",))
    assert cli_main(["inspect", str(one), "--json", "--no-cache"]) == 2


def test_bundled_digits_sample():
    root = ROOT / "resources" / "samples" / "digits"
    ds = open_dataset(root, use_cache=False)
    assert ds.kind == "images" and ds.num_samples == 1797
    assert ds.class_names == [str(d) for d in range(10)]
    assert ds.class_counts() == {"0": 178, "1": 182, "2": 177, "3": 183, "4": 181, "5": 182, "6": 181,
                                 "7": 179, "8": 174, "9": 180}
    assert ds.x.shape == (1797, 16, 16, 1)
    assert not ds.report.problems


_PNG = None


def _valid_png() -> bytes:
    global _PNG
    if _PNG is None:
        import io

        buf = io.BytesIO()
        Image.fromarray(_noise(12, 10)).save(buf, "PNG")
        _PNG = buf.getvalue()
    return _PNG


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=300),
                 st.integers(0, 400).map(lambda n: _valid_png()[:n]),
                 st.tuples(st.integers(0, 400), st.binary(min_size=1, max_size=8)).map(
                     lambda t: _valid_png()[:t[0]] + t[1] + _valid_png()[t[0] + len(t[1]):])))
def test_any_bytes_give_a_picture_or_a_plain_reason(data):
    from edgeling.core.data.image_decode import ImageReadError, decode_square

    try:
        arr = decode_square(data, 16, grey=False)
    except ImageReadError as e:
        assert e.code in ("corrupt_file", "empty_file") and e.reason
    else:
        assert arr.shape == (16, 16, 3) and arr.dtype == np.uint8


def test_a_folder_chosen_above_the_class_folders_parent_is_said(tmp_path):
    """The vineyard walk: her folder held leaves/ (black_rot/, healthy/, mildew/) and reports/ (one picture);
    the classes were 'leaves' and 'reports', the three diseases one class, and nothing said so."""
    from edgeling.core.data import images
    from edgeling.core.data import report as R
    from edgeling.core.data.load import ImportOptions

    for k, disease in enumerate(["black_rot", "healthy", "mildew"]):
        for i in range(4):
            _save(tmp_path / "field" / "leaves" / disease / f"IMG_{k}{i}.png", _noise())
    _save(tmp_path / "field" / "reports" / "map.png", _noise())
    ds = images.import_dataset(tmp_path / "field", ImportOptions())
    assert ds.class_names == ["leaves", "reports"]                 # as chosen
    (said,) = ds.report.by_code(R.CLASSES_ONE_LEVEL_DOWN)
    assert said.severity == "warning"
    assert said.message.startswith("12 of the 13 pictures are in leaves/, sorted into its folders black_rot, "
                                   "healthy, mildew.")
    assert "choose the folder leaves itself as your data" in said.advice
    # Chosen right, or class folders that keep their photos in dated folders: nothing to say
    assert not images.import_dataset(tmp_path / "field" / "leaves", ImportOptions()).report.by_code(
        R.CLASSES_ONE_LEVEL_DOWN)


def test_a_label_csv_with_full_windows_paths_finds_the_files_in_the_folder(tmp_path):
    """The shop walk: labels.csv written on Windows with full paths (C:\\Users\\Hans Müller\\Bilder\\...) gave
    "does not give a label to any image", though every image was in the folder. Only the folder's own files are
    matched, by the end of the path; '../' paths stay refused."""
    from edgeling.core.data import images
    from edgeling.core.data import report as R
    from edgeling.core.data.load import ImportOptions

    root = tmp_path / "Rücksendungen"
    rows = ["Datei;Grund"]
    for i in range(12):
        sub = "Fotos" if i < 6 else "Fotos/Teil 2"
        _save(root / sub / f"Bild Nr {i:03d}.png", _noise())
        rows.append(f"C:\\Users\\Hans Müller\\Bilder\\Rücksendungen\\{sub.replace('/', chr(92))}\\Bild Nr {i:03d}.png;"
                    f"{['Retoure', 'Behalten'][i % 2]}")
    rows.append("..\\geheim\\Bild Nr 000.png;Retoure")
    (root / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ds = images.import_dataset(root, ImportOptions())
    assert ds.num_samples == 12 and ds.class_names == ["Behalten", "Retoure"]
    said = {p.severity: p for p in ds.report.by_code(R.PATH_OUTSIDE_FOLDER)}
    assert "by a full path from another computer" in said["info"].message
    assert said["warning"].files == ["..\\geheim\\Bild Nr 000.png"]


def test_a_sheet_that_contradicts_the_class_folders_is_said(tmp_path):
    """The regression walk: a sheet giving every digit picture another digit's label relabelled them all, and
    the import said "No problems found"."""
    root = _folder(tmp_path, per_class=4)
    (root / "labels.csv").write_text("file,label\n" + "".join(
        f"{c}/{i}.png,{'dog' if c == 'cat' else 'cat'}\n" for c in ("cat", "dog") for i in range(4)))
    ds = _import(root)
    assert ds.meta["labels_from"] == "labels.csv"
    said = _problem(ds, "sheet_differs_from_folders")
    assert said.severity == "warning" and len(said.files) == 8
    assert said.message.startswith("labels.csv gives 8 pictures a label other than the folder they are in (for "
                                   "example cat/0.png is 'dog' in labels.csv)")
    (root / "labels.csv").write_text("file,label\n" + "".join(f"{c}/{i}.png,{c}\n" for c in ("cat", "dog")
                                                              for i in range(4)))
    assert not _import(root).report.by_code("sheet_differs_from_folders")
