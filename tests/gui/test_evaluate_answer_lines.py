"""The shop walk at 1024 x 700: each wrong answer wrapped wherever the list's width ran out, inside its brackets
("(Numéro de commande / CMD-100174)", "(99% / sure)"). An entry is one line when it fits; else it breaks after
its place ("… row 176 (Numéro de commande CMD-100174):" over "is Oui, the model said Non (82% sure)"), never
inside brackets; the item's text stays core's words."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextLayout, QTextOption

from edgeling.gui.qt import QStyleOptionViewItem
from edgeling.gui.widgets.sample_lines import laid_out
from tests.gui.test_evaluate_orders_1024 import _page, _settle


def _drawn_lines(view, row: int) -> list[str]:
    """The lines item ``row`` is drawn in, as Qt wraps the text its delegate draws at the item's width."""
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(view.model().index(row, 0))
    view.itemDelegate().initStyleOption(option, view.model().index(row, 0))
    text = option.text.replace("\n", "\u2028")
    layout = QTextLayout(text, option.font)
    opts = QTextOption()
    opts.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(opts)
    margin = 2 * (view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(option.rect.width() - margin)
        lines.append(text[line.textStart():line.textStart() + line.textLength()])
    layout.endLayout()
    return [s.strip(" \u2028\u2003") for s in lines]


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_a_wrong_answer_breaks_after_its_place_never_in_brackets(window, qtbot, size):
    page = _page(window, size)
    _settle(qtbot)
    view = page.worst
    assert view.count() > 3
    for row in range(3):
        words = view.item(row).text()
        assert words.startswith("commandes.csv row ") and words.endswith("% sure)")     # core's words kept
        lines = _drawn_lines(view, row)
        for line in lines:      # every bracket opened on a line is closed on it
            assert line.count("(") == line.count(")"), lines
        if len(lines) > 1:      # too wide for one line: the place, then the answer
            assert len(lines) == 2 and lines[0].endswith("):") and lines[1].startswith("is "), lines


def test_one_line_when_it_fits():
    text = "a.png: is cat, the model said dog (60% sure)"
    assert laid_out(text, lambda t: True) == text
    two = laid_out(text, lambda t: len(t) < 20)
    assert two.split("\u2028")[0] == "a.png:" and two.split("\u2028")[1].strip("\u2003") == \
        "is cat, the model said dog (60%\u00a0sure)"
