"""Each window of a recording named with its end, as the test split names it: "Test on other files" answers a
window by its start alone ("pump6_rec01.csv#t=0.00"), so the Evaluate list read "cavitation/pump6_rec01.csv from
0.0 s: is cavitation" under "… from 3.0 s to 4.0 s" for the test split's windows (the pump walk). The run's
window length (run.json) gives the end."""

from __future__ import annotations

from edgeling.core.fileio import read_json


def run_window_s(folder) -> float | None:
    """The length in seconds of the windows the run in ``folder`` was trained on, or None (not a recording)."""
    try:
        config = read_json(folder / "run.json")
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(config, dict):
        return None
    for where in (((config.get("spec") or {}).get("meta") or {}), config.get("import_options") or {}):
        value = where.get("window_s") if isinstance(where, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return float(value)
    return None


def with_window_ends(samples: list, window_s: float | None) -> list:
    """``samples`` with each window named by its start alone ("a.csv#t=3.00") given its end ("a.csv#t=3.00-4.00")."""
    if not window_s:
        return samples
    out = []
    for s in samples:
        source = str(s.get("source", "")) if isinstance(s, dict) else ""
        file, found, span = source.partition("#t=")
        if found and "-" not in span:
            try:
                start = float(span)
            except ValueError:
                start = None
            if start is not None:
                s = dict(s, source=f"{file}#t={start:.2f}-{start + window_s:.2f}")
        out.append(s)
    return out
