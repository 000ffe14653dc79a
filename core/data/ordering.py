"""The one order every importer uses for class names and files: natural ("2" before "10"), case-blind,
the same on every OS and in every process, so class indices never depend on how a file system lists a
folder. Names the natural order sees as equal ('Yes' and 'yes', '1.png' and '01.png') are ordered by their
letters (capitals first), never left to the order a set or a folder listing happens to give them."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

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


def classes_of_folders(folders, report: R.Report) -> dict[str, str]:
    """Each class folder's name -> its class name, in NFC. Folders whose names differ only in Unicode form
    (``écoute`` typed on Windows next to ``écoute`` copied from a Mac) are one class, and the report says so."""
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
    return {n: nfc for nfc, names in forms.items() for n in names}
