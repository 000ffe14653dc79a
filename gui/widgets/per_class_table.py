"""The Evaluate page's per-class table (class, precision, recall, samples). For a handful of classes it is as
tall as its rows, so every class shows without scrolling and the room left goes to the list below it; with many
classes it scrolls.

Its columns fit its width: at 1024 x 700 the one-line headings ("said right (precision)") made it 36 pixels too
wide, and "samples" was cut behind a scroll bar (the vineyard walk). The headings then take two lines ("said
right" over "(precision)"), and only when that is not enough does the class column give up room (its names
elided, said whole in their tooltips)."""

from __future__ import annotations

from edgeling.gui.pages.plain_terms import PER_CLASS_HEADINGS, PER_CLASS_TIPS
from edgeling.gui.qt import QAbstractItemView, QTableWidget, QTableWidgetItem

ROWS_SHOWN_WHOLE = 10
"""Up to this many classes the table shows them all; more scroll (ten rows are about 300 pixels)."""
MAX_HEIGHT = 16777215   # Qt's QWIDGETSIZE_MAX: no limit


class PerClassTable(QTableWidget):
    def __init__(self, parent=None):
        super().__init__(0, 4, parent)
        self.setObjectName("perClassTable")
        for c, (text, tip) in enumerate(zip(PER_CLASS_HEADINGS, PER_CLASS_TIPS)):   # the words with the terms
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            self.setHorizontalHeaderItem(c, item)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        # One line of text a row (the style's default left a third of each row empty): more classes show, and
        # the list of answers below keeps its room.
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setStretchLastSection(False)     # fit_columns gives the last one the room left
        self._fitted_at = -1      # the viewport width the columns were last fitted to

    def show_rows(self, rows: list[list[str]]) -> None:
        self.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setToolTip(text)     # said whole when the column is too narrow for it
                self.setItem(r, c, item)
        self.fit_columns(force=True)
        self.fit_rows()

    def _headings(self, two_lines: bool) -> None:
        for c, text in enumerate(PER_CLASS_HEADINGS):
            item = self.horizontalHeaderItem(c)
            if item is not None:
                item.setText(text.replace(" (", "\n(") if two_lines else text)

    def fit_columns(self, force: bool = False) -> None:
        """Every column as wide as its contents when the table is wide enough, the last one taking the room
        left; else the headings on two lines; else the class column narrower (elided). Sized here, not by Qt's
        stretched last section: that kept "samples" 100 pixels wide in a table 36 pixels too narrow."""
        room = self.viewport().width()
        if room <= 0 or (room == self._fitted_at and not force):
            return
        self._fitted_at = room
        self._headings(False)
        self.resizeColumnsToContents()
        if self._widths() > room:
            self._headings(True)
            self.resizeColumnsToContents()
        last = self.columnCount() - 1
        if self._widths() > room:
            others = self._widths() - self.columnWidth(0)
            self.setColumnWidth(0, max(self.fontMetrics().averageCharWidth() * 6, room - others))
        elif self._widths() < room:
            self.setColumnWidth(last, self.columnWidth(last) + room - self._widths())

    def _widths(self) -> int:
        return sum(self.columnWidth(c) for c in range(self.columnCount()))

    def rows_height(self) -> int:
        """The height that shows the heading and every row (and the scroll bar below when the columns are
        wider than the table)."""
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        if self.horizontalHeader().length() > self.viewport().width():
            height += self.horizontalScrollBar().sizeHint().height()
        return height

    def fit_rows(self) -> None:
        """No taller than its rows for a handful of classes; it may be shorter (and scroll) when the window
        has no room for them all: a minimum of every row pushed it over the label below in a small window."""
        if 0 < self.rowCount() <= ROWS_SHOWN_WHOLE:
            height = self.rows_height()
            heading = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
            self.setMinimumHeight(min(height, heading + sum(self.rowHeight(r) for r in range(min(3, self.rowCount())))))
            self.setMaximumHeight(height)
        else:
            self.setMinimumHeight(0)
            self.setMaximumHeight(MAX_HEIGHT)

    def sizeHint(self):   # noqa: N802 - Qt's name: the layout gives it every row when the window has room
        hint = super().sizeHint()
        if 0 < self.rowCount() <= ROWS_SHOWN_WHOLE:
            hint.setHeight(self.rows_height())
        return hint

    def resizeEvent(self, event) -> None:   # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.rowCount():
            self.fit_columns()
        if 0 < self.rowCount() <= ROWS_SHOWN_WHOLE and self.height() != self.rows_height():
            self.fit_rows()    # narrower now: the scroll bar for wide columns takes a row's room
