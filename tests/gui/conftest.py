"""GUI tests run offscreen, with their own data, cache and samples folders (never the user's)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from edgeling.gui.main_window import MainWindow  # noqa: E402

REAL_CONFIRM_CLOSE = MainWindow.confirm_close
"""The window's own close question; the autouse fixture below answers it with "stop and close"."""


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    monkeypatch.setattr(MainWindow, "confirm_close", lambda self, busy, opening=False: True)
    monkeypatch.setenv("EDGELING_DATA_DIR", str(tmp_path / "appdata"))
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EDGELING_SAMPLES_DIR", str(tmp_path / "samples"))
    return tmp_path


def shown_window(qtbot, train_target: str | None = None):
    """The main window, shown and owned by qtbot; ``train_target``: the job the Train page starts (a fake
    training job without torch), instead of the real one."""
    from edgeling.gui.app import create_main_window

    w = create_main_window(page_kwargs={"train": {"target": train_target}} if train_target else None)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def window(qtbot):
    w = shown_window(qtbot)
    yield w
    w.close()


def new_project_page(window, key: str, size: tuple[int, int] = (1024, 700)):
    """The page ``key`` of a new project, in a window of ``size``."""
    window.resize(*size)
    window.pages["home"].create_button.click()
    window.show_page(key)
    return window.pages[key]


def picker_labels(window, key: str) -> list[str]:
    """The run picker's labels on the page ``key``, shown."""
    window.show_page(key)
    picker = window.pages[key].runs
    return [picker.itemText(i) for i in range(picker.count())]


def close_error_dialogs(qtbot) -> list[str]:
    """Texts of the visible error dialogs, which are then closed."""
    from edgeling.gui.qt import QApplication, QMessageBox

    texts = []
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible():
            texts.append(w.text())
            w.close()
    return texts
