"""A folder's label sheet chosen on its own (the vineyard walk: labels.csv of a folder of photos, picked with
"Choose a CSV file…"): core refuses it as a table to learn from (``DataError.code == LABEL_SHEET_CHOSEN``, its
``files[0]`` the sheet), and the Data page reads the sheet's folder instead, saying so in its status line, with
no error box and no "column to predict" offered from the sheet (before: the box offered diagnosis / file, and
choosing one did nothing but fail again)."""

from __future__ import annotations

from pathlib import Path


def reading_words(sheet: str, folder: str, step: str = "") -> str:
    """The status line while the folder is read (``step``: how far the reading has got, as the page says it)."""
    said = f"{sheet} is the list of labels of its folder: reading the folder {folder}"
    return f"{said} ({step[:1].lower()}{step[1:]})" if step else f"{said} …"


def read_words(sheet: str, folder: str) -> str:
    """The start of the status line once the folder has been read (what was read follows)."""
    return f"{sheet} is the list of labels of its folder, so the folder {folder} was read. "


def note_for(page, path) -> tuple[str, str] | None:
    """(the sheet's name, the folder's name) when ``path`` is the folder being read for a sheet chosen on its
    own; None otherwise."""
    note = getattr(page, "sheet_note", None)
    if not note or not path:
        return None
    try:
        same = Path(str(path)).resolve() == Path(note[0])
    except OSError:
        return None
    return (note[1], note[2]) if same else None


def read_folder_instead(page) -> bool:
    """For the Data page's failed import: True when a label sheet was chosen on its own and its folder is being
    read instead (the failure is then not shown); False to show the failure as usual."""
    from edgeling.core.data.dataset import LABEL_SHEET_CHOSEN

    thread = page._thread
    if thread is None or getattr(thread, "error_code", "") != LABEL_SHEET_CHOSEN or page._pending is not None:
        return False
    files = list(getattr(thread, "error_files", None) or [thread.path])
    sheet = Path(files[0])
    folder = sheet.parent
    if not sheet.name or not folder.is_dir():
        return False
    page._failed_table = None
    page.sheet_note = (str(folder.resolve()), sheet.name, folder.name or str(folder))
    page.import_path(str(folder), None, {})     # started once this import's thread has ended (_pending)
    page.status.setText(reading_words(sheet.name, folder.name or str(folder)))
    return True
