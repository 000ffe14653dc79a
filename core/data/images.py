"""Image importer: a folder with one subfolder per class, or a folder of images plus a label CSV.

Every image becomes one ``(H, W, C)`` uint8 sample of the same square size: the short side is scaled and
the centre cropped (nothing is squashed), with C = 1 when every image is grey and 3 otherwise. The recipe
is kept in ``meta`` so ``preprocess_image`` prepares a new picture at prediction time exactly the same way.

Import reads each file once: pass 1 hashes it and reads its header (size and colour mode, to choose the
common size), pass 2 decodes and resizes (re-reading only files that did not fit the memory budget) and
measures each decoded picture's sharpness for the blur check (``image_blur``) and takes its fingerprint
for the near-duplicate check (``near_duplicates``: the same photo saved again, resized or recompressed).
Unreadable files are listed in the report with the reason, never dropped silently.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from edgeling.core.data import image_blur, import_progress, near_duplicates
from edgeling.core.data import report as R
from edgeling.core.data.checks import finish_dataset
from edgeling.core.data.dataset import DataError, Dataset
from edgeling.core.data.image_decode import (
    ALPHA,
    GREY_MODES,
    RESAMPLE,
    RESIZE,
    TRUNCATED,
    ImageReadError,
    decode_square,
    is_grey,
    open_image,
    quiet_pillow,
)
from edgeling.core.data.image_files import list_image_files
from edgeling.core.data.sample_array import new_sample_array, shrink
from edgeling.core.data.skipped_files import SkippedFiles
from edgeling.core.sentences import counted, verb

VERSION = 21  # 2: photos much blurrier than their class (or one flat colour) are reported (image_blur.py)
#             3: a label CSV's labels in one Unicode form (NFC): 'oïdium' from a Mac or Windows is one class
#             4: a label CSV finds a file whose name it writes in the other Unicode form (a Mac's NFD)
#             5: class folders whose names differ only in capitals ('Yes', 'yes') are reported
#             6: photos that are the same picture saved again (resized, recompressed) are reported and kept
#                in one split; meta["cross_label_duplicates"] (near_duplicates.py)
#             7: ... also when the copy is turned by a quarter or a half (a messaging app dropped its EXIF rotation)
# 8: near-duplicates must have the same average colour too (green and purple stripes are not copies)
# 9: a photo is "one flat colour" only when its colours do not spread either (a green leaf on brown soil can
#    be one grey); the folder chosen above the class folders' parent is said (CLASSES_ONE_LEVEL_DOWN)
# 10: a label CSV's full paths from another computer find the folder's files by the end of the path
# 11: a near-duplicate is found mirrored too (near_duplicates.fingerprint)
# 12: a file with no take number joins the person its name starts with (subjects.claimed_by_start); a photo
#     25 times less sharp than its class's median is always said to be blurry (image_blur.MAX_RATIO); names
#     in one folder labelled by a sheet give their subjects by their first words (subjects.detect_subjects);
#     a sheet giving pictures in class-like folders other labels is a warning (SHEET_DIFFERS_FROM_FOLDERS)
# 13: a label sheet's column that says who was recorded (label_table.WHO_NAMES) keeps each one's pictures in
#     one split
# 14: a file name in a sheet's who column names no one (the file is said as unnamed); 15: its words;
# 16: a sheet's 'label' column wins over 'status' or 'state' before it; 17: meta sheet_label_column;
# 18: 'as a new person or machine would be'; 19: 'plants, people or places'; a sheet's label column by more
#     names (diagnosis ...), a guess said (LABEL_COLUMN_GUESSED), parcel / plot as who; meta sheet_columns
# 20: headers without accents, an only-who column said, an empty last column passed over, 2-3 who said as few
# 21: a name ending in a date is its subject's, a name with a word after the number joins the subject it starts with
MIN_SIDE, MAX_SIDE = 16, 224      # range of the automatic input size
SMALL_IMAGE_PX = 8                # images with a side below this are reported
KEEP_BYTES_BUDGET = 256 << 20     # keep file contents between the two passes up to this many bytes


def import_dataset(path: Path, options) -> Dataset:
    root = Path(path)
    if not root.is_dir():
        raise DataError(f"{root} is not a folder. Choose a folder with one subfolder per class of images.")
    report = R.Report()
    listing = list_image_files(root, report, getattr(options, "target", None))
    if not listing.files:
        found = [f for p in report.problems for f in p.files]
        if listing.labels_from != "folders":
            raise DataError(f"{listing.labels_from} in {root} does not give a label to any image in the folder. "
                            "Check that its file names match the images and that the label column is filled "
                            "in.", files=found)
        loose = [f for p in report.by_code(R.UNLABELLED_FILE) for f in p.files]
        where = (f"The {counted(len(loose), 'image')} in {root} {verb(len(loose), 'sits', 'sit')} directly in it, not in class "
                 f"subfolders, so {verb(len(loose), 'its', 'their')} class is unknown. If this is one class, choose the folder above it. " if loose else
                 f"No images were found in class subfolders of {root}. ")
        raise DataError(
            where + "Put the pictures of each class in its own subfolder (for example healthy/ and mildew/), "
            "or add a CSV with a file-name column and a label column.", files=found)
    skipped = SkippedFiles("an image")
    with quiet_pillow():
        probed = _probe_all(str(root), listing, skipped)
        side = _choose_side(options, [min(h.width, h.height) for *_, h, _ in probed])
        forced = getattr(options, "grayscale", None)
        grey = forced if forced is not None else bool(probed) and all(h.mode in GREY_MODES
                                                                     for *_, h, _ in probed)
        channels = 1 if grey else 3
        x, y, sources, groups, sizes, all_grey_content, looks, prints, colours = _decode_all(
            str(root), probed, side, channels, skipped)
    small = [s for s, (w, h) in zip(sources, sizes) if min(w, h) < SMALL_IMAGE_PX]
    x = shrink(x, len(y))
    if channels == 3 and forced is None and y and all_grey_content:
        x = _keep_first_channel(x)   # colour files whose pixels are all grey (scans saved as RGB)
        channels = 1

    skipped.report_to(report)
    _report_sizes(sizes, small, side, report)
    if looks:
        sharpness, contrast = zip(*looks)
        enlarged = [min(s) < side for s in sizes]
        image_blur.report_blurry(sources, y, sharpness, contrast, side, enlarged, report)
    meta = {"image_size": [side, side], "channels": channels, "resize": RESIZE, "resample": RESAMPLE,
            "alpha": ALPHA, "exif_orientation": "applied", "labels_from": listing.labels_from,
            **listing.label_meta()}
    if sizes:
        meta["original_sizes"] = {"min": list(map(int, np.min(sizes, axis=0))),
                                  "max": list(map(int, np.max(sizes, axis=0)))}
    return finish_dataset(kind="images", task="classification", x=x, y=np.asarray(y, dtype=np.int64),
                          class_names=listing.class_names, sources=sources, groups=groups,
                          root=str(root), meta=meta, report=report, content_groups=True,
                          similar=near_duplicates.find(prints, groups, colours),
                          seed=getattr(options, "seed", 0), split=getattr(options, "split", None),
                          sheet=listing.sheet_subjects())


def _read(root: str, rel: str, skipped: SkippedFiles) -> bytes | None:
    try:
        with open(os.path.join(root, rel), "rb") as f:
            return f.read()
    except OSError as e:
        skipped.add(R.CORRUPT_FILE, rel, f"the file could not be opened ({e.strerror or e})")
        return None


def _probe_all(root: str, listing, skipped: SkippedFiles) -> list:
    """Pass 1: read each file, hash it, read its header. Returns (rel, class index, sha1, header, the opened
    image or None when over the memory budget)."""
    probed = []
    kept_bytes = 0
    class_index = {c: i for i, c in enumerate(listing.class_names)}
    for k, (rel, label) in enumerate(listing.files):
        import_progress.step(k, len(listing.files), "reading the photos")
        data = _read(root, rel, skipped)
        if data is None:
            continue
        try:
            im, header = open_image(data, quiet=False)
        except ImageReadError as e:
            skipped.add(e.code, rel, e.reason)
            continue
        keep = kept_bytes + len(data) <= KEEP_BYTES_BUDGET
        kept_bytes += len(data) if keep else 0
        probed.append((rel, class_index[label], hashlib.sha1(data).hexdigest(), header, im if keep else None))
    import_progress.step(len(listing.files), len(listing.files), "reading the photos")
    return probed


def _decode_all(root: str, probed: list, side: int, channels: int, skipped: SkippedFiles):
    """Pass 2: decode and resize into one array (a memory map when it is large), measuring each picture's
    sharpness on the way when the blur check applies (``looks``: (sharpness, contrast) per sample) and taking
    its fingerprint when the near-duplicate check does (``prints``: one per sample, None when a picture is
    not compared, e.g. too small)."""
    x = new_sample_array((len(probed), side, side, channels), np.uint8)
    y, sources, groups, sizes, looks, prints, colours = [], [], [], [], [], [], []
    measure = image_blur.applies(side, len(probed))
    compare = near_duplicates.applies(side)
    all_grey_content = True
    for i in range(len(probed)):
        import_progress.step(i, len(probed), "resizing the photos")
        rel, label, digest, header, im = probed[i]
        probed[i] = None  # let the decoded picture go as soon as it is copied into x
        source = im if im is not None else _read(root, rel, skipped)
        if source is None:
            continue
        try:
            arr = decode_square(source, side, channels == 1, checked=True, quiet=False)
        except ImageReadError as e:
            skipped.add(e.code, rel, e.reason)
            continue
        if channels == 3 and all_grey_content:
            all_grey_content = is_grey(arr)
        grey = image_blur.grey(arr) if measure or compare else None
        if measure:
            looks.append(image_blur.measure(arr, grey))
        compared = compare and near_duplicates.comparable(header.width, header.height, grey)
        prints.append(near_duplicates.fingerprint(grey) if compared else None)
        colours.append(near_duplicates.colour(arr) if compared else None)
        x[len(y)] = arr
        y.append(label)
        sources.append(rel)
        groups.append(digest)
        sizes.append((header.width, header.height))
    import_progress.step(len(probed), len(probed), "resizing the photos")
    return x, y, sources, groups, sizes, all_grey_content, looks, prints, colours


def preprocess_image(source, meta: dict) -> np.ndarray:
    """Prepare one picture (a path, bytes or a PIL image) exactly as the images of a dataset with ``meta``
    were prepared: an ``(H, W, C)`` uint8 array. Raises DataError naming the file when it cannot be read."""
    h, w = meta["image_size"]
    if h != w:
        raise DataError("This model expects non-square images, which Edgeling does not make.")
    try:
        return decode_square(source if not isinstance(source, str) else Path(source), int(h),
                             int(meta.get("channels", 3)) == 1)
    except ImageReadError as e:
        name = source if isinstance(source, str | Path) else "The picture"
        fix = ("Copy it again from the original (a copy or download that did not finish cuts a file short)"
               if e.reason == TRUNCATED else "Choose a PNG, JPEG, BMP or WebP picture")   # the newcomer: a JPEG
        raise DataError(f"{name} could not be read as an image: {e.reason}. {fix}.", files=[str(name)]) from None


def _choose_side(options, short_sides: list[int]) -> int:
    forced = getattr(options, "image_size", None)
    if forced is not None:
        if not 4 <= int(forced) <= 1024:
            raise DataError(f"The image size {forced} is outside 4..1024 pixels. Choose a size such as 32, "
                            "64 or 96.")
        return int(forced)
    if not short_sides:
        return MIN_SIDE
    median = float(np.median(short_sides))
    return int(np.clip(int(median / 4 + 0.5) * 4, MIN_SIDE, MAX_SIDE))  # a multiple of 4 suits conv layers


def _keep_first_channel(x: np.ndarray) -> np.ndarray:
    out = new_sample_array(x.shape[:3] + (1,), np.uint8)
    step = 4096
    for i in range(0, len(x), step):
        out[i:i + step] = x[i:i + step, :, :, :1]
    return out


def small_picture_note(path) -> str | None:
    """What a prediction on a picture smaller than the import calls small (``SMALL_IMAGE_PX``) must say, as the
    import warns of such pictures (SMALL_IMAGE); None for a bigger one or one whose size cannot be read."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            w, h = im.size
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    if min(w, h) >= SMALL_IMAGE_PX:
        return None
    return (f"the picture is only {w}x{h} pixels: it holds very little detail and was blown up to the model's "
            "size, so the answer says little about it; use the full-size photo")


def _report_sizes(sizes: list[tuple[int, int]], small: list[str], side: int, report: R.Report) -> None:
    distinct = set(sizes)
    if len(distinct) > 1:
        lo = min(distinct, key=lambda s: s[0] * s[1])
        hi = max(distinct, key=lambda s: s[0] * s[1])
        report.add(R.SIZE_MISMATCH,
                   f"The images have {len(distinct)} different sizes (from {lo[0]}x{lo[1]} to {hi[0]}x{hi[1]} "
                   f"pixels). All were resized to {side}x{side}: the short side scaled to {side} and the "
                   "centre cropped, so nothing is squashed, but the edges of non-square pictures are cut.",
                   "Nothing to do unless the object of interest sits near the edge of long pictures; then "
                   "crop them to squares yourself.", severity="info")
    if small:
        report.add(R.SMALL_IMAGE,
                   f"{counted(len(small), 'image')} {verb(len(small), 'is', 'are')} smaller than {SMALL_IMAGE_PX} pixels on a side. "
                   f"{verb(len(small), 'It holds', 'They hold')} very little detail and {verb(len(small), 'was', 'were')} blown up to the common size.",
                   "Check that these are real pictures and not icons or thumbnails.",
                   files=small, severity="warning")
