"""The Evaluate page's per-class table shows every class of a handful without scrolling.

With six words (ja, nein, stopp, weiter, zurück, hallo) the table needed scrolling to show "zurück", the last
one, while the list below it had room to spare."""

from __future__ import annotations

from edgeling.gui.qt import QApplication

WORDS = ["hallo", "ja", "nein", "stopp", "weiter", "zurück"]   # as the run lists them


def metrics_for(names: list[str]) -> dict:
    n = len(names)
    return {"accuracy": 0.9, "macro_f1": 0.9, "class_names": names,
            "confusion_matrix": [[12 if r == c else 0 for c in range(n)] for r in range(n)],
            "per_class": {name: {"precision": 0.9, "recall": 0.9, "f1": 0.9, "support": 12} for name in names}}


def test_six_classes_show_without_scrolling_and_many_scroll(window, qtbot):
    window.resize(1280, 800)
    window.pages["home"].create_button.click()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page.show_metrics(metrics_for(WORDS))
    QApplication.processEvents()
    table = page.per_class
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() == 0, timeout=3000)
    last = table.visualItemRect(table.item(len(WORDS) - 1, 0))
    assert table.item(5, 0).text() == "zurück" and 0 < last.bottom() <= table.viewport().height()
    assert page.worst.height() > 80                     # the list below keeps room of its own
    many = [f"class {i}" for i in range(40)]
    page.show_metrics(metrics_for(many))
    QApplication.processEvents()
    assert table.rowCount() == 40 and table.verticalScrollBar().maximum() > 0    # many classes scroll
    assert table.height() < window.height()
