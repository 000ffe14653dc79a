"""Which class each folder name or label of files the model is tested on stands for, as the training import
tells classes apart (``evaluate --on``, ``other_files.py``)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy as np

from edgeling.core.data.dataset import DataError
from edgeling.core.data.ordering import class_name_key
from edgeling.core.sentences import verb


def class_indices(path: Path, labels: list[str], sources: list[str], class_names: list[str], column: str,
                   what: tuple[str, str], numbers: bool = False, decimal_comma: bool = False) -> np.ndarray:
    """The class index of each label in ``column`` (case aside when that is not ambiguous); DataError
    naming the first label the model never learnt."""
    from edgeling.core.data.csvread import numeric_column
    from edgeling.core.data.table import number_name

    if numbers:
        nums = numeric_column(labels, decimal_comma=decimal_comma)
        keys = [number_name(v) for v in nums.values] if not nums.not_numbers else labels
    else:
        keys = [" ".join(v.split()) for v in labels]
    known, unknown, unclear = match_class_names(keys, class_names)
    unknown = sorted(unknown)
    where = f"in the column {column!r}" if column else "in its label column"    # not "in 'its labels'" (a walk)
    said = []
    if unknown:
        first = sources[keys.index(unknown[0])]
        said.append(f"{path.name} has the {verb(len(unknown), *what)} {', '.join(map(repr, unknown[:6]))} {where} (first "
                    f"in {first}), which this model never learnt (it knows {', '.join(class_names)}). Remove "
                    "those rows, or train on data that has them.")
    if unclear:
        first = sources[keys.index(next(iter(unclear)))]
        said.append(f"{'It' if unknown else path.name} has {what[1]} {where} whose class is unclear "
                    f"(first in {first}): {'; '.join(unclear.values())}. The model tells those classes apart by "
                    "their capitals, as its training data did. Write each exactly as its class.")
    if said:
        raise DataError(" ".join(said), [str(path)])
    return np.array([known[k] for k in keys], np.int64)


def match_class_names(names: list[str],
                      class_names: list[str]) -> tuple[dict[str, int], list[str], dict[str, str]]:
    """The class of each name of ``names`` (folders, or labels in a column), as the training import tells
    classes apart: by the name itself, in one Unicode form (NFC: 'écoute' from a Mac is 'écoute'), so 'Yes'
    and 'yes' are two classes when the model learnt both; else ignoring capitals and edge spaces ('DOT' for
    'dot'), but only when that names one class. Returns ({name: class index}, the names of no class,
    {name that could be several classes: why, in words})."""
    exact = {unicodedata.normalize("NFC", c): i for i, c in enumerate(class_names)}
    loose: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(class_names):
        loose[class_name_key(c)].append(i)
    known, unknown, unclear = {}, [], {}
    for name in dict.fromkeys(names):
        nfc, key = unicodedata.normalize("NFC", name), class_name_key(name)
        if nfc in exact:
            known[name] = exact[nfc]
        elif len(loose[key]) == 1:
            known[name] = loose[key][0]
        elif loose[key]:
            could_be = " or ".join(repr(class_names[i]) for i in loose[key])
            unclear[name] = f"{name!r} could be {could_be}, whose names differ only in capitals"
        else:
            unknown.append(name)
    return known, unknown, unclear
