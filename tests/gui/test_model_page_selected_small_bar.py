"""The speech walk (shots/02-model-1280.png): on a Raspberry Pi the ★ row's bars ("69.4 KB of 3.0 GB", "29.8 KB
of 22.4 GB") drew as solid dark bars, as if full, while the other rows' tiny values drew empty: the selected row
drew the room left in a dark shade. The room left is white on every row now, the room used dark on the selection."""

from __future__ import annotations

from dataclasses import asdict

from edgeling.core.devices.catalogue import get_device
from edgeling.gui.qt import QApplication
from tests.gui.test_model_page_pi import plan_for
from tests.gui.test_model_page_selected_bars import _apart, _colour


def test_a_nearly_empty_bar_on_the_selected_row_looks_empty(window, qtbot):
    window.resize(1280, 800)
    window.pages["home"].create_button.click()
    window.show_page("model")
    page = window.pages["model"]
    page.devices = [asdict(get_device("raspberry-pi-4", measure=False))]
    plan = plan_for("raspberry-pi-4")
    small = dict(plan["pick"], arch="ds_cnn", knobs={"width": 16}, ram_bytes=6 * 1024, flash_bytes=7 * 1024)
    page.show_plan({**plan, "candidates": [plan["pick"], small]})
    qtbot.wait(50)
    QApplication.processEvents()
    assert sorted({i.row() for i in page.table.selectedIndexes()}) == [0]        # the ★ row: 144 KB of 3.0 GB
    image = window.grab().toImage()
    for col in (2, 3):
        chosen, other = page.table.cellWidget(0, col).bar, page.table.cellWidget(1, col).bar
        assert chosen.value() < 10 and other.value() < 10           # both under 1% of the bar
        # the middle of the bar is room left: white on the selected row as on the other one, not a dark fill
        assert _apart(_colour(image, chosen, 0.5), _colour(image, other, 0.5)) < 30, col
        assert _apart(_colour(image, chosen, 0.5), (255, 255, 255)) < 30, col
    page.leave_project()
