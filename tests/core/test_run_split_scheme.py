"""The split scheme is an import option recorded in every run: a run trained before splits were drawn within
each class (run.json without "split" in its import options) reopens its data with the per-file split it was
trained on, so its test samples are the ones it never learnt from, nothing says "the data changed", and it
resumes; a new run records "per-class" and is evaluated on it."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from edgeling.core import runs
from edgeling.core.data.dataset import TEST, TRAIN, VAL, DataError
from edgeling.core.data.load import ImportOptions, open_dataset
from edgeling.core.data.splits import PER_CLASS, PER_FILE, assign_splits, assign_splits_per_file
from edgeling.core.jobs.train_job import train_run
from edgeling.core.training.evaluate import PREDICTIONS_FILE, evaluate_run, open_run_dataset
from edgeling.core.training.other_files import LabelledSamples, samples_learnt_from
from tests.core.test_splits_per_class import recordings_per_split, three_pump_states
from tests.core.training_fixtures import ZOO, make_table_csv


@pytest.fixture(autouse=True)
def _one_thread(tmp_path, monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EDGELING_LOG_DIR", str(tmp_path / "logs"))


def table(tmp_path):
    data = tmp_path / "data.csv"
    make_table_csv(data, n=120)
    return data


def train(data, run, epochs: int = 2, **params):
    result = train_run(data, run, epochs=epochs, zoo=ZOO, threads=1, **params)
    assert result["status"] == "finished", result
    return result


def make_old_run(data, run, epochs: int = 2):
    """A run as Edgeling trained it before the split was an import option: on the per-file split, with no
    "split" in run.json's import options."""
    train(data, run, epochs, import_options={"split": PER_FILE})
    path = run / runs.RUN_FILE
    config = json.loads(path.read_text())
    del config["import_options"]["split"]
    path.write_text(json.dumps(config))
    return run


def held_out_sources(ds, splits) -> list[str]:
    return sorted(s for s, part in zip(ds.sources, np.asarray(splits).tolist()) if part == TEST)


def evaluated_sources(run) -> list[str]:
    return sorted(e["source"] for e in json.loads((run / PREDICTIONS_FILE).read_text())["samples"])


def test_per_file_and_per_class_are_import_options_cached_apart(tmp_path):
    data = table(tmp_path)
    per_class = open_dataset(data)
    per_file = open_dataset(data, options=ImportOptions(split=PER_FILE))
    assert per_class.sources == per_file.sources and np.array_equal(per_class.y, per_file.y)
    assert np.array_equal(per_class.splits, assign_splits(per_class.groups, per_class.y))
    assert np.array_equal(per_file.splits, assign_splits_per_file(per_file.groups))
    assert held_out_sources(per_class, per_class.splits) != held_out_sources(per_file, per_file.splits)
    # None is the default, per-class: both name one cache entry, and the second import is a cache hit
    again = open_dataset(data, options=ImportOptions(split=PER_CLASS))
    assert np.array_equal(again.splits, per_class.splits)
    assert len([p for p in (tmp_path / "cache" / "datasets").iterdir() if not p.name.startswith(".")]) == 2
    with pytest.raises(DataError, match="choose per-class or per-file"):
        open_dataset(data, options=ImportOptions(split="per-speaker"))


def test_recordings_split_per_file_when_asked(tmp_path):
    # the sensor importer is not told the scheme: open_dataset sets it for the import
    root = three_pump_states(tmp_path / "d")
    old = open_dataset(root, options=ImportOptions(split=PER_FILE))
    assert np.array_equal(old.splits, assign_splits_per_file(old.groups))
    assert old.class_names == ["cavitation", "loose_mount", "normal"]
    # as before splits were drawn within each class: 'normal' all in training, two classes untested
    assert [recordings_per_split(old, c) for c in range(3)] == [[(TRAIN, 3), (TEST, 1)], [(TRAIN, 3), (VAL, 1)],
                                                                [(TRAIN, 4)]]
    missing = [p for p in old.report.problems if p.message.startswith("No example")]
    assert [p.message.split(" is in")[0] for p in missing] == ["No example of 'cavitation', 'normal'",
                                                                "No example of 'loose_mount', 'normal'"]
    assert all(p.message.endswith("This run was trained before Edgeling split each class on its own, and keeps "
                                  "the split it had: each recording was sent to a split on its own, so a small "
                                  "class can get none.") for p in missing)
    assert all(p.advice == "Train a new run: it splits each class on its own, so a class with 2 or more "
               "recordings has one in the test, and with 3 or more one in validation too." for p in missing)
    new = open_dataset(root)
    for c in range(3):
        assert recordings_per_split(new, c) == [(TRAIN, 2), (VAL, 1), (TEST, 1)]


def test_a_new_run_records_per_class_and_is_evaluated_on_it(tmp_path):
    data = table(tmp_path)
    run = tmp_path / "runs" / "new"
    train(data, run)
    config = runs.load_run(run).config
    assert config["import_options"] == {"split": PER_CLASS}
    ds = open_dataset(data)
    assert evaluated_sources(run) == held_out_sources(ds, assign_splits(ds.groups, ds.y))
    assert "note" not in evaluate_run(run, write=False)


def test_a_run_from_before_is_evaluated_on_the_per_file_split_it_was_trained_with(tmp_path):
    data = table(tmp_path)
    run = make_old_run(data, tmp_path / "runs" / "old")
    config = runs.load_run(run).config
    assert "split" not in config["import_options"]
    ds = open_run_dataset(runs.load_run(run))
    assert runs.dataset_fingerprint(ds) == config["dataset"]["fingerprint"]
    fresh = open_dataset(data)
    legacy = held_out_sources(fresh, assign_splits_per_file(fresh.groups))
    assert held_out_sources(ds, ds.splits) == legacy != held_out_sources(fresh, fresh.splits)

    metrics = evaluate_run(run)
    assert "note" not in metrics  # was: 'The data changed since this run was trained' (no file changed)
    assert evaluated_sources(run) == legacy
    assert "split" not in runs.load_run(run).config["import_options"]  # evaluating rewrites no run.json


def test_evaluate_on_other_files_counts_what_an_old_run_learnt_from_on_its_own_split(tmp_path):
    data = table(tmp_path)
    run = make_old_run(data, tmp_path / "runs" / "old")
    ds = open_dataset(data)
    old, new = assign_splits_per_file(ds.groups), np.asarray(ds.splits)
    tested_then = np.flatnonzero((old == TEST) & (new != TEST))  # learnt from, on the per-class split
    learnt_then = np.flatnonzero((old != TEST) & (new == TEST))
    assert len(tested_then) and len(learnt_then)

    def copied(idx) -> LabelledSamples:
        return LabelledSamples(x=np.asarray(ds.x)[idx], y=np.asarray(ds.y)[idx], sources=[ds.sources[i] for i in idx])

    assert samples_learnt_from(run, copied(tested_then)) == {"checked": True, "count": 0, "examples": []}
    assert samples_learnt_from(run, copied(learnt_then))["count"] == len(learnt_then)


def test_a_run_from_before_resumes_on_its_split_and_records_it(tmp_path):
    data = table(tmp_path)
    run = make_old_run(data, tmp_path / "runs" / "old", epochs=1)
    fingerprint = runs.load_run(run).config["dataset"]["fingerprint"]
    result = train(data, run, epochs=2)  # was: 'The files in ... changed since this run started'
    assert result["epochs_done"] == 2 and "note" not in evaluate_run(run, write=False)
    config = runs.load_run(run).config
    assert config["import_options"] == {"split": PER_FILE}
    assert config["dataset"]["fingerprint"] == fingerprint
    fresh = open_dataset(data)
    assert evaluated_sources(run) == held_out_sources(fresh, assign_splits_per_file(fresh.groups))
