"""The Evaluate page's cross-validation ("Check every sample"): a firmer number than one test split. One test split holds out a tenth of the data (4 of
40 children); a cross-validation cuts the data into K parts and trains K models, each without one part and
tested on it, so every sample (and every speaker) is tested once by a model that never saw it
(``core/training/crossval.py``). Runs as a job in a child process with the Train page's settings (its
``job_params``), into ``runs/crossval-NNN`` of the project (``fold-1`` ... ``fold-K``, ``crossval.json``,
``results/``). Stop keeps the finished folds; Start with the same number of parts carries on in the same folder.
The pooled results are handed to the page (``sig_results``), which shows them in its own views."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from edgeling.core.data.folds import MAX_FOLDS, MIN_FOLDS
from edgeling.core.fileio import read_json
from edgeling.core.project import ProjectError
from edgeling.core.training.crossval import CROSSVAL_FILE, DEFAULT_FOLDS, RESULTS_FOLDER, TARGET
from edgeling.gui.errors import show_error
from edgeling.gui.jobs import JobController, press_stop
from edgeling.gui.pages.crossval_words import (
    ABOUT,
    DETAILS,
    TITLE,
    machines_of,
    machines_sentence,
    start_tip,
    time_sentence,
)
from edgeling.gui.qt import (
    QDesktopServices,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QUrl,
    QVBoxLayout,
    Signal,
)

UI_KEY = "crossval"     # project.ui: {"folder": the last cross-validation's folder (relative), "folds": K}


class CrossvalPanel(QGroupBox):
    sig_results = Signal(dict, dict, str)    # pooled metrics, every fold's test answers, the folder

    def __init__(self, state, parent=None, target: str = TARGET, start_fn=None):
        super().__init__(TITLE, parent)
        self.state, self.target = state, target
        self.params_for: Callable[[Path], dict] | None = None   # the Train page's job_params (main window)
        v = QVBoxLayout(self)
        self.about = QLabel(ABOUT)
        self.about.setObjectName("crossvalAbout")
        self.about.setWordWrap(True)
        self.about.setToolTip(DETAILS)
        self.setToolTip(DETAILS)
        v.addWidget(self.about)
        row = QHBoxLayout()
        row.addWidget(QLabel("Parts:"))
        self.parts = QSpinBox()
        self.parts.setRange(MIN_FOLDS, MAX_FOLDS)
        self.parts.setValue(DEFAULT_FOLDS)
        self.parts.setToolTip("How many parts the data is cut into: as many models are trained, each tested "
                              "on its own part. 5 or 10 are usual.")
        self.parts.valueChanged.connect(lambda _v: self._update_buttons(self.job.running))
        self.parts.valueChanged.connect(lambda _v: self._say_machines())
        row.addWidget(self.parts)
        self.start_button = QPushButton("Start cross-validation")
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton("Stop")
        self.stop_button.clicked.connect(self._on_stop)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat("")
        # shown only while a cross-validation runs: idle, the empty bar looked like a text field to type in (the
        # vineyard walk); its room is kept, so the buttons beside it stay where they are
        keep = self.progress.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.progress.setSizePolicy(keep)
        self.progress.hide()
        self.show_button = QPushButton("Show the results")
        self.show_button.setToolTip("Show the pooled results of the last cross-validation above.")
        self.show_button.clicked.connect(self.show_results)
        self.open_button = QPushButton("Open the results folder")
        self.open_button.setToolTip("results.md, the confusion matrix as a picture and as CSV, each class's and "
                                    "each speaker's (machine's, hive's) accuracy as CSV. Save results… above adds PNG and PDF.")
        self.open_button.clicked.connect(self._on_open_folder)
        for w in (self.start_button, self.stop_button):
            row.addWidget(w)
        row.addWidget(self.progress, 1)
        for w in (self.show_button, self.open_button):
            row.addWidget(w)
        v.addLayout(row)
        self.machines_note = QLabel("")        # the few machines the file names name: held out whole
        self.machines_note.setObjectName("crossvalMachines")
        self.machines_note.setWordWrap(True)
        self.machines_note.hide()
        v.addWidget(self.machines_note)
        self.machines: list[str] = []
        self.status = QLabel("")
        self.status.setObjectName("crossvalStatus")
        self.status.setWordWrap(True)
        self.status.hide()       # shown once there is something to say
        v.addWidget(self.status)
        self.job = JobController(self, start_fn=start_fn)
        self.job.sig_event.connect(self._on_event)
        self.job.sig_finished.connect(self._on_finished)
        self.job.sig_stopped.connect(self._on_stopped)
        self.job.sig_failed.connect(self._on_failed)
        self.job.sig_running_changed.connect(self._update_buttons)
        self._folds, self._fold, self._epochs = 0, 1, 0
        state.sig_project_changed.connect(self._on_project_changed)
        state.sig_dataset_changed.connect(self._on_dataset_changed)
        self._on_project_changed(state.project)
        self._on_dataset_changed(state.dataset)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # --- the last cross-validation's folder -----------------------------------------------------------
    def folder(self) -> Path | None:
        project = self.state.project
        rel = ((project.ui.get(UI_KEY) if project is not None else None) or {}).get("folder")
        try:
            return project.path_in(rel) if rel else None
        except ProjectError:
            return None

    def _last_folds(self) -> int | None:
        project = self.state.project
        return ((project.ui.get(UI_KEY) if project is not None else None) or {}).get("folds")

    def finished(self) -> bool:
        out = self.folder()
        return out is not None and (out / CROSSVAL_FILE).is_file()

    def _carries_on(self) -> bool:
        """True when Start carries on the last cross-validation (stopped, same number of parts)."""
        out = self.folder()
        return out is not None and out.is_dir() and not self.finished() and self._last_folds() == self.parts.value()

    def _folds_done(self, out: Path, folds: int) -> int:
        return sum((out / f"fold-{k}" / "metrics.json").is_file() for k in range(1, folds + 1))

    # --- starting and stopping ------------------------------------------------------------------------
    def start(self) -> bool:
        project = self.state.project
        if project is None or not project.data.get("path"):
            show_error(self, "Choose your data first, on the Data page.", say_log=False)   # a step, not a fault
            return False
        if not project.device:
            show_error(self, "Choose the device the model will run on first, on the Model page.", say_log=False)
            return False
        if self.params_for is None:
            show_error(self, "The cross-validation takes the Train page's settings, which are not here.")
            return False
        folds = self.parts.value()
        out = self.folder() if self._carries_on() else None
        if out is None:
            n = 1
            while (project.runs_dir / f"crossval-{n:03d}").exists():
                n += 1
            out = project.runs_dir / f"crossval-{n:03d}"
        out.mkdir(parents=True, exist_ok=True)
        params = {**self.params_for(out), "folds": folds}
        done = self._folds_done(out, folds)
        project.set_ui(UI_KEY, {"folder": project.relative(out), "folds": folds})
        self.state.edited()
        self._folds, self._fold, self._epochs = folds, done + 1, int(params.get("epochs") or 0)
        self.progress.setValue(int(1000 * done / folds))
        self.progress.setFormat("")
        self._say(f"Carrying on in {out.name}: {done} of {folds} parts are done." if done else
                            f"Starting a cross-validation with {folds} parts in {out.name}…")
        return self.job.start(self.target, params, str(out / "crossval.log"))

    def _on_stop(self) -> None:
        self._say(press_stop(self.job, "the part being trained is then lost, the finished parts are kept"))

    def _update_buttons(self, running: bool) -> None:
        has_project = self.state.project is not None
        self.start_button.setEnabled(has_project and not running)
        self.start_button.setText("Carry on the cross-validation" if self._carries_on() else
                                  "Start cross-validation")
        self.stop_button.setEnabled(running)
        self.progress.setVisible(running)
        self.parts.setEnabled(has_project and not running)
        self.show_button.setEnabled(self.finished())
        self.say_time()
        self.open_button.setEnabled(self.folder() is not None and self.folder().is_dir())

    def say_time(self) -> None:
        """How long it will take, under the sentence that says what it does, and on Start's tooltip."""
        train_page = getattr(self.params_for, "__self__", None)      # params_for: the Train page's job_params
        chooser = getattr(train_page, "epochs_chooser", None)        # the project's epochs, None until known
        epochs = chooser.epochs() if chooser is not None else None
        project, parts = self.state.project, self.parts.value()
        self.about.setText(f"{ABOUT} {time_sentence(project, parts, epochs)}")
        self.start_button.setToolTip(start_tip(project, parts, epochs))

    # --- events ---------------------------------------------------------------------------------------
    def _on_event(self, ev) -> None:
        name = type(ev).__name__
        folds = max(1, self._folds)
        if name == "Progress" and ev.stage == "fold":
            self._fold = min(folds, int(round(ev.fraction * folds)) + 1)
            self.progress.setValue(int(1000 * min(1.0, ev.fraction)))
            self.progress.setFormat(f"Part {self._fold} of {folds}")      # the panel's word: "Parts: 3"
            self._say(f"Part {self._fold} of {folds}: training without it, then testing on it.")
        elif name == "Progress":
            self._say(f"Part {self._fold} of {folds}: {ev.message or ev.stage}")
        elif name == "BatchEnd":
            epochs = max(1, self._epochs)
            within = (ev.epoch + (ev.step + 1) / max(1, ev.steps_per_epoch)) / epochs
            self.progress.setValue(int(1000 * min(1.0, (self._fold - 1 + min(1.0, within)) / folds)))
            self.progress.setFormat(f"Part {self._fold} of {folds} · epoch {ev.epoch + 1}"
                                    + (f" of {self._epochs}" if self._epochs else ""))
            self._say(f"Part {self._fold} of {folds}: training…")

    def _on_finished(self, result: dict) -> None:
        self.progress.setValue(1000)
        self.progress.setFormat(f"{self._folds} of {self._folds} parts")
        m = self.show_results(quiet=True) or result.get("metrics") or {}
        out = self.folder()
        where = f" The result files are in {out.name}/{RESULTS_FOLDER}." if out is not None else ""
        acc = m.get("accuracy")
        said = (f"Cross-validation finished: accuracy {acc:.1%} over all {m.get('num_samples')} samples (the "
                "results are shown above)." if isinstance(acc, (int, float)) else
                "Cross-validation finished; the results are shown above.")
        self._say(said + where)
        self._update_buttons(False)

    def _on_stopped(self, _message: str, result: dict) -> None:
        done = result.get("folds_done") if isinstance(result, dict) else None
        out = self.folder()
        if not isinstance(done, int) and out is not None:
            done = self._folds_done(out, self._folds)
        said = f"Stopped. {done} of {self._folds} parts are finished and kept" if isinstance(done, int) else \
            "Stopped. The finished parts are kept"
        self._say(said + f"; Carry on the cross-validation (with {self._folds} parts) goes on from "
                                   "where it stopped.")
        self._update_buttons(False)

    def _on_failed(self, message: str, details: str, log_path: str) -> None:
        self._say("The cross-validation did not finish: " + message)
        self._update_buttons(False)
        show_error(self, message, details, log_path or None)

    # --- results --------------------------------------------------------------------------------------
    def show_results(self, quiet: bool = False) -> dict | None:
        """Hand the last cross-validation's pooled results (and every fold's test answers) to the page."""
        out = self.folder()
        try:
            metrics = read_json(out / CROSSVAL_FILE) if out is not None else None
        except (OSError, ValueError):
            metrics = None
        if not isinstance(metrics, dict):
            if not quiet:
                show_error(self, "The last cross-validation has no results yet: start it (or carry it on) "
                                 "and let it finish.")
            return None
        self.sig_results.emit(metrics, pooled_answers(out, int(metrics.get("folds") or 0)), str(out))
        return metrics

    def _on_open_folder(self) -> None:
        out = self.folder()
        if out is not None:
            where = out / RESULTS_FOLDER if (out / RESULTS_FOLDER).is_dir() else out
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(where)))

    def _on_project_changed(self, project) -> None:
        last = self._last_folds()
        last = last if isinstance(last, int) and MIN_FOLDS <= last <= MAX_FOLDS else DEFAULT_FOLDS
        self.parts.setValue(last)
        out = self.folder()
        self.progress.setValue(0)
        self.progress.setFormat("")
        if out is None or not out.is_dir():
            self._say("")
        elif self.finished():
            self._say(f"The last cross-validation ({out.name}, {last} parts) is finished: Show the "
                                "results.")
        else:
            self._say(f"The last cross-validation ({out.name}) stopped with {self._folds_done(out, last)} "
                                f"of {last} parts done: Carry on the cross-validation goes on from there.")
        self._update_buttons(self.job.running)

    def _on_dataset_changed(self, ds) -> None:
        """Data whose file names name a few machines: propose a part per machine (each tested by a model that
        never met it), at most as many parts as machines (core refuses more), and say so."""
        self.machines = machines_of(ds)
        self.machines_kind = getattr(ds, "kind", "") if ds is not None else ""
        self.machines_meta = dict(getattr(ds, "meta", None) or {})      # sound recordings cut into clips: hives
        self.machines_from = str(self.machines_meta.get("subjects_from") or "")
        self.say_time()          # the Train page's epochs come from the data (its chooser is told first)
        n = len(self.machines)
        self.parts.setMaximum(min(MAX_FOLDS, max(MIN_FOLDS, n)) if n else MAX_FOLDS)
        last = self._last_folds()
        keep = isinstance(last, int) and self.folder() is not None and MIN_FOLDS <= last <= n
        if n:            # the last cross-validation's parts when they still fit (to carry it on, or show it)
            self.parts.setValue(last if keep else min(MAX_FOLDS, max(MIN_FOLDS, n)))
        self._say_machines()

    def _say_machines(self) -> None:
        self.machines_note.setText(machines_sentence(self.machines, self.parts.value(), getattr(self, "machines_kind", ""),
                                                     getattr(self, "machines_from", ""),
                                                     getattr(self, "machines_meta", None)) if self.machines else "")
        self.machines_note.setVisible(bool(self.machines))

    def leave_project(self) -> None:
        """End the child at once; the finished folds stay in their folder (carried on next time)."""
        self.job.shutdown()
        self.progress.setValue(0)
        self.progress.setFormat("")


def pooled_answers(out: Path, folds: int) -> dict:
    """Every fold's test answers (its ``predictions.json``) together, so a cell of the pooled confusion matrix
    lists its samples; {} when one cannot be read."""
    samples, first = [], {}
    for k in range(1, folds + 1):
        try:
            got = read_json(out / f"fold-{k}" / "predictions.json")
        except (OSError, ValueError):
            return {}
        first = first or got
        samples += list(got.get("samples") or [])
    return {"samples": samples, "root": first.get("root"), "task": first.get("task")} if first else {}
