"""How far an import has got, for whoever is waiting: the CLI prints a line now and then, the app's Data page
shows the count (the scale walk: 58 s of silence in the terminal and 7 minutes of a spinning bar in the app
for 3,963 photos).

An importer calls ``step(done, total, what)`` as it goes; ``reporting(callback)`` sets who hears it, for the
thread that imports (a context variable: the app imports in a thread of its own). Without a listener a step
costs one lookup. Only the standard library: the GUI process imports this.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Callable, Iterator

Listener = Callable[[int, int, str], None]
_listener: contextvars.ContextVar[Listener | None] = contextvars.ContextVar("edgeling_import_progress", default=None)
EVERY_S = 0.25
"""A listener hears at most this often (and always the last step)."""
_last: contextvars.ContextVar[float] = contextvars.ContextVar("edgeling_import_progress_last", default=0.0)


@contextlib.contextmanager
def reporting(listener: Listener | None) -> Iterator[None]:
    """Within the block, ``listener(done, total, what)`` hears the import's steps ("reading the photos")."""
    token, last = _listener.set(listener), _last.set(0.0)
    try:
        yield
    finally:
        _listener.reset(token)
        _last.reset(last)


def step(done: int, total: int, what: str) -> None:
    """``done`` of ``total`` files of the stage ``what`` (a few plain words) are through."""
    listener = _listener.get()
    if listener is None:
        return
    now = time.monotonic()
    if done < total and now - _last.get() < EVERY_S:
        return
    _last.set(now)
    listener(done, total, what)


def progress_words(done: int, total: int, what: str) -> str:
    """'Reading the photos: 1,200 of 3,963', as the terminal and the app say a step."""
    return f"{what[:1].upper()}{what[1:]}: {done:,} of {total:,}"
