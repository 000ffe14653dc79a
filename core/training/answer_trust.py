"""How far a model's answers can be taken at their word.

A classifier says how sure it is of each answer, and a person reads "ja (67% sure)" as two chances in three.
But a model trained with its rare class weighted up (as Edgeling trains unbalanced data, so that the rare class
is found at all) is surer of that class than it has a right to be: in the shop walk, of the 348 test orders it
answered "ja" (returned), 78 were, 22%, while it said 65% sure on average. The run's test results say how
often each answer was right (its precision); when that is well below how sure the model says it is on the files
just predicted, a note says so, in numbers, with what to do."""

from __future__ import annotations

OVERSURE = 0.2
"""Said when the model is on average this much surer of an answer than the answer was right in its test."""
MIN_ANSWERED = 5
"""A test where the model gave an answer fewer times than this says too little about how often it is right."""


def trust_notes(predictions: list[dict], metrics: dict | None) -> list[str]:
    """One note per answer the model gives here that is right far less often than it says (see above)."""
    from edgeling.core.results_words import samples_phrase

    per_class = (metrics or {}).get("per_class") or {}
    sure: dict[str, list[float]] = {}
    for p in predictions:
        if "label" in p and isinstance(p.get("confidence"), (int, float)):
            sure.setdefault(str(p["label"]), []).append(float(p["confidence"]))
    notes = []
    for label, confidences in sure.items():
        d = per_class.get(label) or {}
        precision, answered = d.get("precision"), d.get("predicted")
        if not isinstance(precision, (int, float)) or not isinstance(answered, int) or answered < MIN_ANSWERED:
            continue
        mean = sum(confidences) / len(confidences)
        if mean - precision < OVERSURE:
            continue
        right = round(precision * answered)
        notes.append(f"The answer '{label}' is right less often than the model says: on its "
                     f"{samples_phrase(metrics)}, {right} of the {answered} times it answered '{label}' were right "
                     f"({precision:.0%}), while here it says {mean:.0%} sure on average. Take '{label}' as one to "
                     "check, not as certain.")
    return notes
