"""The Export page's table of exported files. The file names come first: the other columns keep the width
their texts need, the file column takes the rest of the row (at least room for a usual file name when the row
has it); a name still too long is cut in the middle, keeping its start and its extension. When the row is too
narrow for all that (1024 x 700, or a long "FAILED in ..." check), the longest texts of the other columns are
wrapped onto more lines, then the file column gives up its usual width, so every column stays in view. Short
two-line headings, their full meaning in tooltips."""

from __future__ import annotations

from edgeling.gui.pages.export_words import EXPORT_COLUMNS
from edgeling.gui.qt import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTableWidget,
    QTableWidgetItem,
)

TIPS = (  # the headings' tooltips
    "The file written, in the exports folder (hover a name for its full path).",
    "The kind of file: int8 or float, TFLite, ONNX or a C header for TensorFlow Lite Micro.",
    "The file's size (a C header also says the size of its C text, which is larger); hover a size for its exact "
    "bytes.",
    "Whether the file passed its check: run by the real runtime and compared with the trained model.",
    "How often the file gives the same answer as the trained model, on the test samples.",
    "How often the file's answer is right, on the test samples.",
    "The time one answer took on this computer (a device is usually slower).",
    "The tensor arena to reserve on a microcontroller for TensorFlow Lite Micro, as the C header #defines it. "
    "It is only part of the RAM the model needs there: the note under the table gives the whole (the arena, plus "
    "the RAM to hold and prepare one input).",
)
FILE_CHARS = 26     # the file column is this many characters wide when the row has room ("Grape_leaves_run_001_ptq.h")
FILE_CHARS_LEAST = 12   # and never narrower than this ("Grape…ptq.h")
PAD = 12            # a cell's margins and grid line, beside its text


class OneLine(QStyledItemDelegate):
    """The file column: one line, cut in the middle (a file name has no place to be wrapped)."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt's name
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText


def shrink_to(wanted: list[int], floors: list[int], room: int) -> list[int]:
    """Widths for columns that want ``wanted`` and can be wrapped down to ``floors``, within ``room`` when
    they can be: the widest are narrowed first, all to one cap (the floors when even they do not fit)."""
    if sum(wanted) <= room:
        return list(wanted)
    lo, hi = 0, max(wanted)
    while lo < hi:          # the largest cap whose widths fit
        cap = (lo + hi + 1) // 2
        if sum(max(f, min(w, cap)) for w, f in zip(wanted, floors)) <= room:
            lo = cap
        else:
            hi = cap - 1
    return [max(f, min(w, lo)) for w, f in zip(wanted, floors)]


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
        self.setWordWrap(True)           # the other columns' long texts, when the row is short of room
        self.setItemDelegateForColumn(0, OneLine(self))  # a long name is cut short with "…" in its middle
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        rows = self.verticalHeader()
        rows.setMinimumSectionSize(rows.defaultSectionSize())          # a row of one line stays as tall as usual
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)   # a wrapped one is taller
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def wanted_widths(self) -> list[int]:
        """The width each column's texts and heading need on one line (0 for a hidden column)."""
        header, metrics = self.horizontalHeader(), self.fontMetrics()
        return [0 if self.isColumnHidden(c) else
                max([header.sectionSizeHint(c)] + [metrics.horizontalAdvance(t) + PAD for t in self._texts(c)])
                for c in range(self.columnCount())]

    def floor_widths(self) -> list[int]:
        """The width each column needs with its texts wrapped at every space: its longest word, or heading."""
        header, metrics = self.horizontalHeader(), self.fontMetrics()
        return [0 if self.isColumnHidden(c) else
                max([header.sectionSizeHint(c)] + [metrics.horizontalAdvance(word) + PAD
                                                   for t in self._texts(c) for word in t.split()])
                for c in range(self.columnCount())]

    def _texts(self, c: int) -> list[str]:
        return [item.text() for r in range(self.rowCount()) if (item := self.item(r, c)) is not None]

    def fit_columns(self) -> None:
        wanted, floors = self.wanted_widths(), self.floor_widths()
        room = self.viewport().width()
        chars = self.fontMetrics().averageCharWidth()
        usual = min(wanted[0], chars * FILE_CHARS + PAD)      # a usual file name, when the row has room for it
        least = min(wanted[0], chars * FILE_CHARS_LEAST + PAD)
        others = shrink_to(wanted[1:], floors[1:], room - usual)
        self.setColumnWidth(0, max(room - sum(others), least))
        for c, width in enumerate(others, start=1):
            if width:
                self.setColumnWidth(c, width)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_columns()
