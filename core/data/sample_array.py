"""The array an importer decodes samples into: in memory when it is small, a memory-mapped scratch file
under the cache folder when it is large, so a dataset bigger than RAM can still be imported.

On POSIX the scratch file is unlinked as soon as it is mapped: the disk space comes back when the array is
garbage-collected, and a crash leaves nothing behind. Where that is not possible (Windows), scratch files
older than a day are removed at the next import.
"""

from __future__ import annotations

import os
import tempfile
import time

import numpy as np

# Decode into a memory map instead of RAM above this many bytes (tests lower it to exercise the path).
MEMMAP_BYTES = 1 << 30
_STALE_S = 24 * 3600


def scratch_dir():
    from edgeling.core.data.cache import cache_root

    return cache_root() / "scratch"


def new_sample_array(shape: tuple[int, ...], dtype) -> np.ndarray:
    """A zero-filled array of ``shape``; a memory map when it would exceed ``MEMMAP_BYTES``."""
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if nbytes <= MEMMAP_BYTES:
        return np.zeros(shape, dtype=dtype)
    folder = scratch_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder)
    fd, name = tempfile.mkstemp(prefix="import-", suffix=".npy", dir=folder)
    os.close(fd)
    arr = np.lib.format.open_memmap(name, mode="w+", dtype=dtype, shape=tuple(shape))
    try:
        os.unlink(name)
    except OSError:  # pragma: no cover - Windows keeps mapped files; _remove_stale cleans up later
        pass
    return arr


def shrink(arr: np.ndarray, n: int) -> np.ndarray:
    """The first ``n`` samples of ``arr`` (a view for memory maps, so nothing is copied into RAM)."""
    if n == len(arr):
        return arr
    if isinstance(arr, np.memmap):
        return arr[:n]
    return np.ascontiguousarray(arr[:n])


def _remove_stale(folder) -> None:
    now = time.time()
    for entry in os.scandir(folder):
        try:
            if now - entry.stat().st_mtime > _STALE_S:
                os.unlink(entry.path)
        except OSError:
            pass
