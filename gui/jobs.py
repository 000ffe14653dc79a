"""Drive a job running in a child process from the Qt event loop (Anki's 100 ms progress tick).

``JobController.start(target, params, log_path)`` starts ``edgeling.core.jobs.process.start_job`` and
polls the handle on a QTimer; every event is re-emitted as ``sig_event`` and the terminal event as
``sig_finished(result)`` / ``sig_stopped(message, result)`` / ``sig_failed(message, details, log_path)``.
``sig_tick`` fires once per poll that brought events, which is where pages redraw their curves (throttled
to the timer for free). The controller never imports torch: the job's module is named by a string."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from edgeling.gui.qt import QObject, QTimer, Signal

POLL_MS = 100
REAP_AFTER_MS = 3000
STOP_GRACE_S = 120.0
"""How long a job asked to stop may take to reach its next batch before it is ended: a batch of big photos
takes several seconds on a slow laptop (the scale walk: 6 s, and 2 s of grace ended every Stop with the work
lost), and opening the data before training checks less often. Stop pressed twice ends it at once."""


LOST_SINCE_CHECKPOINT = "the work since the last checkpoint is then lost"


def press_stop(job: JobController, lost: str = LOST_SINCE_CHECKPOINT) -> str:
    """Stop pressed on a page: ask ``job`` to stop (at once when asked before), and what the page says;
    ``lost``: what ending it at once costs, in the page's words."""
    again = job.stopping
    job.stop()
    if again:
        return "Ending it now…"
    return f"Stopping as soon as it can, at the end of this batch or step… (press Stop again to end it at once; {lost})"


def _default_start(target: str, params: dict, log_path: str | None):
    from edgeling.core.jobs.process import start_job

    return start_job(target, params, log_path)


class JobController(QObject):
    sig_started = Signal()
    sig_event = Signal(object)
    sig_tick = Signal()
    sig_finished = Signal(dict)
    sig_stopped = Signal(str, dict)
    sig_failed = Signal(str, str, str)     # message, details, log path
    sig_running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, interval_ms: int = POLL_MS,
                 start_fn: Callable[[str, dict, str | None], Any] | None = None):
        super().__init__(parent)
        self._start_fn = start_fn or _default_start
        self._handle = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_tick)
        self.last_result: dict | None = None
        self.events_seen = 0
        self.stopping = False      # Stop was asked and the job has not ended yet

    @property
    def running(self) -> bool:
        return self._handle is not None

    @property
    def handle(self):
        return self._handle

    def start(self, target: str, params: dict, log_path: str | None = None) -> bool:
        """Start a job; False (and ``sig_failed``) if it could not even start, or one is running."""
        if self._handle is not None:
            self.sig_failed.emit("A job is already running. Wait for it to end, or stop it first.", "",
                                 log_path or "")
            return False
        try:
            self._handle = self._start_fn(target, params, str(log_path) if log_path else None)
        except Exception as e:  # noqa: BLE001 - shown to the user, never raised into the event loop
            import traceback

            self.sig_failed.emit(f"The job could not start: {e}. Check that there is free memory and "
                                 "disk space, then try again.", traceback.format_exc(), log_path or "")
            return False
        self.last_result = None
        self.stopping = False
        self._timer.start()
        self.sig_started.emit()
        self.sig_running_changed.emit(True)
        return True

    def stop(self, grace_s: float = STOP_GRACE_S) -> None:
        """Ask the job to stop at its next batch; it is ended after ``grace_s`` seconds if it has not (never
        blocks). Asked again (``stopping`` is then True), it is ended at once."""
        if self._handle is not None:
            self._handle.stop(grace_s=0.0 if self.stopping else grace_s)
            self.stopping = True

    def shutdown(self) -> None:
        """End the child at once (the window is closing)."""
        self._timer.stop()
        if self._handle is not None:
            try:
                self._handle.close()
            finally:
                self._handle = None
                self.sig_running_changed.emit(False)

    def _on_tick(self) -> None:
        handle = self._handle
        if handle is None:
            self._timer.stop()
            return
        try:
            events = handle.poll()
        except Exception as e:  # noqa: BLE001
            import traceback

            events = [_failed(f"Lost contact with the job ({e}).", traceback.format_exc(),
                              getattr(handle, "log_path", "") or "")]
        terminal = None
        for ev in events:
            self.events_seen += 1
            self.sig_event.emit(ev)
            if type(ev).__name__ in ("Finished", "Failed", "Stopped"):
                terminal = ev
        if events:
            self.sig_tick.emit()
        if terminal is not None:
            self._end(terminal)

    def _end(self, ev) -> None:
        self._timer.stop()
        self.stopping = False
        handle, self._handle = self._handle, None
        # The child sent its last event and is exiting on its own; give it a few seconds before
        # ``close()`` (which kills a child that is still there and frees the pipe). Never block here.
        QTimer.singleShot(REAP_AFTER_MS, lambda: _close_quietly(handle))
        self.sig_running_changed.emit(False)
        name = type(ev).__name__
        if name == "Finished":
            self.last_result = dict(ev.result)
            self.sig_finished.emit(self.last_result)
        elif name == "Stopped":
            self.last_result = dict(ev.result)
            self.sig_stopped.emit(ev.message, self.last_result)
        else:
            self.sig_failed.emit(ev.message, ev.details or "", ev.log_path or "")


def _close_quietly(handle) -> None:
    try:
        handle.close()
    except Exception:  # noqa: BLE001, S110 - the child is gone either way
        pass


def _failed(message: str, details: str, log_path: str):
    from edgeling.core.jobs.events import Failed

    return Failed(message=message, log_path=log_path, details=details)
