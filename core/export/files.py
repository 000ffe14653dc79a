"""Writing export files: atomically (a full disk or a bad folder leaves nothing half-written), with plain
messages, and JSON that accepts numpy values."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np

from edgeling.core.export.errors import ExportError
from edgeling.core.fileio import atomic_write_bytes, atomic_write_json, atomic_write_text


def _plain(path, e: OSError) -> ExportError:
    """A write that failed because of where it was asked to go (or a full disk): the user can fix it (exit 2)."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = "The disk is full: free some space, or choose a folder on another disk"
    elif e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
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
