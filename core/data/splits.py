"""Train / validation / test splits that stay put, with every class in every split when it can be.

The *unit* of a split is a group: the hash of a file's content (so exact copies share a split), the
recording a window was cut from (so a recording's overlapping windows never straddle training and test), or
a table row's content. Samples that share a group always share a split, so nothing leaks from training into
the test score.

For a classification, the units are split within each class (stratified): a class's units are ordered by
a stable hash of the group and the seed (as Speech Commands does with file-name hashes); the lowest go to
training, the next to validation and the highest to the test, in counts set by the size of that class
alone (``class_split_counts``): 80% / 10% / 10%, except that a class with 3 or more units always has one or
more in validation and in the test (2 units: one for training, one for the test; 1 unit: training). So 12
recordings of 3 pump states give every state a validation and a test recording (drawing each unit's split
from its own hash alone put all 12 of one user's recordings in training, and can leave a whole class out of
the test set of a bigger project).

Stability: a class's split depends only on its own units, so adding or removing a file of one class never
moves a file of another class, and adding one to a class moves at most two of that class's other units
(one across each cut, when a count steps up). A regression (no classes) keeps the plain hash: each unit's
split is a pure function of its group and the seed, so adding files never moves one.

When file names say who was recorded (a speaker, a machine), whole subjects are split instead, cut at
exact fractions of the subjects (``subjects.py``); a class left with no validation or test sample is
reported (``checks.py``).

The scheme is an import option (``ImportOptions.split``): "per-class" above, the default, or "per-file",
the plain hash for every unit, classes or not, which is how every split was drawn before the per-class one
(commit f5059ed). A run records its scheme in run.json, and a run recorded without one was trained on
"per-file": reopening its data with it gives exactly the training, validation and test samples it had.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import math
from collections import Counter, defaultdict
from fractions import Fraction

import numpy as np

from edgeling.core.data.dataset import TEST, TRAIN, VAL, DataError

DEFAULT_FRACTIONS = (0.8, 0.1, 0.1)
PER_CLASS = "per-class"  # within each class (the default since commit f5059ed)
PER_FILE = "per-file"    # each unit by its own hash (every run before: run.json without a "split")
SPLIT_SCHEMES = (PER_CLASS, PER_FILE)
DEFAULT_SPLIT = PER_CLASS

_import_split: contextvars.ContextVar[str] = contextvars.ContextVar("edgeling_import_split", default=DEFAULT_SPLIT)


def check_scheme(scheme: str | None) -> str:
    """The scheme ``scheme`` names (None: the default), or DataError saying which ones there are."""
    if scheme is None:
        return DEFAULT_SPLIT
    if scheme not in SPLIT_SCHEMES:
        raise DataError(f"Unknown way to split the samples {scheme!r}: choose {' or '.join(SPLIT_SCHEMES)} "
                        f"({PER_CLASS} splits each class's files 80/10/10; {PER_FILE} sends each file to a "
                        "split on its own, as Edgeling did before it split within each class).")
    return scheme


@contextlib.contextmanager
def import_split(scheme: str | None):
    """Within this block, an import that is not told its scheme (``finish_dataset(split=None)``) uses
    ``scheme``: ``load.open_dataset`` wraps every import in it, for the importers that do not pass it on."""
    token = _import_split.set(check_scheme(scheme))
    try:
        yield
    finally:
        _import_split.reset(token)


def current_split() -> str:
    """The scheme of the import in progress (the default outside ``import_split``)."""
    return _import_split.get()


def group_position(group: str, seed: int = 0) -> float:
    """A stable number in [0, 1) for a group identity."""
    digest = hashlib.sha1(f"{seed}:{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


@functools.lru_cache(maxsize=256)
def class_split_counts(n: int, fractions: tuple[float, float, float] = DEFAULT_FRACTIONS) -> tuple[int, int, int]:
    """(train, validation, test) unit counts for a class of ``n`` units.

    The units are handed out one at a time: the first to training, the second to the test, the third to
    validation (so 2 units give 1 / 0 / 1 and 3 give 1 / 1 / 1), and each further one to the split
    furthest below its fraction of the units so far (ties: test, then validation). So every count is
    within one unit of its fraction (65 units: 52 / 6 / 7; 100: 80 / 10 / 10), and no count ever goes down
    when the class grows: adding a unit moves each cut between splits by at most one place."""
    scale = 10**6
    weight = [Fraction(f).limit_denominator(scale) for f in fractions]
    denominator = math.lcm(*(w.denominator for w in weight))
    weight = [int(w * denominator) for w in weight]
    counts = [0, 0, 0]
    firsts = [TRAIN] + [s for s in (TEST, VAL) if weight[s] > 0]
    for k in range(1, n + 1):
        if k <= len(firsts):
            split = firsts[k - 1]
        else:  # max() keeps the first of equals: test, then validation, then training
            split = max((TEST, VAL, TRAIN), key=lambda s: weight[s] * k - counts[s] * denominator)
        counts[split] += 1
    return counts[TRAIN], counts[VAL], counts[TEST]


def _hash_split(position: float, fractions: tuple[float, float, float]) -> int:
    train_f, val_f, _ = fractions
    return TRAIN if position < train_f else VAL if position < train_f + val_f else TEST


def group_labels(groups: list[str], labels) -> dict[str, int]:
    """Each group's class: the label most of its samples have (a recording's windows share one; copies of
    one file under two labels go with the more common one, the lower class index on a tie)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for g, label in zip(groups, np.asarray(labels).tolist()):
        counts[g][int(label)] += 1
    return {g: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for g, c in counts.items()}


def assign_splits_per_file(groups: list[str], seed: int = 0,
                           fractions: tuple[float, float, float] = DEFAULT_FRACTIONS) -> np.ndarray:
    """The "per-file" scheme, as every split was drawn before the per-class one: each group's split is a
    pure function of the group and the seed, whatever its class."""
    group_split = {g: _hash_split(group_position(g, seed), fractions) for g in set(groups)}
    return np.array([group_split[g] for g in groups], dtype=np.uint8)


def assign_splits(groups: list[str], labels: np.ndarray | None = None, seed: int = 0,
                  fractions: tuple[float, float, float] = DEFAULT_FRACTIONS, scheme: str = DEFAULT_SPLIT) -> np.ndarray:
    """Split per sample (TRAIN / VAL / TEST) from group identities. With ``labels`` (a classification) the
    groups are split within each class (see the module docstring); without (a regression), or with
    ``scheme`` "per-file", each group's split is a pure function of the group and the seed."""
    if labels is None or check_scheme(scheme) == PER_FILE:
        return assign_splits_per_file(groups, seed, fractions)
    by_class: dict[int, list[str]] = defaultdict(list)
    for g, label in group_labels(groups, labels).items():
        by_class[label].append(g)
    group_split = {}
    for units in by_class.values():
        units.sort(key=lambda g: (group_position(g, seed), g))
        n_train, n_val, _ = class_split_counts(len(units), fractions)
        for i, g in enumerate(units):
            group_split[g] = TRAIN if i < n_train else VAL if i < n_train + n_val else TEST
    return np.array([group_split[g] for g in groups], dtype=np.uint8)
