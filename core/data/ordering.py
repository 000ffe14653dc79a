"""The one order every importer uses for class names and files: natural ("2" before "10"), case-blind,
the same on every OS, so class indices never depend on how a file system lists a folder."""

from __future__ import annotations

import re


def natural_key(s: str):
    return [(0, int(t), "") if t.isdigit() else (1, 0, t.casefold()) for t in re.split(r"(\d+)", s) if t]


def order_by_class(files: list[tuple[str, str]]) -> tuple[list[str], list[tuple[str, str]]]:
    """Class names in natural order (2 before 10) and the (path, class) pairs sorted by class then path:
    the one order every importer of class folders uses, so class indices do not depend on the OS."""
    class_names = sorted({c for _, c in files}, key=natural_key)
    order = {c: i for i, c in enumerate(class_names)}
    return class_names, sorted(files, key=lambda t: (order[t[1]], natural_key(t[0])))
