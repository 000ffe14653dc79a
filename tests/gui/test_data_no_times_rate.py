"""Sensor recordings with no times in them (columns x, y, z only) cannot be read without the sensor's rate. The
terminal's user types --sample-rate 100; in the app the import just failed, and the Data page's "read at" box
appears only after an import that worked, so the rate could not be given at all. The page now asks for it in
plain words and imports again at it, kept in the project as the rate the recordings were made at
(``recorded_rate``, not the "read at" box's ``sample_rate``); Cancel leaves the page as after a failed import."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edgeling.gui.pages import data_import, data_norate
from edgeling.gui.pages.model_plan import import_args
from edgeling.gui.qt import QApplication
from tests.gui.conftest import close_error_dialogs
from tests.gui.test_main_window import reopen_project


def untimed(root: Path, per_class: int = 4, rows: int = 600) -> Path:
    """Three classes of accelerometer recordings with columns x, y, z and no timestamps."""
    rng = np.random.default_rng(0)
    t = np.arange(rows) / 100.0
    for c, (name, hz) in enumerate((("normal", 2.0), ("cavitation", 9.0), ("loose_mount", 21.0))):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            x = 0.3 * np.sin(2 * np.pi * hz * t + i) + rng.normal(0, 0.05, rows)
            y = 0.2 * np.cos(2 * np.pi * hz * t) + rng.normal(0, 0.05, rows) + 0.1 * c
            z = 1.0 + rng.normal(0, 0.05, rows)
            lines = ["x,y,z", *(f"{a:.4f},{b:.4f},{d:.4f}" for a, b, d in zip(x, y, z))]
            (root / name / f"{name}_{i + 1:02d}.csv").write_text("\n".join(lines) + "\n")
    return root


def answering(monkeypatch, rate: float | None, page=None) -> list:
    """The question answered at once with ``rate`` (None: Cancel); the names asked about are listed, with the
    asking import's child process when ``page`` is given."""
    asked = []

    def ask(parent, name, answer):
        asked.append((name, page._thread.child_pid) if page is not None else name)
        answer(rate)

    monkeypatch.setattr(data_norate, "ask_rate", ask)
    return asked


def imported(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.state.dataset is not None and not window.pages["data"].importing, timeout=60000)


def test_the_rate_asked_is_read_at_kept_in_the_project_and_reopened(window, qtbot, tmp_path, monkeypatch):
    asked = answering(monkeypatch, 50.0)
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page._on_path_chosen(str(untimed(tmp_path / "vib")))        # as dropped on the page
    imported(qtbot, window)
    assert asked == ["vib"]
    ds = window.state.dataset
    assert ds.kind == "timeseries" and ds.meta["sample_rate"] == pytest.approx(50.0)
    project = window.state.project
    assert project.data["options"] == {"recorded_rate": 50.0}      # the rate they were made at, not read at
    assert page.rate.box.isVisibleTo(window) and page.rate.box.text() == "50, as recorded"
    assert page.status.text().startswith("vib: ") and close_error_dialogs(qtbot) == []
    args = import_args(project.data)
    assert float(args[args.index("--recorded-rate") + 1]) == pytest.approx(50.0)           # the plan
    params = window.pages["evaluate"].crossval.params_for(project.folder / "runs" / "x")   # training, cross-val
    assert params["import_options"]["recorded_rate"] == pytest.approx(50.0)

    again = reopen_project(qtbot, window)
    assert asked == ["vib"]                                         # not asked again: the project knows it
    assert again.state.dataset.meta["sample_rate"] == pytest.approx(50.0)
    assert again.state.project.data["options"] == {"recorded_rate": 50.0}
    again.close()


def test_cancel_says_how_to_be_asked_again_without_an_error_box(window, qtbot, tmp_path, monkeypatch):
    asked = answering(monkeypatch, None)
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page._on_path_chosen(str(untimed(tmp_path / "vib")))
    qtbot.waitUntil(lambda: not page.importing, timeout=60000)
    QApplication.processEvents()
    assert asked == ["vib"]
    assert window.state.dataset is None and not page.importing
    assert close_error_dialogs(qtbot) == []      # no error box for a question the user chose not to answer
    assert page.status.text() == ("The data could not be imported: The recordings in vib have no times in them, "
                                  "and no rate was given.")
    problem = page.report.topLevelItem(0).text(0)     # how to be asked again, not core's "give the sample rate"
    assert "choose vib again and say how many readings per second" in problem and "Give the" not in problem
    assert not {"sample_rate", "recorded_rate"} & set(window.state.project.data.get("options") or {})


def test_a_big_import_read_in_a_child_asks_too(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(data_import, "IN_CHILD_BYTES", 1)       # every import counts as big here
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    asked = answering(monkeypatch, 100.0, page)
    page._on_path_chosen(str(untimed(tmp_path / "vib")))
    imported(qtbot, window)
    assert len(asked) == 1 and asked[0][0] == "vib" and asked[0][1] is not None     # the child's failure asked
    assert window.state.dataset.meta["sample_rate"] == pytest.approx(100.0)
    assert window.state.project.data["options"] == {"recorded_rate": 100.0}
    assert close_error_dialogs(qtbot) == []


def test_the_question_in_plain_words(window, qtbot, tmp_path):
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page._on_path_chosen(str(untimed(tmp_path / "vib")))
    qtbot.waitUntil(lambda: page.findChild(data_norate.RateQuestion) is not None, timeout=60000)
    dialog = page.findChild(data_norate.RateQuestion)
    qtbot.waitUntil(lambda: not page.importing, timeout=60000)
    assert dialog.isVisible() and close_error_dialogs(qtbot) == []    # asked, not told it failed
    words = " ".join(w.text() for w in dialog.findChildren(data_norate.QLabel))
    assert "have no times in them" in words and "How many readings per second did the sensor take?" in words
    assert "logger's settings or its manual" in words
    assert dialog.box.text() == "100 per second"
    assert "no times in them" in page.status.text()
    dialog.box.setValue(200)
    dialog.accept()
    imported(qtbot, window)
    assert window.state.dataset.meta["sample_rate"] == pytest.approx(200.0)
    assert window.state.project.data["options"] == {"recorded_rate": 200.0}
