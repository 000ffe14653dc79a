"""Evaluate: how good the trained model is on the test split, and a "Try it" panel.

Reads the run's ``metrics.json`` (written by the training engine: accuracy, macro_f1, per_class,
confusion_matrix, roc_auc, worst_samples; mae/rmse/r2 for regression) and ``predictions.json`` (one entry
per test sample: source, true, predicted, confidence), so clicking a cell of the confusion matrix lists the
samples of that cell, and regression runs get a true-vs-predicted scatter. "Save results…" writes the
numbers as Markdown and CSV and the confusion matrix as SVG (``core/results_files.py``), plus PNG and PDF
copies, for a paper or a report. "Test on other files…" runs ``edgeling evaluate RUN --on PATH`` in a child process on a
folder (one subfolder per class) or a CSV (a table, or sensor data as one long CSV with its label
column; ``evaluate_other.py`` asks which) that is not part of the run's data, and shows those results in
the same views until the run is chosen again. "Try it" runs ``edgeling predict`` in a child process on a
dropped file, with the run or with an exported file."""

from __future__ import annotations

from html import escape
from pathlib import Path

from edgeling.core.fileio import read_json
from edgeling.core.results_files import confusion_of
from edgeling.core.results_words import CROSSVAL_SPLIT, OTHER_FILES_SPLIT
from edgeling.core.training.metrics import shown_scores
from edgeling.gui.cli_process import CliProcess, registered_commands
from edgeling.gui.errors import show_error, show_problem
from edgeling.gui.pages.base import Page
from edgeling.gui.pages.class_names_note import run_note
from edgeling.gui.pages.crossval import CrossvalPanel
from edgeling.gui.pages.evaluate_answers import save_answers
from edgeling.gui.pages.evaluate_gone import refuse_if_gone
from edgeling.gui.pages.evaluate_layout import (
    build_results,
    build_try_box,
    page_body,
    results_over_try_box,
    room_for_answers,
    scroll_to_results,
)
from edgeling.gui.pages.evaluate_notes import named_rows
from edgeling.gui.pages.evaluate_other import ask_files_to_test
from edgeling.gui.pages.evaluate_summary import show_summary, summary_column, summary_text
from edgeling.gui.pages.evaluate_worst import fill_answers
from edgeling.gui.pages.export import export_missing
from edgeling.gui.qt import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QPushButton,
)
from edgeling.gui.widgets.chart_files import picture_copies
from edgeling.gui.widgets.prediction_text import prediction_html
from edgeling.gui.widgets.run_picker import RunPicker

PREDICTIONS_FILE = "predictions.json"
TRY_FORMATS = ("onnx", "onnx-int8", "tflite", "tflite-int8")


class EvaluatePage(Page):
    key = "evaluate"
    title = "Evaluate"
    hint = ("How often the model is right on data it never saw during training (the test split), where "
            "it goes wrong, and a place to try it on a file of your own. For a firmer number, 'Check every "
            "sample' below tests each sample once.")
    busy_label = "a cross-validation"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.runs = RunPicker(state)
        self.runs.currentIndexChanged.connect(lambda _i: self.load_metrics())
        self.runs.currentIndexChanged.connect(lambda _i: self._forget_answer_of_another_model())
        self.save_button = QPushButton("Save results…")
        self.save_button.setToolTip("Write the numbers (Markdown, CSV for spreadsheets) and the confusion "
                                    "matrix (PNG, SVG, PDF) into a folder, for a report or a paper.")
        self.save_button.clicked.connect(self._on_save)
        self.other_button = QPushButton("Test on other files…")
        self.other_button.setToolTip("Test the model on files that are not part of its data: a new batch of "
                                     "photos, another machine's recordings, clips kept apart. Choose a folder "
                                     "with one subfolder per class (or, for a table, a CSV with the column to "
                                     "predict; for sensor data, also one long CSV with the label column). The "
                                     "run's own test results are not changed.")
        self.other_button.clicked.connect(self._on_other_files)
        top = QHBoxLayout()    # the buttons beside the run, so the summary has the page's width
        top.addWidget(self.runs, 1)
        top.addWidget(self.other_button)
        top.addWidget(self.save_button)
        self.layout_.addLayout(top)
        results, try_box = build_results(self), build_try_box(self)
        self.crossval = CrossvalPanel(state)
        self.crossval.sig_results.connect(self.show_crossval)
        self.body = page_body(summary_column(self), results_over_try_box(results, try_box), self.crossval)
        self.back_button.clicked.connect(self.load_metrics)      # under the summary (``summary_column``)
        self.layout_.addWidget(self.body, 1)
        self.job = self.crossval.job       # running_work: the close question names it
        self.metrics: dict = {}
        self.predictions: dict = {}
        self._answers: dict = {}      # the last "Try it" answers, for "Save the answers…"
        self._tried = ""
        self._asked: tuple | None = None    # (run, exported file) the shown "Try it" answer came from
        self.try_with.currentIndexChanged.connect(lambda _i: self._forget_answer_of_another_model())
        self.class_names: list[str] = []
        self._predict = CliProcess(self)
        self._predict.sig_result.connect(self._on_prediction)
        self._predict.sig_failed.connect(self._on_prediction_failed)
        self._evaluate = CliProcess(self)   # "Test on other files", and measuring damaged results again
        self._evaluate.sig_result.connect(self._on_evaluated)
        self._evaluate.sig_failed.connect(self._on_evaluate_failed)
        state.sig_dataset_changed.connect(self._on_dataset_read)

    def _on_dataset_read(self, ds) -> None:
        """The data read (the project opened on this page): its classes are checked against the run's."""
        if ds is not None and self.isVisible() and self.metrics.get("split") not in (OTHER_FILES_SPLIT, CROSSVAL_SPLIT) \
                and not self._evaluate.running:
            self.load_metrics()

    def on_shown(self) -> None:
        self.runs.refresh()
        if self.metrics.get("split") != CROSSVAL_SPLIT:    # pooled results stay until Back to the test split
            self.load_metrics()
        self._fill_try_with()
        self.crossval.say_time()     # timed from the newest training run, which may have just finished

    def recheck_files(self) -> None:
        super().recheck_files()
        self._fill_try_with()     # an exported file that went is no longer offered for "Try it"

    def _fill_try_with(self) -> None:
        current = self.try_with.currentData()
        self.try_with.blockSignals(True)     # refilled, not chosen: the answer goes only if the choice changed
        self.try_with.clear()
        self.try_with.addItem("Ask the trained run", "")
        project = self.state.project
        for e in (project.exports if project is not None else []):
            if e.get("format") in TRY_FORMATS and e.get("path") and not export_missing(project, e):
                self.try_with.addItem(f"Ask the exported file {Path(e['path']).name}", e["path"])
        self.try_with.setCurrentIndex(max(0, self.try_with.findData(current)))
        self.try_with.blockSignals(False)
        self._forget_answer_of_another_model()

    def _asking(self) -> tuple:
        """The model "Try it" asks now: the picked run and the exported file chosen (or "")."""
        folder = self.runs.run_folder()
        return (folder.name if folder is not None else None, self.try_with.currentData() or "")

    def _forget_answer_of_another_model(self) -> None:
        """Another run (or another exported file) is chosen: the answer shown was another model's, and stayed
        under the new run's results as if it were its own (the digits walk). It goes, with its Save button."""
        if self._asked is not None and self._asked != self._asking():
            self._predict.kill()
            self._clear_answer()

    def _clear_answer(self) -> None:
        self._asked = None
        self.try_result.setText("")
        self.try_result.setToolTip("")
        self._answers = {}
        self.save_answers_button.setVisible(False)
        self.answers_saved.hide()
        room_for_answers(self, 0)

    def load_metrics(self) -> None:
        folder = self.runs.run_folder()
        self.metrics, self.predictions = {}, {}
        if folder is not None and (folder / "metrics.json").is_file():
            try:
                self.metrics = read_json(folder / "metrics.json")
                if (folder / PREDICTIONS_FILE).is_file():
                    self.predictions = read_json(folder / PREDICTIONS_FILE)
            except (OSError, ValueError):
                self.metrics, self.predictions = {}, {}
                self.show_metrics({})
                self.measure_again(folder)
                return
        self.show_metrics(self.metrics, self.predictions)
        note = run_note(folder, self.state.dataset) if self.metrics else ""
        if note:      # a class folder renamed since: the results answer with the names the run learnt
            self.summary.setText(f"{self.summary.text()} {note}")

    def show_metrics(self, m: dict, predictions: dict | None = None) -> None:
        self.metrics = m
        self.predictions = predictions or {}
        self.back_button.setVisible(m.get("split") in (OTHER_FILES_SPLIT, CROSSVAL_SPLIT))
        self.other_button.setEnabled(not self._evaluate.running)
        show_summary(self, m)
        self.save_button.setEnabled(bool(m))
        matrix, names = confusion_of(m)
        per_class = m.get("per_class") or {}
        self.class_names = list(names)
        self.heatmap.show_matrix(matrix or [], names or [str(i) for i in range(len(matrix or []))])
        regression = m.get("task") == "regression" or (not matrix and "mae" in m)
        self.views.setCurrentWidget(self.scatter if regression else self.heatmap)
        samples = self.predictions.get("samples") or []
        self.scatter.show_points([s["true"] for s in samples] if regression else [],
                                 [s["predicted"] for s in samples] if regression else [])
        self.per_class.show_rows([[name, _pct(shown_scores(d)["precision"]), _pct(shown_scores(d)["recall"]),
                                   str(d.get("support", ""))] for name, d in per_class.items()])
        if regression:
            self.samples_label.setText("Samples the model got most wrong:")
            self.worst.show_samples(list(m.get("worst_samples") or []), self.predictions.get("root") or m.get("root"))
        else:
            self._fill_worst(None)

    def _on_save(self) -> None:
        if self.metrics.get("split") != CROSSVAL_SPLIT and refuse_if_gone(self, show_problem):
            return
        project = self.state.project
        start = str(project.folder) if project is not None else ""
        folder = QFileDialog.getExistingDirectory(self, "Save the results into which folder?", start)
        if folder:
            self.save_results(folder)

    def save_results(self, folder: str) -> list[Path]:
        """The result files (``core/results_files``, with the confusion matrix as SVG) plus PNG and PDF copies."""
        from edgeling.core.results_files import ResultsError, write_results

        if self.metrics.get("split") != CROSSVAL_SPLIT and refuse_if_gone(self, show_problem):
            return []
        run = self.runs.run_folder()
        name = run.name if run else "the run"
        title = (f"Results of {name} on {self.metrics.get('data')}" if self.metrics.get("split") == OTHER_FILES_SPLIT
                 else f"Cross-validation ({self.metrics.get('folds')} parts, each tested once)" if self.metrics.get("split") == CROSSVAL_SPLIT
                 else f"Test results of {name}")
        try:
            files = write_results(self.metrics, folder, title=title)
            svg = [p for p in files if p.suffix == ".svg"]    # core's picture of the confusion matrix
            if svg:
                files += picture_copies(svg[0])
        except (ResultsError, OSError) as e:
            show_error(self, str(e) if isinstance(e, ResultsError) else
                       f"The results could not be written to {folder} ({e}). Choose another folder.")
            return []
        self.summary.setText(summary_text(self.metrics) + f" Saved {len(files)} files in {folder}.")
        return files

    def show_crossval(self, metrics: dict, answers: dict, _folder: str) -> None:
        """The pooled results of a cross-validation in the page's views, until a run is chosen again."""
        self.show_metrics(metrics, answers)

    def _on_other_files(self) -> None:
        folder = self.runs.run_folder()
        if refuse_if_gone(self, show_problem):
            return
        if folder is None:
            show_error(self, "Train a model first (Train page); then test it on other files.")
            return
        start = str(self.state.project.folder) if self.state.project is not None else ""
        path = ask_files_to_test(self, folder, start)
        if not path:
            return
        choices = self._models_of(folder)
        model = None
        if len(choices) > 1:   # the run, or a file exported from it: that file in its own runtime
            picked, ok = QInputDialog.getItem(self, "Test which model?", "Test on these files:",
                                              list(choices), 0, False)
            if not ok:
                return
            model = choices[picked]
        self.test_on_other_files(path, model)

    def _models_of(self, folder: Path) -> dict[str, str | None]:
        """Label -> model to test: the trained run (None), then this run's exported files that still exist."""
        choices: dict[str, str | None] = {f"The trained run {folder.name}": None}
        project = self.state.project
        for e in (project.exports if project is not None else []):
            path = project.export_path(e) if e.get("path") else None
            if e.get("run") == folder.name and e.get("format") in TRY_FORMATS and path and path.is_file():
                choices[f"The exported file {path.name} ({e['format']}), in its own runtime"] = str(path)
        return choices

    def measure_again(self, folder: Path) -> None:
        """The run's stored results cannot be read (damaged by hand, a disk error): score its test split
        again in a child process (``edgeling evaluate RUN``, which rewrites them) and show them."""
        if self._evaluate.running:
            return
        project = self.state.project
        moved = project.data_for_run(folder) if project is not None else None
        self.other_button.setEnabled(False)
        self.runs.setEnabled(False)
        self.summary.setText(f"The results of {folder.name} could not be read (their file is damaged); "
                             "measuring them again on the test files…")
        self._evaluate.start(["evaluate", str(folder)] + (["--data", moved] if moved else []))

    def test_on_other_files(self, path: str, model: str | None = None) -> None:
        """Run ``edgeling evaluate RUN --on PATH`` (or, with ``model``, that exported file of the run) in a
        child process; the results replace the view."""
        folder = self.runs.run_folder()
        if folder is None or self._evaluate.running:
            return
        self.other_button.setEnabled(False)
        self.runs.setEnabled(False)    # the results that come back are this run's
        self.summary.setText(f"Testing {Path(model).name if model else 'the model'} on {Path(path).name} …")
        self._evaluate.start(["evaluate", model or str(folder), "--on", path])

    def _on_evaluated(self, obj: dict) -> None:
        self.runs.setEnabled(True)
        samples = obj.pop("samples", None) or []     # windows named "#t=3.00-4.00" by core, as the test split's
        samples = named_rows(samples, obj)           # "row 682 (Numéro de commande CMD-300680)", as the terminal
        self.show_metrics(obj, {"samples": samples, "root": obj.get("root"), "task": obj.get("task")})
        scroll_to_results(self)      # the new accuracy line in view, wherever the page was scrolled

    def _on_evaluate_failed(self, message: str, details: str) -> None:
        self.other_button.setEnabled(True)
        self.runs.setEnabled(True)
        self.summary.setText(summary_text(self.metrics) if self.metrics else "")
        if self._evaluate.users_problem():     # the files tested do not fit the model: the user's to fix
            show_problem(self, message)
        else:
            show_error(self, message, details)

    def _fill_worst(self, cell) -> None:
        names = self.class_names
        root = self.predictions.get("root") or self.metrics.get("root")
        if cell is None or max(cell) >= len(names):
            fill_answers(self)
            return
        want = (names[cell[0]], names[cell[1]])
        what = f"of class {want[0]} that the model took for {want[1]}" if cell[0] != cell[1] else \
            f"of class {want[0]} recognised correctly"
        if self.predictions.get("samples") is not None:
            samples = [dict(s, true=names[s["true"]], predicted=names[s["predicted"]])
                       for s in self.predictions["samples"]
                       if (s.get("true"), s.get("predicted")) == tuple(cell)]
            self.samples_label.setText(f"{len(samples)} test sample{'s' * (len(samples) != 1)} {what}:")
        else:
            samples = [s for s in self.metrics.get("worst_samples") or []
                       if (s.get("true"), s.get("predicted")) == want]
            self.samples_label.setText(f"Among the least sure answers, the samples {what}:")
        self.worst.show_samples(samples, root, f"No test sample of class {want[0]} was taken for {want[1]}."
                                if cell[0] != cell[1] else f"No test sample of class {want[0]} was recognised.")

    def _on_cell_clicked(self, true_idx: int, pred_idx: int) -> None:
        self._fill_worst((true_idx, pred_idx))

    def try_file(self, path: str) -> None:
        folder = self.runs.run_folder()
        exported = self.try_with.currentData()
        project = self.state.project
        if not exported and refuse_if_gone(self, show_problem):
            return
        if folder is None and not exported:
            show_error(self, "Train a model first (Train page); then drop a file here to try it.")
            return
        if "predict" not in registered_commands():
            show_error(self, "Trying a file is not part of this build yet.")
            return
        if exported and project is not None and export_missing(project, {"path": exported}):
            self._fill_try_with()
            show_error(self, f"The exported file {Path(exported).name} is gone (moved or deleted). Export the "
                             "run again on the Export page, or choose another model to ask above.")
            return
        model = str(project.path_in(exported)) if exported and project is not None else str(folder)
        self._clear_answer()
        self.try_result.setText(f"Asking the model about {escape(Path(path).name)} …")
        self.try_result.setToolTip(path)
        self._tried = path
        self._asked = self._asking()
        self._predict.kill()    # a file dropped while the last one is still asked about replaces it
        self._predict.start(["predict", model, path])

    def _on_prediction(self, obj: dict) -> None:
        self.try_result.setText(f"<b>{escape(Path(self._tried).name)}</b>, asked "
                                f"{escape(self._model_words())}:<br>" + prediction_html(obj, Path(self._tried).name))
        self._answers = obj
        self.save_answers_button.setVisible(len(obj.get("predictions") or []) > 1)   # rows of a table
        self.answers_saved.hide()
        room_for_answers(self, len(obj.get("predictions") or []), shown=True)

    def _model_words(self) -> str:
        """The model the shown answer came from, in words: "the trained run run-001", "model.onnx"."""
        run, exported = self._asked or (None, "")
        return f"the exported file {Path(exported).name}" if exported else f"the trained run {run}"

    def save_answers(self) -> None:
        """The last file's answers as a CSV next to the project (``predict --save-answers``'s file)."""
        save_answers(self)

    def _on_prediction_failed(self, message: str, details: str) -> None:
        self._clear_answer()
        show_error(self, message, details)

    def leave_project(self) -> None:
        self.crossval.leave_project()
        self._predict.kill()
        self._evaluate.kill()
        self.runs.setEnabled(True)
        self._clear_answer()
        self.show_metrics({})


def _pct(v) -> str:
    return f"{v:.1%}" if isinstance(v, (int, float)) else "—"
