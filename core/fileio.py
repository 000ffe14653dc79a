"""Atomic writes for every file a user cares about (projects, runs, exports): write a temp file in the
same folder, flush it to disk, then rename over the target. A crash or a full disk leaves the old file."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    return atomic_write_with(path, lambda f: f.write(data))


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | os.PathLike, obj: Any) -> Path:
    return atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False, default=_json_default) + "\n")


def atomic_write_with(path: str | os.PathLike, writer: Callable[[Any], Any]) -> Path:
    """Call ``writer(binary_file)`` on a temp file next to ``path``, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_file(path)
    try:
        with os.fdopen(fd, "wb") as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def _temp_file(path: Path) -> tuple[int, str]:
    """A new temp file next to ``path``, created with the permissions any new file gets (0666 less the
    umask, as ``open()`` does): ``mkstemp`` would make it 0600, and the rename would keep that, so the user's
    exports and results would be unreadable to anyone else on the machine."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name next to {path}")


def read_json(path: str | os.PathLike) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _json_default(o: Any) -> Any:
    try:
        import numpy as np

        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"{type(o).__name__} is not JSON serialisable")


FULL, NOT_WRITABLE = "full", "not writable"


def disk_problem(e: BaseException) -> str | None:
    """``FULL`` (no space, a quota, a file larger than allowed), ``NOT_WRITABLE`` (read-only, no permission) or
    None: the one place that sorts the errors a user can fix by freeing space or choosing another folder (the
    jobs, the CLI, exports and the app each say it in their own words)."""
    import errno

    if not isinstance(e, OSError):
        return None
    if e.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return FULL
    if isinstance(e, PermissionError) or e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return NOT_WRITABLE
    return None


def disk_words(e: BaseException) -> str | None:
    """Plain words for a write that failed because of the disk or the folder, not because of a fault of ours: a
    full disk (or a file larger than the system allows), or a folder that cannot be written (read-only, no
    permission). None for any other error. The robustness walk: a full disk during training read "Something went
    wrong: OSError: [Errno 27] File too large", and a read-only run folder "this is a bug"."""
    problem = disk_problem(e)
    where = f" ({e.filename})" if getattr(e, "filename", None) else ""
    if problem == FULL:
        return (f"The disk is full, or the file{where} would be larger than this computer allows. Free some space "
                "(or move the project to a disk with more room) and try again; what was saved before is kept.")
    if problem == NOT_WRITABLE:
        return (f"Edgeling may not write there{where}: the folder is read-only, or you have no permission to change "
                "it. Copy the project to a folder you can write to (for example in your Documents) and open it "
                "there; what was saved before is kept.")
    return None
