"""Which image files a dataset folder holds and which class each belongs to.

Two layouts: one subfolder per class (``healthy/IMG_1.jpg``), or images plus a CSV/TSV in the folder that
maps file names to labels. A label CSV may name files in subfolders, but never anything outside the
dataset folder: ``../x.png`` and absolute paths are reported and never read. Its labels are read in one
Unicode form (NFC), as class folder names are: an accented label typed on a Mac is the same class. Labels
or class folders differing only in capitals ('Mildew', 'mildew') stay two classes, with a warning.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from edgeling.core.data import report as R

# OTHER_IMAGE_EXTS: pictures we look at only to say "convert this": never silently passed over.
from edgeling.core.data.formats import IMAGE_EXTS, OTHER_IMAGE_EXTS
from edgeling.core.data.label_table import LABEL_TABLE_EXTS, Listing, Media, from_label_table
from edgeling.core.data.ordering import (
    classes_of_folders,
    natural_order,
    order_by_class,
)
from edgeling.core.sentences import counted, verb

JUNK_NAMES = {"thumbs.db", "desktop.ini", "icon\r"}


ImageListing = Listing
PICTURES = Media("image", "images", frozenset(IMAGE_EXTS | OTHER_IMAGE_EXTS), "photos/leaf1.jpg")


def list_image_files(root: Path, report: R.Report, label_column: str | None = None) -> ImageListing:
    images, tables, other = _walk(root)
    for table in sorted((t for t in tables if "/" not in t), key=natural_order):
        said = R.Report()
        listing = from_label_table(root, table, images, said, label_column, PICTURES)
        if listing is not None and not listing.files and any("/" in p for p in images):
            continue      # a sheet naming no picture here (Edgeling's own answers.csv): the class folders
        report.problems.extend(said.problems)
        if listing is not None:
            other.extend(t for t in tables if t != table)
            _report_ignored(other, [], report)
            _report_folders_disagree(listing, table, report)
            return listing
    other.extend(tables)
    return _from_folders(images, other, report)


def _report_folders_disagree(listing: Listing, table: str, report: R.Report) -> None:
    """Pictures in class-like folders that the sheet gives another of its labels: said (the regression walk: a
    sheet contradicting every digit folder relabelled every picture, and the import said "No problems found")."""
    labels = {c.casefold() for c in listing.class_names}
    differ = sorted(((rel, label) for rel, label in listing.files
                     if "/" in rel and rel.split("/", 1)[0].casefold() in labels
                     and rel.split("/", 1)[0].casefold() != label.casefold()), key=lambda d: natural_order(d[0]))
    if not differ:
        return
    rel, label = differ[0]
    report.add(R.SHEET_DIFFERS_FROM_FOLDERS,
               f"{table} gives {counted(len(differ), 'picture')} a label other than the folder {verb(len(differ), 'it is', 'they are')} "
               f"in (for example {rel} is {label!r} in {table}). The labels in {table} were used.",
               f"If the folders are right, correct or delete {table}; if the sheet is right, nothing to do.",
               files=[r for r, _ in differ], severity="warning")


def _walk(root: Path) -> tuple[list[str], list[str], list[str]]:
    images, tables, other = [], [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX")
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        for name in filenames:
            if name.startswith(".") or name.lower() in JUNK_NAMES:
                continue
            ext = os.path.splitext(name)[1].lower()
            rel = prefix + name
            if ext in IMAGE_EXTS or ext in OTHER_IMAGE_EXTS:
                images.append(rel)
            elif ext in LABEL_TABLE_EXTS:
                tables.append(rel)
            else:
                other.append(rel)
    return images, tables, other


def _from_folders(images: list[str], other: list[str], report: R.Report) -> ImageListing:
    loose = [p for p in images if "/" not in p]
    in_folders = [p for p in images if "/" in p]
    classes = {p.split("/", 1)[0] for p in in_folders}
    depth = 1
    # The user chose the folder *above* the class folders (data/train/<class>/...): look one level down.
    if not loose and len(classes) == 1:
        inner = {p.split("/")[1] for p in in_folders if p.count("/") >= 2}
        if len(inner) >= 2 and all(p.count("/") >= 2 for p in in_folders):
            depth = 2
    files = [(p, p.split("/")[depth - 1]) for p in in_folders]
    if depth == 1:
        _say_classes_one_level_down(in_folders, report)
    classes = classes_of_folders(Counter(c for _, c in files), report, ("image", "images"))
    class_names, files = order_by_class([(p, classes[c]) for p, c in files])
    if loose:
        report.add(R.UNLABELLED_FILE,
                   f"{counted(len(loose), 'image')} {verb(len(loose), 'sits', 'sit')} directly in the chosen "
                   "folder, not in a class subfolder, so "
                   "Edgeling does not know their class. They were not used.",
                   "Move each image into the subfolder named after its class (for example healthy/), or "
                   "add a CSV file with a file-name column and a label column.",
                   files=sorted(loose, key=natural_order), severity="warning")
    _report_ignored(other, [], report)
    return ImageListing(files=files, class_names=class_names, labels_from="folders")


MOST_IN_ONE = 0.8


def _say_classes_one_level_down(in_folders: list[str], report: R.Report) -> None:
    """The folder chosen one level too high, beside another folder: ``leaves/`` holds black_rot/, healthy/ and
    mildew/, and ``reports/`` one picture. The classes would be 'leaves' and 'reports', the three diseases one
    class (the vineyard walk: exit 0, and the copies across her folders reported as copies within one). Said
    when one class folder holds most of the pictures, all of them in two or more subfolders of its own,
    while another holds pictures directly."""
    by_class: dict[str, list[str]] = {}
    for p in in_folders:
        by_class.setdefault(p.split("/", 1)[0], []).append(p)
    if len(by_class) < 2:
        return
    name, inside = max(by_class.items(), key=lambda kv: len(kv[1]))
    subfolders = sorted({p.split("/")[1] for p in inside if p.count("/") >= 2}, key=natural_order)
    flat_elsewhere = any(p.count("/") == 1 for c, ps in by_class.items() if c != name for p in ps)
    if len(inside) < MOST_IN_ONE * len(in_folders) or len(subfolders) < 2 or \
            any(p.count("/") < 2 for p in inside) or not flat_elsewhere:
        return
    others = sorted((c for c in by_class if c != name), key=natural_order)
    report.add(R.CLASSES_ONE_LEVEL_DOWN,
               f"{len(inside)} of the {len(in_folders)} pictures are in {name}/, sorted into its folders "
               f"{', '.join(subfolders[:6])}{', ...' if len(subfolders) > 6 else ''}. As chosen, the classes are the "
               f"folders here ({name}, {', '.join(others[:5])}), so those would all be one class, {name!r}.",
               f"If {', '.join(subfolders[:3])}{' ...' if len(subfolders) > 3 else ''} are the classes, choose the "
               f"folder {name} itself as your data.", files=[f"{name}/"], severity="warning")


def _report_ignored(other: list[str], notes: list[str], report: R.Report) -> None:
    if other:
        report.add(R.IGNORED_FILE,
                   f"{counted(len(other), 'file')} {verb(len(other), 'is', 'are')} not PNG, JPEG, BMP or WebP "
                   f"images by {verb(len(other), 'its', 'their')} name and {verb(len(other), 'was', 'were')} not "
                   "read.", "Nothing to do if they are notes or other files. If they are pictures, save them "
                   "as PNG or JPEG.", files=sorted(other, key=natural_order), severity="info")
