"""The one order every importer uses for class names and files: natural ("2" before "10"), case-blind,
the same on every OS and in every process, so class indices never depend on how a file system lists a
folder. Names the natural order sees as equal ('Yes' and 'yes', '1.png' and '01.png') are ordered by their
letters (capitals first), never left to the order a set or a folder listing happens to give them."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from edgeling.core.data import report as R


def natural_key(s: str):
    return [(0, int(t), "") if t.isdigit() else (1, 0, t.casefold()) for t in re.split(r"(\d+)", s) if t]


def natural_order(s: str):
    """``natural_key`` made total: ties broken by the name itself. Sort names with this, never with
    ``natural_key`` alone, whose ties would follow the order of a set (Python's hashing, which changes
    from process to process) or of a folder listing (which changes from OS to OS)."""
    return natural_key(s), s


def order_by_class(files: list[tuple[str, str]]) -> tuple[list[str], list[tuple[str, str]]]:
    """Class names in natural order (2 before 10) and the (path, class) pairs sorted by class then path:
    the one order every importer of class folders uses, so class indices do not depend on the OS."""
    class_names = sorted({c for _, c in files}, key=natural_order)
    order = {c: i for i, c in enumerate(class_names)}
    return class_names, sorted(files, key=lambda t: (order[t[1]], natural_order(t[0])))


def class_name_key(name: str) -> str:
    """How a class name is compared with a folder's name: one Unicode form (NFC), no edge spaces, any case.
    macOS writes accented names in another form (NFD: 'e' plus a combining accent) than Windows and Linux
    (NFC: one 'é'); both look alike and must match."""
    return unicodedata.normalize("NFC", name).strip().casefold()


def classes_of_folders(folders: dict[str, int], report: R.Report,
                       files_named: tuple[str, str]) -> dict[str, str]:
    """Each class folder's name -> its class name, in NFC, for every importer of class folders (images,
    audio, sensor recordings), so each reports the same things once, in the same words. ``folders``: each
    class folder's name -> how many files of data it holds; ``files_named``: what they are, one and many
    (("image", "images")).

    Folders whose names differ only in Unicode form (``écoute`` typed on Windows next to ``écoute`` copied
    from a Mac) are one class, and the report says so. Folders whose names differ only in capitals ('Yes'
    and 'yes') stay two classes, as Linux keeps them, with a warning: Windows and macOS hold them as one."""
    forms: dict[str, set[str]] = defaultdict(set)
    for name in folders:
        forms[unicodedata.normalize("NFC", name)].add(name)
    for name, names in sorted(forms.items(), key=lambda t: natural_order(t[0])):
        if len(names) > 1:
            shown = sorted(names, key=lambda n: (n != name, n))   # the usual (NFC) form first
            report.add(R.SAME_FOLDER_NAME,
                       f"The folders {' and '.join(f'{n!r}' for n in shown)} have the same name written in "
                       f"{'two' if len(names) == 2 else len(names)} Unicode forms (one from a Mac); their files are one class, {name!r}.",
                       "Nothing to do. To tidy up, move the files of one folder into the other.",
                       files=shown, severity="info")
    classes = {n: nfc for nfc, names in forms.items() for n in names}
    counts: Counter[str] = Counter()
    for n, count in folders.items():
        counts[classes[n]] += count
    _report_names_differing_in_case(counts, files_named, report)
    return classes


def _report_names_differing_in_case(counts: Counter[str], files_named: tuple[str, str],
                                    report: R.Report) -> None:
    """Class folders whose names differ only in capitals ('Yes' and 'yes') stay two classes, as Linux keeps
    them, but Windows and macOS hold them as one folder: say so, and how to tidy up."""
    one, many = files_named
    alike: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        alike[name.lower()].append(name)   # letter by letter, as a file system compares names
    for names in sorted((sorted(n) for n in alike.values() if len(n) > 1), key=lambda n: natural_order(n[0])):
        listed = " and ".join(f"{n!r} ({counts[n]} {one if counts[n] == 1 else many})" for n in names)
        report.add(R.FOLDER_NAMES_DIFFER_IN_CASE,
                   f"The class folders {listed} have names that differ only in capital letters. Edgeling "
                   f"reads them as {'two' if len(names) == 2 else len(names)} different classes, but Windows "
                   f"and macOS see one folder: copied there, their {many} end up mixed in one folder (or the "
                   "copy stops), and this data will not open the same way.",
                   f"If they are the same class, move the {many} of one folder into the other. If they are "
                   "different classes, rename one so that the names differ in more than capital letters.",
                   files=names, severity="warning")


def label_text(cell: str) -> str:
    """A class label as written in a CSV cell, as a class name: spaces tidied ('  light   rain ' is 'light
    rain') and in one Unicode form (NFC), as folder names are: 'mildiou' with an accent typed on a Mac (a
    letter plus a combining accent) and on Windows (one accented letter) look alike and are one class."""
    return unicodedata.normalize("NFC", " ".join(cell.split()))


def report_labels_differing_in_case(counts: dict[str, int], where: str, counted: tuple[str, str],
                                    report: R.Report) -> None:
    """Labels of a CSV that differ only in capitals ('Mildew' in some rows, 'mildew' in others) stay two
    classes, as class folders named so do, but are most likely one class typed two ways: a warning naming
    them, with how many ``counted`` (("row", "rows")) each has and how to tidy up. ``where``: "in the
    column 'disease'", "in labels.csv"."""
    one, many = counted
    alike: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        alike[name.casefold()].append(name)
    for names in sorted((sorted(n) for n in alike.values() if len(n) > 1), key=lambda n: natural_order(n[0])):
        listed = " and ".join(f"{n!r} ({counts[n]} {one if counts[n] == 1 else many})" for n in names)
        report.add(R.LABELS_DIFFER_IN_CASE,
                   f"The labels {listed} {where} differ only in capital letters. Edgeling reads them as "
                   f"{'two' if len(names) == 2 else len(names)} different classes, so if they mean the same "
                   "thing the model learns to tell apart what is one class.",
                   "If they are the same class, write them the same way in every row. If they are different "
                   "classes, rename one so that the names differ in more than capital letters.",
                   files=names, severity="warning")
