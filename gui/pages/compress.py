"""Compress: make a trained run smaller and faster, into a NEW run of the project.

The passes are chosen in plain words (int8, pruning a share of the weights or of whole channels, teaching a
smaller network from a run); they run as a job in a child process (``edgeling.core.compress.compress_job``,
named by a string, so this process never imports torch), Stop works, and the before/after table
(``compression.json`` in the new run) is shown as a table and a bar chart. The new run is added to the
project, so Evaluate and Export can pick it."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.compress.compare import sizes_said
from edgeling.core.compress.notes import accuracy_loss_note, int8_only_note, pass_labels, zeros_note
from edgeling.core.fileio import read_json
from edgeling.gui.errors import show_error
from edgeling.gui.jobs import JobController, press_stop
from edgeling.gui.pages.base import Page
from edgeling.gui.pages.compress_teacher import SAME_RUN, hint_label, offer_teacher, teacher_picker
from edgeling.gui.pages.plain_terms import jargon_tip
from edgeling.gui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
)
from edgeling.gui.widgets.compare_chart import CompareChart
from edgeling.gui.widgets.run_picker import RunPicker, finished_now, is_int8_run, passes_in_words

COMPRESS_TARGET = "edgeling.core.compress.compress_job.compress_job"
COMPRESSION_FILE = "compression.json"
NAME_PAD = 16      # a row name's cell margins and grid line, beside its longest word
INT8_CHOICES = (("", "no"),
                ("ptq", "int8: smaller and faster, usually loses little accuracy (the table below says how much)"),
                ("qat", "int8 with a short re-training (slower to make, keeps more accuracy)"))


def table_rows(table: dict) -> list[tuple[str, str, str, str]]:
    """``(what, before, after, change)`` rows, exactly as the CLI prints them (no torch imported)."""
    from edgeling.core.compress.compare import table_rows as rows

    return rows(table)


def new_run_folder(project, source: Path, quantize: str, prune: float, structured: bool, distill: bool) -> Path:
    parts = (["distilled"] if distill else []) + ([f"pruned{round(prune * 100)}" + ("ch" if structured else "")]
                                                  if prune else []) + ([quantize] if quantize else [])
    base = project.runs_dir / f"{source.name}-{'-'.join(parts) or 'compressed'}"
    out, n = base, 2
    while out.exists() or out.with_name(f".{out.name}.partial").exists():
        out, n = base.with_name(f"{base.name}-{n}"), n + 1
    return out


class CompressPage(Page):
    key = "compress"
    busy_label = "compression"
    title = "Compress"
    hint = ("Make a trained model smaller and faster. The result is a new run of this project: the run "
            "you start from is not changed, and Evaluate and Export can use either.")

    def __init__(self, state, parent=None, target: str = COMPRESS_TARGET, start_fn=None):
        super().__init__(state, parent)
        self.target = target
        form = QFormLayout()
        self.runs = RunPicker(state)     # the newest run: a run just trained, or the result of the last compression
        self.runs.currentIndexChanged.connect(lambda _i: self._on_run_picked())
        form.addRow("Start from:", self.runs)
        self.int8 = QComboBox()
        self.int8.setObjectName("int8Choice")
        for value, label in INT8_CHOICES:
            self.int8.addItem(label, value)
        self.int8.setCurrentIndex(1)
        self._int8_wanted: int | None = None    # the int8 choice set aside while an int8 run is picked
        form.addRow("Use int8 numbers:", self.int8)
        self.int8_note = QLabel("")
        self.int8_note.setObjectName("int8Note")
        self.int8_note.setWordWrap(True)
        self.int8_note.hide()
        form.addRow("", self.int8_note)
        prow = QHBoxLayout()
        self.prune = QSpinBox()
        self.prune.setRange(0, 90)
        self.prune.setSingleStep(10)
        self.prune.setSuffix(" %")
        self.prune.setSpecialValueText("no pruning")
        self.prune.setToolTip("Remove this share of the smallest weights, then re-train briefly.")
        self.structured = QCheckBox("remove whole channels (really smaller and faster on the device)")
        self.structured.setChecked(True)
        prow.addWidget(self.prune)
        prow.addWidget(self.structured, 1)
        form.addRow("Prune away:", prow)
        drow = QHBoxLayout()
        self.distill = QCheckBox("Train a smaller network on the answers of:")
        self.distill.setToolTip("A network sized for your device learns from a bigger trained run. The same "
                                "small network is also trained without it, and the better of the two (on the "
                                "validation files) becomes the new run; the result says by how much the "
                                "bigger run helped.")
        self.teacher = teacher_picker(self, state)      # the runs that can teach the one to start from
        drow.addWidget(self.distill)
        drow.addWidget(self.teacher, 1)
        form.addRow("Distil:", drow)
        self.teacher_hint = hint_label()      # no other run to learn from
        form.addRow("", self.teacher_hint)
        self.layout_.addLayout(form)

        brow = QHBoxLayout()
        self.run_button = QPushButton("&Compress")
        self.run_button.clicked.connect(self._on_compress)
        self.stop_button = QPushButton("S&top")
        self.stop_button.clicked.connect(self._on_stop)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        for b in (self.run_button, self.stop_button):
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        brow.addWidget(self.run_button)
        brow.addWidget(self.stop_button)
        brow.addWidget(self.progress, 1)
        brow.addStretch(0)
        self.layout_.addLayout(brow)
        self.status = QLabel("Choose what to do, then press Compress.")
        self.status.setObjectName("compressStatus")
        self.status.setWordWrap(True)
        self.layout_.addWidget(self.status)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("compareTable")
        self.table.setHorizontalHeaderLabels(["", "before", "after", "change"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # wrapped names
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        split.addWidget(self.table)
        self.chart = CompareChart()
        self.chart.setMinimumWidth(self.chart.least_width())     # never drawn cut at its right
        split.addWidget(self.chart)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 560])
        self.split = split
        self.layout_.addWidget(split, 1)
        self.note = QLabel("")
        self.note.setObjectName("compareNote")
        self.note.setWordWrap(True)
        self.layout_.addWidget(self.note)

        self.job = JobController(self, start_fn=start_fn)
        self.job.sig_event.connect(self._on_event)
        self.job.sig_finished.connect(self._on_finished)
        self.job.sig_stopped.connect(self._on_stopped)
        self.job.sig_failed.connect(self._on_failed)
        self.job.sig_running_changed.connect(self._update_buttons)
        self.extra_params: dict = {}
        self.last_result: dict | None = None
        self._source: Path | None = None
        self._out: Path | None = None
        self._update_buttons(False)

    def on_shown(self) -> None:
        self.runs.refresh()
        self.teacher.refresh()
        self._on_run_picked()

    def _on_run_picked(self) -> None:
        offer_teacher(self)
        self._offer_int8()
        self.show_saved_table()

    def _offer_int8(self) -> None:
        """A run that is already int8 is not quantized again: its int8 choices are greyed out and "no" is
        shown, with the reason and what to do instead; picking a float run again brings back the choice."""
        entry = self.runs.current_entry()
        int8_run = is_int8_run(self.state.project, entry)
        model = self.int8.model()
        for i in range(self.int8.count()):
            if self.int8.itemData(i):
                model.item(i).setEnabled(not int8_run)
        if int8_run:
            if self._int8_wanted is None:
                self._int8_wanted = self.int8.currentIndex()
            self.int8.setCurrentIndex(0)
            self.int8_note.setText(already_int8_words(self.state.project, entry))
        elif self._int8_wanted is not None:
            self.int8.setCurrentIndex(self._int8_wanted)
            self._int8_wanted = None
        self.int8_note.setVisible(int8_run)

    # --- running --------------------------------------------------------------------------------------
    def params(self) -> dict | None:
        """The job's parameters from the form; None (and a message) when something is missing."""
        project = self.state.project
        self.runs.refresh()      # a run whose folder went since the page was shown is not offered
        self.teacher.refresh()
        source = self.runs.run_folder()
        if project is None or source is None:
            show_error(self, "Train a model first (Train page); then compress it here.")
            return None
        quantize = self.int8.currentData() or None
        if quantize and is_int8_run(project, self.runs.current_entry()):
            show_error(self, already_int8_words(project, self.runs.current_entry()))
            return None
        prune = self.prune.value() / 100.0
        teacher = self.teacher.run_folder() if self.distill.isChecked() else None
        if self.distill.isChecked() and teacher is None:
            show_error(self, "Choose the run whose answers the smaller network learns from.")
            return None
        if teacher is not None and teacher == source:
            show_error(self, SAME_RUN)
            return None
        if not (quantize or prune or teacher):
            show_error(self, "Choose at least one way to compress: int8, a share to prune away, or "
                             "distillation.")
            return None
        out = new_run_folder(project, source, quantize or "", prune, self.structured.isChecked(), bool(teacher))
        return {"run": str(source), "out": str(out), "quantize": quantize, "prune": prune or None,
                "structured": bool(prune) and self.structured.isChecked(),
                "distill_from": str(teacher) if teacher else None, "data": project.data_for_run(source),
                **self.extra_params}

    def start_compression(self) -> bool:
        params = self.params()
        if params is None:
            return False
        self._source, self._out = Path(params["run"]), Path(params["out"])
        self._out.parent.mkdir(parents=True, exist_ok=True)
        self.status.setText("Compressing…")
        self.progress.setRange(0, 0)        # busy
        project = self.state.project
        project.logs_dir.mkdir(parents=True, exist_ok=True)
        log = project.logs_dir / f"compress-{self._out.name}.log"
        return self.job.start(self.target, params, str(log))

    def _on_compress(self) -> None:
        self.start_compression()

    def _on_stop(self) -> None:
        self.status.setText(press_stop(self.job, "a stopped compression writes nothing either way"))

    def _update_buttons(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.progress.setVisible(running)
        if not running:
            self.progress.setRange(0, 1)

    def _on_event(self, ev) -> None:
        name = type(ev).__name__
        if name == "Progress":
            self.status.setText((ev.message or ev.stage) + "…")
        elif name == "BatchEnd":
            self.status.setText(f"Re-training, epoch {ev.epoch + 1}, batch {ev.step + 1} of "
                                f"{ev.steps_per_epoch}…")

    def _on_finished(self, result: dict) -> None:
        self.last_result = result
        project = self.state.project
        run_path = Path(result.get("run") or self._out)
        passes = pass_labels(result.get("passes"))   # what really happened, as the runs list will say
        if project is not None:
            metrics = {k: v for k, v in (result.get("metrics") or {}).items() if isinstance(v, (int, float))}
            source_rel = project.relative(self._source) if self._source else None
            self.runs.made_here(project.relative(run_path))    # the source chosen stays chosen
            project.add_run(run_path, status="finished", best=metrics, compressed_from=source_rel,
                            passes=passes, finished=finished_now())
            self.state.edited()
        self.show_table(result.get("table") or {}, [zeros_note(result.get("passes"), "app"),
                                                    int8_only_note(result.get("passes"), "app"),
                                                    accuracy_loss_note(result.get("table"), result.get("passes"),
                                                                       "app")])
        self.status.setText(f"Done: the compressed model is the new run {run_path.name} "
                            f"({passes_in_words(passes)}). Evaluate and Export can use it now.")
        from edgeling.core.compress.distill_step import comparison_sentence

        for rec in result.get("passes") or []:
            if comparison_sentence(rec):
                self.status.setText(self.status.text() + " " + comparison_sentence(rec))
            v = rec.get("verification")
            if isinstance(v, dict) and v.get("passed") is False:
                self.status.setText(self.status.text() + " Note: its int8 file does not pass the export "
                                    "checks (" + "; ".join(v.get("failures") or []) + ").")

    def _on_stopped(self, message: str, result: dict) -> None:
        self._discard_partial()  # a child ended by terminate / kill had no chance to clean up
        self.status.setText(message or "Stopped. Nothing was written.")

    def _on_failed(self, message: str, details: str, log_path: str) -> None:
        self._discard_partial()
        self.status.setText("Compression did not finish: " + message)
        show_error(self, message, details, log_path or None)

    # --- the table ------------------------------------------------------------------------------------
    def show_table(self, table: dict, notes=()) -> None:
        """The before/after table and chart; ``notes`` (sentences, None skipped) go under the table."""
        rows = table_rows(table) if table else []
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if not c:     # the name, whole; what MACs are when the row says it (core's words)
                    item.setToolTip("\n\n".join(filter(None, (item.text(), jargon_tip(item.text())))))
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        before, after = (table or {}).get("before") or {}, (table or {}).get("after") or {}
        self.table.setHorizontalHeaderLabels(["", _head("before", before), _head("after", after), "change"])
        self.table.horizontalHeader().setMinimumHeight(self.table.fontMetrics().height() * 3 + 8)
        self.table.resizeColumnsToContents()
        # The numbers come first: the table keeps the width its number columns need, and its row names their
        # longest word (a longer name is wrapped onto a second line: at 1024 x 700 "balanced over classes (macro
        # F1)" was cut to "(macro …"); the chart takes the rest, at least its least width.
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        names = max((metrics.horizontalAdvance(word) for row in rows for word in row[0].split()), default=0)
        self.table.setMinimumWidth(sum(header.sectionSize(c) for c in range(1, self.table.columnCount()))
                                   + names + NAME_PAD + 2 * self.table.frameWidth()
                                   + self.table.verticalScrollBar().sizeHint().width())
        # When the window is narrower still, the row names give way (wrapped, whole in the tooltip) and the
        # numbers stay whole: a cut-off 'change' column behind a scroll bar said nothing.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chart.show_table(table)
        whole = max((metrics.horizontalAdvance(row[0]) for row in rows), default=0)
        self._room_for_names(self.table.minimumWidth() + max(0, whole - names))
        said = [f"{sizes_said(table)}; accuracy is measured on the test files "
                f"({after.get('quality_measured_on', 'the compressed model')}).", *filter(None, notes)]
        self.note.setText(" ".join(said) if rows else "")
        self.note.setToolTip(jargon_tip(self.note.text()))     # core's note may name MACs (the table's row does)

    def _room_for_names(self, wanted: int) -> None:
        """Give the table up to ``wanted`` pixels (its row names on one line), leaving the chart its least width:
        at 1024 x 700 the names were wrapped onto three lines beside a chart with room to spare."""
        sizes = self.split.sizes()
        total = sum(sizes)
        if not total or sizes[0] >= wanted:
            return
        table = min(wanted, total - self.chart.least_width())
        if table > sizes[0]:
            self.split.setSizes([table, total - table])

    def show_saved_table(self) -> None:
        """The table of the picked run if it is a compressed run, else of its latest compression."""
        project, folder = self.state.project, self.runs.run_folder()
        if self.job.running:
            return
        table, notes = None, []
        if project is not None and folder is not None:
            candidates = [folder]
            rel = self.runs.currentData()
            candidates += [project.path_in(r["folder"]) for r in reversed(project.runs)
                           if r.get("compressed_from") == rel and r.get("folder")]
            for c in candidates:
                if (c / COMPRESSION_FILE).is_file():
                    try:
                        saved = read_json(c / COMPRESSION_FILE)
                        table = saved.get("table")
                        notes = saved_notes(saved.get("passes"), table)
                    except (OSError, ValueError, AttributeError, TypeError, KeyError):
                        table, notes = None, []
                    break
        self.show_table(table or {}, notes)

    def _discard_partial(self) -> None:
        if self._out is not None:
            from edgeling.core.compress.compress_job import discard_partial

            discard_partial(self._out)

    def leave_project(self) -> None:
        was_running = self.job.running
        self.job.shutdown()
        if was_running:
            self._discard_partial()  # the killed child's half-written run
        self.status.setText("Choose what to do, then press Compress.")
        self.table.setRowCount(0)


def already_int8_words(project, entry: dict | None) -> str:
    """Why an int8 run is not made int8 again, and what to do instead (naming the run it was made from)."""
    name = str((entry or {}).get("id") or "This run")
    source = (entry or {}).get("compressed_from")
    origin = next((r for r in (project.runs if project is not None else []) if r.get("folder") == source), None)
    start = f"start from {origin.get('id')}, the run it was made from" if origin else "start from a run that is not int8"
    return (f"{name} is already int8, so it cannot be made int8 again. For int8 (with or without re-training), "
            f"{start}. Pruning or distilling {name} keeps it int8.")


def saved_notes(passes, table: dict | None = None) -> list[str | None]:
    """What a finished compression said besides its table (the distillation's comparison was in the status
    line then), read back from ``compression.json``."""
    from edgeling.core.compress.distill_step import comparison_sentence

    passes = [r for r in passes or [] if isinstance(r, dict)]
    return [zeros_note(passes, "app"), int8_only_note(passes, "app"), accuracy_loss_note(table, passes, "app"),
            *map(comparison_sentence, passes)]


def _head(word: str, column: dict) -> str:
    what = ",\n".join(str(v) for v in (column.get("arch"), column.get("precision")) if v)
    return f"{word}\n({what})" if what else word    # "before\n(spectral_dense,\nfloat32)": narrow, for the chart
