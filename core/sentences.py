"""Pieces of sentences shared by the terminal and the app. Standard library only: the GUI process imports this."""

from __future__ import annotations

import re


def first_sentence(text: str, limit: int = 140) -> str:
    """The message's first sentence (a capital after '. ' starts the next; 'e.g. 1,5' does not), cut at
    the last whole word within ``limit`` characters."""
    head = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Þ])", text.strip(), maxsplit=1)[0]
    if len(head) <= limit:
        return head
    cut = head[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:(") + "…"
