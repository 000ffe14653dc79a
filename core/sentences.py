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


def window_words(meta: dict, readings: int) -> str:
    """A sensor window in words, seconds first: "2 s = 400 readings of x, y, z at 200 per second, a new window
    every 1 s" (the pump walk: the terminal said only "a window of 400 readings", beside "200 samples per
    second", where "samples" were windows). '' without a rate and a window length in ``meta``."""
    if not meta.get("sample_rate") or not meta.get("window_s"):
        return ""
    channels = ", ".join(map(str, meta.get("channels") or [])) or "the channels"
    stride = meta.get("stride_s")
    return (f"{float(meta['window_s']):g} s = {readings} readings of {channels} at {float(meta['sample_rate']):g} "
            f"per second" + (f", a new window every {float(stride):g} s" if stride else ""))
