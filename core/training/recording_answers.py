"""How often a model is right about whole recordings, when its samples are the clips (or windows) of recordings.

The beekeeper walk: every score was per 1 s clip ("85.9%, not clearly better than always answering 'queenright'")
while predict, the app's Try it and the box answer for a whole recording, by averaging its clips' answers: that
answer was right for all 6 test recordings, and nothing said so. A recording's answer here is made as predict makes
it: the mean of its clips' probabilities. A file whose samples hold several classes (a sensor file with
a label column) is left out: it has no one answer to be right about. numpy only.
"""

from __future__ import annotations

import numpy as np

MAX_LISTED = 20
"""Wrong recordings kept in the metrics (the surest first)."""


def whole_recordings(y_true, probs: np.ndarray, class_names: list[str], sources: list[str]) -> dict | None:
    """``{"count", "right", "accuracy", "wrong": [{"source", "true", "predicted", "confidence", "clips"}]}`` for
    the recordings the samples were cut from; None when the samples are not clips of recordings (no ``#t=`` in
    their sources) or each recording gave one sample (the numbers would be the samples' own)."""
    from edgeling.core.data.subjects import file_of

    if not len(sources) or not any("#t=" in str(s) for s in sources):
        return None
    y_true = np.asarray(y_true, np.int64)
    by_file: dict[str, list[int]] = {}
    for i, source in enumerate(sources):
        by_file.setdefault(file_of(str(source)), []).append(i)
    # a file of one class only: a sensor file with a label column (walk, run, sit) has no one answer to score,
    # and splitting it by the true labels made one up (the review: '3 of 3 right' where predict said 'run (34%)')
    groups = {(f, int(y_true[idx[0]])): idx for f, idx in by_file.items() if len(set(y_true[idx].tolist())) == 1}
    if not groups or len(groups) == sum(len(i) for i in groups.values()):
        return None
    right, wrong = 0, []
    for (file, label), idx in groups.items():
        mean = np.asarray(probs)[idx].mean(axis=0)
        said = int(mean.argmax())
        if said == label:
            right += 1
        else:
            wrong.append({"source": file, "true": class_names[label], "predicted": class_names[said],
                          "confidence": float(mean[said]), "clips": len(idx)})
    wrong.sort(key=lambda w: -w["confidence"])
    return {"count": len(groups), "right": right, "accuracy": right / len(groups), "wrong": wrong[:MAX_LISTED]}


def whole_recordings_sentence(metrics: dict) -> str | None:
    """'Whole recordings: 5 of 6 right (83%), each answered as predict answers it (the mean of its 1 s clips'
    answers); wrong: hive04_2026-06-28_1800.wav (swarming, said queenright).' or None."""
    rec = (metrics or {}).get("per_recording")
    if not isinstance(rec, dict) or not rec.get("count"):
        return None
    parts = "clips" if metrics.get("kind") == "audio" else "windows"
    said = (f"Whole recordings: {rec['right']} of {rec['count']} right ({rec['accuracy']:.0%}), each answered as "
            f"Try it and edgeling predict answer a recording, by the mean of its {parts}' answers (the numbers "
            f"above count each {parts[:-1]}).")
    wrong = rec.get("wrong") or []
    if wrong:
        shown = "; ".join(f"{w['source'].rsplit('/', 1)[-1]} (is {w['true']}, said {w['predicted']})" for w in wrong[:3])
        said += f" Wrong: {shown}" + (f"; and {len(wrong) - 3} more." if len(wrong) > 3 else ".")
    return said
