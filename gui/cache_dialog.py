"""File > Delete copies of imported data…: Edgeling keeps a decoded copy of each folder or table imported in
its cache folder, outside the projects (``core/data/cache_clear.py``), so data opens again quickly. This asks
first (saying where they are, how big, that the data and the projects are not touched, and that the next
import takes as long as the first), refuses while an import or training runs in this window (it reads those
copies), then says how much was freed and what was left in use."""

from __future__ import annotations

from edgeling.core.sentences import counted
from edgeling.gui.qt import QMessageBox

TITLE = "Delete copies of imported data"
DELETE = "Delete the copies"


def _say(window, text: str, informative: str = "", title: str = TITLE) -> QMessageBox:
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(informative)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
    return box


def work_reading_copies(window) -> list[str]:
    """What runs in ``window`` that may read the copies: its jobs (training, a cross-validation, a
    compression, an export) and an import on the Data page."""
    busy = list(window.running_work())
    data = window.pages.get("data")
    if data is not None and getattr(data, "importing", False):
        busy.insert(0, "an import")
    return busy


def delete_imported_copies(window) -> dict | None:
    """Ask, then delete the copies; core's answer (``{"folder", "freed_bytes", "left"}``), or None when
    nothing was deleted (refused, nothing there, or the user kept them)."""
    from edgeling.core.data.cache_clear import cache_usage, clear_cache
    from edgeling.core.models.autosize import format_bytes

    busy = work_reading_copies(window)
    if busy:
        what = " and ".join(busy)
        _say(window, f"{what[0].upper()}{what[1:]} is running in this window and may be reading these copies.",
             "Wait until it has finished (or stop it), then delete the copies.")
        return None
    try:
        usage = cache_usage()
    except OSError as e:
        _say(window, f"Edgeling could not look into its cache folder ({e.strerror or e}).")
        return None
    folder, size, count = usage["folder"], int(usage["bytes"]), int(usage["datasets"])
    if size <= 0:
        _say(window, "There are no copies of imported data to delete.", f"They would be kept in {folder}.")
        return None
    imports = counted(count, "import") if count else "imports"
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(TITLE + "?")
    box.setText(f"Delete the copies of imported data ({imports}, {format_bytes(size)})? They are in {folder}.")
    box.setInformativeText("To open data quickly, Edgeling keeps a decoded copy of each folder or table you "
                           "import (the pictures, clips, recordings or rows, and their file names). Your data "
                           "and your projects are not touched. The next import of each folder or table takes "
                           "as long as the first one did.")
    delete = box.addButton(DELETE, QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep them", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    if box.clickedButton() is not delete:
        return None
    try:
        result = clear_cache()
    except OSError as e:
        _say(window, f"The copies could not be deleted ({e.strerror or e}).", f"They are in {folder}.")
        return None
    freed, left = int(result.get("freed_bytes") or 0), list(result.get("left") or [])
    said = f"Deleted {format_bytes(freed)} of copies of imported data."
    more = ""
    if left:
        names = ", ".join(str(p).replace("\\", "/").rsplit("/", 1)[-1] for p in left[:3])
        more = (f"{len(left)} could not be deleted because they are in use ({names}{', …' if len(left) > 3 else ''}"
                "): data open in an Edgeling window (on Windows a file in use cannot be deleted), or an import or "
                f"training in a terminal. Delete them again once that is closed or finished; they are in {folder}.")
    window.statusBar().showMessage(said, 8000)
    _say(window, said, more)
    return result
