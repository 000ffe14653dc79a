"""A run's test results as files a person can use elsewhere: a paper, a spreadsheet, a report.

``write_results(metrics, folder)`` writes, from the evaluation stored in a run (``metrics.json``):

- ``results.md``: the numbers in words and tables (Markdown), the classes most often mixed up, and where
  the numbers come from;
- ``confusion_matrix.csv``: one row per true class, one column per predicted class;
- ``confusion_matrix.svg``: the same as a picture for a paper (vector, ``core/confusion_picture.py``);
- ``per_class.csv``: precision, recall with its 95% range, F1 and number of test samples per class;
- ``most_confused.csv``: the class pairs mixed up most often, each way round;
- ``per_speaker.csv`` (sound) or ``per_machine.csv`` (sensors): right answers per held-out speaker or machine, when
  the file names name them;
- for a model that predicts a number, only ``results.md`` (MAE, RMSE, R²).

CSV files are UTF-8 with a byte-order mark, so spreadsheet programs open accented class names correctly;
comma-separated, or for a table model in its own table's separator and decimal mark (``csv_dialect``). Every file is written atomically. No torch, no Qt: the CLI and the app both call this
(the app adds PNG and PDF copies of the picture).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from edgeling.core.confusion_picture import confusion_svg
from edgeling.core.fileio import atomic_write_bytes, atomic_write_text
from edgeling.core.results_words import (
    CROSSVAL_SPLIT,
    OTHER_FILES_SPLIT,
    accuracy_range_sentence,
    baseline_sentence,
    copies_sentence,
    few_samples_sentence,
    independent_samples,
    measured_on,
    model_words,
    subject_words,
    subjects_file,
    subjects_sentence,
    subjects_table,
    times,
    wrong_answers,
)
from edgeling.core.sentences import counted
from edgeling.core.terminal_hint import in_terminal
from edgeling.core.training.metrics import shown_scores


class ResultsError(Exception):
    """No test results to write, or the folder cannot be written; a plain message."""

    user_facing = True


def _csv_bytes(rows: list[list], dialect: dict | None = None) -> bytes:
    """CSV text with a byte-order mark; in the dialect of the run's own table when it was one
    (``csv_dialect``: a French Excel opens ';' and '0,9154' in columns, as the answers file does), numbers
    to 4 decimals."""
    delimiter = (dialect or {}).get("delimiter") or ","
    comma = bool((dialect or {}).get("decimal_comma"))

    def cell(v):
        if isinstance(v, float):
            text = f"{v:.4f}".rstrip("0").rstrip(".") if v == v else ""
            return text.replace(".", ",") if comma else text
        return v
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows([[cell(v) for v in r] for r in rows])
    return buf.getvalue().encode("utf-8-sig")


def recall_range(per_class: dict, worth: float = 1.0) -> tuple[float, float] | None:
    """The 95% range (Wilson) of one class's recall from its test samples; None without samples. ``worth``:
    the share of independent samples in the test (``results_words.independent_samples``): a class's 12 clips
    from 4 children are not 12 independent tries (the speech walk: "76% to 100%" for 12 of 12)."""
    from edgeling.core.training.metrics import accuracy_range

    n, recall = per_class.get("support"), per_class.get("recall")
    if not isinstance(n, int) or n <= 0 or not isinstance(recall, (int, float)):
        return None
    return accuracy_range(float(recall), max(1, round(n * min(1.0, worth))))


def independent_share(metrics: dict) -> float:
    """The share of the test's samples that count as independent (1.0 when each does)."""
    n = metrics.get("num_samples")
    if not isinstance(n, int) or n <= 0:
        return 1.0
    return independent_samples(metrics)[0] / n


def _range_words(r: tuple[float, float] | None) -> str:
    return "-" if r is None else f"{r[0]:.0%} to {r[1]:.0%}"


def _fmt(v, pct: bool = False) -> str:
    if not isinstance(v, (int, float)):
        return "-"
    return f"{v:.1%}" if pct else f"{v:.4g}"


def confusion_of(metrics: dict) -> tuple[list[list[int]], list[str]]:
    """(matrix, class names) from stored metrics (the matrix alone, or a dict with its class names)."""
    cm = metrics.get("confusion_matrix")
    names = list(metrics.get("class_names") or metrics.get("per_class") or [])
    if isinstance(cm, dict):
        return cm.get("matrix") or [], list(cm.get("class_names") or names)
    return cm or [], names


def markdown(metrics: dict, title: str = "Test results") -> str:
    """The results as a short Markdown report."""
    lines = [f"# {title}", ""]
    if metrics.get("arch"):
        lines.append(f"Model: {model_words(metrics['arch'])}" + (
            ", measured as its int8 file in LiteRT (what goes on the device). "
            if metrics.get("model") == "the int8 file in LiteRT" else ". "))
    if metrics.get("model_file"):
        lines.append(f"Model: the exported file {metrics['model_file']} ({metrics.get('precision') or 'float32'}), "
                     "run in its own runtime. ")
    lines.append(measured_on(metrics))
    lines += [baseline_sentence(metrics)] if baseline_sentence(metrics) else []
    lines += [subjects_sentence(metrics)] if metrics.get("subjects") else []
    lines += [accuracy_range_sentence(metrics)] if accuracy_range_sentence(metrics) else []
    from edgeling.core.training.recording_answers import whole_recordings_sentence

    lines += [whole_recordings_sentence(metrics)] if whole_recordings_sentence(metrics) else []
    lines += [copies_sentence(metrics)] if copies_sentence(metrics) else []
    lines += [few_samples_sentence(metrics)] if few_samples_sentence(metrics) else []
    lines.append("")
    if metrics.get("task") == "regression" or ("mae" in metrics and not metrics.get("confusion_matrix")):
        lines += ["| measure | value |", "| --- | --- |",
                  f"| mean absolute error (MAE) | {_fmt(metrics.get('mae'))} |",
                  f"| root mean squared error (RMSE) | {_fmt(metrics.get('rmse'))} |",
                  f"| R² | {_fmt(metrics.get('r2'))} |",
                  f"| milliseconds per answer on the computer that evaluated it (one thread; it varies with what else runs) | {_fmt(metrics.get('latency_ms'))} |"]
        return "\n".join(lines) + "\n"
    lines += ["| measure | value |", "| --- | --- |",
              f"| accuracy | {_fmt(metrics.get('accuracy'), True)} |",
              *([f"| accuracy of always answering the most common class ({metrics['majority_baseline']['class']}"
                 + (f", one of {metrics['majority_baseline']['tied']} as common"
                    if metrics["majority_baseline"].get("tied", 1) > 1 else "") + ") "
                 f"| {_fmt(metrics['majority_baseline']['accuracy'], True)} |"] if metrics.get("majority_baseline")
                else []),
              f"| macro-F1 (every class counts the same) | {_fmt(metrics.get('macro_f1'), True)} |",
              *([f"| ROC AUC (one class against the rest, averaged) | {_fmt(metrics.get('roc_auc'))} |",
                 f"| milliseconds per answer on the computer that evaluated it (one thread; it varies with what else runs) | {_fmt(metrics.get('latency_ms'))} |"]
                if metrics.get("split") != CROSSVAL_SPLIT else []),
              *([f"| ROC AUC, each model on its own part (mean ± sd of the {metrics.get('folds')}) "
                 f"| {metrics['fold_roc_auc']['mean']:.3f} ± {metrics['fold_roc_auc']['std']:.3f} |"]
                if metrics.get("split") == CROSSVAL_SPLIT and metrics.get("fold_roc_auc") else []),
              "", "## Per class", "",
              "Recall is the accuracy on each class: of its samples, the share the model answered right. "
              "Precision: of the samples the model gave this class, the share that were of it.", "",
              "| class | recall (accuracy on the class) | its 95% range | precision | F1 | samples |",
              "| --- | --- | --- | --- | --- | --- |"]
    for name, d in (metrics.get("per_class") or {}).items():
        s = shown_scores(d)
        lines.append(f"| {name} | {_fmt(s['recall'], True)} | {_range_words(recall_range(d, independent_share(metrics)))} | "
                     f"{_fmt(s['precision'], True)} | {_fmt(s['f1'], True)} | {d.get('support', '-')} |")
    lines += subjects_table(metrics)
    wrong = wrong_answers(metrics)
    if wrong:
        lines += ["", "## Wrong answers to look at", "",
                  "The test samples the model got wrong while most sure of itself: often a wrong label, or a "
                  "sample unlike the others.", ""] + [f"- {w}" for w in wrong]
    pairs = metrics.get("most_confused") or []
    lines += ["", "## Most often mixed up", ""]
    if pairs:
        for p in pairs:
            a, b = p["classes"]
            lines.append(f"- {a} and {b}: {times(p['count'])} ({a} taken for {b}: {p['as_second']}, "
                         f"{b} taken for {a}: {p['as_first']})")
    else:
        lines.append("No two classes were mixed up on these samples.")
    matrix, names = confusion_of(metrics)
    if matrix:
        lines += ["", "## Confusion matrix", "", "Rows: the true class. Columns: what the model said.", "",
                  "| true \\ predicted | " + " | ".join(names) + " |",
                  "| --- |" + " --- |" * len(names)]
        for name, row in zip(names, matrix):
            lines.append(f"| {name} | " + " | ".join(str(int(v)) for v in row) + " |")
        lines += ["", "The picture confusion_matrix.svg shows the same. A caption for it: *" + picture_caption(metrics) + "*"]
    skipped = metrics.get("skipped") or []
    if skipped:
        lines += ["", "## Not counted", "", f"{counted(len(skipped), 'file or row', 'files or rows')} could not be used:", ""]
        lines += [f"- {s['file']}: {s['reason']}" for s in skipped]
    notes = metrics.get("notes") or []
    if notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def picture_caption(metrics: dict) -> str:
    """A caption for confusion_matrix.svg (the picture holds no title: a paper puts its caption under it), saying
    which samples it counts and what each cell's percentage is (the speech walk: the share of a row, unsaid)."""
    n = metrics.get("num_samples")
    split = metrics.get("split")
    held = (metrics.get("subjects") or {}).get("test") or []
    _, many, did = subject_words(metrics)       # the review: hives were "speakers or machines" here
    who = (many, did)
    if split == CROSSVAL_SPLIT:
        on = (f"all {n} samples, each tested once by one of {metrics.get('folds')} cross-validation models that "
              "never learnt it")
    elif split == OTHER_FILES_SPLIT:
        on = f"{n} new samples"
    else:
        on = f"the {n} {split or 'test'} samples" + (
            f" of {len(held)} {who[0]} the model never {who[1]} in training" if held and split == "test" else "")
    return (f"Confusion matrix on {on}. Rows: the true class; columns: the class the model gave. Each cell: the "
            "number of samples and, below it, their share of the row (of that true class's samples); the "
            "diagonal, in bold, holds the right answers.")


def write_results(metrics: dict, folder: str | os.PathLike, title: str = "Test results") -> list[Path]:
    """Write the result files into ``folder`` (created if needed); returns their paths."""
    if not metrics:
        raise ResultsError("This run has no test results yet. Evaluate it first on the Evaluate page"
                           f"{in_terminal('edgeling evaluate RUN')}.")
    folder = Path(folder).expanduser()
    dialect = metrics.get("csv_dialect")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = [atomic_write_text(folder / "results.md", markdown(metrics, title))]
        matrix, names = confusion_of(metrics)
        if matrix:
            rows = [["true \\ predicted", *names]] + [[n, *[int(v) for v in r]] for n, r in zip(names, matrix)]
            written.append(atomic_write_bytes(folder / "confusion_matrix.csv", _csv_bytes(rows, dialect)))
            written.append(atomic_write_text(folder / "confusion_matrix.svg", confusion_svg(matrix, names, title)))
            count = "samples" if metrics.get("split") == OTHER_FILES_SPLIT else "test_samples"
            per_class = [["class", "precision", "recall", "recall_95_low", "recall_95_high", "f1", count]]
            for name, d in (metrics.get("per_class") or {}).items():
                s = shown_scores(d)   # empty, as "-" in results.md, where a score is not defined
                low, high = recall_range(d, independent_share(metrics)) or ("", "")
                per_class.append([name, s["precision"], s["recall"], low, high, s["f1"], d.get("support")])
            written.append(atomic_write_bytes(folder / "per_class.csv", _csv_bytes(per_class, dialect)))
            pairs = [["class_a", "class_b", "times_mixed_up", "a_taken_for_b", "b_taken_for_a"]]
            for p in metrics.get("most_confused") or []:
                pairs.append([*p["classes"], p["count"], p["as_second"], p["as_first"]])
            written.append(atomic_write_bytes(folder / "most_confused.csv", _csv_bytes(pairs, dialect)))
            right = (metrics.get("subjects") or {}).get("right") or {}
            if right:
                who = subjects_file(metrics)
                rows = [[who.removeprefix("per_").removesuffix(".csv"), "right", "samples", "share_right"]]
                rows += [[name, d["right"], d["samples"], d["right"] / d["samples"]] for name, d in sorted(right.items())]
                written.append(atomic_write_bytes(folder / who, _csv_bytes(rows, dialect)))
    except OSError as e:
        raise ResultsError(f"The results could not be written to {folder} ({e.strerror or e}). Choose a "
                           "folder you can write to, with some free space.") from None
    return written
