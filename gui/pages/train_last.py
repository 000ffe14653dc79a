"""The Train page of a project that opens: the curves of its last training run, read back from the run's
history.json (one entry per epoch: loss, accuracy, val_loss, val_accuracy), and its finished sentence from its
metrics.json, as the page showed them when that run ended (it showed empty charts, "The loss curve appears here
while a model trains", after the vineyard technician reopened her project)."""

from __future__ import annotations

from edgeling.core.fileio import read_json
from edgeling.core.project import ProjectError
from edgeling.core.runs import HISTORY_FILE, RUN_FILE


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
    from edgeling.gui.pages.train import finished_words

    entry = last_trained_run(project)
    try:
        folder = project.run_folder(entry) if entry else None
    except (ProjectError, KeyError, TypeError):
        folder = None
    history = _read(folder / HISTORY_FILE, list) if folder is not None else None
    epochs = [h for h in history or [] if isinstance(h, dict) and isinstance(h.get("epoch"), int)]
    if not epochs:
        return False
    config = _read(folder / RUN_FILE, dict) or {}
    planned = (config.get("hyper") or {}).get("epochs")
    curves = page.curves
    curves.clear_data()
    curves.set_epochs(planned if isinstance(planned, int) and planned > 0 else len(epochs))
    for h in epochs:
        curves.add_batch(h["epoch"], 0, 1, h)     # the training curves: one point at each epoch's end
        curves.add_epoch(h["epoch"], h)
    curves.redraw(force=True)
    name = entry.get("id") or folder.name
    if entry.get("status") == "finished":
        best = config.get("best_epoch")
        best = best + 1 if isinstance(best, int) and not isinstance(best, bool) else None
        said = finished_words(_read(folder / "metrics.json", dict) or {}, planned, best)
        page.status.setText(f"{name}: {said}")
    else:
        page.status.setText(f"{name} stopped after {len(epochs)} epoch{'s' * (len(epochs) != 1)}; Resume last run "
                            "carries on from there.")
    return True
