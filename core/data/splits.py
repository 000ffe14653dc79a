"""Train / validation / test splits that stay put.

A sample's split is a pure function of its *group* (its identity: the hash of a file's content, or the
recording a window was cut from) and the seed, as Speech Commands does with file-name hashes. Adding files
never moves an existing sample, and samples that share a group (exact duplicates, the overlapping windows
of one recording) always share a split, so nothing leaks from training into the test score.

Hashing gives each class roughly the requested fractions (stratified in expectation). For a small class
that would otherwise have no validation or test sample, the groups of that class closest to the
thresholds are moved; this depends only on that class's own groups, so other classes are unaffected.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import numpy as np

from edgeling.core.data.dataset import TEST, TRAIN, VAL

DEFAULT_FRACTIONS = (0.8, 0.1, 0.1)


def group_position(group: str, seed: int = 0) -> float:
    """A stable number in [0, 1) for a group identity."""
    digest = hashlib.sha1(f"{seed}:{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def assign_splits(groups: list[str], labels: np.ndarray | None = None, seed: int = 0,
                  fractions: tuple[float, float, float] = DEFAULT_FRACTIONS) -> np.ndarray:
    """Split per sample (TRAIN / VAL / TEST) from group identities; ``labels`` (class indices) enables the
    small-class guarantee. Regression passes ``labels=None``."""
    train_f, val_f, _ = fractions
    pos = {g: group_position(g, seed) for g in set(groups)}
    group_split = {g: (TRAIN if p < train_f else VAL if p < train_f + val_f else TEST) for g, p in pos.items()}

    if labels is not None:
        labels = np.asarray(labels)
        class_groups: dict[int, list[str]] = defaultdict(list)
        seen = set()
        for g, lab in zip(groups, labels):
            if (g, int(lab)) not in seen:
                seen.add((g, int(lab)))
                class_groups[int(lab)].append(g)
        for gs in class_groups.values():
            gs = sorted(set(gs), key=lambda g: pos[g])
            if len(gs) < 3:
                continue
            have = {group_split[g] for g in gs}
            # Take from the training groups with the highest positions: the ones nearest the thresholds.
            for wanted in (TEST, VAL):
                if wanted not in have:
                    movable = [g for g in gs if group_split[g] == TRAIN]
                    if len(movable) > 1:
                        group_split[movable[-1]] = wanted
                        have.add(wanted)
    return np.array([group_split[g] for g in groups], dtype=np.uint8)
