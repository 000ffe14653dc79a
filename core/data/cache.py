"""Decoded datasets cached on disk, so reopening is fast and a large dataset is memory-mapped.

The key covers every input file's relative path, size and modification time, the importer's version and
the import options: change any file, add one, or change an option, and the key changes. Arrays are stored
as ``.npy`` files and reopened with ``mmap_mode="r"``, so a dataset larger than memory is paged in as
needed rather than loaded whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from edgeling.core.data.dataset import Dataset
from edgeling.core.data.report import Report

CACHE_FORMAT = 11  # 3: splits keep a speaker's / machine's files together (data/subjects.py); 4: read the
#                 subject without the class folder's name (pump3_normal_01 in normal/), never IMG_ / dates;
#                 5: class folders named alike in two Unicode forms (NFC, a Mac's NFD) are one class;
#                 6: splits drawn within each class (data/splits.py), new split checks in the report;
#                 7: names alike in the natural order ('Yes', 'yes'; '1.png', '01.png') ordered by their
#                 letters, not by the process's hashing or the folder listing (data/ordering.py);
#                 8: a label CSV's labels differing only in capitals are reported (image importer);
#                 9: a date after the subject is not part of it (pump3_2026-03-01_rec02), meta few_subjects;
#                 10: info.json names its import (config): older imports of it are removed when stored;
#                 11: the date after pump_3_ is taken off too (subjects._without_trailing_date)


def cache_root() -> Path:
    env = os.environ.get("EDGELING_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("edgeling", appauthor=False))


def list_input_files(path: Path) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every file an import of ``path`` reads, sorted."""
    path = Path(path)
    if path.is_file():
        st = path.stat()
        return [(path.name, st.st_size, st.st_mtime_ns)]
    out = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, path)  # once per folder: relpath per file dominated reopen time
        prefix = "" if rel_dir == "." else rel_dir + os.sep
        for name in filenames:
            if name.startswith("."):
                continue
            try:
                st = os.stat(os.path.join(dirpath, name))
            except OSError:
                continue
            out.append((prefix + name, st.st_size, st.st_mtime_ns))
    out.sort()
    return out


def import_config(path: Path, kind: str, options: dict) -> str:
    """What an import is of (the folder, the kind, the options), whatever its files and Edgeling's version:
    entries with the same config and another key are older imports of it, never read again (``store``)."""
    return hashlib.sha256(json.dumps({"root": str(Path(path).resolve()), "kind": kind, "options": options},
                                     sort_keys=True).encode()).hexdigest()[:32]


def files_stamp(path: Path) -> str:
    """A short hash of the names, sizes and modification times of every file an import of ``path`` reads: it
    changes when a file is added, removed, renamed or saved again. Listing 6,000 files takes about 0.05 s;
    nothing is decoded. The import cache's key holds it; the app's Data page compares it to see the data
    changed on disk. OSError when the files cannot be listed."""
    h = hashlib.sha256()
    for rel, size, mtime in list_input_files(path):
        h.update(f"{rel}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:32]


def cache_key(path: Path, kind: str, options: dict, importer_version: int) -> str:
    h = hashlib.sha256()
    h.update(json.dumps({"format": CACHE_FORMAT, "root": str(Path(path).resolve()), "kind": kind,
                         "options": options, "importer": importer_version}, sort_keys=True).encode())
    h.update(files_stamp(path).encode())
    return h.hexdigest()[:32]


def load_cached(key: str) -> Dataset | None:
    folder = cache_root() / "datasets" / key
    info_path = folder / "info.json"
    if not info_path.is_file():
        return None
    try:
        with open(info_path, encoding="utf-8") as f:
            info = json.load(f)
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
                  for name in ("x", "y", "splits")}
        with open(folder / "lists.json", encoding="utf-8") as f:
            lists = json.load(f)
        return Dataset(kind=info["kind"], task=info["task"], x=arrays["x"], y=np.asarray(arrays["y"]),
                       class_names=info["class_names"], sources=lists["sources"], groups=lists["groups"],
                       splits=np.asarray(arrays["splits"]), root=info["root"], meta=info["meta"],
                       report=Report.from_list(info["problems"]))
    except (OSError, ValueError, KeyError):
        # A damaged cache entry is not the user's problem: drop it and import again.
        shutil.rmtree(folder, ignore_errors=True)
        return None


def store(key: str, ds: Dataset, config: str | None = None) -> None:
    """Keep ``ds`` under ``key``; with ``config`` (``import_config``), remove the older imports of the same
    folder, kind and options (files changed since, or an earlier Edgeling), so the cache does not grow by a
    copy of the data at every change (the scale walk: 1.2 GB of cache for one 1.3 GB photo folder)."""
    root = cache_root() / "datasets"
    root.mkdir(parents=True, exist_ok=True)
    final = root / key
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=root))
    try:
        for name, arr in (("x", ds.x), ("y", ds.y), ("splits", ds.splits)):
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        with open(tmp / "lists.json", "w", encoding="utf-8") as f:
            json.dump({"sources": ds.sources, "groups": ds.groups}, f)
        with open(tmp / "info.json", "w", encoding="utf-8") as f:
            json.dump({"kind": ds.kind, "task": ds.task, "class_names": ds.class_names, "root": ds.root,
                       "meta": ds.meta, "problems": ds.report.as_list(), "config": config}, f)
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    except OSError:
        # A cache that cannot be written (full disk, read-only folder) only costs speed next time.
        shutil.rmtree(tmp, ignore_errors=True)
        return
    if config:
        remove_older_imports(root, key, config, ds)


def remove_older_imports(root: Path, key: str, config: str, ds: Dataset) -> None:
    """Entries of the same ``config`` under another key; and entries written before entries carried their
    config (an older cache format, so never read again) of the same folder and kind."""
    for entry in root.iterdir():
        if entry.name == key or entry.name.startswith(".") or not entry.is_dir():
            continue
        try:
            with open(entry / "info.json", encoding="utf-8") as f:
                info = json.load(f)
        except (OSError, ValueError):
            continue       # being written by another process, or damaged: load_cached drops it when asked
        older = info.get("config") == config if "config" in info else (
            info.get("root") == ds.root and info.get("kind") == ds.kind)
        if older:
            shutil.rmtree(entry, ignore_errors=True)
