"""The temporary folders of an export (its candidate file, ONNX quantization's files) in one folder Edgeling
owns, ``<cache>/export-tmp``. The app's Stop kills the export's process, so no clean-up of its own runs (the
review found a model-sized folder left in the system's temp folder after every Stop, which nothing ever
removed; Windows does not clear %TEMP% by itself): each new export clears what is left there from an hour
ago or longer."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

SCRATCH_FOLDER = "export-tmp"
LEFTOVER_AGE_S = 3600
"""A temporary folder older than this is a killed export's leftover (a running export's is younger)."""


def scratch_root() -> Path:
    from edgeling.core.data.cache import cache_root

    return cache_root() / SCRATCH_FOLDER


def clear_leftovers(folder: Path, pattern: str = "*", max_age_s: float = LEFTOVER_AGE_S) -> None:
    """Remove what matches ``pattern`` in ``folder`` and was last changed ``max_age_s`` ago or longer."""
    cutoff = time.time() - max_age_s
    try:
        found = list(Path(folder).glob(pattern))
    except OSError:
        return
    for p in found:
        try:
            if p.lstat().st_mtime > cutoff:
                continue
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink()
        except OSError:
            continue


@contextlib.contextmanager
def export_temp_dir(prefix: str) -> Iterator[Path]:
    """A new temporary folder under ``scratch_root()`` (the system's temp folder when the cache cannot be
    written), removed afterwards; older leftovers there are cleared first."""
    root: Path | None = scratch_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        clear_leftovers(root)
    except OSError:
        root = None
    with tempfile.TemporaryDirectory(prefix=prefix, dir=os.fspath(root) if root is not None else None) as tmp:
        yield Path(tmp)
