"""Error dialogs wrapped a file's path like words, so Qt broke it after any hyphen: "…/projects/Pump-" then
"vibration/runs/…", "…/runs/run-002-" then "ptq/train.log.". A path now sits on a line of its own that does not
wrap (split at a separator only when wider than the dialog can be), and reads and copies as one."""

from __future__ import annotations

import pytest
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument

from edgeling.gui.errors import show_error
from edgeling.gui.qt import QApplication, QLabel, Qt

USERS = ["li", "ana", "bob", "marie", "jean-luc", "ana-maria", "christophe"]
PROJECTS = ["Pump-vibration", "Grape-leaves", "Orders-returns", "Vineyard-leaves"]


def _lines(label: QLabel) -> list[str]:
    """The lines ``label`` shows its text in, at its width."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(label.text()))
    (doc.setHtml if rich else doc.setPlainText)(label.text())
    doc.setTextWidth(label.contentsRect().width())
    doc.size()
    lines, block = [], doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            lines.append(block.text()[line.textStart():line.textStart() + line.textLength()].strip("\u2028"))
        block = block.next()
    return lines


@pytest.mark.parametrize("say", ["The training process ended unexpectedly (exit code 1). Its log is {log}.",
                                 "The training process ended unexpectedly (SIGTERM); no checkpoint had been saved "
                                 "yet. Its log is {log}.",
                                 "The compression failed: the model could not be quantized."])
def test_a_log_path_is_never_broken_at_a_hyphen(window, say):
    broken = []
    for user in USERS:
        for project in PROJECTS:
            log = f"/home/{user}/.local/share/edgeling/projects/{project}/runs/run-002-ptq/train.log"
            box = show_error(window, say.format(log=log), "", log)
            box.grab()
            QApplication.processEvents()
            labels = [lab for lab in box.findChildren(QLabel) if lab.isVisible() and log in lab.text()]
            assert len(labels) == 1                                 # named once, in the message or under it
            lines = _lines(labels[0])
            if not any(log in line for line in lines):              # not whole on one line: where was it cut?
                broken += [line for line in lines if line.rstrip().endswith("-")]
            box.close()
    assert not broken, broken


def test_a_path_wider_than_the_dialog_is_split_only_at_its_separators(window):
    folder = ("/home/ana/Pictures/grape-leaves-2026-north-vineyard-and-the-south-vineyard-after-the-rain/"
              "autumn-harvest-photos-taken-by-the-team/day-one-of-the-harvest-with-the-whole-team-out")
    box = show_error(window, f"The folder {folder} has no pictures.", say_log=False)
    box.grab()
    lines = _lines(box.findChild(QLabel, "qt_msgbox_label"))
    assert lines[0].strip() == "The folder" and lines[-1] == "has no pictures."
    path_lines = lines[1:-1]
    assert len(path_lines) > 1 and "".join(path_lines) == folder
    assert all(line.endswith("/") for line in path_lines[:-1])
    box.close()


def test_words_without_a_path_stay_plain_text(window):
    box = show_error(window, "Choose a device first: 5 < 6 and a/b are no paths.", say_log=False)
    assert box.text() == "Choose a device first: 5 < 6 and a/b are no paths."
    box.close()
