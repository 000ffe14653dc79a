"""Run a job in this process (the CLI and tests), with the same events as in a child process."""

from __future__ import annotations

import importlib
import os
import traceback
from collections.abc import Callable
from typing import Any

from edgeling.core.fileio import disk_words
from edgeling.core.jobs.context import JobContext
from edgeling.core.jobs.events import Failed, Finished, Started, Stopped

STOPPED_MESSAGE = "Stopped. What was already saved is kept (a training's last finished epoch); run it again to go on."


def resolve(target: str) -> Callable[[dict, JobContext], dict]:
    """``"package.module.function"`` (or ``"package.module:function"``) -> the function."""
    module_name, _, func_name = target.replace(":", ".").rpartition(".")
    if not module_name:
        raise ValueError(f"job target {target!r} must be a dotted path 'package.module.function'")
    return getattr(importlib.import_module(module_name), func_name)


def job_kind(target: str, params: dict) -> str:
    return str(params.get("job_kind") or target.replace(":", ".").rpartition(".")[2])


def plain_failure(exc: BaseException, log_path: str | None) -> Failed:
    """A Failed event with plain words: user-facing errors (DataError, CommandError) keep their own
    message; anything else names the error and where the log is."""
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if _is_user_error(exc) or disk_words(exc):      # the user's to fix: no traceback in the box's Details
        details = ""
    if _is_user_error(exc):
        message = str(exc)
    elif isinstance(exc, MemoryError):
        message = ("The computer ran out of memory. Try a smaller model or a smaller batch size, or close "
                   "other programs.")
    elif disk_words(exc):
        message = disk_words(exc)
    else:
        message = f"Something went wrong: {type(exc).__name__}: {exc}"
        if log_path:
            message += f". The full report is in {log_path}."
    return Failed(message=message, log_path=str(log_path or ""), details=details)


def _is_user_error(exc: BaseException) -> bool:
    from edgeling.core.commands.common import CommandError
    from edgeling.core.data.dataset import DataError

    return isinstance(exc, (DataError, CommandError)) or getattr(exc, "user_facing", False)


def execute(target: str, params: dict, ctx: JobContext, reraise: bool) -> dict | None:
    """Started, the job, then exactly one of Finished / Stopped / Failed. Returns the job's result."""
    ctx.emit(Started(ctx.job_id, job_kind(target, params),
                     {"target": target, "pid": os.getpid(), "log_path": ctx.log_path}))
    try:
        result = resolve(target)(params, ctx) or {}
    except BaseException as exc:  # noqa: BLE001 - every failure becomes one Failed event
        if isinstance(exc, KeyboardInterrupt):  # a second Ctrl-C: stop now, what was saved stays
            ctx.emit(Stopped(STOPPED_MESSAGE, {}))
            if reraise:
                raise
            return None
        failed = plain_failure(exc, ctx.log_path)
        # A user's mistake is logged in its own words; a traceback only for what is really a failure.
        ctx.log(failed.message if _is_user_error(exc) else failed.details, level="error", emit=False)
        ctx.emit(failed)
        if reraise:
            raise
        return None
    # A Stop that came after the job's last check: the work was done and saved, so it is reported done.
    if result.get("status") == "stopped" or (ctx.should_stop() and result.get("status") != "finished"):
        ctx.emit(Stopped(str(result.get("message") or STOPPED_MESSAGE), result))
    else:
        ctx.emit(Finished(result))
    return result


def run_inline(target: str, params: dict, on_event: Callable[[Any], None] | None = None,
               should_stop: Callable[[], bool] | None = None, log_path: str | None = None) -> dict:
    """Run ``target(params, ctx)`` here and return its result dict. Events go to ``on_event``; errors
    are reported as a Failed event and then raised."""
    ctx = JobContext(on_event or (lambda e: None), should_stop, log_path or params.get("log_path"))
    return execute(target, params, ctx, reraise=True) or {}
