"""Plain words beside the terms of the trade on the pages a non-programmer uses (the vineyard re-walk): the numbers
stay, with what they mean. The Model page's network settings are core's own plain words
(``autosize.describe_knobs``: "width ×0.1, 128 final features"); the Compress table's rows are core's too
(``compress/compare.py``: "multiply-adds per answer (MACs)"); the Evaluate
page's scores and per-class headings."""

from __future__ import annotations

KNOB_TIP = ("Network settings: width ×N makes every layer N times as wide as the standard network (smaller is "
            "smaller and faster); final features: the size of the last layer before the answer; px: the pictures "
            "are shrunk to this size first.")
SCORE_WORDS = {"macro F1": "balanced over classes (macro F1)", "ROC AUC": "ranking (ROC AUC)"}
SCORE_TIPS = {     # what the two scores mean, in the words of core's results.md (results_files.write_results)
    "macro F1": "Balanced over classes (macro F1): every class counts the same, so the mistakes on a rare class "
                "weigh as much as on a common one (accuracy counts every sample the same). 100% is perfect.",
    "ROC AUC": "Ranking (ROC AUC): one class against the rest, averaged: how well the model's sureness puts "
               "the samples of a class above the others. 1.00 is perfect; 0.50 is no better than guessing.",
}
SCORE_LINE = "Macro F1: every class counts the same. ROC AUC: one class against the rest, averaged."
PER_CLASS_HEADINGS = ("class", "said right (precision)", "found (recall)", "samples")    # one line: the rows keep room
PER_CLASS_TIPS = ("",
                  "Said right (precision): of the samples the model called this class, the share that really are.",
                  "Found (recall): of the samples of this class, the share the model got right.",
                  "How many test samples of this class there are.")


def knob_tip(knobs: dict) -> str:
    """The network's settings in plain words (core's ``describe_knobs``), then as the zoo names them."""
    from edgeling.core.models.autosize import describe_knobs

    raw = describe_knobs(knobs or {}, plain=False)
    return f"{describe_knobs(knobs or {})}\n(as Edgeling's files name them: {raw})\n{KNOB_TIP}" if raw else ""


JARGON_TIPS = {     # terms in core's sentences (shared with the terminal, so not reworded here), said in a tooltip
    "MACs": "MACs (multiply-adds): the multiplications and additions the network does for one answer; fewer "
            "means a faster answer and less energy.",
}


def jargon_tip(*texts: str) -> str:
    """What the terms of ``JARGON_TIPS`` found in ``texts`` mean, one line each ("" when none is there)."""
    import re

    said = " ".join(t for t in texts if t)
    return "\n".join(tip for term, tip in JARGON_TIPS.items() if re.search(rf"\b{term}\b", said))
