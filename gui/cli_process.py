"""Run an ``edgeling`` CLI command (``--json``) in a child process without blocking the window.

For steps whose core is a CLI command (``devices``, ``plan``, ``evaluate``, ``export``): the child does the
torch work and prints one JSON object; this object emits ``sig_result(dict)`` or ``sig_failed(message,
details)`` with the command's own plain message (its ``{"error": {...}}`` object)."""

from __future__ import annotations

import json
import sys

from edgeling.gui.qt import QObject, QProcess, Signal


def cli_command(args: list[str]) -> tuple[str, list[str]]:
    if getattr(sys, "frozen", False):          # the installed app: packaging/entry.py dispatches --cli
        return sys.executable, ["--cli", *args]
    return sys.executable, ["-m", "edgeling.core.cli", *args]


def registered_commands() -> set[str]:
    """Sub-commands this build has (read from the CLI's list, without importing the commands)."""
    from edgeling.core.cli import COMMAND_MODULES

    return {m.rpartition(".")[2] for m in COMMAND_MODULES}


class CliProcess(QObject):
    sig_result = Signal(dict)
    sig_failed = Signal(str, str)
    sig_line = Signal(str)             # human progress text from stderr

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._proc: QProcess | None = None
        self._stderr = ""

    @property
    def running(self) -> bool:
        return self._proc is not None

    def start(self, args: list[str]) -> bool:
        if self._proc is not None:
            return False
        program, argv = cli_command([*args, "--json"])
        self._proc = QProcess(self)
        self._stderr = ""
        self._proc.readyReadStandardError.connect(self._on_stderr)
        self._proc.finished.connect(self._on_finished)
        self._proc.errorOccurred.connect(self._on_error)
        self._proc.start(program, argv)
        return True

    def kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.waitForFinished(2000)

    def _on_stderr(self) -> None:
        text = bytes(self._proc.readAllStandardError()).decode("utf-8", "replace")
        self._stderr += text
        for line in text.splitlines():
            if line.strip():
                self.sig_line.emit(line.strip())

    def _on_error(self, error) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            proc, self._proc = self._proc, None
            proc.deleteLater()
            self.sig_failed.emit("Could not start the Edgeling command-line helper. Reinstall Edgeling.",
                                 f"{cli_command([])}")

    def _on_finished(self, code: int, _status) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        out = bytes(proc.readAllStandardOutput()).decode("utf-8", "replace")
        self._stderr += bytes(proc.readAllStandardError()).decode("utf-8", "replace")
        proc.deleteLater()
        obj = None
        for line in reversed(out.strip().splitlines()):
            try:
                obj = json.loads(line)
                break
            except ValueError:
                continue
        if isinstance(obj, dict) and "error" in obj and code != 0:
            err = obj["error"]
            self.sig_failed.emit(str(err.get("message", "The command failed.")), self._stderr[-8000:])
        elif code != 0 or not isinstance(obj, dict):
            last = self._stderr.strip().splitlines()[-1:] or ["no message"]
            self.sig_failed.emit(f"The step failed ({last[0].removeprefix('edgeling: ')}).",
                                 self._stderr[-8000:])
        else:
            self.sig_result.emit(obj)
