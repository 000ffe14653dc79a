"""What a job function gets besides its params: a way to send events, a stop flag, a log file."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from edgeling.core.jobs.events import Log


class JobContext:
    """Passed to ``job(params, ctx)``. ``emit(event)`` sends an event to the parent (or the in-process
    caller); ``should_stop()`` is True once Stop was asked for (jobs check it every batch);
    ``log(text)`` appends to ``log_path`` (and emits a ``Log`` event)."""

    def __init__(self, emit: Callable[[Any], None], should_stop: Callable[[], bool] | None = None,
                 log_path: str | None = None, job_id: str = "inline"):
        self._emit = emit
        self._should_stop = should_stop or (lambda: False)
        self.log_path = str(log_path) if log_path else None
        self.job_id = job_id

    def emit(self, event: Any) -> None:
        self._emit(event)

    def should_stop(self) -> bool:
        return bool(self._should_stop())

    def log(self, text: str, level: str = "info", emit: bool = True) -> None:
        if self.log_path:
            stamp = datetime.datetime.now().isoformat(timespec="seconds")
            try:
                with open(self.log_path, "a", encoding="utf-8") as f:
                    f.write(f"{stamp} {level.upper()} {text}\n")
            except OSError:
                pass
        if emit:
            self.emit(Log(level, text))
