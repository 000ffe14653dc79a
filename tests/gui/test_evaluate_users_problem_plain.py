"""Test on other files…: a problem with the user's files (core's DataError, exit code 2 of the CLI) is said as a
plain message, with no log line and no details; a real failure keeps them (the walk: folders named otherwise than
the model's classes came in a warning box with "The log is in …edgeling-studio.log" and "Show Details…")."""

from __future__ import annotations

from edgeling.gui.qt import QApplication, QMessageBox


def _shown_box() -> tuple[str, str, str, QMessageBox.Icon]:
    """The one dialog shown (closed here): its text, informative text, details and icon."""
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    said = [(b.text(), b.informativeText(), b.detailedText(), b.icon()) for b in boxes]
    for b in boxes:
        b.close()
    assert len(said) == 1, said
    return said[0]


def test_a_refusal_of_the_users_files_is_a_plain_message(window, qtbot, tmp_path):
    page = window.pages["evaluate"]
    window.show_page("evaluate")
    with qtbot.waitSignal(page._evaluate.sig_failed, timeout=60000):     # the real CLI child: exit code 2
        page._evaluate.start(["evaluate", str(tmp_path / "norun"), "--on", str(tmp_path / "photos")])
    text, informative, details, icon = _shown_box()
    assert "is not a training run" in text
    assert "log" not in informative.lower() and not details and icon == QMessageBox.Icon.Information


def test_a_failure_of_edgelings_keeps_the_log_line(window, qtbot):
    page = window.pages["evaluate"]
    window.show_page("evaluate")
    page._evaluate.last_output = {"error": {"message": "Something went wrong inside Edgeling.", "exit_code": 1}}
    page._evaluate.sig_failed.emit("Something went wrong inside Edgeling.", "Traceback …")
    text, informative, details, icon = _shown_box()
    assert informative.startswith("The log is in ") and details == "Traceback …" and icon == QMessageBox.Icon.Warning
