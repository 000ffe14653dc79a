"""Evaluation metrics (numpy) agree with scikit-learn (a test-only dependency)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from edgeling.core.training import metrics as M


def random_probs(n, k, seed, skill=1.5):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), y] += skill
    return y, M.softmax(logits)


@pytest.mark.parametrize("k,seed", [(2, 0), (3, 1), (5, 2)])
def test_classification_metrics_match_sklearn(k, seed):
    y, p = random_probs(300, k, seed)
    names = [f"c{i}" for i in range(k)]
    m = M.classification_metrics(y, p, names, [f"f{i}.png" for i in range(300)], worst=5)
    pred = p.argmax(1)
    assert m["accuracy"] == pytest.approx(skm.accuracy_score(y, pred))
    assert m["macro_f1"] == pytest.approx(skm.f1_score(y, pred, average="macro"))
    assert m["confusion_matrix"] == skm.confusion_matrix(y, pred).tolist() and m["class_names"] == names
    sk_auc = skm.roc_auc_score(y, p[:, 1]) if k == 2 else skm.roc_auc_score(y, p, multi_class="ovr")
    assert m["roc_auc"] == pytest.approx(sk_auc)
    prec, rec, f1, sup = skm.precision_recall_fscore_support(y, pred, zero_division=0)
    for i, name in enumerate(names):
        c = m["per_class"][name]
        assert (c["precision"], c["recall"], c["f1"], c["support"]) == pytest.approx((prec[i], rec[i], f1[i], sup[i]))
    worst = m["worst_samples"]
    assert len(worst) == 5 and worst[0]["p_true"] == pytest.approx(p[np.arange(300), y].min())
    assert worst[0]["source"].endswith(".png") and worst[0]["p_true"] <= worst[-1]["p_true"]


def test_auc_with_ties_matches_sklearn():
    y = np.array([0, 0, 1, 1, 0, 1, 1, 0])
    s = np.array([0.1, 0.5, 0.5, 0.9, 0.5, 0.2, 0.9, 0.1])
    assert M.binary_auc(s, y == 1) == pytest.approx(skm.roc_auc_score(y, s))
    assert M.binary_auc(s, np.zeros(8, bool)) is None


def test_regression_metrics_match_sklearn():
    rng = np.random.default_rng(0)
    y = rng.normal(size=100)
    pred = y + rng.normal(scale=0.3, size=100)
    m = M.regression_metrics(y, pred, [f"t.csv#row={i}" for i in range(100)])
    assert m["mae"] == pytest.approx(skm.mean_absolute_error(y, pred))
    assert m["rmse"] == pytest.approx(np.sqrt(skm.mean_squared_error(y, pred)))
    assert m["r2"] == pytest.approx(skm.r2_score(y, pred))
    assert abs(m["worst_samples"][0]["error"]) == pytest.approx(np.abs(pred - y).max())


def test_class_missing_from_test_split_does_not_break_macro_f1():
    y = np.array([0, 0, 1, 1])
    p = np.array([[0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0.1, 0.8, 0.1], [0.3, 0.6, 0.1]])
    m = M.classification_metrics(y, p, ["a", "b", "c"], ["1", "2", "3", "4"])
    assert m["per_class"]["c"]["support"] == 0
    assert m["macro_f1"] == pytest.approx(np.mean([2 / 3, 0.8]))  # over the classes present


def test_most_confused_pairs_count_both_directions():
    from edgeling.core.training.metrics import most_confused

    cm = np.array([[5, 3, 0], [1, 6, 0], [0, 2, 7]])
    pairs = most_confused(cm, ["yes", "no", "up"])
    assert pairs[0] == {"classes": ["yes", "no"], "count": 4, "as_second": 3, "as_first": 1}
    assert pairs[1]["classes"] == ["no", "up"] and pairs[1]["count"] == 2
    assert len(pairs) == 2


def test_majority_baseline_is_the_most_common_class_share():
    y = np.array([1, 1, 1, 0, 2, 1])
    p = np.full((6, 3), 1 / 3)
    m = M.classification_metrics(y, p, ["oui", "non", "peut-être"], [str(i) for i in range(6)])
    assert m["majority_baseline"] == {"class": "non", "accuracy": pytest.approx(4 / 6), "tied": 1}
