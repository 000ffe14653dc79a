"""The Export page's table of exported files. The file names come first: the other columns keep the width
their numbers need, the file column takes the rest of the row (and at least room for a usual file name, so a
narrow window scrolls sideways rather than cutting every name down to "…"); a name still too long is cut in
the middle, keeping its start and its extension. Short two-line headings, their full meaning in tooltips."""

from __future__ import annotations

from edgeling.gui.pages.export_words import EXPORT_COLUMNS
from edgeling.gui.qt import QAbstractItemView, QHeaderView, Qt, QTableWidget, QTableWidgetItem

TIPS = (  # the headings' tooltips
    "The file written, in the exports folder (hover a name for its full path).",
    "The kind of file: int8 or float, TFLite, ONNX or a C header for TensorFlow Lite Micro.",
    "The model's size in bytes (a C header also says the size of its C text, which is larger).",
    "Whether the file passed its check: run by the real runtime and compared with the trained model.",
    "How often the file gives the same answer as the trained model, on the test samples.",
    "How often the file's answer is right, on the test samples.",
    "The time one answer took on this computer (a device is usually slower).",
    "The RAM to reserve on a microcontroller for TensorFlow Lite Micro (its tensor arena), as the C header "
    "does.",
)
FILE_CHARS = 26     # the file column is at least this many characters wide ("Grape_leaves_run_001_ptq.h")


class ExportsTable(QTableWidget):
    def __init__(self, parent=None):
        super().__init__(0, len(EXPORT_COLUMNS), parent)
        self.setObjectName("exportsTable")
        for c, (text, tip) in enumerate(zip(EXPORT_COLUMNS, TIPS)):
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            self.setHorizontalHeaderItem(c, item)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumHeight(self.fontMetrics().height() * 2 + 8)  # two-line headings
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)          # a long name is cut short with "…" in its middle (never broken)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def wanted_widths(self) -> list[int]:
        """The width each column's texts and heading need (0 for a hidden column)."""
        header = self.horizontalHeader()
        return [0 if self.isColumnHidden(c) else
                max(self.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(self.columnCount())]

    def fit_columns(self) -> None:
        wanted = self.wanted_widths()
        others = sum(wanted[1:])
        least = min(wanted[0], self.fontMetrics().averageCharWidth() * FILE_CHARS + 12)
        self.setColumnWidth(0, max(self.viewport().width() - others, least))
        for c in range(1, self.columnCount()):
            if wanted[c]:
                self.setColumnWidth(c, wanted[c])

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_columns()
