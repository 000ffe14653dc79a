"""The Data page's row of options under the status line: for a table, the column to predict and the columns to
leave out; for sensor recordings, the window and step and the rate they are read at (``data_rate.py``). Each
choice imports the data again with its option, kept in the project once the import worked (the CLI's --target,
--window / --stride, --sample-rate). ``page`` is the Data page (``state``, ``import_path``, ``layout_``)."""

from __future__ import annotations

from pathlib import Path

from edgeling.gui.pages.data_leave_out import choose_columns, leave_out_button
from edgeling.gui.pages.data_rate import SensorRate
from edgeling.gui.qt import QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel

CHOOSE_COLUMN = "(choose the column to predict)"
TARGET_CHARS = 40     # the "Column to predict" box grows to its longest name, up to this many characters


def _seconds_box(name: str, tip: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setObjectName(name)
    box.setRange(0.05, 600.0)
    box.setDecimals(2)
    box.setSingleStep(0.1)
    box.setSuffix(" s")
    box.setKeyboardTracking(False)
    box.setToolTip(tip)
    return box


def build_options_row(page) -> None:
    """The row's widgets, as the page's attributes (``target_box``, ``window_box``, ``rate`` ...), hidden until
    data of their kind is shown."""
    options_row = QHBoxLayout()
    page.target_label = QLabel("Column to predict:")
    page.target_box = QComboBox()
    page.target_box.setObjectName("targetBox")
    page.target_box.setToolTip(TABLE_TIP)
    # as wide as its longest column name ("Rücksendung" showed as "Rücksen"), up to 40 characters
    page.target_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    page.target_box.setMaximumWidth(page.target_box.fontMetrics().averageCharWidth() * TARGET_CHARS)
    page.target_box.activated.connect(page._on_target_chosen)
    options_row.addWidget(page.target_label)
    options_row.addWidget(page.target_box)
    page.leave_out_button = leave_out_button()
    page.leave_out_button.clicked.connect(lambda: choose_columns(page))
    options_row.addWidget(page.leave_out_button)
    page.window_label = QLabel("Sensor windows of")
    page.window_box = _seconds_box("windowBox", "How long a stretch of recording the model looks at "
                                   "for one answer.")
    page.stride_label = QLabel("a new one every")
    page.stride_box = _seconds_box("strideBox", "How far the next window starts after the previous one "
                                   "(smaller: more, overlapping windows to learn from).")
    for w in (page.window_label, page.window_box, page.stride_label, page.stride_box):
        options_row.addWidget(w)
    page.window_box.editingFinished.connect(page._on_windows_chosen)
    page.stride_box.editingFinished.connect(page._on_windows_chosen)
    page.rate = SensorRate(page)      # "read at [100, as recorded]", and the board's rate
    for w in page.rate.widgets():
        options_row.addWidget(w)
    options_row.addStretch(1)
    page.layout_.addLayout(options_row)
    show_table_options(page, None)
    show_sensor_options(page, None)


TABLE_TIP = "The column of your table the model learns to predict."


def sheet_columns(ds) -> list[str]:
    """The columns of the label sheet of a folder of photos, clips or recordings the labels could be read from
    (core's meta ``sheet_columns``), when there is a choice (two or more); [] otherwise."""
    if ds is None or ds.kind == "table":
        return []
    names = [str(n) for n in (ds.meta.get("sheet_columns") or []) if str(n)]
    return names if len(names) >= 2 else []


def show_table_options(page, ds) -> None:
    """The column to predict: a table's columns, or the columns of a folder's label sheet (the vineyard walk:
    file;diagnosis;parcel learnt the parcels, and the app had no way to choose the diagnosis)."""
    is_table = ds is not None and ds.kind == "table"
    in_sheet = sheet_columns(ds)
    page.target_label.setVisible(is_table or bool(in_sheet))
    page.target_box.setVisible(is_table or bool(in_sheet))
    page.leave_out_button.setVisible(is_table)
    if in_sheet:
        sheet = Path(str(ds.meta.get("labels_from") or "")).name or "the label sheet"
        page.target_box.setToolTip(f"The column of {sheet} the classes are read from.")
        names, target = in_sheet, str(ds.meta.get("sheet_label_column") or in_sheet[0])
    elif is_table:
        page.target_box.setToolTip(TABLE_TIP)
        names = [str(c.get("name")) for c in ds.meta.get("columns", []) if c.get("name")]
        target = str(ds.meta.get("target", ""))
    else:
        return
    page.target_box.clear()
    for name in [target, *[n for n in names if n != target]]:
        page.target_box.addItem(name)
    page.target_box.setCurrentIndex(0)


def offer_columns(page, path: str, columns: list) -> None:
    """A table failed to import with the column taken by default: let the user pick the one to predict."""
    if page._thread_project is not page.state.project:
        return
    page._failed_table = path
    page.target_box.setToolTip(TABLE_TIP)
    page.target_label.setVisible(True)
    page.target_box.setVisible(True)
    page.target_box.clear()
    page.target_box.addItem(CHOOSE_COLUMN)
    for name in reversed(columns[:-1]):   # the last one failed; the ones before it are the likeliest
        page.target_box.addItem(str(name))
    page.target_box.setCurrentIndex(0)


def show_sensor_options(page, ds) -> None:
    shown = ds is not None and ds.kind == "timeseries" and bool(ds.meta.get("window_s"))
    for w in (page.window_label, page.window_box, page.stride_label, page.stride_box):
        w.setVisible(shown)
    page.rate.show_for(ds if shown else None)
    if shown:
        window = float(ds.meta["window_s"])
        for box, value in ((page.window_box, window), (page.stride_box, float(ds.meta.get("stride_s") or window))):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)


def on_windows_chosen(page) -> None:
    """Cut the recordings again with the window and step the user typed (the CLI's --window / --stride)."""
    ds = page.state.dataset
    if ds is None or ds.kind != "timeseries":
        return
    window, stride = round(page.window_box.value(), 3), round(page.stride_box.value(), 3)
    if abs(window - float(ds.meta.get("window_s") or 0)) < 1e-6 and \
            abs(stride - float(ds.meta.get("stride_s") or 0)) < 1e-6:
        return
    project = page.state.project
    options = {**((project.data.get("options") if project else None) or {}), "window_s": window,
               "stride_s": stride}
    page.import_path(ds.root, "timeseries", options)   # kept in the project once the import worked


def on_target_chosen(page, _i: int) -> None:
    ds = page.state.dataset
    name = page.target_box.currentText()
    if page._failed_table:           # the table that could not be read with its last column
        if not name or name == CHOOSE_COLUMN:
            return
        root = page._failed_table
    elif ds is None or not name or name == shown_target(ds):
        return
    else:
        root = ds.root
    kind = "table" if page._failed_table or ds.kind == "table" else ds.kind   # a sheet's folder: read as before
    project = page.state.project
    options = {**((project.data.get("options") if project else None) or {}), "target": name}
    page.import_path(root, kind, options)   # kept in the project once the import worked


def shown_target(ds) -> str:
    """The column the data shown was labelled by: a table's target, or the label sheet's column."""
    return str(ds.meta.get("target", "") if ds.kind == "table" else ds.meta.get("sheet_label_column") or "")
