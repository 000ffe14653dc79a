"""The second GUI walk: once the Export page had been shown for a PC project, the window could no longer be
narrower than 1173 pixels on any page: the row of format boxes, with a PC's longer labels ("TFLite, int8 (small
and fast: Raspberry Pi, phones)", "C header for TFLite Micro (microcontrollers only)"), did not wrap. The boxes
now sit two to a row (int8 and float of each format together), so the page fits a 1024-pixel screen."""

from __future__ import annotations

import pytest

from tests.gui.test_vineyard_walk import add_run


@pytest.mark.parametrize("device", ["this-computer", "esp32-s3", "raspberry-pi-4"])
def test_the_export_page_fits_a_1024_pixel_window(window, qtbot, device):
    from edgeling.gui.qt import QApplication

    window.pages["home"].create_button.click()
    add_run(window.state.project, "run-001", device=device)
    window.state.edited()
    window.resize(1024, 700)
    window.show_page("export")
    for _ in range(5):
        QApplication.processEvents()
    window.resize(1024, 700)
    QApplication.processEvents()
    assert window.width() == 1024, (device, window.width(), window.minimumSizeHint().width())
    window.show_page("evaluate")
    window.resize(1024, 700)
    QApplication.processEvents()
    assert window.width() == 1024
