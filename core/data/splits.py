"""Train / validation / test splits that stay put.

A sample's split is a pure function of its *group* (its identity: the hash of a file's content, or the
recording a window was cut from) and the seed, as Speech Commands does with file-name hashes. Adding files
never moves an existing sample, and samples that share a group (exact duplicates, the overlapping windows
of one recording) always share a split, so nothing leaks from training into the test score.

Hashing gives each class roughly the requested fractions (stratified in expectation). There is
deliberately no "at least one test sample per class" adjustment: any such rule depends on which other files
exist, so adding files would move samples (measured: up to 2 in 3 samples of a 5-sample class moved).
A class with no validation or test sample is reported instead (checks.py).

When file names say who was recorded (a speaker, a machine), whole subjects are split instead, cut at
exact fractions of the subjects (``subjects.py``).
"""

from __future__ import annotations

import hashlib

import numpy as np

from edgeling.core.data.dataset import TEST, TRAIN, VAL

DEFAULT_FRACTIONS = (0.8, 0.1, 0.1)


def group_position(group: str, seed: int = 0) -> float:
    """A stable number in [0, 1) for a group identity."""
    digest = hashlib.sha1(f"{seed}:{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def assign_splits(groups: list[str], labels: np.ndarray | None = None, seed: int = 0,
                  fractions: tuple[float, float, float] = DEFAULT_FRACTIONS) -> np.ndarray:
    """Split per sample (TRAIN / VAL / TEST) from group identities. ``labels`` is accepted for callers that
    pass it but does not change the result: a split depends only on the group and the seed."""
    train_f, val_f, _ = fractions
    pos = {g: group_position(g, seed) for g in set(groups)}
    group_split = {g: (TRAIN if p < train_f else VAL if p < train_f + val_f else TEST) for g, p in pos.items()}

    return np.array([group_split[g] for g in groups], dtype=np.uint8)
