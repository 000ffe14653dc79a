"""Export: tick the formats, export the chosen run (``edgeling export`` in a child process, one format after
another), and see each file's verification (agreement, accuracy, size, latency, TFLite Micro arena)."""

from __future__ import annotations

import logging
from pathlib import Path

from edgeling.core.devices.catalogue import find_device
from edgeling.core.export.card_device import ram_sentence
from edgeling.core.project import ProjectError
from edgeling.core.runs import read_config
from edgeling.gui.cli_process import CliProcess, registered_commands
from edgeling.gui.errors import show_error
from edgeling.gui.pages.base import Page
from edgeling.gui.pages.export_failure import (  # noqa: F401 - failed_check_words, failure_advice: read here too
    CheckDetails,
    advice_words,
    check_numbers,
    ended_words,
    failed_check_words,
    failure_advice,
    not_written_words,
    why_words,
)
from edgeling.gui.pages.export_ram import arena_cell, card_on_device, size_cell, whole_ram_words
from edgeling.gui.pages.export_runs import files_label, of_run, picked_run, said_box, say_files_of
from edgeling.gui.pages.export_stop import (
    UNFINISHED_AGAIN_CELL,
    UNFINISHED_CELL,
    killed_message,
    stop_button,
    unfinished_words,
)
from edgeling.gui.pages.export_table import ExportsTable
from edgeling.gui.pages.export_ticks import nothing_ticked_words, tick_for_device
from edgeling.gui.pages.export_verdict import show_verdict, verdict_label
from edgeling.gui.pages.export_words import (  # noqa: F401 - FORMAT_WORDS, fitting_formats: the page's words
    DEFAULT_FORMATS,
    EXPORT_COLUMNS,
    FORMAT_SHORT,
    FORMAT_WORDS,
    FORMATS,
    check_words,
    export_file_name,
    failed_checks,
    fitting_formats,
    format_cell,
    is_for_microcontroller,
    is_micro,
    runner_sentence,
)
from edgeling.gui.qt import (
    QCheckBox,
    QDesktopServices,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPalette,
    QPushButton,
    QTableWidgetItem,
    QUrl,
)
from edgeling.gui.widgets.run_picker import RunPicker


def export_missing(project, entry: dict) -> bool:
    """True when an exported file listed in the project is no longer there (moved or deleted by hand)."""
    try:
        return not project.export_path(entry).is_file()
    except (ProjectError, KeyError, TypeError):
        return True


def _num(v, fmt: str) -> str:
    return format(v, fmt) if isinstance(v, (int, float)) else "—"


KEPT_AFTER_FAILURE = "last attempt FAILED; earlier file kept"
"""The check cell of a listed file whose export failed since (it listed the file twice, "passed" and "FAILED")."""


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
        # Two to a row, each format's int8 and float together: in one row, a PC's longer labels made the page,
        # and so the window, at least 1173 pixels wide (the second GUI walk).
        grid = QGridLayout()
        self.checks: dict[str, QCheckBox] = {}
        for i, (fmt, label, _ext) in enumerate(FORMATS):
            box = QCheckBox(label)
            box.setChecked(fmt in DEFAULT_FORMATS)     # until the run's device is known
            self.checks[fmt] = box
            grid.addWidget(box, i // 2, i % 2)
        grid.setColumnStretch(2, 1)
        self.layout_.addLayout(grid)
        self.device_note = QLabel("")
        self.device_note.setObjectName("exportDeviceNote")
        self.device_note.setWordWrap(True)
        self.device_note.hide()
        self.layout_.addWidget(self.device_note)
        self.float_note = QLabel("")     # a run only made int8: its float model is its source run's
        self.float_note.setObjectName("exportFloatNote")
        self.float_note.setWordWrap(True)
        self.float_note.hide()
        self.layout_.addWidget(self.float_note)
        self._ticked_for: object = None     # the device the formats were last ticked for (None: none known)
        self._device = None                 # that device (catalogue entry), None when not known
        brow = QHBoxLayout()
        self.export_button = QPushButton("&Export and check")
        self.export_button.clicked.connect(self._on_export)
        self.open_button = QPushButton("&Open the exports folder")
        self.open_button.clicked.connect(self._on_open_folder)
        self.stop_button = stop_button(self)
        brow.addWidget(self.export_button)
        brow.addWidget(self.stop_button)
        brow.addWidget(self.open_button)
        brow.addStretch(1)
        self.layout_.addLayout(brow)
        self.said, said = said_box(self.layout_)    # what the last press said, of its run (export_runs.py)
        self.status = QLabel("")
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        said.addWidget(self.status)
        self.check_details = CheckDetails()     # a file that failed its check: the numbers, folded away
        said.addWidget(self.check_details)
        self.verdict = verdict_label()      # the exported run is no better than always answering one class
        said.addWidget(self.verdict)
        self.runner_note = QLabel("")       # the last export wrote edgeling_run.py beside its file
        self.runner_note.setObjectName("exportRunnerNote")
        self.runner_note.setWordWrap(True)
        self.runner_note.hide()
        said.addWidget(self.runner_note)
        self._said_for = ""                 # the run the last press exported: what is said above is of it
        self._runner_beside: list[str] = []     # the files of this press edgeling_run.py was written beside
        self.files_of = files_label(self.layout_)     # whose files the table lists: the picked run's (export_runs.py)
        self.table = ExportsTable()        # the file names take the room; short headings
        self.layout_.addWidget(self.table, 1)
        self.ram_note = QLabel("")          # the RAM the last file for a microcontroller needs there
        self.ram_note.setObjectName("exportRamNote")
        self.ram_note.setWordWrap(True)
        self.layout_.addWidget(self.ram_note)
        self._queue: list[tuple[str, str]] = []
        self._run: Path | None = None
        self._failed: list[dict] = []           # the formats of this press not written (``ended_words``)
        self._asked = 0                         # how many formats this press asked for
        self._note = ""     # the samples saved with the run stood in for its data (gone or changed)
        self._run_name = ""
        self._fmt: str | None = None            # the format being exported
        self._out: Path | None = None           # and the file it goes to
        self._export_device = None              # the device of the run being exported
        self._passes: list = []                 # and its compression passes
        self._failed_rows: list[dict] = []      # formats that failed since the project opened (not written)
        self._cli = CliProcess(self)
        self._cli.sig_result.connect(self._on_result)
        self._cli.sig_failed.connect(self._on_failed)
        self._cli.sig_line.connect(self.status.setText)
        self.runs.currentIndexChanged.connect(lambda _i: self.tick_for_device())
        self.runs.currentIndexChanged.connect(lambda _i: self.refresh())     # the picked run's files
        self.runs.currentIndexChanged.connect(lambda _i: self.said.setVisible(picked_run(self) == self._said_for))
        state.sig_project_changed.connect(self._on_project_changed)

    def _on_project_changed(self, _project) -> None:
        self._failed_rows = []
        self._ticked_for = ()        # tick again for the device of this project's runs
        self.tick_for_device()
        self.refresh()

    def on_shown(self) -> None:
        self.runs.refresh()
        self.tick_for_device()
        self.refresh()

    def run_device_id(self) -> str | None:
        """The device the picked run was trained for (its run.json), else the project's device."""
        folder = self.runs.run_folder()
        if folder is not None:
            device = (read_config(folder) or {}).get("device")
            if device:
                return str(device)
        project = self.state.project
        return project.device if project is not None else None

    def tick_for_device(self) -> None:
        """Tick, grey out and say the formats for the picked run and its device (export_ticks.py)."""
        tick_for_device(self)

    def offer_float(self) -> None:
        """Grey out the float formats for a run only made int8 (its float model is its source run's)."""
        tick_for_device(self)

    def recheck_files(self) -> None:
        self.on_shown()

    def refresh(self) -> None:
        project = self.state.project
        every = list(project.exports) if project is not None else []
        exports = of_run(every, run := picked_run(self))
        self.table.setRowCount(len(exports))
        failed = {f["name"]: f for f in self._failed_rows}   # a failed export of a file that is listed: on its row
        ram_said, for_micro = "", False
        for r, e in enumerate(exports):
            v = e.get("verification") or {}
            passed = v.get("passed")
            missing = export_missing(project, e)
            size, size_tip = size_cell(e)
            path = str(e.get("path", ""))
            on_device = {} if missing else card_on_device(project.export_path(e))
            # a file for a microcontroller, or for a device not known: the microcontroller's words (TensorFlow Lite
            # Micro, the tensor arena); a Raspberry Pi's file is said as it runs there (the speech walk)
            row_micro = is_for_microcontroller(e, on_device) or (not on_device.get("kind") and is_micro(self._device))
            arena, arena_tip = arena_cell(v, on_device, row_micro)
            said = ram_sentence(Path(path).name, on_device)
            ram_said = " ".join(filter(None, [said, whole_ram_words(on_device)])) if said else ram_said
            for_micro = for_micro or is_for_microcontroller(e, on_device)
            fmt_said, fmt_tip = format_cell(str(e.get("format") or ""), row_micro)
            cells = [Path(path).name, fmt_said, size,
                     "file missing" if missing else
                     "passed" if passed else ("FAILED" if passed is False else "not checked"),
                     _num(v.get("agreement"), ".1%"), _num(v.get("accuracy"), ".1%"),
                     _num(v.get("latency_ms"), ".2f") + " ms", arena]
            tips = {0: path, 1: fmt_tip, 2: size_tip, 7: arena_tip}
            if v.get("runtime") and not missing:
                tips[3] = check_words(v, row_micro)
            again = failed.get(Path(path).name)
            if again is not None and not missing:   # the earlier file stays; its numbers are the earlier ones
                cells[3] = KEPT_AFTER_FAILURE if (again.get("verification") or {}).get("passed") is False \
                    else UNFINISHED_AGAIN_CELL
                tips[3] = "\n".join([again["reason"], "The last attempt failed; the earlier file is kept: the "
                                      "file listed is the one from before it." +
                                      (" " + check_words(v, row_micro) if v.get("runtime") else "")])
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
        listed = {Path(str(e.get("path", ""))).name for e in exports if not export_missing(project, e)}
        alone = [f for f in of_run(self._failed_rows, run) if f["name"] not in listed]
        say_files_of(self.files_of, run, len(exports) + len(alone), every)
        for r, f in enumerate(alone, start=len(exports)):   # failed formats: no file, the reason
            v = f.get("verification") or {}
            cells = [f["name"], format_cell(str(f.get("format") or ""))[0], "not written",
                     f"FAILED in {failed_checks(v)}" if v.get("passed") is False else UNFINISHED_CELL,
                     _num(v.get("agreement"), ".1%"), _num(v.get("accuracy"), ".1%"), "—", "—"]
            self.table.insertRow(r)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f["reason"])
                self.table.setItem(r, c, item)
        micro = self._device is None or self._device.is_microcontroller  # the arena: a microcontroller's RAM
        self.table.setColumnHidden(len(EXPORT_COLUMNS) - 1, not (for_micro or micro))
        self.table.fit_columns()
        self.ram_note.setText(ram_said)
        self.ram_note.setVisible(bool(ram_said))

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
        chosen = [(f, ext) for f, _label, ext in FORMATS if self.checks[f].isChecked() and self.checks[f].isEnabled()]
        if not chosen:      # a step to take, not a fault: no log named
            show_error(self, nothing_ticked_words(self), say_log=False).setIcon(QMessageBox.Icon.Information)
            return
        self._run, self._run_name = run, run.name   # every format of this press exports this run
        self._said_for = run.name
        self.said.show()
        self._export_device = find_device(self.run_device_id())    # the ticks shown stay as they are
        self._passes = list((self.runs.current_entry() or {}).get("passes") or [])
        self._queue, self._failed, self._note, self._runner_beside = chosen, [], "", []
        self._asked = len(chosen)
        self.check_details.show_numbers("")
        self.runner_note.hide()
        self.verdict.hide()
        self.export_button.setEnabled(False)
        self.runs.setEnabled(False)
        self._next()

    def _next(self) -> None:
        self.stop_button.setEnabled(bool(self._queue))
        if not self._queue:
            self.export_button.setEnabled(True)
            self.runs.setEnabled(True)
            self.status.setText(ended_words(self._failed, self._asked, self._note))
            self.check_details.show_numbers("\n\n".join(f["numbers"] for f in self._failed if f["numbers"]))
            self.runner_note.setText(runner_sentence(" and ".join(self._runner_beside), self._export_device))
            self.runner_note.setVisible(bool(self._runner_beside))
            show_verdict(self.verdict, self._run)
            return
        fmt, ext = self._queue.pop(0)
        project = self.state.project
        out = project.exports_dir / export_file_name(project.name, self._run_name, fmt, ext)
        self._fmt, self._out = fmt, out
        out.parent.mkdir(parents=True, exist_ok=True)
        self.status.setText(f"Exporting {FORMAT_SHORT.get(fmt, fmt)} and checking it…")   # not "tflite-int8"
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
            name = Path(str(res["path"])).name      # made now: an earlier failure of the same file is over
            self._failed_rows = [f for f in self._failed_rows if f["name"] != name]
            self._runner_beside += [name] if res.get("runner") else []
        self.refresh()
        self._note = res.get("note") or self._note
        v = res.get("verification") or {}
        if v and v.get("passed") is False:      # written, yet failed (core hands no such file over)
            show_error(self, f"Do not use {res.get('path')}: {why_words(v, res.get('format'))}. "
                       + advice_words(res, self._export_device, self._passes, self._fmt), check_numbers(res))
        self._next()

    def _on_failed(self, message: str, details: str) -> None:
        """One format failed (its file is not handed over): list it with its reason, and go on with the other
        formats; the status line says it once they are through. A failed check is said there only (its numbers
        under "Details"); a failure of another kind in an error message with its log, as any other."""
        out = self._cli.last_output
        said = not_written_words(out)
        name = self._out.name if self._out is not None else "The file"
        advice = advice_words(out, self._export_device, self._passes, self._fmt) if said else ""
        numbers = check_numbers(out)
        if said is None:    # not its check: the export did not finish (a killed helper gives no reason)
            show_error(self, killed_message(name) if self._cli.crashed else message, details)
        else:
            logging.getLogger("edgeling.gui").warning("export not written: %s %s\n%s\n%s", said, advice, numbers,
                                                      details)
        self._failed.append({"name": name, "said": said or unfinished_words(name, self._cli.crashed),
                             "advice": advice, "numbers": numbers})
        if self.state.project is not None and self._out is not None:
            v = out.get("verification") if isinstance(out, dict) else None
            reason = "\n".join(filter(None, [f"{said} {advice}" if said else message, numbers]))
            self._failed_rows = [f for f in self._failed_rows if f["name"] != name]
            if said is None and self._cli.crashed:
                reason = killed_message(name)
            self._failed_rows.append({"name": name, "format": self._fmt, "reason": reason, "run": self._run_name,
                                      "verification": v if isinstance(v, dict) else {}})
            self.refresh()
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
        self.stop_button.setEnabled(False)
        self.export_button.setEnabled(True)
        self.runs.setEnabled(True)
        self.status.setText("")
        self._said_for = ""
        self.check_details.show_numbers("")
        self.runner_note.hide()
        self.verdict.hide()
