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
