"""Writing export files: atomically (a full disk or a bad folder leaves nothing half-written), with plain
messages, and JSON that accepts numpy values."""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
from pathlib import Path

import numpy as np

from edgeling.core.export.errors import ExportError
from edgeling.core.fileio import (
    FULL,
    NOT_WRITABLE,
    atomic_write_bytes,
    atomic_write_json,
    atomic_write_text,
    disk_problem,
)


def _plain(path, e: OSError) -> ExportError:
    """A write that failed because of where it was asked to go (or a full disk): the user can fix it (exit 2)."""
    problem = disk_problem(e)
    if problem == FULL:        # a file too large: as a full disk (review)
        fix = "The disk is full: free some space, or choose a folder on another disk"
    elif problem == NOT_WRITABLE:
        fix = "This folder cannot be written to: choose another folder"
    else:
        fix = "Choose another folder"
    return ExportError(f"Could not write {path} ({e.strerror or e}). {fix}; nothing was written.", 2)


def write_export(path: str | os.PathLike, data: bytes) -> Path:
    try:
        return atomic_write_bytes(path, data)
    except OSError as e:
        raise _plain(path, e) from None


def write_export_text(path: str | os.PathLike, text: str) -> Path:
    try:
        return atomic_write_text(path, text)
    except OSError as e:
        raise _plain(path, e) from None


def write_export_json(path: str | os.PathLike, obj) -> Path:
    try:
        return atomic_write_json(path, obj)
    except OSError as e:
        raise _plain(path, e) from None


def json_default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)


class Staged:
    """An export's files written as one: ``add`` writes each new file under a temporary name beside it (flushed
    to disk); ``commit`` renames them all into place only once every one is written. When a rename fails the
    files already renamed get their earlier contents back (an earlier export there stays whole: its model,
    card and labels), and nothing new is left. A full disk while writing leaves the earlier export untouched
    (the review: a card that failed deleted the model it replaced and left two models' card files mixed)."""

    def __init__(self) -> None:
        self.files: list[tuple[Path, Path]] = []   # (temporary name, target)

    def add(self, path: str | os.PathLike, data: bytes) -> Path:
        from edgeling.core.export.scratch import clear_leftovers

        path = Path(path)
        clear_leftovers(path.parent, f".{glob.escape(path.name)}.*{STAGED_SUFFIX}")    # a killed export's
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{STAGED_SUFFIX}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "xb") as f:
                self.files.append((tmp, path))
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except OSError as e:
            self.discard()
            raise _plain(path, e) from None
        return path

    def add_text(self, path: str | os.PathLike, text: str) -> Path:
        return self.add(path, text.encode("utf-8"))

    def add_json(self, path: str | os.PathLike, obj) -> Path:
        text = json.dumps(obj, indent=2, ensure_ascii=False, default=json_default) + "\n"
        return self.add_text(path, text)

    def discard(self) -> None:
        for tmp, _ in self.files:
            _remove(tmp)
        self.files = []

    def commit(self) -> None:
        backups: dict[Path, Path | None] = {}    # target -> a copy of its earlier contents (None: it was new)
        try:
            for tmp, path in self.files:
                backups[path] = _backup(path)
                os.replace(tmp, path)
        except OSError as e:
            failed = path
            for target, old in backups.items():
                if target == failed:      # not replaced: it still holds its earlier contents
                    _remove(old)
                elif old is None:
                    _remove(target)
                else:
                    try:
                        os.replace(old, target)
                    except OSError:
                        pass
            self.discard()
            raise _plain(failed, e) from None
        for old in backups.values():
            _remove(old)
        self.files = []


STAGED_SUFFIX = ".edgeling-new"
"""The ending of an export's temporary files beside their targets (new files, and copies of the files they
replace until all are in place)."""


def _backup(path: Path) -> Path | None:
    """A copy of ``path`` beside it under a temporary name (a hard link where the disk has them), or None."""
    if not path.exists():
        return None
    old = path.with_name(f".{path.name}.{secrets.token_hex(6)}.old{STAGED_SUFFIX}")
    try:
        os.link(path, old)
    except OSError:
        try:
            shutil.copy2(path, old)
        except OSError:
            _remove(old)
            raise
    return old


def _remove(path: Path | None) -> None:
    if path is not None:
        try:
            path.unlink()
        except OSError:
            pass
