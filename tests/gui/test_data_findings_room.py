"""The Data page gives the findings the room to be read (the shop walk: at 1280 x 800 the list beside the chart
showed 2 of its 9 findings; "N° commande left out" and the blanks were below the fold)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.test_main_window import wait_imported

ORDERS = Path(__file__).resolve().parents[2] / "resources" / "samples" / "orders" / "commandes.csv"


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_the_findings_of_a_shop_table_show_without_scrolling(window, qtbot, size):
    window.resize(*size)
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(ORDERS))
    wait_imported(qtbot, window)
    qtbot.wait(200)      # the page settles (the status line wraps)
    report = page.report
    assert report.topLevelItemCount() >= 6
    room = report.viewport().rect()
    hidden = [report.topLevelItem(i).text(0) for i in range(report.topLevelItemCount())
              if not room.contains(report.visualItemRect(report.topLevelItem(i)))]
    assert hidden == []
    assert page.preview.height() >= 120 and page.preview.isVisible()   # his rows are still there to see
