"""Cross-validation folds: fold ``k`` of ``K`` tests on its own part of the data, so that over the ``K`` runs
every sample is tested exactly once by a model that never learnt it (``training/crossval.py``).

The units handed out are the split's own: a group of samples that must stay together (copies of one file,
the windows of one recording, and when the file names say who was recorded, every file of one speaker or
machine: ``subjects.py``). Each class's units (for held-out speakers, all speakers together, since one
speaker spans the classes) are put in the stable order of their group hash and cut into ``K`` blocks as
equal as they can be; fold ``k`` tests on block ``k``, validates on the units that follow it (a tenth of
the class, at least one when there are three or more), and trains on the rest. The same data, seed and fold
give the same splits, so a fold's run is evaluated and exported like any other (``ImportOptions.fold``).
When the names say which of a few machines (fewer than the split can hold out) each file is from, the folds
hold whole machines out instead, so that every machine is tested by a model that never met it
(``subject_fold_splits``).
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np

from edgeling.core.data.dataset import TEST, TRAIN, VAL, DataError
from edgeling.core.data.splits import group_labels, group_position

MIN_FOLDS, MAX_FOLDS = 2, 20
VALIDATION_SHARE = 0.1
SUBJECT = "subject:"


def parse_fold(fold: str) -> tuple[int, int]:
    """"2/5" -> (2, 5): fold 2 of 5 (counted from 1). DataError for anything else."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", str(fold))
    k, n = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    if not m or not MIN_FOLDS <= n <= MAX_FOLDS or not 1 <= k <= n:
        raise DataError(f"{fold!r} is not a fold: write it as k/K, fold k of K, with K from {MIN_FOLDS} to "
                        f"{MAX_FOLDS} (for example 1/5).")
    return k, n


def _blocks(units: list[str], folds: int, k: int) -> dict[str, int]:
    """TRAIN / VAL / TEST for ``units`` (in their stable order) in fold ``k`` (1-based) of ``folds``."""
    n = len(units)
    start, stop = (k - 1) * n // folds, k * n // folds
    test = units[start:stop]
    rest = units[stop:] + units[:start]          # the units after the test block come first
    n_val = max(1, round(VALIDATION_SHARE * n)) if len(rest) >= 2 else 0
    out = {u: TEST for u in test}
    out.update({u: VAL for u in rest[:n_val]})
    out.update({u: TRAIN for u in rest[n_val:]})
    return out


def fold_splits(groups: list[str], labels, fold: str, seed: int = 0) -> np.ndarray:
    """TRAIN / VAL / TEST per sample for fold ``fold`` ("k/K"); ``labels`` None for a regression."""
    k, folds = parse_fold(fold)
    order = lambda g: (group_position(g, seed), g)  # noqa: E731 - the split's own stable order
    by_class: dict[int, list[str]] = defaultdict(list)
    if labels is None or any(g.startswith(SUBJECT) for g in groups):
        by_class[0] = sorted(set(groups), key=order)     # one speaker spans the classes: cut them all at once
    else:
        for g, label in group_labels(groups, labels).items():
            by_class[label].append(g)
        for units in by_class.values():
            units.sort(key=order)
    part: dict[str, int] = {}
    for units in by_class.values():
        part.update(_blocks(units, folds, k))
    return np.array([part[g] for g in groups], dtype=np.uint8)


def subject_fold_splits(groups: list[str], subjects: list[str | None], labels, fold: str,
                        seed: int = 0) -> np.ndarray:
    """Fold ``fold`` when the names say which few machines (speakers) the files come from, too few for the
    ordinary split to hold whole ones out (``subjects.few_subjects``). Each fold tests on whole machines, so
    every machine is tested by a model that never met it: with as many folds as machines, one machine each.
    The validation samples that choose the best epoch are files of the machines it trains on (a tenth of
    each class's files): a whole machine of four set aside for that would take a quarter of what it learns
    from. Files whose names say no machine are units of their own."""
    k, folds = parse_fold(fold)
    units = subject_units(groups, subjects)
    order = lambda g: (group_position(g, seed), g)  # noqa: E731
    names = sorted(set(units), key=order)
    test = set(names[(k - 1) * len(names) // folds:k * len(names) // folds])
    out = np.array([TEST if u in test else TRAIN for u in units], dtype=np.uint8)
    rest = [i for i, u in enumerate(units) if u not in test]
    kept = [groups[i] for i in rest]
    by_class: dict[int, list[str]] = defaultdict(list)
    for g, label in group_labels(kept, np.zeros(len(kept), int) if labels is None
                                 else np.asarray(labels)[rest]).items():
        by_class[label].append(g)
    val = set()
    for units_of_class in by_class.values():
        units_of_class.sort(key=order)
        n = len(units_of_class)
        val.update(units_of_class[:max(1, round(VALIDATION_SHARE * n)) if n >= 3 else 0])
    out[[i for i in rest if groups[i] in val]] = VAL
    return out


def subject_units(groups: list[str], subjects: list[str | None]) -> list[str]:
    """Per sample, what a fold holds out whole: its machine (speaker), or its own group when unnamed."""
    return [f"{SUBJECT}{s}" if s else g for g, s in zip(groups, subjects)]


def check_folds(groups: list[str], folds: int) -> None:
    """DataError when there are fewer units to test on than folds (every fold must test on something)."""
    subjects = {g for g in groups if g.startswith(SUBJECT)}
    units = subjects or set(groups)
    if len(units) < folds:
        what = ("speakers, machines or other subjects to hold out" if subjects   # parcels of photos too (the review)
                else "files (or recordings) that can be tested apart")
        raise DataError(f"There are only {len(units)} {what}, too few for {folds} parts: choose at most "
                        f"{len(units)} parts.")
