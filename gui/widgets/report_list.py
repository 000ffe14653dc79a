"""The data-quality report: each finding in plain words, what to do, and the files (folded).

Findings are whole sentences, so every line wraps to the width of the list (a tree view elides them with
"…" otherwise, and most of a finding was cut off at the window's usual size)."""

from __future__ import annotations

from edgeling.core.sentences import counted
from edgeling.core.terminal_hint import for_the_app
from edgeling.gui.qt import QRect, QSize, QStyle, QStyledItemDelegate, Qt, QTreeWidget, QTreeWidgetItem

ICONS = {"error": QStyle.StandardPixmap.SP_MessageBoxCritical, "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
         "info": QStyle.StandardPixmap.SP_MessageBoxInformation}
"""Each finding's icon: the style's own (a glyph such as ⛔ showed as an empty box in fonts without it)."""
SEVERITY = Qt.ItemDataRole.UserRole     # a finding's severity, kept on its item
MAX_FILES_SHOWN = 50
NOTHING_CHECKED = "Problems found in the data are listed here."
TEXT_MARGIN = 8     # the item's own padding, left and right together


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their text wrapped to the room the view gives them (its width less the indentation
    of their level); the view paints them wrapped (``setWordWrap``)."""

    def __init__(self, view):
        super().__init__(view)
        self.view = view

    def text_width(self, index) -> int:
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        indent = self.view.indentation() * (depth + (1 if self.view.rootIsDecorated() else 0))
        if index.data(Qt.ItemDataRole.DecorationRole) is not None:      # the severity's icon, and its gap
            indent += self.view.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 4
        return max(40, self.view.viewport().width() - indent - TEXT_MARGIN)

    def sizeHint(self, option, index) -> QSize:
        hint = super().sizeHint(option, index)
        width = self.text_width(index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(width, max(hint.height(), rect.height() + 4))


class ReportList(QTreeWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("reportList")
        self.setHeaderHidden(True)
        self.setWordWrap(True)
        self.setColumnCount(1)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(WrappingDelegate(self))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()      # the rows' heights follow the new width

    def show_empty(self, text: str = NOTHING_CHECKED) -> None:
        """No data checked: one greyed line saying so, rather than an empty white box."""
        self.clear()
        item = QTreeWidgetItem(self, [text])
        item.setFlags(Qt.ItemFlag.NoItemFlags)

    def show_problems(self, problems) -> None:
        """``problems``: Problem objects or their dicts (code, message, advice, files, severity)."""
        self.clear()
        items = [p if isinstance(p, dict) else p.as_dict() for p in problems]
        if not items:
            QTreeWidgetItem(self, ["✔ No problems found in this data."])
            return
        order = {"error": 0, "warning": 1, "info": 2}
        for p in sorted(items, key=lambda d: order.get(d.get("severity", "warning"), 1)):
            sev = p.get("severity", "warning")
            message = for_the_app(p["message"])     # core's words name the terminal command too: not here
            top = QTreeWidgetItem(self, [message])
            top.setIcon(0, self.style().standardIcon(ICONS.get(sev, ICONS["warning"])))
            top.setData(0, SEVERITY, sev)
            top.setToolTip(0, message)
            if p.get("advice"):
                QTreeWidgetItem(top, [f"What to do: {for_the_app(p['advice'])}"])
            files = list(p.get("files", []))
            count = int(p.get("count", len(files)))
            if files:
                f_item = QTreeWidgetItem(top, [counted(count, "file")])
                for f in files[:MAX_FILES_SHOWN]:
                    QTreeWidgetItem(f_item, [str(f)])
                if count > MAX_FILES_SHOWN:
                    QTreeWidgetItem(f_item, [f"… and {count - MAX_FILES_SHOWN} more"])
            top.setExpanded(sev == "error")

    def wanted_height(self) -> int:
        """The height that shows every finding (folded) without scrolling, at the list's present width."""
        rows = sum(self.sizeHintForIndex(self.indexFromItem(self.topLevelItem(i))).height()
                   for i in range(self.topLevelItemCount()))
        return rows + 2 * self.frameWidth() + 4

    def texts(self) -> list[str]:
        return [self.topLevelItem(i).text(0) for i in range(self.topLevelItemCount())]

    def severities(self) -> list[str | None]:
        """Each finding's severity ("error", "warning", "info"), as its icon shows it."""
        return [self.topLevelItem(i).data(0, SEVERITY) for i in range(self.topLevelItemCount())]
