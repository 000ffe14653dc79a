"""An export that did not finish, for a reason other than its check (its helper killed, as out of memory kills it;
a conversion that failed): said as not finished, never as a file that failed its check (the robustness walk: "the
message says why" when the message gave no reason, and "FAILED" in the check column), and the Export page's Stop
button, which ends the export under way and leaves the formats after it (an earlier file of the same name stays
whole: core renames the new file into place only when it is through)."""

from __future__ import annotations

from edgeling.gui.qt import QPushButton

UNFINISHED_CELL = "did not finish"
"""The check cell of a format whose export ended before its file was written and checked."""
UNFINISHED_AGAIN_CELL = "last attempt did not finish; earlier file kept"

KILLED_WHY = "its helper process was ended before it was through, perhaps because memory ran out"


def unfinished_words(name: str, crashed: bool) -> str:
    """The status line's words for a format whose export did not finish (not a failed check)."""
    why = KILLED_WHY if crashed else "the message says why"
    return f"{name} was not written: the export did not finish ({why})."


def killed_message(name: str) -> str:
    """The error message for an export whose helper process was killed."""
    return (f"{name} was not written: the export did not finish, because {KILLED_WHY} (killed from outside). An "
            "earlier file of that name, if there was one, is kept as it was. Close other programs, then press "
            "Export and check again.")


def stop_button(page) -> QPushButton:
    """The Export page's Stop: enabled while an export runs."""
    button = QPushButton("S&top")
    button.setObjectName("exportStopButton")
    button.setToolTip("End the export under way now; the formats after it are not exported. Files already written "
                      "are kept, and an earlier file of the same name stays as it was.")
    button.setEnabled(False)
    button.clicked.connect(lambda: stop_export(page))
    return button


def stop_export(page) -> None:
    """End the export under way at once, skip the formats left, and say what was written."""
    if not page._cli.running:
        return
    page._cli.kill()
    left = 1 + len(page._queue)
    page._queue = []
    name = page._out.name if page._out is not None else "The file"
    written = max(page._asked - len(page._failed) - left, 0)
    others = f", nor the {left - 1} other format{'s' * (left != 2)} after it" if left > 1 else ""
    said = [f"Stopped: {name} was not written{others}; an earlier file of the same name, if there was one, is "
            "kept as it was."]
    if written:
        said.append(f"{written} of {page._asked} files were written and checked before.")
    page.export_button.setEnabled(True)
    page.runs.setEnabled(True)
    page.stop_button.setEnabled(False)
    page.status.setText(" ".join(said))
    page.refresh()
