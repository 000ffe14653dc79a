"""Evaluation metrics in numpy (no scikit-learn at run time)."""

from __future__ import annotations

import numpy as np


def confusion_matrix(y_true, y_pred, num_classes: int) -> np.ndarray:
    """Rows: true class, columns: predicted class."""
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (np.asarray(y_true, np.int64), np.asarray(y_pred, np.int64)), 1)
    return cm


def shown_scores(d: dict) -> dict:
    """A class's precision / recall / F1 for people: None where it means nothing (no test sample of the
    class: recall and F1; never predicted: precision), where the stored numbers say 0 as scikit-learn does."""
    no_samples = d.get("support") == 0
    never_said = d.get("predicted", 1) == 0
    return {"precision": None if never_said else d.get("precision"),
            "recall": None if no_samples else d.get("recall"),
            "f1": None if no_samples else d.get("f1")}


def per_class_scores(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """precision, recall, f1, support per class (0 where undefined, as scikit-learn's zero_division=0)."""
    tp = np.diag(cm).astype(np.float64)
    pred = cm.sum(0).astype(np.float64)
    support = cm.sum(1).astype(np.float64)
    precision = np.divide(tp, pred, out=np.zeros_like(tp), where=pred > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    return precision, recall, f1, support.astype(np.int64)


def binary_auc(scores, positive) -> float | None:
    """Area under the ROC curve (Mann-Whitney U with average ranks for ties); None if one class only."""
    scores = np.asarray(scores, np.float64)
    positive = np.asarray(positive, bool)
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    ranks = np.empty(len(scores), np.float64)
    # average rank within runs of equal scores
    boundaries = np.flatnonzero(np.diff(sorted_scores)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(scores)]))
    for s, e in zip(starts, ends):
        ranks[order[s:e]] = (s + e - 1) / 2.0 + 1
    u = ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def roc_auc_ovr(y_true, probs: np.ndarray) -> float | None:
    """Macro one-vs-rest ROC-AUC over the classes present in ``y_true`` with at least one negative."""
    y_true = np.asarray(y_true, np.int64)
    if probs.shape[1] == 2:
        return binary_auc(probs[:, 1], y_true == 1)
    aucs = [binary_auc(probs[:, k], y_true == k) for k in range(probs.shape[1])]
    aucs = [a for a in aucs if a is not None]
    return float(np.mean(aucs)) if aucs else None


def classification_metrics(y_true, probs: np.ndarray, class_names: list[str], sources: list[str],
                           worst: int = 10) -> dict:
    y_true = np.asarray(y_true, np.int64)
    pred = probs.argmax(1)
    p_true = probs[np.arange(len(y_true)), y_true] if len(y_true) else np.zeros(0)
    order = np.argsort(p_true, kind="mergesort")[:worst]
    sure = probs[np.arange(len(pred)), pred] if len(pred) else np.zeros(0)
    wrong = np.flatnonzero(pred != y_true)
    wrong = wrong[np.argsort(-sure[wrong], kind="mergesort")][:MAX_WRONG_LISTED]

    def sample(i: int) -> dict:
        return {"source": sources[i], "true": class_names[y_true[i]], "predicted": class_names[pred[i]],
                "p_true": float(p_true[i]), "confidence": float(sure[i])}
    from edgeling.core.training.recording_answers import whole_recordings

    recordings = whole_recordings(y_true, probs, class_names, sources)
    return {
        **label_metrics(y_true, pred, class_names, sources),
        "roc_auc": roc_auc_ovr(y_true, probs) if len(y_true) else None,
        "worst_samples": [sample(i) for i in order],
        "wrong_samples": [sample(i) for i in wrong],     # every wrong answer (up to 100), the surest first
        **({"per_recording": recordings} if recordings else {}),    # what predict answers for a whole recording
    }


MAX_WRONG_LISTED = 100
"""Wrong answers kept in the metrics, surest first: what results.md and the app list to look at."""


def label_metrics(y_true, pred, class_names: list[str], sources: list[str]) -> dict:
    """Everything a classifier's answers alone give (no probabilities): accuracy and its range, per-class
    scores, the confusion matrix, the pairs most mixed up, the most-common-class yardstick."""
    y_true, pred = np.asarray(y_true, np.int64), np.asarray(pred, np.int64)
    cm = confusion_matrix(y_true, pred, len(class_names))
    precision, recall, f1, support = per_class_scores(cm)
    present = support > 0
    return {
        "task": "classification",
        "num_samples": int(len(y_true)),
        "accuracy": float((pred == y_true).mean()) if len(y_true) else None,
        "accuracy_range": list(accuracy_range(float((pred == y_true).mean()), independent_samples(sources)))
        if len(y_true) else None,
        "recordings": recordings_of(sources),
        "macro_f1": float(f1[present].mean()) if present.any() else None,
        "per_class": {name: {"precision": float(precision[i]), "recall": float(recall[i]),
                             "f1": float(f1[i]), "support": int(support[i]),
                             "predicted": int(cm[:, i].sum())}
                      for i, name in enumerate(class_names)},
        "class_names": list(class_names),
        "confusion_matrix": cm.tolist(),
        "most_confused": most_confused(cm, class_names),
        # the yardstick a non-programmer needs: always answering the most common class scores this much
        "majority_baseline": ({"class": class_names[int(support.argmax())],
                               "accuracy": float(support.max() / support.sum()),
                               "tied": int((support == support.max()).sum())} if support.sum() else None),
    }


def accuracy_range(accuracy: float, n: int, z: float = 1.959964) -> tuple[float, float] | None:
    """The 95% range (Wilson score interval) of the accuracy on new samples like the ``n`` test samples
    when ``accuracy`` of them were right; None without samples. 56 of 59 right (94.9%): 86.1% to 98.3%."""
    if not n:
        return None
    p = min(max(float(accuracy), 0.0), 1.0)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def recordings_of(sources: list[str]) -> int | None:
    """How many recordings windows were cut from ("pump.csv#t=2.00" is a window of pump.csv); None when the
    samples are not windows."""
    files = {str(s).partition("#t=")[0] for s in sources if "#t=" in str(s)}
    return len(files) or None


def per_subject_right(sources: list[str], right, subjects: list[str],
                      by_file: dict[str, str] | None = None) -> dict[str, dict[str, int]]:
    """For each of ``subjects`` (the speakers or machines held out for the test), how many of its test
    samples there are and how many the model got right: ``{"child16": {"samples": 18, "right": 17}}``.
    ``by_file``: who each file is, from a label sheet (``subjects.subject_among``)."""
    from edgeling.core.data.subjects import subject_among

    out = {name: {"samples": 0, "right": 0} for name in subjects}
    for source, ok in zip(sources, np.asarray(right, bool).tolist()):
        name = subject_among(source, out, by_file)
        if name in out:
            out[name]["samples"] += 1
            out[name]["right"] += int(ok)
    return {name: d for name, d in out.items() if d["samples"]}


def clustered_samples(per_subject: dict[str, dict[str, int]]) -> float | None:
    """How many independent samples the test is worth when its samples come from a few speakers (machines):
    one speaker's clips are alike, so 72 clips of 4 children are not 72 chances. The design effect
    1 + (m - 1) * ICC, the intra-class correlation read from how much the speakers' accuracies differ beyond
    chance; never fewer than the speakers, never more than the samples. None without samples."""
    counts = [(d["samples"], d["right"]) for d in per_subject.values() if d.get("samples")]
    n = sum(m for m, _ in counts)
    if not n:
        return None
    p = sum(k for _, k in counts) / n
    if len(counts) < 2 or p in (0.0, 1.0):
        return float(n) if len(counts) >= 2 else 1.0
    m_mean = n / len(counts)
    rates = np.array([k / m for m, k in counts])
    weights = np.array([m for m, _ in counts], float)
    between = float(np.average((rates - p) ** 2, weights=weights)) - p * (1 - p) / m_mean
    icc = min(max(between / (p * (1 - p)), 0.0), 1.0)
    return float(min(n, max(len(counts), n / (1 + (m_mean - 1) * icc))))


def independent_samples(sources: list[str]) -> int:
    """The number of samples a 95% range may count: each recording once when the samples are its windows
    (overlapping windows of one recording are alike, so 253 windows of 6 recordings are not 253 chances)."""
    return recordings_of(sources) or len(sources)


def most_confused(cm: np.ndarray, class_names: list[str], top: int = 5) -> list[dict]:
    """The class pairs mixed up most often (either way round), largest first: what a user fixes next."""
    cm = np.asarray(cm)
    pairs = []
    for i in range(len(class_names)):
        for j in range(i + 1, len(class_names)):
            both = int(cm[i, j] + cm[j, i])
            if both:
                pairs.append({"classes": [class_names[i], class_names[j]], "count": both,
                              "as_second": int(cm[i, j]), "as_first": int(cm[j, i])})
    pairs.sort(key=lambda p: -p["count"])
    return pairs[:top]


def regression_metrics(y_true, y_pred, sources: list[str], worst: int = 10) -> dict:
    y_true = np.asarray(y_true, np.float64).reshape(-1)
    y_pred = np.asarray(y_pred, np.float64).reshape(-1)
    err = y_pred - y_true
    ss_tot = float(((y_true - y_true.mean()) ** 2).sum()) if len(y_true) else 0.0
    order = np.argsort(-np.abs(err), kind="mergesort")[:worst]
    return {
        "task": "regression",
        "num_samples": int(len(y_true)),
        "mae": float(np.abs(err).mean()) if len(err) else None,
        "rmse": float(np.sqrt((err ** 2).mean())) if len(err) else None,
        "r2": float(1 - (err ** 2).sum() / ss_tot) if ss_tot > 0 else None,
        "worst_samples": [{"source": sources[i], "true": float(y_true[i]), "predicted": float(y_pred[i]),
                           "error": float(err[i])} for i in order],
    }


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)
