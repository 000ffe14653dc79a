"""Recordings split within each class (the user walk: a maintenance engineer's pump recordings, one CSV per
recording in a folder per state): every state gets validation and test recordings, the split is the same every
time, and a new recording of one state moves no recording of another."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from edgeling.core.data.dataset import TEST, TRAIN, VAL
from edgeling.core.data.load import ImportOptions, open_dataset
from edgeling.core.data.timeseries import import_dataset
from tests.core.test_import_timeseries import PUMP, write_rec


def three_pump_states(root: Path, per_class=(4, 4, 4)) -> Path:
    for (state, freq), n in zip((("normal", 1.0), ("cavitation", 4.0), ("loose_mount", 7.0)), per_class):
        for i in range(n):
            write_rec(root / state / f"rec{i:02d}.csv", freq=freq, seed=100 * len(state) + i, seconds=8.0, time="ms")
    return root


def recordings_per_split(ds, c: int) -> list[tuple[int, int]]:
    """(split, how many recordings) for class ``c``; a recording's windows share one split."""
    parts = {s.split("#")[0]: int(p) for s, p, label in zip(ds.sources, ds.splits, ds.y) if label == c}
    return sorted(Counter(parts.values()).items())


def test_twelve_recordings_give_every_state_a_validation_and_a_test_recording(tmp_path):
    # hashing each recording on its own put all 12 in training: no score, nothing to evaluate or verify
    ds = import_dataset(three_pump_states(tmp_path / "d"), ImportOptions())
    assert ds.meta["recordings"] == 12
    for c, name in enumerate(ds.class_names):
        assert recordings_per_split(ds, c) == [(TRAIN, 2), (VAL, 1), (TEST, 1)], name
    assert not any(p.message.startswith("No example") for p in ds.report.problems)
    few = [p for p in ds.report.problems if "validation samples come from" in p.message]
    assert [p.message for p in few] == [
        "The validation samples come from only 3 recordings (1 of 'cavitation', 1 of 'loose_mount', 1 of "
        "'normal'), so the epoch Edgeling keeps (the one with the lowest validation loss) is chosen on very little "
        "and may be picked by luck rather than by how well the model does."]
    assert few[0].advice == ("Add recordings: with 17 or more per class, each class gets at least 2 in validation. "
                             "Until then, take the validation score as a rough guide.")
    assert few[0].severity == "warning"


def test_the_same_split_every_time_and_a_new_recording_moves_no_other_states(tmp_path):
    root = three_pump_states(tmp_path / "d", per_class=(12, 11, 11))
    first = import_dataset(root, ImportOptions())
    again = import_dataset(root, ImportOptions())
    assert first.sources == again.sources and np.array_equal(first.splits, again.splits)
    for c in range(3):  # 34 recordings: every state is tested and validated
        assert [part for part, _ in recordings_per_split(first, c)] == [TRAIN, VAL, TEST]
    write_rec(root / "cavitation" / "rec99.csv", freq=4.0, seed=999, seconds=8.0, time="ms")
    more = import_dataset(root, ImportOptions())
    before = dict(zip(first.sources, first.splits.tolist()))
    after = dict(zip(more.sources, more.splits.tolist()))
    others = [s for s in before if not s.startswith("cavitation/")]
    assert others and all(after[s] == before[s] for s in others)
    moved = {s.split("#")[0] for s in before if s.startswith("cavitation/") and after[s] != before[s]}
    assert len(moved) <= 2


def test_the_bundled_pump_sample_validates_and_tests_every_state(tmp_path, monkeypatch):
    # before: validation was a single loose_mount recording, so the best epoch was chosen on one state
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    ds = open_dataset(PUMP, options=ImportOptions())
    for c in range(3):  # 8 recordings per state: 6 to learn from, 1 to choose the best epoch, 1 to test
        assert recordings_per_split(ds, c) == [(TRAIN, 6), (VAL, 1), (TEST, 1)], ds.class_names[c]
    assert ds.split_counts() == {"train": 169, "validation": 29, "test": 28}
