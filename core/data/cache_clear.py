"""What Edgeling keeps in its cache folder, and deleting it.

The cache holds decoded copies of every dataset imported (``datasets/``: the pictures, clips, recordings or
rows as arrays, and the names of their files), scratch files of imports in progress (``scratch/``), sized
candidate networks (``candidates/``) and this computer's measured speed. It lies outside the project folders
(``~/.cache/edgeling`` on Linux, ``%LOCALAPPDATA%\\edgeling\\Cache`` on Windows, ``~/Library/Caches/edgeling``
on a Mac), so a person whose recordings must stay in one place (a clinic's) needs to know it is there and be
able to empty it: ``edgeling cache --clear``, or the app's File menu. Nothing in it is needed: every entry is
made again when the data is next opened (which then takes as long as the first import)."""

from __future__ import annotations

import shutil
from pathlib import Path

from edgeling.core.data.cache import cache_root

PARTS = ("datasets", "scratch", "candidates")


def _size(path: Path) -> tuple[int, int]:
    """(bytes, files) under ``path``."""
    total = files = 0
    for p in path.rglob("*"):
        try:
            if p.is_file():
                total += p.stat().st_size
                files += 1
        except OSError:
            continue
    return total, files


def cache_usage() -> dict:
    """``{"folder", "bytes", "datasets"}``: where the cache is, its size, and how many imports it holds."""
    root = cache_root()
    size, _ = _size(root) if root.is_dir() else (0, 0)
    data = root / "datasets"
    count = sum(1 for p in data.iterdir() if p.is_dir() and not p.name.startswith(".")) if data.is_dir() else 0
    return {"folder": str(root), "bytes": size, "datasets": count}


def clear_cache() -> dict:
    """Delete the cache's datasets, scratch files and sized candidates (the measured speed of this computer,
    a few bytes about the computer, is kept). Returns ``{"folder", "freed_bytes", "left"}``: ``left`` names
    what could not be deleted (a file open in a running import or training, on Windows)."""
    root = cache_root()
    freed, left = 0, []
    for part in PARTS:
        folder = root / part
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            size, _ = _size(entry) if entry.is_dir() else (entry.stat().st_size, 1)
            try:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
                freed += size
            except OSError:
                left.append(str(entry))
    return {"folder": str(root), "freed_bytes": freed, "left": left}
