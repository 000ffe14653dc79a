"""Edgeling sends nothing anywhere, and no library it uses may queue anything to send.

ONNX Runtime 1.29 and later collect telemetry on Linux and macOS too (Microsoft's 1DS: an event per process,
session, model and error, with the OS, CPU, RAM and a device id), kept in an offline queue under
``~/.cache/Microsoft/DeveloperTools/.onnxruntime/`` until the computer is online; on Windows it goes to the
system's event tracing (ETW). A speech-therapy walk found 2,334 queued events on a clinic laptop.

- ``ORT_DISABLE_TELEMETRY=1``, set before ONNX Runtime starts, is its full opt-out outside Windows: no
  queue, no device id, nothing sent (checked with ONNX Runtime 1.31.1: without it a session writes the queue
  and a ``deviceid`` file; with it, nothing). It is set when ``edgeling.core`` is imported, which happens before
  any ONNX Runtime import in Edgeling (the CLI, the app, every job child: children inherit it).
- ``disable_runtime_telemetry(ort)``: ONNX Runtime's own switch, for Windows' event tracing, called on
  every import of it.

The runner script a user copies to a Raspberry Pi (``resources/runner/edgeling_run.py``) does the same
itself, as it does not import Edgeling."""

from __future__ import annotations

import os

ENV = "ORT_DISABLE_TELEMETRY"


def switch_off() -> None:
    """Set the opt-out for this process and every process it starts (forced: Edgeling's promise is that
    nothing is sent, whatever the environment says)."""
    os.environ[ENV] = "1"


def disable_runtime_telemetry(ort) -> None:
    """ONNX Runtime's API switch (Windows' event tracing); harmless where the environment already did it."""
    try:
        ort.disable_telemetry_events()
    except Exception:  # noqa: BLE001 - an older or stripped build without it sends nothing either
        pass
