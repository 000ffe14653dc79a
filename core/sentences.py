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


def counted(n: int, one: str, many: str | None = None) -> str:
    """'1 file', '3 files', '1 photo', '2 copies' (``many`` when the plural is not ``one`` + 's'): a report
    says "1 file is", not "1 file(s) are"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def verb(n: int, one: str, many: str) -> str:
    """The verb for ``n`` things: verb(1, 'is', 'are') -> 'is'."""
    return one if n == 1 else many
