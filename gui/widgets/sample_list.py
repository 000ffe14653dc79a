"""A list of evaluated samples (file path, what it is, what the model said), with a thumbnail for pictures.

Fed from a run's ``predictions.json`` (one entry per test sample) or ``worst_samples`` of metrics.json."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.results_words import sample_words
from edgeling.gui.qt import QIcon, QListWidget, QListWidgetItem, QPixmap, QSize, Qt
from edgeling.gui.widgets.sample_lines import SampleLines

THUMB_PX = 40
MAX_ITEMS = 200
PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}


def sample_text(s: dict) -> str:
    """One line of the list: core's words for a sample and the model's answer (``results_words.sample_words``)."""
    return sample_words(s)


class SampleList(QListWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sampleList")
        self.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setItemDelegate(SampleLines(self))     # one line when it fits, else broken after the place
        self.setResizeMode(QListWidget.ResizeMode.Adjust)     # laid out again for a new width

    def keep_room_for(self, rows: int, least: int) -> None:
        """Keep room for ``rows`` items (thumbnails included), at least ``least`` pixels; fewer items, less room.
        The Evaluate page's list of wrong answers: at 1280 x 800 the per-class table above it took the column
        and left one answer and a half; the table scrolls instead."""
        self._room = (rows, least)
        self.model().rowsInserted.connect(self._keep_room)   # a method: disconnected when the list goes

    def _keep_room(self, *_args) -> None:
        rows, least = getattr(self, "_room", (0, 0))
        shown = min(rows, self.count())
        if shown:
            height = sum(self.sizeHintForRow(r) for r in range(shown)) + 2 * self.frameWidth() + 2
            self.setMinimumHeight(max(least, height))

    def show_samples(self, samples: list[dict], root: str | None = None, empty_text: str = "") -> None:
        """``samples``: dicts with source, true, predicted (names or numbers), optional confidence."""
        self.clear()
        for s in samples[:MAX_ITEMS]:
            item = QListWidgetItem(sample_text(s))
            path = Path(root or "") / str(s.get("source", ""))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            if path.suffix.lower() in PICTURE_SUFFIXES and path.is_file():
                pix = QPixmap(str(path))
                if not pix.isNull():
                    item.setIcon(QIcon(pix.scaled(THUMB_PX, THUMB_PX, Qt.AspectRatioMode.KeepAspectRatio,
                                                  Qt.TransformationMode.FastTransformation)))
            self.addItem(item)
        if len(samples) > MAX_ITEMS:
            self.addItem(f"… and {len(samples) - MAX_ITEMS} more")
        if not samples and empty_text:
            self.addItem(empty_text)

    def insert_heading(self, row: int, text: str) -> None:
        """A line that is not a sample (it cannot be chosen), in bold, before ``row``."""
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        self.insertItem(row, item)

    def texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]
