"""Export: tick the formats, export the chosen run (``edgeling export`` in a child process, one format after
another), and see each file's verification (agreement, accuracy, size, latency, TFLite Micro arena)."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.export.runtime_names import runtime_words
from edgeling.core.project import ProjectError
from edgeling.gui.cli_process import CliProcess, registered_commands
from edgeling.gui.errors import show_error
from edgeling.gui.pages.base import Page
from edgeling.gui.qt import (
    QAbstractItemView,
    QCheckBox,
    QDesktopServices,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPalette,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QUrl,
)
from edgeling.gui.widgets.run_picker import RunPicker

FORMATS = (("tflite-int8", "TFLite, int8 (microcontrollers)", ".tflite"),
           ("tflite", "TFLite, float", ".tflite"),
           ("onnx", "ONNX, float (PCs, phones)", ".onnx"),
           ("onnx-int8", "ONNX, int8", ".onnx"),
           ("c-header", "C header for TFLite Micro", ".h"))
EXPORT_COLUMNS = ["file", "format", "size", "check", "agreement", "accuracy", "latency on\nthis computer",
                  "TFLite Micro\narena"]
def export_missing(project, entry: dict) -> bool:
    """True when an exported file listed in the project is no longer there (moved or deleted by hand)."""
    try:
        return not project.export_path(entry).is_file()
    except (ProjectError, KeyError, TypeError):
        return True


def _num(v, fmt: str) -> str:
    return format(v, fmt) if isinstance(v, (int, float)) else "—"


def check_words(v: dict) -> str:
    """Where a file was checked, in plain words: "Checked in TensorFlow Lite (LiteRT) on 42 test samples"."""
    said = f"Checked in {runtime_words(v.get('runtime'))}"
    if v.get("micro_agreement") is not None:
        said += " and in TensorFlow Lite Micro"
    if isinstance(v.get("num_samples"), int):
        said += f" on {v['num_samples']} test samples"
    return said + "."


def failed_check_words(result) -> str | None:
    """The app's sentence for an export whose file failed its check (``export --json`` printed its result,
    then exited with an error); None for any other failure, whose own message is shown."""
    v = result.get("verification") if isinstance(result, dict) else None
    if not isinstance(v, dict) or v.get("passed") is not False:
        return None
    name = Path(str(result.get("path") or "the file")).name
    why = "; ".join(str(f) for f in v.get("failures") or [])
    return (f"{name} did not pass its check in {runtime_words(v.get('runtime'))}, so it was not written"
            + (f" ({why})" if why else "") + ". Try another format, or train longer.")


class ExportPage(Page):
    key = "export"
    title = "Export"
    hint = ("Write the model as a file for your device. Each file is checked after it is written: it is "
            "run by the real runtime and compared with the trained model. Next to each file: its labels, and a "
            "model card (.card.md) that tells the firmware person how to prepare an input on the device.")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.runs = RunPicker(state)
        self.layout_.addWidget(self.runs)
        row = QHBoxLayout()
        self.checks: dict[str, QCheckBox] = {}
        for fmt, label, _ext in FORMATS:
            box = QCheckBox(label)
            box.setChecked(fmt in ("tflite-int8", "onnx"))
            self.checks[fmt] = box
            row.addWidget(box)
        row.addStretch(1)
        self.layout_.addLayout(row)
        brow = QHBoxLayout()
        self.export_button = QPushButton("&Export and check")
        self.export_button.clicked.connect(self._on_export)
        self.open_button = QPushButton("&Open the exports folder")
        self.open_button.clicked.connect(self._on_open_folder)
        brow.addWidget(self.export_button)
        brow.addWidget(self.open_button)
        brow.addStretch(1)
        self.layout_.addLayout(brow)
        self.status = QLabel("")
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.layout_.addWidget(self.status)
        self.table = QTableWidget(0, len(EXPORT_COLUMNS))
        self.table.setObjectName("exportsTable")
        self.table.setHorizontalHeaderLabels(EXPORT_COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)     # the file name takes the room
        header.setMinimumHeight(self.table.fontMetrics().height() * 2 + 8)  # two-line headings
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)          # a long name is cut short with "…" (never broken mid-word)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.layout_.addWidget(self.table, 1)
        self._queue: list[tuple[str, str]] = []
        self._run: Path | None = None
        self._failed: list[str] = []
        self._note = ""     # the samples saved with the run stood in for its data (gone or changed)
        self._run_name = ""
        self._cli = CliProcess(self)
        self._cli.sig_result.connect(self._on_result)
        self._cli.sig_failed.connect(self._on_failed)
        self._cli.sig_line.connect(self.status.setText)
        state.sig_project_changed.connect(lambda _p: self.refresh())

    def on_shown(self) -> None:
        self.runs.refresh()
        self.refresh()

    def recheck_files(self) -> None:
        self.on_shown()

    def refresh(self) -> None:
        project = self.state.project
        exports = list(project.exports) if project is not None else []
        self.table.setRowCount(len(exports))
        for r, e in enumerate(exports):
            v = e.get("verification") or {}
            passed = v.get("passed")
            missing = export_missing(project, e)
            size = _num(e.get("size_bytes"), ",") + " bytes"
            if e.get("model_bytes") and e.get("format") == "c-header":   # its text, and the model it embeds
                size = f"{_num(e['model_bytes'], ',')} bytes of model in {size} of C text"
            path = str(e.get("path", ""))
            cells = [Path(path).name, e.get("format", ""), size,
                     "file missing" if missing else
                     "passed" if passed else ("FAILED" if passed is False else "not checked"),
                     _num(v.get("agreement"), ".1%"), _num(v.get("accuracy"), ".1%"),
                     _num(v.get("latency_ms"), ".2f") + " ms",
                     _num(v.get("arena_bytes"), ",") + (" bytes" if v.get("arena_bytes") else "")]
            tips = {0: path}
            if v.get("runtime") and not missing:
                tips[3] = check_words(v)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                tip = tips.get(c, "")
                if missing:     # moved or deleted by hand: kept listed, it may be put back
                    item.setForeground(self.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
                    tip = "\n".join(filter(None, [tip, "This file is gone (moved or deleted). Export the run "
                                                         "again to make it anew."]))
                if tip:
                    item.setToolTip(tip)
                self.table.setItem(r, c, item)

    def _on_export(self) -> None:
        project = self.state.project
        self.runs.refresh()      # a run whose folder went since the page was shown is not offered
        run = self.runs.run_folder()
        if project is None or run is None:
            show_error(self, "Train a model first (Train page); then export it here.")
            return
        if "export" not in registered_commands():
            show_error(self, "Exporting is not part of this build yet.")
            return
        chosen = [(f, ext) for f, _label, ext in FORMATS if self.checks[f].isChecked()]
        if not chosen:
            show_error(self, "Tick at least one format to export.")
            return
        self._run, self._run_name = run, run.name   # every format of this press exports this run
        self._queue, self._failed, self._note = chosen, [], ""
        self.export_button.setEnabled(False)
        self.runs.setEnabled(False)
        self._next()

    def _next(self) -> None:
        if not self._queue:
            self.export_button.setEnabled(True)
            self.runs.setEnabled(True)
            self.status.setText(("Export finished." if not self._failed else
                                 f"Export finished; {len(self._failed)} format(s) failed: " + " ".join(self._failed))
                                + (f" {self._note}" if self._note else ""))
            return
        fmt, ext = self._queue.pop(0)
        project = self.state.project
        out = project.exports_dir / f"{self._run_name}-{fmt}{ext}"
        out.parent.mkdir(parents=True, exist_ok=True)
        self.status.setText(f"Exporting {fmt} and checking it…")
        run = self._run
        moved = project.data_for_run(run)
        self._cli.start(["export", str(run), "--format", fmt, "--out", str(out)]
                        + (["--data", moved] if moved else []))

    def _on_result(self, res: dict) -> None:
        project = self.state.project
        if project is not None and res.get("path"):
            extra = {"model_bytes": res["model_bytes"]} if res.get("model_bytes") and \
                res.get("format") == "c-header" else {}
            project.add_export(res["path"], format=res.get("format"), size_bytes=res.get("size_bytes"),
                               verification=res.get("verification") or {}, run=self._run_name, **extra)
            self.state.edited()
        self.refresh()
        self._note = res.get("note") or self._note
        v = res.get("verification") or {}
        if v and not v.get("passed"):
            show_error(self, f"The exported file {res.get('path')} did not pass its check (agreement "
                             f"{_num(v.get('agreement'), '.1%')}). Do not use it; try another format or "
                             "train longer.")
        self._next()

    def _on_failed(self, message: str, details: str) -> None:
        """One format failed (its file is not handed over): say so, and go on with the other formats."""
        message = failed_check_words(self._cli.last_output) or message
        show_error(self, message, details)
        self._failed.append(message)
        self._next()

    def _on_open_folder(self) -> None:
        project = self.state.project
        if project is not None:
            project.exports_dir.mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(project.exports_dir)))

    def running_work(self) -> str | None:
        return "an export" if self._cli.running else None

    def leave_project(self) -> None:
        self._cli.kill()
        self._queue = []
        self.export_button.setEnabled(True)
        self.runs.setEnabled(True)
        self.status.setText("")
