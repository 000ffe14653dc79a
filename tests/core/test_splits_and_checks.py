"""Splits stay put when files are added, duplicates never straddle splits, shared checks speak plainly."""

from __future__ import annotations

import numpy as np
import pytest

from edgeling.core.data import report as R
from edgeling.core.data.checks import finish_dataset
from edgeling.core.data.dataset import TEST, TRAIN, VAL, DataError
from edgeling.core.data.splits import assign_splits


def _groups(n, prefix="f"):
    return [f"{prefix}{i}" for i in range(n)]


def test_adding_samples_never_moves_existing_ones():
    groups = _groups(500)
    labels = np.arange(500) % 5
    before = assign_splits(groups, labels, seed=3)
    more = groups + _groups(300, prefix="new")
    after = assign_splits(more, np.arange(800) % 5, seed=3)
    assert np.array_equal(before, after[:500])


def test_fractions_are_roughly_stratified_per_class():
    groups = _groups(3000)
    labels = np.arange(3000) % 3
    s = assign_splits(groups, labels)
    for c in range(3):
        frac = np.bincount(s[labels == c], minlength=3) / 1000
        assert abs(frac[TRAIN] - 0.8) < 0.05 and abs(frac[VAL] - 0.1) < 0.04 and abs(frac[TEST] - 0.1) < 0.04


def test_small_class_splits_do_not_move_when_files_are_added():
    small = _groups(5, "small")
    before = assign_splits(small + _groups(200, "big"), np.array([0] * 5 + [1] * 200), seed=0)
    for extra in range(1, 30):
        groups = small + _groups(extra, "more") + _groups(200, "big")
        after = assign_splits(groups, np.array([0] * (5 + extra) + [1] * 200), seed=0)
        assert np.array_equal(after[:5], before[:5])


def test_a_class_missing_from_the_test_set_is_reported():
    # 3 samples of class b: find a seed where none of them hashes into the test split
    y = [0] * 40 + [1] * 12
    groups = _groups(52)
    ds = _finish(y, groups)
    test_b = int(((ds.splits == TEST) & (np.asarray(y) == 1)).sum())
    messages = " ".join(p.message for p in ds.report.by_code(R.TOO_FEW_SAMPLES))
    assert ("is in the test set" in messages) == (test_b == 0)


def test_samples_sharing_a_group_share_a_split():
    groups = [f"g{i % 50}" for i in range(400)]
    s = assign_splits(groups, np.zeros(400, dtype=int))
    for g in set(groups):
        assert len({int(s[i]) for i in range(400) if groups[i] == g}) == 1


def test_seed_changes_the_split():
    groups = _groups(200)
    assert not np.array_equal(assign_splits(groups, seed=0), assign_splits(groups, seed=1))


def _finish(y, groups, names=("a", "b")):
    n = len(y)
    return finish_dataset(kind="table", task="classification", x=np.zeros((n, 2), np.float32),
                          y=np.asarray(y), class_names=list(names), sources=[f"s{i}" for i in range(n)],
                          groups=groups, root="/data", meta={}, report=R.Report())


def test_one_class_only_is_an_error_in_plain_words():
    with pytest.raises(DataError, match="only one class"):
        _finish([0] * 20, _groups(20))


def test_no_samples_is_an_error():
    with pytest.raises(DataError, match="No usable samples"):
        _finish([], [])


def test_duplicates_across_labels_are_reported_and_kept_together():
    y = [0] * 30 + [1] * 30
    groups = _groups(60)
    groups[45] = groups[3]  # the same content under label a (3) and label b (45)
    groups[10] = groups[11]  # a plain duplicate within label a
    ds = _finish(y, groups)
    codes = ds.report.codes()
    assert R.DUPLICATE_ACROSS_LABELS in codes and R.DUPLICATE in codes
    across = ds.report.by_code(R.DUPLICATE_ACROSS_LABELS)[0]
    assert "s3" in across.files[0] and "s45" in across.files[0]
    assert ds.splits[3] == ds.splits[45]


def test_imbalance_and_too_few_are_reported():
    ds = _finish([0] * 100 + [1] * 4, _groups(104))
    codes = ds.report.codes()
    assert R.CLASS_IMBALANCE in codes and R.TOO_FEW_SAMPLES in codes
    assert "'b' (4)" in ds.report.by_code(R.TOO_FEW_SAMPLES)[0].message
