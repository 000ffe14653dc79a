"""Sizes, times and network settings in words, as the plan, the app's Model and Compress pages and the export
say them ("6.4 KB", "1.2 ms", "width ×0.1, 128 final features"). Standard library only: the app imports it."""

from __future__ import annotations

import json


def format_bytes(n: float) -> str:
    if n >= 1024 ** 3:
        return f"{n / 1024 ** 3:.1f} GB"
    if n >= 1024 ** 2:
        return f"{n / 1024 ** 2:.1f} MB"
    if n < 1000:         # "128 bytes", not "0.1 KB" (the regression walk: the picture resize's two rows)
        return f"{max(0, round(n))} bytes"
    if n < 10 * 1024:    # "1.3 KB", as the Model page's table shows it (it said "1 KB" beside "1.3 KB")
        return f"{n / 1024:.1f} KB"
    return f"{round(n / 1024)} KB"


def format_ms(ms: float) -> str:
    """'0.04 ms', '1.6 ms', '38 ms', '1.2 s': two digits that count below 10 ms (the compress table had said
    "2 ms -> 1.00 ms, -36%" for 1.57 -> 1.00 ms)."""
    if ms < 1:
        return f"{ms:.2f} ms"
    if ms < 9.95:
        return f"{ms:.1f} ms"
    return f"{ms:.0f} ms" if ms < 999.5 else f"{ms / 1000:.1f} s"


KNOB_WORDS = {
    "alpha": "width ×{}", "width": "width {}", "last_channels": "{} final features", "resolution": "{} px pictures",
    "repeats": "{} repeated blocks", "n_mels": "{} frequency bands", "n_mfcc": "{} sound coefficients",
    "depth": "{} layers", "blocks": "{} blocks", "hidden": "{} hidden units", "kernel": "filters {} readings long",
    "n_bands": "{} frequency bands", "win_ms": "{:g} ms slices", "hop_ms": "every {:g} ms",
}
FEATURE_WORDS = {"logmel": "log-mel features", "mfcc": "MFCC features"}
NOT_SAID = {"dropout", "mel_scale"}
"""Settings the plain words leave out: nobody chooses them from the explanation ("mel_scale htk")."""
ORIENTATION_WORDS = {"axes": "each sensor axis as recorded", "axes+magnitude": "each sensor axis and its strength",
                     "invariant": "the same however the sensor is held"}
"""How 3-axis sensors enter the model, in words: 'invariant' is what a user asks for ('not care how it is held')."""
"""A network setting in plain words ("alpha 0.1" is "width ×0.1"); settings not listed keep their name."""


def describe_knobs(knobs: dict, plain: bool = True) -> str:
    """"width 16, logmel features, 32 frequency bands, ...": the knobs that make the model, not dropout nor
    one the model does not use (MFCC's count for log-mel features); ``plain`` False: as the zoo names them
    ("alpha 0.1, last_channels 128")."""
    unused = {"n_mfcc"} if knobs.get("features") == "logmel" else set()
    shown = {k: v for k, v in knobs.items()
             if k != "dropout" and k not in unused and v is not None and not isinstance(v, (dict, list))}
    if not plain:
        return ", ".join(f"{k} {v}" for k, v in shown.items())
    shown = {k: v for k, v in shown.items() if k not in NOT_SAID}

    def words(k, v) -> str:
        if k == "orientation" and v in ORIENTATION_WORDS:
            return ORIENTATION_WORDS[v]
        if k not in KNOB_WORDS or (k in ("win_ms", "hop_ms") and not isinstance(v, (int, float))):
            return FEATURE_WORDS.get(v, f"{v} features") if k == "features" else f"{k} {v}"
        said = KNOB_WORDS[k].format(v)
        return said[:-1] if v == 1 and said.endswith("s") and not said.startswith("width") else said   # 1 block
    return ", ".join(words(k, v) for k, v in shown.items())


def size_labels(candidates: list[dict]) -> list[str]:
    """A short name per candidate: its architecture and only the settings that change its size among the
    candidates of that architecture ("audio_cnn, width 8"), not every knob ("n_fft None, mel_scale htk")."""
    values: dict[str, dict[str, set]] = {}
    for c in candidates:
        for k, v in (c.get("knobs") or {}).items():
            values.setdefault(str(c.get("arch")), {}).setdefault(k, set()).add(json.dumps(v, sort_keys=True))
    labels = []
    for c in candidates:
        varying = values.get(str(c.get("arch")), {})
        shown = {k: v for k, v in (c.get("knobs") or {}).items() if len(varying.get(k, ())) > 1}
        labels.append(str(c.get("arch", "")) + ("" if not shown else ", " + describe_knobs(shown)))
    return labels


# ---- shape-only graphs for the cache -----------------------------------------------------------------
