"""Helpers shared by the CLI sub-commands: one JSON object on stdout, human text on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

from edgeling.core.fileio import _json_default


class CommandError(Exception):
    """A failure to show the user as a plain message (no traceback), with an exit code."""

    def __init__(self, message: str, exit_code: int = 2, details: dict | None = None):
        super().__init__(message)
        self.exit_code = exit_code
        self.details = details or {}


def add_json_flag(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object on standard output")


def say(*parts: Any) -> None:
    """Human-readable text: always on stderr, so stdout stays clean for --json."""
    print(*parts, file=sys.stderr, flush=True)


def emit_json(obj: Any) -> None:
    try:
        sys.stdout.write(json.dumps(obj, default=_json_default, ensure_ascii=False) + "\n")
    except UnicodeEncodeError:
        # A console that cannot show every character (cp1252 on Windows), or a file name that is not
        # valid UTF-8 (Linux): the same JSON with \u escapes is plain ASCII and always writes.
        sys.stdout.write(json.dumps(obj, default=_json_default, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def emit_error(args, message: str, exit_code: int = 2, details: dict | None = None) -> int:
    say(f"edgeling: {message}")
    if getattr(args, "json", False):
        emit_json({"error": {"message": message, "exit_code": exit_code, **(details or {})}})
    return exit_code
