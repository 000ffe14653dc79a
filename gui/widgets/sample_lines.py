"""How an entry of the Evaluate page's list of answers is laid out: on one line when it fits the list's width,
else broken after the place it is from ("commandes.csv row 176 (Numéro de commande CMD-100174):" over "is Oui,
the model said Non (82% sure)"), and never inside brackets.

The shop walk at 1024 x 700: Qt wrapped each entry wherever the width ran out, inside its brackets ("(Numéro de
commande / CMD-100174)", "(99% / sure)"). The item's text stays core's words (``sample_words``); only the
drawing is laid out here, for the width the list has now. When the place alone is a little too wide (a table's
row with its order number, at 1024 px), the file's name is shortened in its middle ("commandes_ex…ort.csv row
176 (…)"): it is the same on every row, and whole in the entry's tooltip and the summary above."""

from __future__ import annotations

import re

from edgeling.gui.qt import QStyle, QStyledItemDelegate, Qt

NBSP = "\u00a0"          # a space Qt does not break a line at
LINE = "\u2028"          # a line break Qt draws in an item's text ("\\n" is drawn as a space)
FILE_LEAST = 8           # characters of a file's name kept at least when it is shortened
INDENT = "\u2003"        # the answer's line, under its place, starts a little further in
ANSWER = ": is "         # core's words: "PLACE: is TRUE, the model said PREDICTED (99% sure)"
BRACKETS = re.compile(r"\([^()]*\)")


def glued(text: str) -> str:
    """``text`` with the spaces inside its brackets made non-breaking: "(99%\u00a0sure)"."""
    return BRACKETS.sub(lambda m: m.group(0).replace(" ", NBSP), text)


def laid_out(text: str, fits, shorten=None) -> str:
    """``text`` as drawn: as it is when ``fits(text)``; else its place, then on a line of its own the answer
    (core's "PLACE: is …"); a text of another kind, or a place still too long, wraps at spaces outside brackets.
    ``shorten(name, rest)``: a table's file name shortened so that it and ``rest`` fit on a line, or None."""
    if fits(text):
        return text
    place, found, answer = text.partition(ANSWER)
    if not found:
        return glued(text)
    place += ":"
    file, row, rest = place.partition(" row ")
    if row and not fits(place) and shorten is not None:
        short = shorten(file, row + rest)
        if short and len(short) >= FILE_LEAST:
            place = short + row + rest
    return f"{glued(place)}{LINE}{INDENT}{glued('is ' + answer)}"


class SampleLines(QStyledItemDelegate):
    """The list's delegate: each entry laid out (``laid_out``) for the width of the list's view."""

    def __init__(self, view):
        super().__init__(view)
        self.view = view

    def initStyleOption(self, option, index) -> None:   # noqa: N802 - Qt's name
        super().initStyleOption(option, index)
        if not option.text:
            return
        style = self.view.style()
        margins = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.view) + 1) + 1
        width = self.view.viewport().width() - margins
        if not option.icon.isNull():
            width -= option.decorationSize.width() + margins
        metrics = option.fontMetrics

        def shorten(name: str, rest: str) -> str:
            room = width - metrics.horizontalAdvance(rest)
            return metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, room) if room > 0 else ""

        option.text = laid_out(option.text, lambda t: metrics.horizontalAdvance(t) <= width, shorten)
