"""The run picked on the Evaluate page whose folder was deleted (or moved) while the project was open: its results
stayed on the page, "Save results…" still wrote files for it and "Try it" answered "Train a model first" (the
robustness walk). Each action that needs the run says its folder is gone, naming it, and the page drops what it
showed of it (the run list is filled again, without it)."""

from __future__ import annotations

from edgeling.core.results_words import CROSSVAL_SPLIT


def picked_run_gone(page) -> str:
    """What to say when the run picked on ``page`` has lost its folder since the list was filled; "" when it
    is there (or none is picked)."""
    from edgeling.core.project import ProjectError
    from edgeling.gui.widgets.run_picker import run_missing

    rel, project = page.runs.currentData(), page.state.project
    if not rel or project is None:
        return ""
    entry = next((r for r in project.runs if r.get("folder") == rel), {"folder": rel})
    if not run_missing(project, entry):
        return ""
    try:
        where = str(project.path_in(rel))
    except ProjectError:
        where = str(rel)
    name = entry.get("id") or rel
    return (f"{name}'s folder {where} is gone (moved or deleted), so its results, trying a file with it and "
            "testing it are no longer possible. Put the folder back, or pick another run above.")


def refuse_if_gone(page, show) -> bool:
    """True (said with ``show``, and the page's run list filled again) when the picked run's folder is gone."""
    said = picked_run_gone(page)
    if not said:
        return False
    show(page, said)
    page.runs.refresh()       # the run is no longer listed: the page shows another run, or none
    if page.metrics.get("split") != CROSSVAL_SPLIT:
        page.load_metrics()
    return True
