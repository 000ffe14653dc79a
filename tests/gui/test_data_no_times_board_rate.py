"""The GUI walk (finding 1): recordings with no times, the rate question answered 100, then "Read at 119, as the
board does". The answer was kept as the rate to read at (``sample_rate``) and the board's button replaced it, so
the rows were read as if the sensor had taken 119 a second: fewer windows (181 instead of 226), every movement
faster, nothing resampled and nothing said. The answer is now the rate the recordings were made at
(``recorded_rate``): the button only changes the rate to read at, so the recordings are resampled from 100 to 119
(as many windows, 238 readings each) and core says so; both reach the plan, training and cross-validation, and a
reopened project keeps both."""

from __future__ import annotations

import pytest

from edgeling.gui.pages.model_plan import import_args
from tests.gui.conftest import close_error_dialogs
from tests.gui.test_data_no_times_rate import answering, imported, untimed
from tests.gui.test_data_sensor_rate import NANO, _reimported
from tests.gui.test_main_window import reopen_project


def _findings(page) -> str:
    return " ".join(page.report.topLevelItem(i).text(0) for i in range(page.report.topLevelItemCount()))


def test_the_board_s_rate_resamples_recordings_with_no_times_from_the_rate_given(window, qtbot, tmp_path,
                                                                                monkeypatch):
    asked = answering(monkeypatch, 100.0)
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    project = window.state.project
    project.device = NANO                  # chosen on the Model page first
    page = window.pages["data"]
    page._on_path_chosen(str(untimed(tmp_path / "d", rows=1250)))
    imported(qtbot, window)
    assert asked == ["d"]
    at_100 = window.state.dataset
    assert at_100.meta["sample_rate"] == pytest.approx(100.0) and at_100.meta["window_len"] == 200
    assert page.rate.box.text() == "100, as recorded"
    qtbot.waitUntil(lambda: page.rate.board.isVisibleTo(window), timeout=5000)

    _reimported(qtbot, window, page.rate.board.click)
    ds = window.state.dataset
    assert ds.meta["sample_rate"] == pytest.approx(119.0) and ds.meta["window_len"] == 238
    assert ds.num_samples == at_100.num_samples         # resampled: as many windows, not 100/119 of them
    assert f"d: {at_100.num_samples} windows" in page.status.text() and "at 119 per second" in page.status.text()
    assert "more than the 100 per second the recordings were made at" in _findings(page)
    assert project.data["options"] == {"recorded_rate": 100.0, "sample_rate": 119.0}
    assert page.rate.box.text() == "119 per second" and not page.rate.board.isVisibleTo(window)
    args = import_args(project.data)
    assert float(args[args.index("--recorded-rate") + 1]) == pytest.approx(100.0)         # the plan
    assert float(args[args.index("--sample-rate") + 1]) == pytest.approx(119.0)
    params = window.pages["evaluate"].crossval.params_for(project.folder / "runs" / "x")   # training, cross-val
    assert params["import_options"]["recorded_rate"] == pytest.approx(100.0)
    assert params["import_options"]["sample_rate"] == pytest.approx(119.0)
    assert close_error_dialogs(qtbot) == []

    again = reopen_project(qtbot, window)
    assert asked == ["d"]                                  # not asked again
    assert again.state.project.data["options"] == {"recorded_rate": 100.0, "sample_rate": 119.0}
    assert again.state.dataset.meta["window_len"] == 238 and again.state.dataset.num_samples == at_100.num_samples
    reopened = again.pages["data"]
    assert reopened.rate.box.text() == "119 per second"

    box = reopened.rate.box                                # "as recorded" again: the 100 given, not 119
    box.setValue(0)
    _reimported(qtbot, again, box.editingFinished.emit)
    assert again.state.dataset.meta["sample_rate"] == pytest.approx(100.0)
    assert again.state.dataset.num_samples == at_100.num_samples
    assert again.state.project.data["options"] == {"recorded_rate": 100.0}
    assert box.text() == "100, as recorded"
    again.close()


def test_no_board_button_for_recordings_made_at_the_board_s_rate(window, qtbot, tmp_path, monkeypatch):
    """Recordings made at the Nano's 119 per second are read at it "as recorded": the button offered nothing."""
    asked = answering(monkeypatch, 119.0)
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    window.state.project.device = NANO
    page = window.pages["data"]
    page._on_path_chosen(str(untimed(tmp_path / "d")))
    imported(qtbot, window)
    assert asked == ["d"] and page.rate.box.text() == "119, as recorded"
    page.rate.show_board()
    assert page.rate.box.isVisibleTo(window) and not page.rate.board.isVisibleTo(window)
    page.rate.box.setValue(100)                          # read at another rate: the board's is offered again
    _reimported(qtbot, window, page.rate.box.editingFinished.emit)
    qtbot.waitUntil(lambda: page.rate.board.isVisibleTo(window), timeout=5000)


def test_a_project_kept_before_the_recorded_rate_keeps_its_rate_as_the_recorded_one(window, qtbot, tmp_path):
    """A project saved by the app before: the rate given for recordings with no times kept as ``sample_rate``.
    Its recordings were made at that rate, so the board's button resamples them from it, as for a new one."""
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    project = window.state.project
    project.device = NANO
    data = untimed(tmp_path / "d", rows=1250)
    window.pages["data"].import_path(str(data), None, {"sample_rate": 100.0})
    imported(qtbot, window)
    page = window.pages["data"]
    before = window.state.dataset.num_samples
    qtbot.waitUntil(lambda: page.rate.board.isVisibleTo(window), timeout=5000)
    _reimported(qtbot, window, page.rate.board.click)
    assert window.state.dataset.meta["window_len"] == 238 and window.state.dataset.num_samples == before
    assert project.data["options"] == {"recorded_rate": 100.0, "sample_rate": 119.0}
