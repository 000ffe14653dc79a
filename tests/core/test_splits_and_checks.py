"""Splits: every class in every split when it has the files, other classes stay put when files are added,\nduplicates never straddle splits; shared checks speak plainly."""

from __future__ import annotations

import numpy as np
import pytest

from edgeling.core.data import report as R
from edgeling.core.data.checks import finish_dataset
from edgeling.core.data.dataset import TEST, TRAIN, VAL, DataError
from edgeling.core.data.splits import DEFAULT_FRACTIONS, assign_splits, class_split_counts


def _groups(n, prefix="f"):
    return [f"{prefix}{i}" for i in range(n)]


def test_adding_samples_never_moves_existing_ones_in_a_regression():
    groups = _groups(500)
    before = assign_splits(groups, seed=3)  # no labels (a regression): the plain hash of each group
    after = assign_splits(groups + _groups(300, prefix="new"), seed=3)
    assert np.array_equal(before, after[:500])


def test_adding_files_to_one_class_never_moves_another_classes_files():
    groups = _groups(500)
    labels = np.arange(500) % 5
    before = assign_splits(groups, labels, seed=3)
    after = assign_splits(groups + _groups(300, prefix="new"), np.concatenate([labels, np.full(300, 2)]), seed=3)
    assert np.array_equal(before[labels != 2], after[:500][labels != 2])


def test_adding_one_file_moves_at_most_two_files_of_its_class():
    previous = assign_splits(_groups(3, "small") + _groups(200, "big"), np.array([0] * 3 + [1] * 200), seed=0)
    for n in range(4, 40):
        groups = _groups(n, "small") + _groups(200, "big")
        now = assign_splits(groups, np.array([0] * n + [1] * 200), seed=0)
        assert np.array_equal(now[n:], previous[n - 1:])                # the other class stays put
        assert int((now[:n - 1] != previous[:n - 1]).sum()) <= 2, n    # one across each cut at most
        counts = np.bincount(now[:n], minlength=3)
        assert tuple(counts.tolist()) == class_split_counts(n) and counts[VAL] >= 1 and counts[TEST] >= 1
        previous = now


def test_fractions_are_stratified_per_class():
    groups = _groups(3000)
    labels = np.arange(3000) % 3
    s = assign_splits(groups, labels)
    for c in range(3):
        assert np.bincount(s[labels == c], minlength=3).tolist() == [800, 100, 100]


def test_every_class_with_three_files_gets_validation_and_test():
    assert [class_split_counts(n) for n in range(6)] == [(0, 0, 0), (1, 0, 0), (1, 0, 1), (1, 1, 1), (2, 1, 1),
                                                         (3, 1, 1)]
    assert class_split_counts(65) == (52, 6, 7) and class_split_counts(180) == (144, 18, 18)
    counts = [class_split_counts(n) for n in range(1, 400)]
    assert all(b[k] >= a[k] for a, b in zip(counts, counts[1:]) for k in range(3))  # never go down
    assert all(abs(c[k] - f * n) < 1 for n, c in enumerate(counts[20:], 21)
               for k, f in enumerate(DEFAULT_FRACTIONS))
    # 12 recordings, 4 of each pump state (the user walk's project): every state in every split
    groups = [f"pump-{state}-{i}" for state in range(3) for i in range(4)]
    labels = np.repeat(np.arange(3), 4)
    s = assign_splits(groups, labels)
    for c in range(3):
        assert np.bincount(s[labels == c], minlength=3).tolist() == [2, 1, 1]


def test_the_same_split_every_time_and_a_files_split_follows_its_content_not_its_place():
    groups = _groups(60)
    labels = np.arange(60) % 3
    first = assign_splits(groups, labels, seed=5)
    assert np.array_equal(first, assign_splits(groups, labels, seed=5))
    order = np.random.default_rng(0).permutation(60)
    shuffled = assign_splits([groups[i] for i in order], labels[order], seed=5)
    assert np.array_equal(shuffled, first[order])


def test_a_class_with_too_few_files_is_reported_missing_from_validation_and_test():
    # 'b' has one file: it is learnt from, but neither chooses the best epoch nor is tested
    ds = _finish([0] * 40 + [1], _groups(41), kind="images")
    assert ds.splits[40] == TRAIN
    messages = [p.message for p in ds.report.by_code(R.TOO_FEW_SAMPLES)]
    assert ("No example of 'b' is in the validation samples, so the best epoch is chosen without it. Each file "
            "goes whole to one split, and 'b' (1 file) has too few: a class needs 3 or more.") in messages
    assert ("No example of 'b' is in the test set, so the test score says nothing about how well the model "
            "recognises it. Each file goes whole to one split, and 'b' (1 file) has too few: a class needs 2 "
            "or more.") in messages
    # two rows of 'b': one is tested, none left for validation; a table's unit is a row
    ds = _finish([0] * 40 + [1] * 2, _groups(42))
    problems = ds.report.by_code(R.TOO_FEW_SAMPLES)
    assert sorted(ds.splits[40:].tolist()) == [TRAIN, TEST]
    assert not any("is in the test set" in p.message for p in problems)
    validation = [p for p in problems if "is in the validation samples" in p.message]
    assert len(validation) == 1 and "'b' (2 rows) has too few" in validation[0].message
    assert validation[0].advice == ("Add rows of that class: with 2 or more, one goes to the test; with 3 or "
                                    "more, one also goes to validation.")


def test_validation_on_very_few_files_is_reported():
    def few(ds):
        return [p for p in ds.report.by_code(R.TOO_FEW_SAMPLES) if "validation samples come from" in p.message]

    # 12 files per class: 1 of each in validation
    ds = _finish([0] * 12 + [1] * 12, _groups(24), kind="images")
    assert [p.message for p in few(ds)] == [
        "The validation samples come from only 2 files (1 of 'a', 1 of 'b'), so the epoch Edgeling keeps (the "
        "one with the lowest validation loss) is chosen on very little and may be picked by luck rather than by "
        "how well the model does."]
    assert few(ds)[0].advice.startswith("Add files: with 17 or more per class, each class gets at least 2 in validation.")
    assert class_split_counts(17)[VAL] == 2 and class_split_counts(16)[VAL] == 1
    assert not few(_finish([0] * 20 + [1] * 20, _groups(40), kind="images"))
    # the windows of one recording count once: 12 recordings of 5 windows each still give 2 in validation
    y = [0] * 60 + [1] * 60
    ds = _finish(y, [f"rec{i // 5}" for i in range(120)], kind="timeseries")
    assert "only 2 recordings (1 of 'a', 1 of 'b')" in few(ds)[0].message


@pytest.mark.parametrize("who,split", [(0, TRAIN), (15, TEST)])
def test_a_class_left_out_of_a_split_by_whole_speakers_is_reported(who, split):
    # 24 children say 'oui' and 'non'; only one also says 'stop', so all of 'stop' is in that child's split
    sources, y = [], []
    for child in range(24):
        for k, word in enumerate(["oui", "non"] + (["stop"] * 3 if child == who else [])):
            sources.append(f"{word}/enfant{child:02d}_{k}.wav")
            y.append(["oui", "non", "stop"].index(word))
    n = len(y)
    ds = finish_dataset(kind="audio", task="classification", x=np.zeros((n, 4), np.float32), y=np.asarray(y),
                        class_names=["oui", "non", "stop"], sources=sources, groups=[f"h{i}" for i in range(n)],
                        root="/data", meta={}, report=R.Report())
    assert ds.meta["subjects"]["count"] == 24
    assert {int(s) for s, label in zip(ds.splits, y) if label == 2} == {split}  # the child's files stay together
    messages = [p.message for p in ds.report.by_code(R.TOO_FEW_SAMPLES) if p.message.startswith("No example")]
    if split == TRAIN:
        assert messages == [
            "No example of 'stop' is in the validation samples, so the best epoch is chosen without it. Each "
            "speaker's or machine's files are kept together in one split, and none of those set aside for "
            "validation has an example of that class.",
            "No example of 'stop' is in the test set, so the test score says nothing about how well the model "
            "recognises it. Each speaker's or machine's files are kept together in one split, and none of those "
            "set aside for the test has an example of that class."]
    else:  # not learnt at all: said once, not again for validation (speakers, not files, are the unit here)
        assert len(messages) == 1 and messages[0].startswith("No example of 'stop' is in the training set")


def test_samples_sharing_a_group_share_a_split():
    groups = [f"g{i % 50}" for i in range(400)]
    s = assign_splits(groups, np.zeros(400, dtype=int))
    for g in set(groups):
        assert len({int(s[i]) for i in range(400) if groups[i] == g}) == 1


def test_seed_changes_the_split():
    groups = _groups(200)
    assert not np.array_equal(assign_splits(groups, seed=0), assign_splits(groups, seed=1))
    labels = np.arange(200) % 4
    assert not np.array_equal(assign_splits(groups, labels, seed=0), assign_splits(groups, labels, seed=1))


def _finish(y, groups, names=("a", "b"), kind="table"):
    n = len(y)
    return finish_dataset(kind=kind, task="classification", x=np.zeros((n, 2), np.float32),
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
    # the vineyard walk: what became of the copies was said for near-copies, not for exact ones
    assert across.message.endswith("Until you delete one, both copies are kept, each under its label, and in the "
                                   "same split.")


def test_imbalance_and_too_few_are_reported():
    ds = _finish([0] * 100 + [1] * 4, _groups(104))
    codes = ds.report.codes()
    assert R.CLASS_IMBALANCE in codes and R.TOO_FEW_SAMPLES in codes
    assert "'b' (4)" in ds.report.by_code(R.TOO_FEW_SAMPLES)[0].message
