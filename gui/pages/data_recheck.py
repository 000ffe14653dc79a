"""Is the data the Data page shows still what is on disk? Photos deleted or added in a file manager after the
import left the page (and the Train page's counts) saying the old numbers and listing the deleted files until
the project was reopened (the vineyard walk: 608 pictures said, 598 trained on). Data not on this computer at
all (a project copied without its photos) is said in words (``data_not_here_words``).

The check is the import cache's own (``core.data.cache.files_stamp``: every file's path, size and
modification time, hashed): listing 6,000 files takes about 0.05 s, and nothing is decoded. Data that changed
is read again by the page's usual import (from the cache when a training already read the new files)."""

from __future__ import annotations

from pathlib import Path


def files_stamp(path: str | Path) -> str | None:
    """A short hash of the names, sizes and times of the files an import of ``path`` reads; None when they
    cannot be listed (the folder is gone, or cannot be read)."""
    from edgeling.core.data.cache import files_stamp as stamp

    p = Path(path).expanduser()
    if not p.exists():
        return None
    try:
        return stamp(p)
    except OSError:
        return None


def run_sample_count(project, entry: dict) -> int | None:
    """How many samples the run of ``entry`` was trained on (its run.json), None when it does not say."""
    from edgeling.core.project import ProjectError
    from edgeling.core.runs import read_config

    try:
        config = read_config(project.run_folder(entry)) or {}
        count = (config.get("dataset") or {}).get("num_samples")
    except (OSError, ValueError, AttributeError, KeyError, TypeError, ProjectError):
        return None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def reread_failed_words(name: str, first: str) -> str:
    """The status line when data whose files changed could not be read again."""
    return (f"The files in {name} changed since they were read, and reading them again failed: {first} The data "
            "below is as it was before the change.")


def data_place(project) -> Path:
    """Where the project's data is on this computer (a path saved relative is inside the project folder)."""
    path = Path(str(project.data.get("path")))
    return path if path.is_absolute() else project.folder / path


def data_not_here_words(project, where: Path) -> str:
    """The Data page's words for a project whose data is not on this computer (copied to another one without
    its photos, or the folder was moved): what still works with the runs' own samples, and how to point to
    the data again."""
    from edgeling.core.run_samples import has_run_samples
    from edgeling.gui.widgets.run_picker import run_missing

    what = "file" if where.suffix.lower() in (".csv", ".tsv", ".txt") else "folder"
    said = [f"The data {what} {where} is not on this computer (it was not copied with the project, or it was "
            "moved or renamed)."]
    runs = [r for r in project.runs if r.get("status") == "finished" and not run_missing(project, r)]
    kept = [r for r in runs if has_run_samples(project.run_folder(r))]
    names = [str(r.get("id")) for r in runs if r not in kept]
    if runs and not names:
        said.append("The trained runs can still be evaluated and exported: each run keeps the test samples it "
                    "is measured on.")
    elif kept:
        said.append(f"{_names(kept)} can still be evaluated and exported (each keeps its own test samples); "
                    f"{', '.join(names)} need{'s' * (len(names) == 1)} the data.")
    elif runs:
        said.append("The runs were trained before runs kept their own test samples, so evaluating and "
                    "exporting them needs the data too.")
    said.append(f"To train, or to compress with pruning or re-training, choose the {what} again above "
                f"({'Choose a CSV file…' if what == 'file' else 'Choose a folder…'}), wherever it is now.")
    return " ".join(said)


def _names(runs: list[dict]) -> str:
    ids = [str(r.get("id")) for r in runs]
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} and {ids[-1]}"
