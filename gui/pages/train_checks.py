"""What the Train page checks before a run starts, and its words when a check fails: the data must be on this
computer (the robustness walk: with the data folder deleted, Start training stayed enabled, each press added an
empty "failed" run and the error's details were a traceback), and the project folder must be writable (a
read-only one gave "this is a bug … Your project is saved", which it was not)."""

from __future__ import annotations

from pathlib import Path


def data_gone_words(project) -> str:
    """Why training cannot start when the project's data is not on this computer, and what to do; "" when it
    is there (or none is chosen yet: the page asks for it)."""
    from edgeling.gui.pages.data_recheck import data_place

    if project is None or not project.data.get("path"):
        return ""
    where = data_place(project)
    if where.exists():
        return ""
    what = "file" if where.suffix.lower() in (".csv", ".tsv", ".txt") else "folder"
    return (f"Training needs the data, and the data {what} {where} is not on this computer (moved, renamed or "
            f"deleted). Choose the {what} again on the Data page, wherever it is now, then train.")


def cannot_write_words(folder: Path, err: OSError) -> str:
    """Why a run folder could not be made under the project ``folder``, and what to do. Nothing was saved."""
    from edgeling.core.fileio import FULL, NOT_WRITABLE, disk_problem

    problem = disk_problem(err)            # core sorts them, for every page and command alike
    if problem == NOT_WRITABLE:
        return (f"Training cannot start: the project folder {folder} cannot be written (it is read-only, or you "
                "have no permission to write there), so nothing was saved and no run was made. Copy the project "
                "folder to a folder you can write, such as Documents, and open it there (Home page, Open a "
                "project folder…).")
    if problem == FULL:
        return (f"Training cannot start: the disk holding the project folder {folder} is full, so no run was "
                "made. Free some space on it, then press Start training again.")
    reason = err.strerror or str(err)
    return (f"Training cannot start: a run folder could not be made in the project folder {folder} ({reason}), "
            "so no run was made. Check that the folder still exists and can be written, then try again.")


RESUME_WORDS = {"data": "on", "device": "for the device", "model": "as the model"}


def changed_since(run_dir: Path, project) -> list[tuple[str, str, str]]:
    """What the project now asks that the run was not trained with (core's ``changed_settings``, the check
    the training job makes too); [] when the run cannot be read (the job then says why)."""
    from edgeling.core.runs import RunError, changed_settings, load_run

    try:
        run = load_run(run_dir)
    except RunError:
        return []
    return changed_settings(run, project.data.get("path"), project.device, (project.model or {}).get("arch"))
