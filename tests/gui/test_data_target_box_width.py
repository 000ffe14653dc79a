"""A user walk (Data page, a table of returns): the "Column to predict" box showed "Rücksen" and "Zahlungs" for
"Rücksendung" and "Zahlungsart": it kept the width of its first contents. It is as wide as its longest column
name now (up to 40 characters), for every table chosen after."""

from __future__ import annotations

from types import SimpleNamespace

from edgeling.gui.qt import QStyle, QStyleOptionComboBox


def _table(names: list[str], target: str):
    return SimpleNamespace(kind="table", meta={"columns": [{"name": n} for n in names], "target": target})


def _text_room(box) -> int:
    """The width the box draws its text in (less the arrow and the frame)."""
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    rect = box.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                      QStyle.SubControl.SC_ComboBoxEditField, box)
    return rect.width()


def test_the_column_box_shows_its_longest_name(window, qtbot):
    window.pages["home"].create_button.click()
    window.show_page("data")
    page = window.pages["data"]
    box = page.target_box
    page._show_table_options(_table(["Preis", "Art"], "Art"))     # a first table, with short names
    qtbot.wait(20)
    page._show_table_options(_table(["Bestellnummer", "Zahlungsart", "Rücksendung"], "Rücksendung"))
    qtbot.waitUntil(lambda: box.isVisible())
    qtbot.wait(50)
    metrics = box.fontMetrics()
    longest = max(metrics.horizontalAdvance(box.itemText(i)) for i in range(box.count()))
    assert _text_room(box) >= longest, (_text_room(box), longest)
    page._thread_project = window.state.project
    page._offer_columns("returns.csv", ["Bestellnummer", "Zahlungsart", "Rücksendungsgrund_Kunde", "x"])
    qtbot.wait(50)
    longest = max(metrics.horizontalAdvance(box.itemText(i)) for i in range(box.count()))
    assert _text_room(box) >= longest, (_text_room(box), longest)
    box.addItem("a column name far too long to be shown whole in any reasonable box " * 2)
    assert box.width() <= metrics.averageCharWidth() * 40          # within reason: long names are cut
