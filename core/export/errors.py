"""The one error type exports raise: a plain message for the user that names the file and the fix."""

from __future__ import annotations

from edgeling.core.commands.common import CommandError


class ExportError(CommandError):
    """An export could not be written, read or verified. Shown as a message, never as a traceback.

    Exit code 3 (the default): the model could not be converted to the format, or the file could not be
    run in its runtime on this computer. Problems the user can fix (a folder that cannot be written, a full
    disk, a wrong --out, data too small to verify with) pass exit code 2."""

    def __init__(self, message: str, exit_code: int = 3, details: dict | None = None):
        super().__init__(message, exit_code, details)
