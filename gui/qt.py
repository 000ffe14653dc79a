# ruff: noqa: F401, E402, I001
"""Every Qt name the app uses comes in through this module (as Anki's ``aqt.qt`` does), so the binding
and its quirks live in one place. pyqtgraph is pinned to PySide6 here, before it is first imported."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6.QtCore import (
    QAbstractTableModel,
    QBuffer,
    QByteArray,
    QEvent,
    QEventLoop,
    QModelIndex,
    QObject,
    QPoint,
    QProcess,
    QRect,
    QRectF,
    QSize,
    QStandardPaths,
    Qt,
    QThread,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QImage,
    QKeySequence,
    QPainter,
    QPalette,
    QPdfWriter,
    QPixmap,
    QShortcut,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

import pyqtgraph as pg



def _guard_singleton_refcount_bug() -> bool:
    """Work around a PySide6 bug seen with 6.12.0 on Python 3.11: methods that return nothing (``void``)
    hand back ``None`` without taking a reference, and ``SignalInstance.emit()`` does the same with
    ``True``. Each such call drops one reference to ``None`` / ``True``; painting a plot makes dozens of
    them, so after a minute of live curves Python aborts with "none_dealloc: deallocating None" (or
    "bool_dealloc"). From Python 3.12 on these objects are immortal and the bug is harmless.

    Probe for it; if present, raise the reference counts of ``None``, ``True`` and ``False`` (objects that
    are never freed anyway) so far that the leak cannot reach zero in the life of the process. Returns
    whether the workaround was applied."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False

    class _Probe(QObject):
        sig = Signal()

    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(16):
        probe.sig.emit()
        probe.setObjectName("probe")
    lost = max(none_before - sys.getrefcount(None), true_before - sys.getrefcount(True))
    if lost < 8:
        return False
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
    return True


SINGLETON_REFCOUNT_BUG_GUARDED = _guard_singleton_refcount_bug()
