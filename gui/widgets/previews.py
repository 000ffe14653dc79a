"""A preview that fits the kind of data: image thumbnails per class, a table, sensor traces, waveforms."""

from __future__ import annotations

import numpy as np

from edgeling.gui import theme
from edgeling.gui.qt import (
    QAbstractItemView,
    QIcon,
    QImage,
    QListWidget,
    QListWidgetItem,
    QPixmap,
    QSize,
    QTableWidget,
    QTableWidgetItem,
    pg,
)

PER_CLASS = 8
MAX_ROWS = 100
MAX_COLS = 30


def preview_for(ds):
    """A widget previewing ``ds`` (a Dataset); reads only the few samples it shows."""
    if ds.kind == "images":
        return ImageGrid(ds)
    if ds.kind == "table":
        return TablePreview(ds)
    return TracePreview(ds)


def first_per_class(ds, per_class: int) -> list[tuple[str, list[int]]]:
    if ds.task != "classification":
        return [("samples", list(range(min(per_class, ds.num_samples))))]
    y = np.asarray(ds.y)
    return [(name, np.flatnonzero(y == i)[:per_class].tolist()) for i, name in enumerate(ds.class_names)]


def array_to_qimage(a: np.ndarray) -> QImage:
    a = np.ascontiguousarray(a, dtype=np.uint8)
    h, w = a.shape[:2]
    if a.ndim == 2 or a.shape[2] == 1:
        img = QImage(a.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        img = QImage(a.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    return img.copy()   # own the pixels: ``a`` may be freed


class ImageGrid(QListWidget):
    def __init__(self, ds, parent=None):
        super().__init__(parent)
        self.setObjectName("imagePreview")
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(QSize(64, 64))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setMovement(QListWidget.Movement.Static)
        for name, idx in first_per_class(ds, PER_CLASS):
            for i in idx:
                pix = QPixmap.fromImage(array_to_qimage(np.asarray(ds.x[i]))).scaled(
                    64, 64, aspectMode=pg.QtCore.Qt.AspectRatioMode.KeepAspectRatio)
                item = QListWidgetItem(QIcon(pix), name)
                item.setToolTip(str(ds.sources[i]))
                self.addItem(item)


class TablePreview(QTableWidget):
    def __init__(self, ds, parent=None):
        super().__init__(parent)
        self.setObjectName("tablePreview")
        n = min(MAX_ROWS, ds.num_samples)
        f = min(MAX_COLS, ds.sample_shape[0] if ds.sample_shape else 0)
        names = _feature_names(ds.meta, f)
        self.setRowCount(n)
        self.setColumnCount(f + 1)
        lines = [str(src).rpartition("#row=")[2] for src in list(ds.sources[:n]) if "#row=" in str(src)]
        if len(lines) == n:                    # the file's line numbers, as the messages give them
            self.setVerticalHeaderLabels(lines)
        target = str(ds.meta.get("target") or ("class" if ds.task == "classification" else "target"))
        self.setHorizontalHeaderLabels([target, *names])
        for c, name in enumerate([target, *names]):
            self.horizontalHeaderItem(c).setToolTip(name)
        x = np.asarray(ds.x[:n])
        for r in range(n):
            label = ds.class_names[int(ds.y[r])] if ds.task == "classification" else f"{float(ds.y[r]):.4g}"
            self.setItem(r, 0, QTableWidgetItem(label))
            for c in range(f):
                self.setItem(r, c + 1, QTableWidgetItem(f"{float(x[r, c]):.4g}"))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.resizeColumnsToContents()   # whole column names ("date de commande (month)"), not elided


def _feature_names(meta: dict, f: int) -> list[str]:
    names = meta.get("feature_names")
    if isinstance(names, list) and len(names) >= f:
        return [str(n) for n in names[:f]]
    return [f"feature {i + 1}" for i in range(f)]


class TracePreview(pg.GraphicsLayoutWidget):
    """Sensor windows (N, T, C) or audio clips (N, T): the first sample of each class, one plot each."""

    def __init__(self, ds, parent=None):
        super().__init__(parent)
        self.setObjectName("tracePreview")
        rate = float(ds.meta.get("sample_rate") or 1.0)
        self.plots = []
        for row, (name, idx) in enumerate(first_per_class(ds, 1)[:6]):
            if not idx:
                continue
            plot = self.addPlot(row=row, col=0, title=name)
            sample = np.asarray(ds.x[idx[0]], dtype=np.float32)
            sample = sample[:, None] if sample.ndim == 1 else sample
            t = np.arange(len(sample)) / rate
            channels = [str(c) for c in ds.meta.get("channels") or []]
            if row == 0 and sample.shape[1] > 1 and channels:
                plot.addLegend(offset=(-10, 10), brush=(255, 255, 255, 210))   # which line is x, y or z
            for ch in range(min(sample.shape[1], 6)):
                curve = plot.plot(t, sample[:, ch], pen=theme.series_pen(ch, 1.0),
                                  name=channels[ch] if ch < len(channels) else None)
                curve.setDownsampling(auto=True, method="peak")
                curve.setClipToView(True)
            if ds.meta.get("sample_rate"):
                plot.setLabel("bottom", "time", units="s")   # "time (ms)" for short clips, not "(x0.001)"
            else:
                plot.setLabel("bottom", "samples")
            self.plots.append(plot)
