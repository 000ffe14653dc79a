"""predictions.json: one entry per evaluated sample, so the app can list the samples behind a confusion
matrix cell (classification) or draw true vs predicted (regression)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from edgeling.core.fileio import read_json
from edgeling.core.training.evaluate import PREDICTIONS_FILE, write_predictions


def test_classification_entries_match_the_argmax(tmp_path):
    ds = SimpleNamespace(task="classification", root="/data/pics", class_names=["cat", "dog"])
    logits = np.array([[2.0, 0.0], [0.0, 3.0], [1.0, 0.5]], np.float32)
    write_predictions(tmp_path, ds, ["a.png", "b.png", "c.png"], np.array([0, 0, 1]), logits, "test")
    p = read_json(tmp_path / PREDICTIONS_FILE)
    assert p["task"] == "classification" and p["root"] == "/data/pics" and p["split"] == "test"
    assert [(s["source"], s["true"], s["predicted"]) for s in p["samples"]] == [
        ("a.png", 0, 0), ("b.png", 0, 1), ("c.png", 1, 0)]
    assert abs(p["samples"][1]["confidence"] - float(np.exp(3) / (1 + np.exp(3)))) < 1e-3


def test_regression_entries_hold_both_values(tmp_path):
    ds = SimpleNamespace(task="regression", root="/data/t.csv", class_names=[])
    write_predictions(tmp_path, ds, ["row 1", "row 2"], np.array([1.5, 2.0]), np.array([[1.0], [2.5]]), "validation")
    p = read_json(tmp_path / PREDICTIONS_FILE)
    assert p["samples"] == [{"source": "row 1", "true": 1.5, "predicted": 1.0},
                            {"source": "row 2", "true": 2.0, "predicted": 2.5}]
