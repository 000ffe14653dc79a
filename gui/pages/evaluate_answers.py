"""The Evaluate page's "Save the answers…": the last "Try it" file's answers as a spreadsheet (CSV) next to
the project (``core/answers_file.py``, as ``predict --save-answers`` writes it)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from edgeling.gui.errors import show_error
from edgeling.gui.qt import QFileDialog


def save_answers(page) -> None:
    """Ask where, then write ``page._answers`` (the answers about ``page._tried``); said under the answers."""
    from edgeling.core.answers_file import write_answers

    preds = page._answers.get("predictions") or []
    if not preds:
        return
    project = page.state.project
    start = (project.folder if project is not None else Path.home()) / f"answers-{Path(page._tried).stem}.csv"
    path, _ = QFileDialog.getSaveFileName(page, "Save the answers", str(start), "Spreadsheet (*.csv)")
    if not path:
        return
    if Path(path).resolve() == Path(page._tried).resolve():
        show_error(page, f"{Path(path).name} is the file the answers are about; saving there would overwrite "
                         "it. Choose another name.")
        return
    try:
        write_answers(path, preds, [page._tried])
    except OSError as e:
        show_error(page, f"The answers could not be saved in {path} ({e.strerror or e}). Choose a folder you "
                         "can write to, with free space.")
        return
    page.answers_saved.setText(f"<i>Answers saved in {escape(Path(path).name)}.</i>")   # outside the scrolled answers
    page.answers_saved.setToolTip(str(path))
    page.answers_saved.show()
