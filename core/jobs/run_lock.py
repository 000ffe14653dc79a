"""One training at a time per run folder: ``RUN/train.lock``, created exclusively, holds the pid of the
process training there. A lock left by a process that is gone (killed, power cut) is taken over; the lock
is removed when the training ends, also when it fails or is stopped."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

LOCK_FILE = "train.lock"
JUST_CREATED_S = 5.0


class RunLocked(Exception):
    """Another living process is training into the folder. Shown as-is."""

    user_facing = True


def pid_alive(pid: int) -> bool:
    """True when a process with this id is running (on this computer)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.OpenProcess.restype = wintypes.HANDLE   # a pointer-sized handle, not the default C int
        kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
        kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
        kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = wintypes.DWORD()
        try:
            return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True


def _age_s(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return JUST_CREATED_S


def _owner(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def run_lock(run_dir: str | os.PathLike, shown_as: str | None = None):
    """Hold ``run_dir``'s training lock for the ``with`` block; raise RunLocked when another living
    process holds it. ``shown_as``: the folder as the user typed it (for the message)."""
    path = Path(run_dir) / LOCK_FILE
    fd = _take(path, shown_as or str(run_dir))
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"{os.getpid()}\n")
    try:
        yield path
    finally:
        if _owner(path) == os.getpid():
            path.unlink(missing_ok=True)


def _take(path: Path, shown_as: str) -> int:
    """The new lock file's descriptor; a lock of a process that is gone is taken over."""
    for _ in range(3):
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            owner = _owner(path)
            if owner is not None and (owner == os.getpid() or pid_alive(owner)):
                raise RunLocked(f"Another training is writing into {shown_as} (process {owner}); wait for "
                                "it or choose another --out.") from None
            if owner is None and _age_s(path) < JUST_CREATED_S:  # its owner is writing its pid right now
                break
            path.unlink(missing_ok=True)  # left by a process that is gone: take it over
    raise RunLocked(f"Another training is starting in {shown_as}; wait for it or choose another --out.")
