"""The one error type exports raise: a plain message for the user that names the file and the fix."""

from __future__ import annotations

from edgeling.core.commands.common import CommandError


class ExportError(CommandError):
    """An export could not be written, read or verified. Shown as a message, never as a traceback."""

    def __init__(self, message: str, exit_code: int = 3, details: dict | None = None):
        super().__init__(message, exit_code, details)
