"""Which image files a dataset folder holds and which class each belongs to.

Two layouts: one subfolder per class (``healthy/IMG_1.jpg``), or images plus a CSV/TSV in the folder that
maps file names to labels. A label CSV may name files in subfolders, but never anything outside the
dataset folder: ``../x.png`` and absolute paths are reported and never read. Its labels are read in one
Unicode form (NFC), as class folder names are: an accented label typed on a Mac is the same class. Labels
or class folders differing only in capitals ('Mildew', 'mildew') stay two classes, with a warning.
"""

from __future__ import annotations

import csv
import io
import os
import posixpath
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from edgeling.core.data import report as R
from edgeling.core.data.dataset import DataError

# OTHER_IMAGE_EXTS: pictures we look at only to say "convert this": never silently passed over.
from edgeling.core.data.formats import IMAGE_EXTS, OTHER_IMAGE_EXTS
from edgeling.core.data.ordering import (
    classes_of_folders,
    natural_order,
    order_by_class,
    report_labels_differing_in_case,
)
from edgeling.core.sentences import counted, verb

LABEL_TABLE_EXTS = {".csv", ".tsv"}
JUNK_NAMES = {"thumbs.db", "desktop.ini", "icon\r"}
LABEL_NAMES = ("label", "labels", "class", "class_name", "classname", "category", "target", "y", "tag")


@dataclass
class ImageListing:
    files: list[tuple[str, str]] = field(default_factory=list)
    """(path relative to the root with forward slashes, class name), in a stable order."""
    class_names: list[str] = field(default_factory=list)
    labels_from: str = "folders"
    """"folders", or the name of the label CSV."""


def list_image_files(root: Path, report: R.Report, label_column: str | None = None) -> ImageListing:
    images, tables, other = _walk(root)
    for table in sorted((t for t in tables if "/" not in t), key=natural_order):
        listing = _from_label_table(root, table, images, report, label_column)
        if listing is not None:
            other.extend(t for t in tables if t != table)
            _report_ignored(other, [], report)
            return listing
    other.extend(tables)
    return _from_folders(images, other, report)


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


# --- label CSV ---------------------------------------------------------------------------------------------

def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # pragma: no cover - latin-1 decodes every byte


def _rows(text: str, tsv: bool) -> list[list[str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters="\t" if tsv else ",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if tsv else ","
    rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return [r for r in rows if any(r)]


def _looks_like_image_name(v: str) -> bool:
    return os.path.splitext(v.strip().lower())[1] in IMAGE_EXTS | OTHER_IMAGE_EXTS


def _outside(name: str) -> bool:
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "://" in name:
        return True
    norm = posixpath.normpath(name)
    return norm == ".." or norm.startswith("../")


def _by_tail(name: str, resolve, images: list[str]) -> str | None:
    """A file inside the folder that a full path from elsewhere names: the longest end of the path that is a
    file here ("C:\\Users\\Hans\\Bilder\\Retouren\\Bild 000.png" -> "Retouren/Bild 000.png", or "Bild 000.png").
    Nothing outside the folder is read: only its own files are matched (the shop walk: a label CSV written on
    Windows with full paths gave "does not give a label to any image", though all 80 were in the folder).
    None for "../" paths and web addresses, which stay refused."""
    plain = name.replace("\\", "/")
    if "://" in plain or posixpath.normpath(plain).startswith(".."):
        return None
    parts = [p for p in plain.split("/") if p and not re.match(r"^[A-Za-z]:$", p)]
    for start in range(len(parts)):
        tail = "/".join(parts[start:])
        if ".." in parts[start:]:
            return None
        hit = resolve(tail)
        if hit is not None:
            return hit
    base = _folded(parts[-1]) if parts else ""
    same = [p for p in images if _folded(p.rsplit("/", 1)[-1]) == base]
    return same[0] if base and len(same) == 1 else None     # in a subfolder here: by its name, when unique


def _folded(name: str) -> str:
    return unicodedata.normalize("NFC", name).lower()


def _from_label_table(root: Path, table: str, images: list[str], report: R.Report,
                      label_column: str | None) -> ImageListing | None:
    try:
        rows = _rows(_read_text(root / table), table.lower().endswith(".tsv"))
    except (OSError, csv.Error):
        return None
    if len(rows) < 2:
        return None
    width = max(len(r) for r in rows)
    if width < 2:
        return None
    on_disk = set(images)
    lower = {}   # also in one Unicode form: a name typed on Windows finds the file copied from a Mac
    for p in images:
        lower.setdefault(_folded(p), []).append(p)
    stems = {}
    for p in images:
        stems.setdefault(_folded(os.path.splitext(p)[0]), []).append(p)

    def resolve(name: str) -> str | None:
        name = posixpath.normpath(name.replace("\\", "/"))
        if name in on_disk:
            return name
        for table_of in (lower, stems):
            hits = table_of.get(_folded(name), [])
            if len(hits) == 1:
                return hits[0]
        return None

    header = rows[0]
    has_header = not any(_looks_like_image_name(c) or resolve(c) for c in header if c)
    body = rows[1:] if has_header else rows
    scores = []
    for col in range(width):
        vals = [r[col] for r in body if col < len(r) and r[col]]
        hits = sum(1 for v in vals if _looks_like_image_name(v) or resolve(v) or _outside(v))
        scores.append(hits / max(1, len(body)))
    name_col = max(range(width), key=lambda c: scores[c])
    if scores[name_col] < 0.5:
        return None
    names = [h.strip().lower() for h in header] if has_header else []
    label_col = None
    if label_column is not None and has_header and label_column.strip().lower() in names:
        label_col = names.index(label_column.strip().lower())
    elif label_column is not None:
        raise DataError(f"{root / table} has no column named {label_column!r}. Its columns are: "
                        f"{', '.join(header) if has_header else '(no header row)'}. Choose one of them.")
    if label_col is None:
        preferred = [i for i, n in enumerate(names) if n in LABEL_NAMES and i != name_col]
        others = [i for i in range(width) if i != name_col]
        label_col = preferred[0] if preferred else others[-1] if len(others) > 1 else others[0]
    if label_col == name_col:
        raise DataError(f"In {root / table} the label column {label_column!r} is the column of file names. "
                        "Choose the column that holds the class of each image.")
    return _listing_from_rows(table, body, name_col, label_col, has_header, images, resolve, report)


def _listing_from_rows(table, body, name_col, label_col, has_header, images, resolve, report):
    first_row = 2 if has_header else 1
    files, used = [], set()
    outside, missing, unlabelled_rows, by_tail = [], [], [], []
    for i, row in enumerate(body):
        name = row[name_col] if name_col < len(row) else ""
        label = row[label_col] if label_col < len(row) else ""
        if not name:
            continue
        rel = None
        if _outside(name.replace("\\", "/")):
            rel = _by_tail(name, resolve, images)
            if rel is None:
                outside.append(name)
                continue
            by_tail.append(name)
        rel = rel or resolve(name)
        if rel is None:
            missing.append(name)
            continue
        if not label:
            unlabelled_rows.append(f"{table} row {first_row + i}: {name}")
            used.add(rel)
            continue
        files.append((rel, unicodedata.normalize("NFC", label)))   # 'oïdium' typed on a Mac is 'oïdium'
        used.add(rel)
    if by_tail:
        report.add(R.PATH_OUTSIDE_FOLDER,
                   f"{table} names {counted(len(by_tail), 'file')} by a full path from another computer or folder (such as "
                   f"{by_tail[0]}); each was found in the folder you chose by the end of its path, and only there.",
                   "Nothing to do. Edgeling reads only files inside the folder you chose.", files=by_tail[:50],
                   severity="info")
    if outside:
        report.add(R.PATH_OUTSIDE_FOLDER,
                   f"{table} names {counted(len(outside), 'file')} outside the dataset folder. Edgeling only reads "
                   "files inside the folder you chose, so these were not read.",
                   "Copy those images into the dataset folder and write their names relative to it "
                   "(for example photos/leaf1.jpg).", files=outside, severity="warning")
    if missing:
        report.add(R.MISSING_FILE,
                   f"{table} lists {counted(len(missing), 'file')} that {verb(len(missing), 'is', 'are')} not in "
                   "the folder.",
                   "Check the spelling of the file names in the table, or copy the missing images in.",
                   files=missing, severity="warning")
    if unlabelled_rows:
        report.add(R.MISSING_VALUES,
                   f"{counted(len(unlabelled_rows), 'row')} of {table} {verb(len(unlabelled_rows), 'has', 'have')} "
                   f"no label, so {verb(len(unlabelled_rows), 'that image was', 'those images were')} not used.",
                   "Fill in the label for each of them in the table.", files=unlabelled_rows,
                   severity="warning")
    not_listed = [p for p in images if p not in used]
    if not_listed:
        report.add(R.UNLABELLED_FILE,
                   f"{counted(len(not_listed), 'image')} in the folder {verb(len(not_listed), 'is', 'are')} not "
                   f"listed in {table}, so Edgeling does "
                   "not know their class. They were not used.",
                   f"Add a row for each of them to {table}, or move them out of the folder.",
                   files=sorted(not_listed, key=natural_order), severity="warning")
    class_names, files = order_by_class(files)
    report_labels_differing_in_case(Counter(c for _, c in files), f"in {table}", ("image", "images"), report)
    return ImageListing(files=files, class_names=class_names, labels_from=table)
