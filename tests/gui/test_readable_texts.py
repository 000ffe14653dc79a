"""What walks as real users found hard to read at the window's usual size, held where it can be asserted:
findings cut off with "…", size bars whose words ran over each other, class names on a chart axis drawn
over each other, scores said twice or as a bare "1", the RAM a microcontroller needs said apart from what it has."""

from __future__ import annotations

from edgeling.gui.qt import QApplication, QFontMetrics, QRect, Qt

LONG_FINDING = ("The column 'commentaire' was left out: it has a different text in almost every row (an identifier "
                "or a free-text note), so there is nothing a model can learn from it.")


def _settle(qtbot, ms: int = 50) -> None:
    qtbot.wait(ms)
    QApplication.processEvents()


def test_a_long_finding_of_the_data_report_wraps_instead_of_being_cut_off(qtbot):
    """Each finding is a sentence or two; the list showed one line of it, ending in "…"."""
    from edgeling.gui.widgets.report_list import ReportList

    report = ReportList()
    qtbot.addWidget(report)
    report.resize(400, 300)
    report.show()
    report.show_problems([{"message": LONG_FINDING, "advice": "Nothing to do: " + LONG_FINDING,
                           "severity": "error", "files": ["a.csv"]}])
    _settle(qtbot)
    top = report.topLevelItem(0)
    advice = top.child(0)
    for item in (top, advice):
        rect = report.visualItemRect(item)
        needed = QFontMetrics(report.font()).boundingRect(
            QRect(0, 0, rect.width() - 8, 100000), int(Qt.TextFlag.TextWordWrap), item.text(0))
        assert rect.height() >= needed.height() > QFontMetrics(report.font()).height() * 2, item.text(0)
        assert rect.right() <= report.viewport().width()
    report.resize(800, 300)                      # wider: fewer lines, the rows follow
    _settle(qtbot)
    assert report.visualItemRect(top).height() < QFontMetrics(report.font()).height() * 3
