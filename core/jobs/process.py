"""Run a job in a ``spawn`` child process and talk to it without blocking.

The parent (the GUI, from a timer) calls ``handle.poll()`` to drain events, ``handle.stop()`` to ask for a
stop: the job sees ``ctx.should_stop()`` at its next batch; if it has not ended ``grace_s`` seconds later
the child is terminated, and killed one second after that. Escalation happens inside ``poll()`` /
``wait()``, so ``stop()`` itself never blocks. If the child dies without a last event (killed, out of
memory, crashed), ``poll()`` yields a ``Failed`` event in plain words.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import pickle
import signal
import sys
import time
import uuid
from typing import Any

from edgeling.core.jobs.context import JobContext
from edgeling.core.jobs.events import CheckpointSaved, Failed, Stopped, is_terminal
from edgeling.core.jobs.runner import STOPPED_MESSAGE, execute, job_kind

KILL_AFTER_TERMINATE_S = 1.0


def _child_main(target: str, params: dict, log_path: str | None, conn, stop_flag, job_id: str) -> None:
    """Entry point of the child process (module level so ``spawn`` can pickle it). Events are written to
    the pipe synchronously (no feeder thread), so every event sent before a kill reaches the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal goes to the parent, which stops us
    log_file = None
    if log_path:
        os.makedirs(os.path.dirname(os.path.abspath(log_path)), exist_ok=True)
        log_file = open(log_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives as long as the child
        faulthandler.enable(file=log_file)  # a segfault leaves its trace in the log
        sys.stdout = sys.stderr = log_file

    def send(event) -> None:
        conn.send_bytes(pickle.dumps(event, protocol=pickle.HIGHEST_PROTOCOL))

    ctx = JobContext(send, stop_flag.is_set, log_path, job_id)
    try:
        execute(target, params, ctx, reraise=False)
    finally:
        if log_file is not None:
            log_file.flush()


class JobHandle:
    """A job running in a child process. Not thread-safe: use it from one thread (the GUI's)."""

    def __init__(self, target: str, params: dict, log_path: str | None):
        mp = multiprocessing.get_context("spawn")
        self.job_id = uuid.uuid4().hex[:12]
        self.target = target
        self.kind = job_kind(target, params)
        self.log_path = str(log_path) if log_path else None
        self._reader, self._writer = mp.Pipe(duplex=False)
        self._stop_flag = mp.Event()
        self._process = mp.Process(
            target=_child_main, name=f"edgeling-{self.kind}", daemon=True,
            args=(target, params, self.log_path, self._writer, self._stop_flag, self.job_id))
        self._stop_asked_at: float | None = None
        self._terminated_at: float | None = None
        self._last_checkpoint: str | None = None
        self.finished_event: Any = None
        """The terminal event (Finished / Failed / Stopped) once it has been seen."""

    def start(self) -> JobHandle:
        self._process.start()
        self._writer.close()  # only the child writes; the pipe reports EOF once the child is gone
        return self

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def exitcode(self) -> int | None:
        return self._process.exitcode

    def is_alive(self) -> bool:
        return self._process.is_alive()

    @property
    def done(self) -> bool:
        """True once the terminal event was delivered by ``poll()``."""
        return self.finished_event is not None

    def stop(self, grace_s: float = 2.0) -> None:
        """Ask the job to stop at its next batch; escalate to terminate after ``grace_s`` seconds and to
        kill one second later (escalation runs in ``poll()`` / ``wait()``)."""
        if self._stop_asked_at is None:
            self._stop_flag.set()
            self._stop_asked_at = time.monotonic()
            self._grace_s = grace_s
        else:       # asked again (Stop pressed twice): a shorter grace replaces the longer one
            self._grace_s = min(self._grace_s, grace_s)

    def poll(self) -> list:
        """Every event that arrived since the last call (never blocks)."""
        self._escalate()
        alive = self._process.is_alive()  # read before draining: a dead child's events are all queued
        out = self._drain()
        if not alive and self.finished_event is None:
            out += self._drain()
            if self.finished_event is None:
                out.append(self._death_event())
                self.finished_event = out[-1]
        return out

    def wait(self, timeout: float | None = None, interval: float = 0.05) -> list:
        """Block until the job has ended (or ``timeout``), collecting its events."""
        deadline = None if timeout is None else time.monotonic() + timeout
        out: list = []
        while True:
            out += self.poll()
            if self.done:
                self._process.join(timeout=5)
                return out
            if deadline is not None and time.monotonic() >= deadline:
                return out
            time.sleep(interval)

    def close(self) -> None:
        """Kill the child if it still runs and free the queue (call when the window closes)."""
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=2)
        self._reader.close()

    def _drain(self) -> list:
        # Small events (< 4 KB) are written with one atomic write, so a killed child never leaves half an
        # event in the pipe; recv_bytes is only called when data is waiting.
        out = []
        while True:
            try:
                if self._reader.closed or not self._reader.poll(0):
                    break
                ev = pickle.loads(self._reader.recv_bytes())
            except (EOFError, OSError, pickle.UnpicklingError):
                break
            if isinstance(ev, CheckpointSaved):
                self._last_checkpoint = ev.path
            if is_terminal(ev):
                if self.finished_event is not None:
                    continue
                self.finished_event = ev
            out.append(ev)
        return out

    def _escalate(self) -> None:
        if self._stop_asked_at is None or not self._process.is_alive():
            return
        now = time.monotonic()
        if self._terminated_at is None and now - self._stop_asked_at >= self._grace_s:
            self._process.terminate()
            self._terminated_at = now
        elif self._terminated_at is not None and now - self._terminated_at >= KILL_AFTER_TERMINATE_S:
            self._process.kill()

    def _death_event(self):
        kept = (f"the last checkpoint is kept in {self._last_checkpoint}" if self._last_checkpoint
                else "what it had read was not kept" if self.kind == "import"
                else "the run it started from is unchanged" if self.kind == "compress_job"
                else "no checkpoint had been saved yet")
        if self._stop_asked_at is not None:
            name = "training" if "train" in self.kind else "the work"
            return Stopped(f"Stopped: {name} was ended before it reached a point where it could stop by itself; "
                           f"{kept}.", {"checkpoint": self._last_checkpoint})
        code = self._process.exitcode
        if code is not None and code < 0:
            try:
                how = signal.Signals(-code).name
            except ValueError:
                how = f"signal {-code}"
            crashes = {getattr(signal, n, None) for n in ("SIGSEGV", "SIGBUS", "SIGILL", "SIGABRT")}
            why = ("killed, perhaps out of memory" if -code == getattr(signal, "SIGKILL", 9)
                   else f"{how}, a crash inside a library" if -code in crashes
                   else how)
        else:
            why = f"exit code {code}"
        name = "training" if "train" in self.kind else PLAIN_KINDS.get(self.kind, self.kind)
        message = f"The {name} process ended unexpectedly ({why}); {kept}."
        if self.log_path:
            message += f" Its log is {self.log_path}."
        return Failed(message=message, log_path=self.log_path or "",
                      details=_tail(self.log_path) if self.log_path else "")


PLAIN_KINDS = {"compress_job": "compression", "crossval_job": "cross-validation", "export_job": "export"}
"""A job's name in a message (the robustness walk read "The compress_job process ended unexpectedly")."""


def _tail(path: str, max_chars: int = 8000) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()[-max_chars:]
    except OSError:
        return ""


def start_job(target: str, params: dict, log_path: str | os.PathLike | None = None) -> JobHandle:
    """Start ``target(params, ctx)`` (a dotted path) in a spawn child; returns the running handle."""
    return JobHandle(target, params, str(log_path) if log_path else None).start()


__all__ = ["JobHandle", "start_job", "STOPPED_MESSAGE"]
