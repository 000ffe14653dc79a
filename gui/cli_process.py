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


CRASHED = ("The step did not finish: its helper process was ended before it was through (killed, perhaps because "
           "the computer ran out of memory). Close other programs, then try again.")


class CliProcess(QObject):
    sig_result = Signal(dict)
    sig_failed = Signal(str, str)
    sig_line = Signal(str)             # human progress text from stderr

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._proc: QProcess | None = None
        self._stderr = ""
        self.last_output: dict | None = None   # the JSON object the last command printed, also when it failed
        self.crashed = False     # the last command was ended from outside (killed, as out of memory kills it)

    @property
    def running(self) -> bool:
        return self._proc is not None

    def start(self, args: list[str]) -> bool:
        if self._proc is not None:
            return False
        program, argv = cli_command([*args, "--json"])
        proc = self._proc = QProcess(self)
        self._stderr = ""
        self.last_output = None
        self.crashed = False
        # Each handler is told which process spoke: one that was cancelled (or replaced) says nothing.
        proc.readyReadStandardError.connect(lambda: self._on_stderr(proc))
        proc.finished.connect(lambda code, status: self._on_finished(proc, code, status))
        proc.errorOccurred.connect(lambda error: self._on_error(proc, error))
        proc.start(program, argv)
        return True

    def kill(self) -> None:
        """End the command at once; it reports nothing (its answer is no longer wanted: the window closes,
        another project was opened, or a newer request replaces it)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.waitForFinished(2000)
            proc.deleteLater()

    def _on_stderr(self, proc: QProcess) -> None:
        if proc is not self._proc:
            return
        text = bytes(proc.readAllStandardError()).decode("utf-8", "replace")
        self._stderr += text
        for line in text.splitlines():
            if line.strip():
                self.sig_line.emit(line.strip())

    def _on_error(self, proc: QProcess, error) -> None:
        if proc is self._proc and error == QProcess.ProcessError.FailedToStart:
            self._proc = None
            proc.deleteLater()
            self.sig_failed.emit("Could not start the Edgeling command-line helper. Reinstall Edgeling.",
                                 f"{cli_command([])}")

    def _on_finished(self, proc: QProcess, code: int, status) -> None:
        if proc is not self._proc:
            return
        self._proc = None
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
        self.last_output = obj if isinstance(obj, dict) else None
        self.crashed = status == QProcess.ExitStatus.CrashExit and not isinstance(obj, dict)
        if self.crashed:     # its last line was progress ("Exporting …"), no reason: the robustness walk
            self.sig_failed.emit(CRASHED, self._stderr[-8000:])
        elif isinstance(obj, dict) and "error" in obj and code != 0:
            err = obj["error"]
            self.sig_failed.emit(str(err.get("message", "The command failed.")), self._stderr[-8000:])
        elif code != 0 or not isinstance(obj, dict):
            last = self._stderr.strip().splitlines()[-1:] or ["no message"]
            self.sig_failed.emit(f"The step failed ({last[0].removeprefix('edgeling: ')}).",
                                 self._stderr[-8000:])
        else:
            self.sig_result.emit(obj)

    def users_problem(self) -> bool:
        """Whether the last command that failed refused the user's files or choices (exit code 2: core's
        ``DataError``, a folder whose names are no class of the model), not a fault of Edgeling's: the page then
        says so plainly, with no log line and no details (the walk: a mismatch of folder names came with "The
        log is in …" and "Show Details…", as if Edgeling had failed)."""
        err = (self.last_output or {}).get("error")
        return isinstance(err, dict) and err.get("exit_code") == 2
