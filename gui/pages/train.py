"""Train: Start / Stop / Resume, live loss and accuracy curves, progress with ETA and samples a second, and the
list of runs with their best scores. Training runs in a child process (edgeling.core.jobs); this page
only polls it from a 100 ms timer, so the window never blocks."""

from __future__ import annotations

from pathlib import Path

from edgeling.gui.errors import show_error, show_problem
from edgeling.gui.jobs import JobController, press_stop
from edgeling.gui.pages.base import Page
from edgeling.gui.pages.class_names_note import note_label, project_note, say
from edgeling.gui.pages.train_checks import RESUME_WORDS, cannot_write_words, changed_since, data_gone_words
from edgeling.gui.pages.train_epochs import EpochsChooser
from edgeling.gui.pages.train_last import (
    FIRST_BATCH,
    best_of,
    draw_history,
    first_batch,
    first_of,
    kept_scores,
    nothing_to_resume,
    run_config,
    run_history,
    show_last_run,
    test_caveat,
)
from edgeling.gui.pages.train_words import SCORE_HEADING_TIP, finished_words, format_eta, score_cell
from edgeling.gui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPalette,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    Signal,
)
from edgeling.gui.widgets.live_curves import LiveCurves
from edgeling.gui.widgets.run_picker import compressed_words, finished_now, run_missing

TRAIN_TARGET = "edgeling.core.jobs.train_job.train_job"


class TrainPage(Page):
    key = "train"
    busy_label = "training"
    title = "Train"
    hint = ("Training teaches the model from your data. You can stop at any time; the last checkpoint is "
            "kept, and Resume carries on from it.")

    sig_run_ended = Signal(str, dict)      # status ("finished" / "stopped" / "failed"), run entry

    def __init__(self, state, parent=None, target: str = TRAIN_TARGET, start_fn=None):
        super().__init__(state, parent)
        self.target = target
        self.extra_params: dict = {}
        row = QHBoxLayout()
        row.addWidget(QLabel("Epochs:"))
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 1000)
        self.epochs.setValue(10)        # until data is read: then the number chosen from it
        row.addWidget(self.epochs)
        self.epochs_note = QLabel("")
        self.epochs_note.setObjectName("epochsNote")
        self.epochs_note.setWordWrap(True)
        self.epochs_chooser = EpochsChooser(state, self.epochs, self.epochs_note)
        self.start_button = QPushButton("&Start training")
        self.start_button.clicked.connect(self._on_start)
        self.stop_button = QPushButton("S&top")
        self.stop_button.clicked.connect(self._on_stop)
        self.resume_button = QPushButton("&Resume last run")
        self.resume_button.clicked.connect(self._on_resume)
        self.epochs.valueChanged.connect(lambda _v: self._update_buttons(self.job.running))
        for b in (self.start_button, self.stop_button, self.resume_button):
            row.addWidget(b)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.epochs_note)

        prow = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.eta = QLabel("")
        self.eta.setObjectName("trainEta")
        prow.addWidget(self.progress, 1)
        prow.addWidget(self.eta)
        self.layout_.addLayout(prow)
        self.status = QLabel("Not training.")
        self.status.setObjectName("trainStatus")
        self.status.setWordWrap(True)
        self.layout_.addWidget(self.status)
        self.classes_note = note_label("trainClassesNote")   # runs that learnt other class names than the data's
        self.layout_.addWidget(self.classes_note)

        self.curves = LiveCurves()
        self.layout_.addWidget(self.curves, 3)
        self.runs = QTableWidget(0, 4)
        self.runs.setObjectName("runsTable")
        # "accuracy", not "validation accuracy": the cells say "(test)", or "(validation)" where no test score is known
        self.runs.setHorizontalHeaderLabels(["run", "status", "accuracy of the kept model", "folder"])
        self.runs.horizontalHeaderItem(2).setToolTip(SCORE_HEADING_TIP)
        header = self.runs.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.runs.verticalHeader().setVisible(False)
        self.runs.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.runs.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.layout_.addWidget(self.runs, 1)

        self.job = JobController(self, start_fn=start_fn)
        self.job.sig_event.connect(self._on_event)
        self.job.sig_tick.connect(self.curves.redraw)
        self.job.sig_finished.connect(self._on_finished)
        self.job.sig_stopped.connect(self._on_stopped)
        self.job.sig_failed.connect(self._on_failed)
        self.job.sig_running_changed.connect(self._update_buttons)
        self._run_dir: Path | None = None
        self._best: dict = {}            # the kept model's validation accuracy and epoch (train_last.best_of)
        self._history: list[dict] = []   # the run's epochs so far, as history.json keeps them
        self._kept = 0
        self._epochs_total = 0
        state.sig_project_changed.connect(self._on_project_changed)
        state.sig_dataset_changed.connect(lambda _ds: self._refresh_runs())
        state.sig_runs_changed_on_disk.connect(self._on_runs_changed_on_disk)
        self._update_buttons(False)

    def on_shown(self) -> None:
        self._refresh_runs()     # a run folder moved or deleted meanwhile shows as missing

    def recheck_files(self) -> None:
        super().recheck_files()
        self._refresh_runs()

    # --- starting and stopping ------------------------------------------------------------------------
    def start_training(self, resume: bool = False) -> bool:
        project = self.state.project
        if project is None:
            show_error(self, "Open or create a project first (on the Home page).")
            return False
        if not project.data.get("path"):
            show_error(self, "Choose your data first, on the Data page.", say_log=False)   # a step, not a fault
            return False
        if data_gone_words(project):    # checked before a run folder or entry is made: no empty "failed" run
            show_problem(self, data_gone_words(project))
            self._update_buttons(self.job.running)
            return False
        if not project.device and self.target == TRAIN_TARGET:
            show_error(self, "Choose the device the model will run on first, on the Model page.", say_log=False)
            return False
        trained = [r for r in project.runs if not r.get("compressed_from")]   # compressed runs don't resume
        if resume and nothing_to_resume(project, self.epochs.value()):   # the charts and scores stay as they are
            self.status.setText(nothing_to_resume(project, self.epochs.value()))
            return False
        if resume and trained:
            if run_missing(project, trained[-1]):   # the folder would be made again, empty: a fresh run
                show_error(self, f"{trained[-1].get('id')}'s folder is gone (moved or deleted); press Start "
                                 "training for a new run.")
                self._refresh_runs()
                return False
            run_dir = project.run_folder(trained[-1])
            changed = changed_since(run_dir, project)
            if changed:
                what, was, now = changed[0]
                page = "Data" if what == "data" else "Model"
                show_error(self, f"{run_dir.name} was trained {RESUME_WORDS[what]} {was}, and the project's {what} "
                                 f"is now {now}. Press Start training for a new run, or choose {was} again on the "
                                 f"{page} page to resume it.")
                return False
        else:
            run_dir = project.runs_dir / f"run-{len(trained) + 1:03d}"   # compressed runs are named after theirs
            taken = {r.get("folder") for r in project.runs}   # a missing run's entry is kept, not reused
            while run_dir.exists() or project.relative(run_dir) in taken:
                run_dir = run_dir.with_name(run_dir.name + "-b")
        try:
            run_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:    # a read-only project (a shared drive, a CD): said, nothing recorded
            show_problem(self, cannot_write_words(project.folder, e))
            return False
        self._run_dir = run_dir
        done = run_history(run_dir) if resume else []     # a resumed run's curves go on from its earlier epochs
        self._history, self._best = list(done), best_of(done)
        self._kept = len(done)          # epochs the run's last checkpoint holds (a killed child keeps them)
        self._epochs_total = self.epochs.value()
        params = self.job_params(run_dir)
        entry = project.add_run(run_dir, status="running", epochs=self.epochs.value())
        self.state.edited()
        draw_history(self.curves, done, self.epochs.value(),
                     first_of(run_config(run_dir), entry) if resume else None)
        self.progress.setValue(0)
        self.status.setText("Starting…")
        self._refresh_runs()
        return self.job.start(self.target, params, str(run_dir / "train.log"))

    def job_params(self, out: Path) -> dict:
        """What the training job is given for the open project, with this page's epochs, into ``out`` (a
        cross-validation gives each of its runs the same)."""
        project = self.state.project
        return {"data": project.data["path"], "import_options": project.data.get("options") or {},
                "kind": project.data.get("kind"), "device": project.device,
                "arch": (project.model or {}).get("arch"), "knobs": (project.model or {}).get("knobs"),
                # the ★ pick's own words, so run.json does not say "chosen by you" for it (the speech walk)
                "arch_reason": (project.model or {}).get("plan_explanation") or None,
                "epochs": self.epochs.value(), "out": str(out), "seed": 0, **self.extra_params}

    def _on_start(self) -> None:
        self.start_training(resume=False)

    def _on_resume(self) -> None:
        self.start_training(resume=True)

    def _on_stop(self) -> None:
        self.status.setText(press_stop(self.job))

    def _update_buttons(self, running: bool) -> None:
        has_project = self.state.project is not None
        gone = data_gone_words(self.state.project)     # the Data page says the data is not on this computer
        self.start_button.setEnabled(has_project and not running and not gone)
        self.start_button.setToolTip(gone or "Train a new run from the data, for the device and model chosen.")
        done = nothing_to_resume(self.state.project, self.epochs.value()) if has_project else ""
        self.resume_button.setEnabled(has_project and not running and not done and not gone and bool(
            self.state.project and self.state.project.runs))
        self.resume_button.setToolTip(done or gone or "Carry on training the last run from its last checkpoint.")
        self.stop_button.setEnabled(running)
        self.epochs.setEnabled(not running)

    # --- events ---------------------------------------------------------------------------------------
    def _on_event(self, ev) -> None:
        name = type(ev).__name__
        if name == "BatchEnd":
            self.curves.add_batch(ev.epoch, ev.step, ev.steps_per_epoch, ev.logs)
            if ev.epoch == 0 and ev.step == 0 and self.state.project is not None and self._run_dir is not None:
                first = first_batch(ev.steps_per_epoch, ev.logs)     # history.json has no batch: kept for reopening
                if first:
                    self.state.project.add_run(self._run_dir, **{FIRST_BATCH: first})
            done = (ev.epoch + (ev.step + 1) / max(1, ev.steps_per_epoch)) / max(1, self._epochs_total)
            self.progress.setValue(int(1000 * min(1.0, done)))
            self.progress.setFormat(f"epoch {ev.epoch + 1} of {self._epochs_total}")
            self.eta.setText(f"{format_eta(ev.eta_s)} · {ev.samples_per_s:,.0f} samples a second")
            self.status.setText("Training…")
        elif name == "EpochEnd":
            self.curves.add_epoch(ev.epoch, ev.logs)
            self._history.append({**ev.logs, "epoch": ev.epoch})
            self._best = best_of(self._history, ev.logs.get("best_epoch"))
        elif name == "CheckpointSaved":
            self._kept = max(self._kept, ev.epoch + 1)
        elif name == "Started":
            self.status.setText("Training started.")
        elif name == "Progress":
            self.status.setText(ev.message or ev.stage)

    def _record(self, status: str, **info) -> dict:
        project = self.state.project
        entry: dict = {}
        if project is not None and self._run_dir is not None:
            kept = self._best_epoch()          # run.json's, when the run wrote it
            best = dict(best_of(self._history, kept - 1 if kept else None) or self._best)
            metrics = info.pop("metrics", None)
            if isinstance(metrics, dict):
                best.update({k: v for k, v in metrics.items() if isinstance(v, (int, float))})
                if metrics.get("split") == "validation":    # no test samples: not said as a test score
                    best["split"] = "validation"
            entry = project.add_run(self._run_dir, status=status, best=best, **info)
            self.state.edited()
            self.state.runs_seen()      # its files changed here: not a change made outside the app
        self._refresh_runs()
        self.sig_run_ended.emit(status, entry)
        return entry

    def _on_finished(self, result: dict) -> None:
        self.curves.redraw(force=True)
        self.progress.setValue(1000)
        self.eta.setText("")
        said = finished_words(self._saved_metrics(result) or result.get("metrics") or {}, self._epochs_total,
                              self._best_epoch())
        self.status.setText(" ".join(filter(None, [said, test_caveat(self._run_dir)])))   # same machines in the test
        self._record("finished", metrics=result.get("metrics") or result.get("best"), finished=finished_now())

    def _best_epoch(self) -> int | None:
        """The epoch with the lowest validation loss, counted from 1 as the chart and the command line's log
        count them, or None. run.json's ``best_epoch`` is the history's epoch index (history.json's
        ``epoch``, counted from 0, like the job's EpochEnd events), so 1 is added here, where it is said."""
        from edgeling.core.runs import RunError, load_run

        try:
            best = load_run(self._run_dir).config.get("best_epoch") if self._run_dir else None
        except RunError:
            return None
        return int(best) + 1 if isinstance(best, int) and not isinstance(best, bool) else None

    def _saved_metrics(self, result: dict) -> dict | None:
        """The run's metrics.json (it has the yardstick of always answering the most common class, which
        the job's result leaves out); None when it cannot be read."""
        from edgeling.core.fileio import read_json

        where = result.get("metrics_path") or (self._run_dir / "metrics.json" if self._run_dir else None)
        try:
            metrics = read_json(where) if where else None
        except (OSError, ValueError):
            return None
        return metrics if isinstance(metrics, dict) else None

    def _on_stopped(self, message: str, result: dict) -> None:
        self.curves.redraw(force=True)
        self.eta.setText("")
        done = result.get("epochs_done") if isinstance(result, dict) else None
        if self._kept and (not isinstance(done, int) or done < self._kept):   # a resumed run keeps its earlier
            done = self._kept           # epochs ("Stopped before training began." said with 7 of them kept)
        if isinstance(done, int) and self._epochs_total:   # the bar said the epoch under way ("epoch 3 of 4")
            self.progress.setValue(int(1000 * min(1.0, done / self._epochs_total)))
            self.progress.setFormat(f"stopped: {done} of {self._epochs_total} epochs finished")
        if done:   # the core's message speaks of the command line ("train again with the same folder")
            message = (f"Stopped after {done} finished epoch{'s' * (done != 1)}. Resume last run carries on "
                       "from there.")
        elif done == 0:
            message = "Stopped before the first epoch finished, so nothing was kept."
        self.status.setText(message)
        self._record("stopped")

    def _on_failed(self, message: str, details: str, log_path: str) -> None:
        from edgeling.gui.pages.train_words import kept_after_failure

        self.curves.redraw(force=True)
        self.eta.setText("")
        if self._run_dir is not None and self._epochs_total:   # the bar said the epoch under way ("epoch 4 of 30")
            self.progress.setValue(int(1000 * min(1.0, self._kept / self._epochs_total)))
            self.progress.setFormat(f"ended: {self._kept} of {self._epochs_total} epochs finished")
            message = f"{message} {kept_after_failure(self._kept, self._epochs_total)}" if self._kept else message
        self.status.setText("Training did not finish: " + message)
        self._record("failed", message=message)
        show_error(self, message, details, log_path or None)

    # --- runs list ------------------------------------------------------------------------------------
    def _on_project_changed(self, project) -> None:
        if project is not None and not self.job.running:
            for run in project.runs:     # a run left "running" by a crash or a closed window
                if run.get("status") == "running":
                    run["status"] = "interrupted"
                    project.dirty = True
            project.dirty = kept_scores(project) or project.dirty   # recorded before: the highest of all epochs
        self.curves.clear_data()
        self.status.setText("Not training.")
        if not self.job.running:        # the curves and the end of the last run, as when it ended
            show_last_run(self, project)
        self._refresh_runs()
        self._update_buttons(self.job.running)

    def _on_runs_changed_on_disk(self) -> None:
        if not self.job.running:        # the last run's curves and end as its files now say them
            self.curves.clear_data()
            show_last_run(self, self.state.project)
        self._refresh_runs()

    def _refresh_runs(self) -> None:
        project = self.state.project
        runs = list(project.runs) if project is not None else []
        self.runs.setRowCount(len(runs))
        for r, run in enumerate(runs):
            status = run.get("status", "")
            if run.get("compressed_from"):
                status += compressed_words(run.get("passes"))
            missing = run.get("status") != "running" and run_missing(project, run)
            if missing:     # moved or deleted by hand: kept listed, as the folder may be put back
                status = f"folder missing (was {run.get('status')})" if run.get("status") else "folder missing"
            score, tip = score_cell(run)     # the test accuracy where known, as the run pickers
            cells = [run.get("id", ""), status, score, run.get("folder", "")]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                if c == 2 and tip:
                    item.setToolTip(tip)
                if missing:
                    item.setForeground(self.palette().brush(QPalette.ColorGroup.Disabled,
                                                            QPalette.ColorRole.Text))
                    item.setToolTip("This run's folder (or its run.json) is gone: moved or deleted. Put it "
                                    "back to use the run again.")
                self.runs.setItem(r, c, item)
        say(self.classes_note, project_note(project, self.state.dataset))
        self._update_buttons(self.job.running)

    def leave_project(self) -> None:
        """End the child at once; the run is kept as "interrupted" in its project (Resume carries on from
        its last checkpoint)."""
        if self.job.running and self.state.project is not None and self._run_dir is not None:
            self.state.project.add_run(self._run_dir, status="interrupted")
        self.job.shutdown()
        self._run_dir = None
        self.progress.setValue(0)
        self.progress.setFormat("")
        self.eta.setText("")

