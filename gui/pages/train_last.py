"""The Train page of a project that opens: the curves of its last training run, read back from the run's
history.json (one entry per epoch: loss, accuracy, val_loss, val_accuracy), and its finished sentence from its
metrics.json, as the page showed them when that run ended (it showed empty charts, "The loss curve appears here
while a model trains", after the vineyard technician reopened her project)."""

from __future__ import annotations

import math

from edgeling.core.fileio import read_json
from edgeling.core.project import ProjectError
from edgeling.core.runs import HISTORY_FILE, METRICS_FILE, kept_epoch, read_config


def last_trained_run(project) -> dict | None:
    """The project's newest training run (not a compression) that finished or stopped, or None."""
    for entry in reversed(list(project.runs) if project is not None else []):
        if not entry.get("compressed_from") and entry.get("status") in ("finished", "stopped", "interrupted"):
            return entry
    return None


def _read(path, kind):
    try:
        value = read_json(path)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, kind) else None


def show_last_run(page, project) -> bool:
    """Draw ``project``'s last training run on the Train ``page`` (its curves and what its end said); False
    when there is none to show (no run, or its history cannot be read)."""
    from edgeling.gui.pages.train_words import finished_words

    entry = last_trained_run(project)
    try:
        folder = project.run_folder(entry) if entry else None
    except (ProjectError, KeyError, TypeError):
        folder = None
    history = _read(folder / HISTORY_FILE, list) if folder is not None else None
    epochs = [h for h in history or [] if isinstance(h, dict) and isinstance(h.get("epoch"), int)]
    if not epochs:
        return False
    config = read_config(folder) or {}
    planned = (config.get("hyper") or {}).get("epochs")
    draw_history(page.curves, epochs, planned if isinstance(planned, int) and planned > 0 else len(epochs),
                 first_of(config, entry))
    name = entry.get("id") or folder.name
    if entry.get("status") == "finished":
        best = config.get("best_epoch")
        best = best + 1 if isinstance(best, int) and not isinstance(best, bool) else None
        said = finished_words(_read(folder / "metrics.json", dict) or {}, planned, best)
        page.status.setText(" ".join(filter(None, [f"{name}: {said}", test_caveat(folder)])))
    else:     # "interrupted": the window closed, or the app was ended, mid-run; no Stop was pressed
        how = "was interrupted" if entry.get("status") == "interrupted" else "stopped"
        page.status.setText(f"{name} {how} after {len(epochs)} finished epoch{'s' * (len(epochs) != 1)}; Resume "
                            "last run carries on from there.")
    return True


def test_caveat(folder) -> str:
    """What the run's data report (run.json's ``data_problems``) says about its test score when the test split
    holds windows of machines (or clips of speakers) the model also learnt from, in core's own words (the last
    clause of its finding: "The test score is measured on machines the model also learnt from, and one it never
    met may score lower."); "" otherwise. The pump walk read "test accuracy 100.0%." with no word of it."""
    from edgeling.core.data.subject_findings import test_caveat as core_caveat

    config = read_config(folder) if folder is not None else None
    return core_caveat((config or {}).get("data_problems") or [], ((config or {}).get("dataset") or {}).get("kind", ""),
                       ((config or {}).get("spec") or {}).get("meta"))


def run_history(folder) -> list[dict]:
    """The finished epochs of the run in ``folder`` (its history.json), [] when there are none or it cannot be
    read."""
    history = _read(folder / HISTORY_FILE, list) if folder is not None else None
    return [h for h in history or [] if isinstance(h, dict) and isinstance(h.get("epoch"), int)]


FIRST_BATCH = "first_batch"
"""The run's entry in the project keeps its first batch's scores ({"steps", "loss", "accuracy"}): history.json has
one average an epoch, drawn at the epoch's end, so a reopened run's training curves started at epoch 1 where they
had started at epoch 0 (the pump walk: the loss began at 0.52 instead of 1.1, on another scale)."""


def run_config(folder) -> dict:
    """The run's run.json ({} when it cannot be read)."""
    return read_config(folder) or {} if folder is not None else {}


def first_of(config: dict, entry: dict | None) -> dict | None:
    """The run's first batch: run.json's (``first_batch``, written by core since, so a run trained in the
    terminal has it too), else what the project's entry kept."""
    got = (config or {}).get(FIRST_BATCH)
    return got if isinstance(got, dict) else (entry or {}).get(FIRST_BATCH)


def first_batch(steps_per_epoch: int, logs: dict) -> dict:
    """What ``FIRST_BATCH`` keeps of the first batch's logs: the numbers the training curves draw."""
    kept = {k: float(v) for k, v in logs.items() if k in ("loss", "accuracy") and isinstance(v, (int, float))
            and not isinstance(v, bool) and math.isfinite(v)}
    return {"steps": max(1, int(steps_per_epoch)), **kept} if kept else {}


def draw_history(curves, epochs: list[dict], planned: int, first: dict | None = None) -> None:
    """``epochs`` (history.json's entries) on ``curves``, the x axis fixed to ``planned`` epochs; ``first``:
    the run's first batch (``FIRST_BATCH``), drawn where the live curves drew it, near epoch 0."""
    curves.clear_data()
    curves.set_epochs(planned)
    if isinstance(first, dict) and isinstance(first.get("steps"), int) and epochs and epochs[0].get("epoch") == 0:
        curves.add_batch(0, 0, first["steps"], first)
    for h in epochs:
        curves.add_batch(h["epoch"], 0, 1, h)     # the training curves: one point at each epoch's end
        curves.add_epoch(h["epoch"], h)
    curves.redraw(force=True)


def best_of(epochs: list[dict], kept: int | None = None) -> dict:
    """The validation accuracy of the epoch whose model the run keeps (its best.pt, which is evaluated,
    compressed and exported) and that epoch counted from 1: ``{"val_accuracy", "epoch"}``, or {} when unknown.
    ``kept``: run.json's ``best_epoch`` (history.json's epoch index, from 0) when known; otherwise the epoch
    core keeps (``core.runs.kept_epoch``): the lowest validation loss, the first of equal ones.
    Not the highest validation accuracy: that epoch's model is not the one kept."""
    if not (isinstance(kept, int) and not isinstance(kept, bool) and kept >= 0):
        kept = kept_epoch(epochs)
    chosen = next((h for h in epochs if h.get("epoch") == kept), None)
    va = chosen.get("val_accuracy") if chosen is not None else None
    return {"val_accuracy": float(va), "epoch": chosen["epoch"] + 1} if isinstance(va, (int, float)) else {}


SCORES = ("accuracy", "macro_f1", "roc_auc", "mae", "rmse", "r2")


def kept_scores(project) -> bool:
    """Give each training run of ``project`` its kept model's validation accuracy (``best_of``), read from its
    run.json and history.json (runs recorded before held the highest of all epochs instead: 71.1% where the
    kept model had 62.8%), and its test scores from its metrics.json (the review: after `train --more` in a
    terminal, the run pickers said the old model's 62.0% beside the new kept epoch). True when an entry changed."""
    changed = False
    for entry in list(project.runs) if project is not None else []:
        if entry.get("compressed_from") or entry.get("status") == "running":
            continue
        try:
            folder = project.run_folder(entry)
        except (ProjectError, KeyError, TypeError):
            continue
        kept = best_of(run_history(folder), (read_config(folder) or {}).get("best_epoch"))
        metrics = _read(folder / METRICS_FILE, dict) or {}
        kept.update({k: float(metrics[k]) for k in SCORES
                     if isinstance(metrics.get(k), (int, float)) and not isinstance(metrics.get(k), bool)})
        if kept.get("accuracy") is not None and metrics.get("split") == "validation":
            kept["split"] = "validation"      # measured on the validation samples: not said as a test score
        best = entry.get("best") if isinstance(entry.get("best"), dict) else {}
        if kept and {k: best.get(k) for k in kept} != kept:
            entry["best"] = {**best, **kept}
            changed = True
    return changed


def resume_target(project) -> dict | None:
    """The run Resume carries on: the project's newest training run (compressed runs do not resume)."""
    trained = [r for r in (project.runs if project is not None else []) if not r.get("compressed_from")]
    return trained[-1] if trained else None


def planned_epochs(project, entry: dict) -> int | None:
    """How many epochs ``entry``'s run was asked for: run.json's, else what the project recorded."""
    try:
        config = read_config(project.run_folder(entry)) or {}
    except (ProjectError, KeyError, TypeError):
        config = {}
    planned = (config.get("hyper") or {}).get("epochs", entry.get("epochs"))
    return planned if isinstance(planned, int) and not isinstance(planned, bool) and planned > 0 else None


def nothing_to_resume(project, wanted: int) -> str:
    """Why Resume would do nothing, in words, or "": the last run finished and ``wanted`` epochs are no more
    than it was asked for (the training job then only says it is already trained: the walk saw the charts
    cleared, "Training started." and "finished" two seconds later)."""
    entry = resume_target(project)
    if entry is None or entry.get("status") != "finished":
        return ""
    planned = planned_epochs(project, entry)
    if planned is None or wanted > planned:
        return ""
    name = entry.get("id") or "The last run"
    return (f"{name} already finished its {planned} epoch{'s' * (planned != 1)}. To train it further, raise "
            f"Epochs above {planned} and press Resume; or press Start training for a new run.")
