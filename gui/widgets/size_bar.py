"""A size against a limit ("17.1 KB of 320 KB"), as a thin bar with the words beside it: the words are never drawn over
the bar (a progress bar's own text ran over its filled part, half white and half black, and read as two
texts on top of each other), and the bar is full when the size is over the limit."""

from __future__ import annotations

from edgeling.gui.qt import QHBoxLayout, QLabel, QPalette, QProgressBar, Qt, QWidget

STEPS = 1000
BAR_HEIGHT = 8
BAR_WIDTH = 56
SELECTED_DARKER = 250     # the room used on a selected row: the highlight colour at two fifths of its brightness


class SizeBar(QWidget):
    def __init__(self, words: str, used: float | None = None, limit: float | None = None, tip: str = "",
                 parent=None):
        super().__init__(parent)
        self.setObjectName("sizeBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        row.setSpacing(6)
        self.label = QLabel(words)
        self.label.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(BAR_HEIGHT)
        self.bar.setFixedWidth(BAR_WIDTH)
        if isinstance(used, (int, float)) and isinstance(limit, (int, float)) and limit > 0:
            self.bar.setRange(0, STEPS)
            self.bar.setValue(int(min(1.0, max(0.0, used / limit)) * STEPS))
        else:
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
            self.bar.hide()          # nothing to compare with: the size alone
        row.addWidget(self.bar)
        row.addWidget(self.label, 1)
        if tip:
            self.setToolTip(tip)

    def set_selected(self, selected: bool) -> None:
        """On a selected row (drawn in the highlight colour): the room used a dark shade of the highlight, the
        room left white as on every other row; elsewhere the usual colours. (The room left drawn dark, the room
        used white, made a bar nearly empty a solid dark bar that read as full: the speech walk's "69.4 KB of
        3.0 GB".)"""
        palette = self.palette()
        if selected:
            highlight = palette.color(QPalette.ColorRole.Highlight)
            palette.setColor(QPalette.ColorRole.Highlight, highlight.darker(SELECTED_DARKER))
        self.bar.setPalette(palette)

    def text(self) -> str:
        return self.label.text()

    def value(self) -> int:
        return self.bar.value()
