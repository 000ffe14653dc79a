"""Sentences core writes for both the terminal and the app name what to do in each: the app's button in words,
then the command, as " (in a terminal: edgeling crossval)". The app shows them without the command (the small-
screen walk: "(Test on other files…, or evaluate --on)" in the Evaluate page's summary). Standard library only:
the GUI process imports this."""

from __future__ import annotations

import re

_HINT = re.compile(r" \(in a terminal: [^()]*\)")


def in_terminal(command: str) -> str:
    """' (in a terminal: edgeling crossval)', to follow the app's words for the same step."""
    return f" (in a terminal: {command})"


def for_the_app(text: str) -> str:
    """``text`` without its terminal commands, for the app."""
    return _HINT.sub("", text) if text else text
