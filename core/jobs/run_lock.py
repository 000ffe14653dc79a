"""One training at a time per run folder: ``RUN/train.lock``, created exclusively, holds the pid of the
process training there. A lock left by a process that is gone (killed, power cut) is taken over; the lock
is removed when the training ends, also when it fails or is stopped."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from edgeling.core.pid_lock import Locked, acquire, release

LOCK_FILE = "train.lock"

RunLocked = Locked
"""Another living process is training into the folder (the CLI shows its message as-is)."""


@contextlib.contextmanager
def run_lock(run_dir: str | os.PathLike, shown_as: str | None = None):
    """Hold ``run_dir``'s training lock for the ``with`` block; raise RunLocked when another living
    process holds it. ``shown_as``: the folder as the user typed it (for the message)."""
    where = shown_as or str(run_dir)
    path = Path(run_dir) / LOCK_FILE
    acquire(path, lambda owner: (f"Another training is writing into {where} (process {owner}); wait for it or "
                                 "choose another --out." if owner else
                                 f"Another training is starting in {where}; wait for it or choose another --out."))
    try:
        yield path
    finally:
        release(path)
