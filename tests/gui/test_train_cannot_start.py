"""Start training in a project that cannot be written, or whose data is gone: said plainly, with what to do,
and no run is added (the robustness walk: "this is a bug … Your project is saved", and an empty "failed" run
added at each press when the data folder had been deleted)."""

from __future__ import annotations

import errno
import pathlib

import pytest

from tests.gui.conftest import close_error_dialogs, shown_window

FAKE = "tests.gui.tiny_jobs.fake_training"


@pytest.fixture
def train_window(qtbot, tmp_path):
    w = shown_window(qtbot, FAKE)
    w.pages["home"].name_edit.setText("Readonly")
    w.pages["home"].create_button.click()
    data = tmp_path / "data"
    data.mkdir()
    w.state.project.update(data={"path": str(data), "kind": "images"}, device="tiny")
    w.show_page("train")
    yield w
    w.close()


def test_a_read_only_project_folder_is_said_plainly_and_no_run_is_added(train_window, qtbot, monkeypatch):
    page = train_window.pages["train"]
    project = train_window.state.project
    real_mkdir = pathlib.Path.mkdir

    def read_only(self, *a, **k):
        if project.runs_dir in (self, *self.parents):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_mkdir(self, *a, **k)

    monkeypatch.setattr(pathlib.Path, "mkdir", read_only)
    assert page.start_training() is False
    texts = close_error_dialogs(qtbot)
    assert len(texts) == 1
    said = texts[0]
    assert "cannot be written" in said and "read-only" in said and str(project.folder) in said
    assert "Documents" in said and "open it there" in said
    assert "bug" not in said and "is saved" not in said
    assert project.runs == [] and not page.job.running


def test_data_deleted_while_open_disables_start_and_adds_no_failed_run(train_window, qtbot, tmp_path):
    page = train_window.pages["train"]
    project = train_window.state.project
    assert page.start_button.isEnabled()
    (tmp_path / "data").rmdir()                  # deleted in a file manager, the project open
    train_window.show_page("data")
    train_window.show_page("train")
    assert not page.start_button.isEnabled() and not page.resume_button.isEnabled()
    tip = page.start_button.toolTip()
    assert str(tmp_path / "data") in tip and "not on this computer" in tip and "Data page" in tip
    for _ in range(2):                           # pressed anyway (a shortcut): refused, said plainly, no run
        assert page.start_training() is False
        texts = close_error_dialogs(qtbot)
        assert len(texts) == 1 and "Choose the folder again on the Data page" in texts[0]
        assert "Traceback" not in texts[0]
    assert project.runs == []
    assert not project.runs_dir.exists() or not any(project.runs_dir.iterdir())
    assert not page.job.running
