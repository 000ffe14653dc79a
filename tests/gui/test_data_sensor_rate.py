"""The Nano walk: the Arduino Nano 33 BLE Sense reads its accelerometer at a fixed 119 per second, and the app
could only train at the recordings' own rate (the Data page had the window and step, no rate; the CLI has
--sample-rate). The Data page now has "read at [100, as recorded]" beside them: a number typed, or the board's
rate in one click, reads every recording at it, is kept in the project (a reopened project reads at it again)
and goes to training, cross-validation and the plan as --sample-rate does."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgeling.gui.pages.model_plan import import_args
from edgeling.gui.qt import Qt
from tests.gui.conftest import close_error_dialogs
from tests.gui.test_main_window import make_images, pump_imported, reopen_project, wait_imported

NANO = "arduino-nano-33-ble-sense"


def _reimported(qtbot, window, act) -> None:
    ds = window.state.dataset
    act()
    qtbot.waitUntil(lambda: window.state.dataset is not ds and not window.pages["data"].importing, timeout=60000)


def test_the_board_s_rate_in_one_click_reaches_training_and_plan_and_a_reopened_project(window, qtbot):
    window.resize(1024, 700)
    page = pump_imported(window, qtbot)
    rate = page.rate
    assert rate.box.isVisibleTo(window) and rate.box.text() == "100, as recorded"   # the pump's own rate
    assert not rate.board.isVisibleTo(window)                                        # no device chosen yet
    height = page.split.height()
    window.state.project.device = NANO                # chosen on the Model page
    window.state.edited()
    window.show_page("model")
    window.show_page("data")
    assert rate.board.isVisibleTo(window) and "119" in rate.board.text()
    assert "Arduino_LSM9DS1" in rate.board.toolTip()
    qtbot.wait(100)
    row_right = max(w.geometry().right() for w in (page.stride_box, rate.box, rate.board))
    assert row_right <= page.split.geometry().right()       # the row fits beside the window and step at 1024
    assert page.split.height() == height                     # and the page is no taller for it
    window.resize(800, 600)                           # a narrower window: the button gives way, never widens it
    qtbot.waitUntil(lambda: not rate.board.isVisibleTo(window), timeout=5000)
    assert window.width() == 800 and rate.box.isVisibleTo(window)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: rate.board.isVisibleTo(window), timeout=5000)

    _reimported(qtbot, window, rate.board.click)
    ds = window.state.dataset
    assert ds.meta["sample_rate"] == pytest.approx(119.0) and ds.meta["window_len"] == 238
    assert "at 119 per second" in page.status.text()
    assert rate.box.text() == "119 per second" and not rate.board.isVisibleTo(window)
    project = window.state.project
    assert project.data["options"]["sample_rate"] == pytest.approx(119.0)
    args = import_args(project.data)
    assert float(args[args.index("--sample-rate") + 1]) == pytest.approx(119.0)            # the plan
    params = window.pages["evaluate"].crossval.params_for(project.folder / "runs" / "x")   # training, cross-val
    assert params["import_options"]["sample_rate"] == pytest.approx(119.0)

    page.window_box.setValue(3.0)                     # the window changed after: the rate stays
    _reimported(qtbot, window, page.window_box.editingFinished.emit)
    assert window.state.dataset.meta["sample_rate"] == pytest.approx(119.0)
    assert project.data["options"] == {"sample_rate": pytest.approx(119.0), "window_s": 3.0, "stride_s": 1.0}

    again = reopen_project(qtbot, window)
    again.show_page("data")
    reopened = again.pages["data"]
    assert again.state.dataset.meta["sample_rate"] == pytest.approx(119.0)
    assert reopened.rate.box.isVisibleTo(again) and reopened.rate.box.text() == "119 per second"
    assert again.state.project.data["options"]["sample_rate"] == pytest.approx(119.0)
    again.close()


def test_a_rate_typed_is_read_at_and_0_reads_them_as_recorded_again(window, qtbot):
    page = pump_imported(window, qtbot)
    box = page.rate.box
    def type_in(text: str) -> None:         # as a user does: select what the box says, type, press Enter
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, text)
        qtbot.keyClick(box, Qt.Key.Key_Return)

    _reimported(qtbot, window, lambda: type_in("50"))
    assert window.state.dataset.meta["sample_rate"] == pytest.approx(50.0)
    assert window.state.project.data["options"] == {"sample_rate": 50.0}
    assert box.text() == "50 per second" and "at 50 per second" in page.status.text()
    before = window.state.dataset
    box.editingFinished.emit()                       # nothing changed: not read again
    assert not page.importing and window.state.dataset is before
    _reimported(qtbot, window, lambda: type_in("0"))
    assert window.state.dataset.meta["sample_rate"] == pytest.approx(100.0)
    assert "sample_rate" not in window.state.project.data["options"]
    assert box.text() == "100, as recorded"
    assert not close_error_dialogs(qtbot)


def test_no_rate_for_photos(window, qtbot, tmp_path):
    window.pages["home"].create_button.click()
    window.state.project.device = NANO
    page = window.pages["data"]
    page.import_path(str(make_images(tmp_path / "photos")))
    wait_imported(qtbot, window)
    assert window.state.dataset.kind == "images"
    assert not page.rate.box.isVisibleTo(window) and not page.rate.board.isVisibleTo(window)
    assert not page.rate.label.isVisibleTo(window)
    assert Path(window.state.dataset.root).name == "photos"
