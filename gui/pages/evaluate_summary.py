"""The Evaluate page's summary line: the scores in words ("Test results: accuracy 95.0%, macro F1 95.0%, ROC
AUC 0.99, …"), what always answering the most common class would score, the classes most often mixed up, and
the sentences that say how far the numbers can be trusted."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.results_words import (
    CROSSVAL_SPLIT,
    OTHER_FILES_SPLIT,
    accuracy_range_sentence,
    baseline_sentence,
    copies_sentence,
    few_samples_sentence,
    learnt_warning,
    measured_on,
    subjects_sentence,
)
from edgeling.core.sentences import counted
from edgeling.core.terminal_hint import for_the_app
from edgeling.core.training.recording_answers import whole_recordings_sentence
from edgeling.gui.pages.evaluate_notes import notes_label, show_notes
from edgeling.gui.pages.plain_terms import SCORE_LINE, SCORE_TIPS, SCORE_WORDS
from edgeling.gui.qt import QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout


def summary_column(page) -> QVBoxLayout:
    """``page.summary`` (the scores in words) and under it ``page.scores_note``, a short grey line saying what
    macro F1 and ROC AUC mean (the pump walk: they were unexplained to a maintenance engineer)."""
    column = QVBoxLayout()
    page.summary = QLabel("")
    page.summary.setObjectName("evalSummary")
    page.summary.setWordWrap(True)
    page.scores_note = QLabel(SCORE_LINE)
    page.scores_note.setObjectName("scoresNote")
    page.scores_note.setWordWrap(True)
    page.scores_note.setStyleSheet("color: #555555;")
    page.scores_note.hide()
    column.addWidget(page.summary)
    column.addWidget(notes_label(page))      # what "Test on other files…" found about the rows (the shop walk)
    # "Back to the test split" at the right of the grey line under the results it leaves, not beside the run
    # picker: there it cut the run's name at 1024 px ("(the model kept, from epocl"; the shop and speech walks).
    page.back_button = QPushButton("Back to the test split")
    page.back_button.setVisible(False)
    row = QHBoxLayout()
    row.addWidget(page.scores_note, 1)
    row.addWidget(page.back_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    column.addLayout(row)
    return column


def show_summary(page, m: dict) -> None:
    """The scores of ``m`` in the page's summary; what macro F1 and ROC AUC mean beside them, when they are."""
    page.summary.setText(summary_text(m) if m else "Train a model first; its test results appear here.")
    show_notes(page, m)
    tips = [tip for key, tip in (("macro_f1", SCORE_TIPS["macro F1"]), ("roc_auc", SCORE_TIPS["ROC AUC"]))
            if isinstance(m.get(key), (int, float))]
    page.summary.setToolTip("\n".join(tips))
    page.scores_note.setToolTip("\n".join(tips))
    page.scores_note.setVisible(bool(tips))


def summary_text(m: dict) -> str:
    parts = []
    for key, label, pct in (("accuracy", "accuracy", True), ("macro_f1", SCORE_WORDS["macro F1"], True),
                            ("roc_auc", SCORE_WORDS["ROC AUC"], False), ("mae", "mean absolute error", False),
                            ("rmse", "RMSE", False), ("r2", "R²", False)):
        v = m.get(key)
        if isinstance(v, (int, float)):
            parts.append(f"{label} {v:.1%}" if pct else f"{label} {auc_words(v)}" if key == "roc_auc"
                         else f"{label} {v:.3g}")
    if parts and isinstance(m.get("latency_ms"), (int, float)):
        parts.append(f"{m['latency_ms']:.3g} ms per answer on this computer")
    if not parts:
        return "No test results in this run."
    other = m.get("split") == OTHER_FILES_SPLIT
    of = f" of {Path(m['model_file']).name} ({m.get('precision') or 'float32'})" if m.get("model_file") else ""
    crossval = m.get("split") == CROSSVAL_SPLIT
    text = (f"Results{of} on {m.get('num_samples')} samples in {m.get('data')}: " if other else
            f"Cross-validation ({m.get('folds')} parts), all {m.get('num_samples')} samples: " if crossval else
            "Test results: ") + ", ".join(parts)
    if baseline_sentence(m):     # the verdict against always answering the most common class
        text += ". " + baseline_sentence(m).rstrip(".")
    if mixed_up_words(m.get("most_confused") or []):
        text += ". " + mixed_up_words(m.get("most_confused") or [])
    if crossval:     # how it was measured: K models, each sample tested once (and the folds' own accuracies)
        text += ". " + measured_on(m).rstrip(".")
    if m.get("subjects"):
        text += ". " + subjects_sentence(m).rstrip(".")
    if m.get("skipped"):
        text += f". {counted(len(m['skipped']), 'file')} could not be used, the first: {m['skipped'][0]['file']}"
    if learnt_warning(m):
        text += ". " + learnt_warning(m).rstrip(".")
    for key in ("input_shift", "class_mix"):   # core's words: files unlike those the model learnt from (brighter,
        if m.get(key):                           # louder ...; a mix of classes unlike training's)
            text += ". " + str(m[key]).rstrip(".")
    # clips of recordings: how often the answer for a whole one is right, as Try it answers (the beekeeper walk),
    # after the numbers per clip ("the numbers above count each clip"), as the terminal says it
    for sentence in (accuracy_range_sentence(m), copies_sentence(m), whole_recordings_sentence(m)):
        if sentence:
            text += ". " + sentence.rstrip(".")
    if few_samples_sentence(m):
        text += ". " + few_samples_sentence(m).rstrip(".")
    return on_this_page(for_the_app(text + "."))     # core's sentences name the terminal command too: not here


HERE = (("\"Check every sample\" on the Evaluate page", "\"Check every sample\" below"),
        ("'Test on other files…' on the Evaluate page", "'Test on other files…' above"),
        (" on the Evaluate page", ""),
        ("as Try it and edgeling predict answer a recording", "as Try it below answers a recording"))
"""Core's sentences say where a step is, for the terminal and the other pages; on this page, "below" (the
cross-validation panel) or "above" (the button) instead (the speech walk: 'Use "Check every sample" on the
Evaluate page', read on the Evaluate page)."""


def on_this_page(text: str) -> str:
    for said, here in HERE:
        text = text.replace(said, here)
    return text


def mixed_up_words(pairs: list[dict]) -> str:
    """The pair of classes mixed up most often, when one stands out ("Most often mixed up: 4 and 9 (3 times)");
    the pairs tied are all named. When every pair was mixed up once, naming the first of them ("1 and 2 (1
    time)") picked one at random: "No two classes are mixed up more than once". ``pairs``: metrics'
    ``most_confused``, largest first (core keeps the first few)."""
    pairs = [p for p in pairs if isinstance(p, dict) and len(p.get("classes") or ()) == 2]
    if not pairs:
        return ""
    top = int(pairs[0].get("count") or 0)
    if top <= 1:
        return "No two classes are mixed up more than once"
    tied = [p for p in pairs if p.get("count") == top]
    names = [f"{p['classes'][0]} and {p['classes'][1]}" for p in tied]
    if len(tied) == 1:
        return f"Most often mixed up: {names[0]} ({top} times)"
    if len(tied) < len(pairs):      # every pair tied is kept (a pair mixed up less follows): each is named
        # (the speech walk: "3 pairs … (the matrix shows which)", while results.md named them)
        return f"Most often mixed up: {', '.join(names[:-1])}, and {names[-1]} ({top} times each)"
    return f"Several pairs of classes are mixed up {top} times each (the matrix shows which)"


def auc_words(v: float) -> str:
    """A ROC AUC with two decimals ("1.00", "0.90"; it was a bare "1"), three when two would round a score
    short of perfect up to "1.00" ("0.998")."""
    said = f"{v:.2f}"
    return f"{min(v, 0.999):.3f}" if said == "1.00" and v < 1 else said
