"""A lock file holding the id of the process that holds it: created exclusively, taken over when that
process is gone (killed, power cut), removed by its holder. Used for a run folder being trained into
(``jobs/run_lock.py``) and for a project open in an app window (``project.py``)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

JUST_CREATED_S = 5.0


class Locked(Exception):
    """Another living process holds the lock. Its message is shown as-is."""

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


def acquire(path: Path, busy: Callable[[int | None], str], force: bool = False) -> None:
    """Create ``path`` holding this process's id; Locked(``busy(owner)``) when a living process (or this
    one) holds it, ``owner`` None while another is just creating it. A lock of a process that is gone is
    taken over; ``force`` takes it over in any case (the user said the other holder is not real)."""
    if force:
        path.unlink(missing_ok=True)
    for _ in range(3):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            owner = _owner(path)
            if owner is not None and (owner == os.getpid() or pid_alive(owner)):
                raise Locked(busy(owner)) from None
            if owner is None and _age_s(path) < JUST_CREATED_S:  # its owner is writing its pid right now
                break
            path.unlink(missing_ok=True)  # left by a process that is gone: take it over
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return
    raise Locked(busy(None))


def release(path: Path) -> None:
    """Remove the lock if this process holds it."""
    if _owner(path) == os.getpid():
        path.unlink(missing_ok=True)
