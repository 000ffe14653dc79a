"""The pump walk's error dialogs: a training child that died said "Its log is …/train.log." and then "The log is
in …/train.log" again; choosing a folder that is no project ended with "The log is in …/edgeling-studio.log",
clutter for a wrong-folder choice. The log is named once, and not for such plain mistakes."""

from __future__ import annotations

from edgeling.gui.errors import show_error
from edgeling.gui.qt import QApplication, QMessageBox


def _dialogs() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_a_message_naming_its_log_does_not_name_it_again(window, tmp_path):
    log = tmp_path / "runs" / "run-001" / "train.log"
    message = (f"The training process ended unexpectedly (SIGTERM); no checkpoint had been saved yet. Its log is "
               f"{log}.")
    box = show_error(window, message, "", str(log))
    said = box.text() + "\n" + box.informativeText()
    assert said.count(str(log)) == 1, said
    box.close()
    box = show_error(window, "The training process ended unexpectedly (exit code 1).", "", str(log))
    assert box.informativeText() == f"The log is in {log}"        # not in the message: named under it
    box.close()


def test_a_folder_that_is_no_project_is_said_without_the_log(window, tmp_path):
    folder = tmp_path / "projects"
    folder.mkdir()
    assert not window.open_project(str(folder))
    boxes = _dialogs()
    assert len(boxes) == 1
    assert "There is no Edgeling project in" in boxes[0].text()
    assert "log" not in boxes[0].informativeText().lower() and "edgeling-studio.log" not in boxes[0].text()
    boxes[0].close()
