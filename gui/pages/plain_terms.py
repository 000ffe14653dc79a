"""Plain words beside the terms of the trade on the pages a non-programmer uses (the vineyard re-walk): the numbers
stay, with what they mean. The Model page's network settings ("alpha 0.1, last_channels 128" -> "width ×0.1,
128 final features"), the Compress table's rows ("MACs" -> "multiply-adds per answer (MACs)"), the Evaluate
page's scores and per-class headings."""

from __future__ import annotations

import re

KNOB_WORDS = {
    "alpha": "width ×{}", "width": "width {}", "last_channels": "{} final features", "resolution": "{} px pictures",
    "repeats": "{} repeated blocks", "n_mels": "{} frequency bands", "n_mfcc": "{} sound coefficients",
    "depth": "{} layers", "blocks": "{} blocks", "hidden": "{} hidden units",
}
KNOB_TIP = ("Network settings: width ×N makes every layer N times as wide as the standard network (smaller is "
            "smaller and faster); final features: the size of the last layer before the answer; px: the pictures "
            "are shrunk to this size first.")
ROW_WORDS = {"MACs": "multiply-adds per answer (MACs)", "macro-F1": "balanced over classes (macro F1)",
             "peak RAM": "RAM needed at most", "non-zero parameters": "parameters not zero"}
SCORE_WORDS = {"macro F1": "balanced over classes (macro F1)", "ROC AUC": "ranking (ROC AUC)"}
PER_CLASS_HEADINGS = ("class", "said right (precision)", "found (recall)", "samples")    # one line: the rows keep room
PER_CLASS_TIPS = ("",
                  "Said right (precision): of the samples the model called this class, the share that really are.",
                  "Found (recall): of the samples of this class, the share the model got right.",
                  "How many test samples of this class there are.")
_KNOB = re.compile(r"\b(" + "|".join(KNOB_WORDS) + r") (\d+(?:\.\d+)?)\b")


def plain_knobs(text: str) -> str:
    """Every 'alpha 0.1' / 'last_channels 128' in ``text`` in plain words; other words unchanged."""
    return _KNOB.sub(lambda m: KNOB_WORDS[m.group(1)].format(m.group(2)), text)


def knob_tip(knobs: dict) -> str:
    raw = ", ".join(f"{k} {v}" for k, v in (knobs or {}).items())
    plain = plain_knobs(raw)
    return f"{plain}\n(as the command line names them: {raw})\n{KNOB_TIP}" if raw else ""
