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
    Qt,
    QTableWidget,
    QTableWidgetItem,
    pg,
)
from edgeling.gui.widgets.trace_axis import SparseAxis, nice_step_above, plotted_unit  # noqa: F401 (tests)

PER_CLASS = 8
MAX_ROWS = 100
MAX_COLS = 30
TRACE_ROW_PX = 90       # one class's plot with its title: the lines still show their shape (50 px of plot)
TRACE_AXIS_PX = 45      # the time axis with its numbers and label, under the last plot
AUDIO_ROW_PX = 50       # one clip's waveform with its title: a single line, its shape (where the word is) reads small
AUDIO_COLUMNS_FROM = 4  # audio of 4 classes or more in two columns: six waveforms one under another took 585 px


def preview_for(ds):
    """A widget previewing ``ds`` (a Dataset); reads only the few samples it shows."""
    if ds.kind == "images":
        return ImageGrid(ds)
    if ds.kind == "table":     # the user's own rows; the encoded values when the file cannot be read now
        from edgeling.gui.widgets.table_rows import own_rows_preview

        return own_rows_preview(ds) or TablePreview(ds)
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
    """Sensor windows (N, T, C) or audio clips (N, T): the first sample of each class, one plot each.

    The plots share their time axis: only the lowest says "time (s)" and numbers it, which leaves each
    plot room to be read. A sound's amplitude (-1 to 1) tells a user nothing, so audio plots have no
    y axis; sensor plots keep theirs with two numbers or more, never overlapping, in the unit the import read
    the recordings in when it knows it (``trace_axis``)."""

    def __init__(self, ds, parent=None):
        super().__init__(parent)
        self.setObjectName("tracePreview")
        rate = float(ds.meta.get("sample_rate") or 1.0)
        audio = ds.kind == "audio"
        self.plots = []
        self.legend: pg.LegendItem | None = None
        shown = [(name, idx) for name, idx in first_per_class(ds, 1)[:6] if idx]
        # Clips of many words side by side, two a row: one under another they needed the Data page's height
        # and left its findings 100 px, 4 of 11 in view (the speech walk).
        self.columns = 2 if audio and len(shown) >= AUDIO_COLUMNS_FROM else 1
        self.audio = audio
        lowest = []       # the plots at the bottom of their column: they number the time axis
        ranges = []       # each sensor plot's lowest and highest reading: the y axis is as wide as its numbers
        channels = [str(c) for c in ds.meta.get("channels") or []]
        unit = "" if audio else plotted_unit(ds.meta, channels[:6])
        for i, (name, idx) in enumerate(shown):
            row, col = divmod(i, self.columns)
            axes = {} if audio else {"left": SparseAxis("left", unit=unit)}
            plot = self.addPlot(row=row, col=col, title=name, axisItems=axes)
            if i + self.columns >= len(shown):
                lowest.append(plot)
            sample = np.asarray(ds.x[idx[0]], dtype=np.float32)
            sample = sample[:, None] if sample.ndim == 1 else sample
            t = np.arange(len(sample)) / rate
            if row == 0 and sample.shape[1] > 1 and channels:     # which line is x, y or z: at the right of
                self.legend = pg.LegendItem(colCount=min(sample.shape[1], 6))   # the first class's name, not
                self.legend.layout.setContentsMargins(0, 0, 0, 0)                # over its lines
                # Hung at the plot's top right corner, in the title's row: the title's cell (0, 1) is taken by
                # the name, and adding the key there too made Qt warn "Can't add … at cell (0, 1)".
                self.legend.setParentItem(plot)
                self.legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-4, 2))
            for ch in range(min(sample.shape[1], 6)):
                curve = plot.plot(t, sample[:, ch], pen=theme.series_pen(ch, 1.0),
                                  name=channels[ch] if ch < len(channels) else None)
                if self.legend is not None and row == 0 and ch < len(channels):
                    self.legend.addItem(curve, channels[ch])
                curve.setDownsampling(auto=True, method="peak")
                curve.setClipToView(True)
            if self.legend is not None and row == 0:     # as small as its names, at the right
                self.legend.setMaximumSize(self.legend.layout.effectiveSizeHint(Qt.SizeHint.PreferredSize))
            if audio:
                plot.hideAxis("left")
            else:
                ranges.append((float(np.nanmin(sample[:, :6])), float(np.nanmax(sample[:, :6]))))
            if self.plots:
                plot.setXLink(self.plots[0])
            self.plots.append(plot)
        if self.plots and not audio:     # one width for all: the plots' time axes stay in line under each other
            axis = self.plots[0].getAxis("left")
            width = axis.text_width(axis.widest_number(ranges))
            for plot in self.plots:
                plot.getAxis("left").setWidth(width)
        for plot in self.plots:
            if plot not in lowest:
                plot.getAxis("bottom").setStyle(showValues=False)
        if self.plots:
            self.plots[0].setXRange(0, (len(sample) - 1) / rate, padding=0.02)
            for last in lowest:
                if ds.meta.get("sample_rate"):
                    last.setLabel("bottom", "time", units="s")   # "time (ms)" for short clips, not "(x0.001)"
                else:
                    last.setLabel("bottom", "samples")

    def readable_height(self) -> int:
        """The least height at which every class's lines still show their shape (the pump walk: with many
        findings below, three plots were squeezed to flat lines). A clip's waveform is one line: it reads in
        less height than a sensor's x, y and z."""
        rows = -(-len(self.plots) // self.columns)
        return rows * (AUDIO_ROW_PX if self.audio else TRACE_ROW_PX) + TRACE_AXIS_PX
