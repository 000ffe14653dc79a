"""Importing data as a job: the app reads a folder of thousands of photos or clips in a child process of its
own, as it trains, so a file that crashes a decoder, or a folder too big for memory, ends the child and not the
window (the scale walk: 1.15 GB in the app's own process while 3,963 photos were read).

The child fills the import cache (``data/cache.py``) and returns a summary; the app then opens the cached
import, which is memory-mapped and takes a second. The words of each step are the terminal's
(``import_progress.progress_words``). numpy only: no torch in this child either.
"""

from __future__ import annotations

from typing import Any

from edgeling.core.jobs.events import Progress

__all__ = ["run"]


def run(params: dict, ctx) -> dict[str, Any]:
    """``params``: ``path``, ``kind`` (or None), ``options`` (``ImportOptions`` fields). A DataError (the
    user's data, in plain words) comes back as the result ``{"ok": False, "message", "files"}``, so the app
    can show it as it shows an import it ran itself; anything else fails the job."""
    from edgeling.core.data import import_progress
    from edgeling.core.data.dataset import DataError
    from edgeling.core.data.load import ImportOptions, open_dataset

    class _Stopped(Exception):
        pass

    def heard(done: int, total: int, what: str) -> None:
        if ctx.should_stop():
            raise _Stopped
        ctx.emit(Progress("import", done / max(total, 1), what, int(done), int(total)))

    try:
        with import_progress.reporting(heard):
            ds = open_dataset(params["path"], kind=params.get("kind"),
                              options=ImportOptions(**(params.get("options") or {})))
    except _Stopped:
        return {"status": "stopped", "message": "The import was stopped."}
    except DataError as e:
        return {"ok": False, "message": str(e), "files": [str(f) for f in e.files[:200]], "code": e.code}
    return {"ok": True, "root": str(ds.root), "kind": ds.kind, "num_samples": int(ds.num_samples)}
