"""The data-quality report: each finding in plain words, what to do, and the files (folded).

Findings are whole sentences, so every line wraps to the width of the list (a tree view elides them with
"…" otherwise, and most of a finding was cut off at the window's usual size). A file listed (or a pair of
copies, "a = b", "a looks like b") opens with a double-click, in the system's viewer."""

from __future__ import annotations

import re
from pathlib import Path

from edgeling.core.data.report import LIST_EVERY_FILE
from edgeling.core.sentences import counted
from edgeling.core.terminal_hint import for_the_app
from edgeling.gui.qt import (
    QDesktopServices,
    QRect,
    QSize,
    QStyle,
    QStyledItemDelegate,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QUrl,
)

ICONS = {"error": QStyle.StandardPixmap.SP_MessageBoxCritical, "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
         "info": QStyle.StandardPixmap.SP_MessageBoxInformation}
"""Each finding's icon: the style's own (a glyph such as ⛔ showed as an empty box in fonts without it)."""
SEVERITY = Qt.ItemDataRole.UserRole     # a finding's severity, kept on its item
MAX_FILES_SHOWN = 50
NOTHING_CHECKED = "Problems found in the data are listed here."
TEXT_MARGIN = 8     # the item's own padding, left and right together
PATHS = Qt.ItemDataRole.UserRole + 1    # the files a listed entry names, found on disk (opened on a double-click)
BETWEEN_COPIES = re.compile(r"( = | looks like |, | and )")
"""How core's duplicate findings join the copies of one example ("a (healthy) = b (mildew)", "a looks like b
and c"; ``checks._check_duplicates``, ``_check_near_duplicates``)."""
LABEL_AFTER = re.compile(r"^(.*) \([^()]*\)$")     # "healthy/a.jpg (healthy)": the copy's class, after its name


def _on_disk(text: str, root: Path) -> str | None:
    """The file ``text`` names under ``root`` (as it is, or without the class said after it), or None."""
    for name in (text, *(m.group(1) for m in [LABEL_AFTER.match(text)] if m)):
        path = root / name.split("#", 1)[0]        # a window of a recording: "walk.csv#t=3.0s"
        if name and path.is_file():
            return str(path)
    return None


def files_named(entry: str, root: str | None) -> list[str]:
    """The files a listed entry names, found under the data folder ``root``: one for a file, two or more for
    a set of copies ("a = b", "a looks like b"). A name with " = " or ", " in it is joined back (pieces are
    joined until they name a file). [] when a piece names no file there (a row of a table, a file deleted)."""
    if not root or not Path(root).is_dir():
        return []
    found, pending = [], ""
    for i, piece in enumerate(BETWEEN_COPIES.split(entry)):     # file, separator, file, ...
        if i % 2 == 1 and not pending:        # the separator after a file found
            continue
        pending += piece
        if i % 2 == 0 and (path := _on_disk(pending, Path(root))):
            found.append(path)
            pending = ""
    return found if not pending else []


def open_files(paths: list[str]) -> None:
    """Each file in the system's viewer (the duplicates' advice: "Open each pair below side by side")."""
    for path in paths:
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def copies_in(entry: str, paths: list[str]) -> int:
    """How many files an entry of a duplicate finding names: the files found, else one more than its joins."""
    return len(paths) or len(BETWEEN_COPIES.split(entry)) // 2 + 1


def files_heading(code: str, count: int, sizes: list[int], openable: bool) -> str:
    """ "12 files", or for copies "10 pairs" (each entry is one set of copies, of ``sizes`` files: "10 files"
    had held 20), with how to open them when they can be opened."""
    if code not in LIST_EVERY_FILE:
        return counted(count, "file") + (" (double-click one to open it)" if openable else "")
    if set(sizes) == {2}:
        return counted(count, "pair") + (" (double-click a pair to open both files)" if openable else "")
    return counted(count, "set of copies", "sets of copies") + (" (double-click one to open its files)"
                                                                 if openable else "")


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
        self.itemActivated.connect(self._on_activated)      # a double-click, or Enter
        self.root: str | None = None      # the data folder the listed files are in

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()      # the rows' heights follow the new width

    def show_empty(self, text: str = NOTHING_CHECKED) -> None:
        """No data checked: one greyed line saying so, rather than an empty white box."""
        self.clear()
        item = QTreeWidgetItem(self, [text])
        item.setFlags(Qt.ItemFlag.NoItemFlags)

    def show_problems(self, problems, root: str | None = None) -> None:
        """``problems``: Problem objects or their dicts (code, message, advice, files, severity); ``root``: the
        data folder the files are in (they are then opened with a double-click)."""
        self.clear()
        self.root = root
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
                f_item = QTreeWidgetItem(top, [""])
                shown = [str(f) for f in files[:MAX_FILES_SHOWN]]
                opens = [self._file_item(f_item, f) for f in shown]
                sizes = [copies_in(f, paths) for f, paths in zip(shown, opens)]
                f_item.setText(0, files_heading(p.get("code", ""), count, sizes, any(opens)))
                if count > MAX_FILES_SHOWN:
                    QTreeWidgetItem(f_item, [f"… and {count - MAX_FILES_SHOWN} more"])
            top.setExpanded(sev == "error")

    def _file_item(self, parent: QTreeWidgetItem, entry: str) -> list[str]:
        """A listed file, or set of copies, under ``parent``; returns the files it opens ([] for none)."""
        item = QTreeWidgetItem(parent, [entry])
        paths = files_named(entry, self.root)
        if paths:
            item.setData(0, PATHS, paths)
            item.setToolTip(0, "Double-click to open " + ("it" if len(paths) == 1 else f"these {len(paths)} files")
                            + ":\n" + "\n".join(paths))
        return paths

    def _on_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        open_files(item.data(0, PATHS) or [])

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
