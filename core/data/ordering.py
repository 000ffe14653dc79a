"""The one order every importer uses for class names and files: natural ("2" before "10"), case-blind,
the same on every OS, so class indices never depend on how a file system lists a folder."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from edgeling.core.data import report as R


def natural_key(s: str):
    return [(0, int(t), "") if t.isdigit() else (1, 0, t.casefold()) for t in re.split(r"(\d+)", s) if t]


def order_by_class(files: list[tuple[str, str]]) -> tuple[list[str], list[tuple[str, str]]]:
    """Class names in natural order (2 before 10) and the (path, class) pairs sorted by class then path:
    the one order every importer of class folders uses, so class indices do not depend on the OS."""
    class_names = sorted({c for _, c in files}, key=natural_key)
    order = {c: i for i, c in enumerate(class_names)}
    return class_names, sorted(files, key=lambda t: (order[t[1]], natural_key(t[0])))


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
    for name, names in sorted(forms.items(), key=lambda t: natural_key(t[0])):
        if len(names) > 1:
            shown = sorted(names, key=lambda n: (n != name, n))   # the usual (NFC) form first
            report.add(R.SAME_FOLDER_NAME,
                       f"The folders {' and '.join(f'{n!r}' for n in shown)} have the same name written in "
                       f"{'two' if len(names) == 2 else len(names)} Unicode forms (one from a Mac); their files are one class, {name!r}.",
                       "Nothing to do. To tidy up, move the files of one folder into the other.",
                       files=shown, severity="info")
    return {n: nfc for nfc, names in forms.items() for n in names}
