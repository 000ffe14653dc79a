"""The error compression raises for the user (no torch here: the GUI may import it)."""


class CompressionError(Exception):
    """A compression problem to show as-is (plain words, what to do)."""

    user_facing = True
