"""The Model page's Network box and its table of candidates said two different things (the box on one network,
the ★ row and its words on another), and clicking a row did nothing. A row clicked now chooses that network with
its settings; a network chosen in the box selects its row, or clears the selection and the ★ words. At 1024 px
the "fits" column was cut to "ye" behind a sideways scroll bar: it takes the room left."""

from __future__ import annotations

from dataclasses import asdict

from edgeling.core.devices.catalogue import get_device
from edgeling.gui.qt import QApplication
from tests.gui.test_model_page_limits import PLAN

TUTORIAL = {"arch": "tutorial_cnn", "knobs": {"width": 8}, "params": 3818, "ram_bytes": 5 * 1024,
            "flash_bytes": 7 * 1024, "latency_ms": 1.0, "fits": True}


def _page(window, size=(1024, 700)):
    window.resize(*size)
    window.pages["home"].create_button.click()
    window.show_page("model")
    page = window.pages["model"]
    page.devices = [asdict(get_device("esp32-s3"))]
    page.show_plan({**PLAN, "candidates": PLAN["candidates"] + [TUTORIAL]})
    QApplication.processEvents()
    return page


def _selected(page) -> list[int]:
    return sorted({i.row() for i in page.table.selectedIndexes()})


def test_clicking_a_row_chooses_that_network_and_its_settings(window):
    page = _page(window)
    project = window.state.project
    assert _selected(page) == [0] and page.arch_box.currentData() == "mobilenet_v2"     # the ★ row, and the box
    assert project.model["knobs"] == {"alpha": 0.1} and page.explanation.text().startswith("★ ")
    page.table.selectRow(2)                                          # tutorial_cnn, width 8
    assert project.model == {"arch": "tutorial_cnn", "knobs": {"width": 8}}
    assert page.arch_box.currentData() == "tutorial_cnn"
    assert not page.explanation.text().startswith("★") and "Your choice: tutorial_cnn" in page.explanation.text()
    page.table.selectRow(1)                                          # mobilenet_v2 at 0.2, which does not fit
    assert project.model == {"arch": "mobilenet_v2", "knobs": {"alpha": 0.2}}
    assert "does not fit" in page.explanation.text() and page.arch_box.currentData() == "mobilenet_v2"
    page.table.selectRow(0)
    assert project.model["knobs"] == {"alpha": 0.1} and page.explanation.text().startswith("★ ")


def test_the_network_box_selects_its_row_or_none(window):
    page = _page(window)
    project = window.state.project
    page.table.selectRow(2)
    page.arch_box.setCurrentIndex(page.arch_box.findData("mobilenet_v2"))     # chosen in the box
    assert _selected(page) == [0] and project.model["knobs"] == {"alpha": 0.1}    # its row that fits
    page.arch_box.setCurrentIndex(page.arch_box.findData(""))                   # Automatic
    assert _selected(page) == [] and project.model == {"arch": None}
    assert "★" not in page.explanation.text() and page.explanation.text().startswith("Automatic")


def test_the_fits_column_is_whole_at_1024(window):
    page = _page(window)
    header = page.table.horizontalHeader()
    assert header.length() <= page.table.viewport().width()              # no sideways scroll
    assert page.table.columnWidth(5) >= page.table.fontMetrics().horizontalAdvance("yes") + 8
