"""The Export page's caution after an export: "passed" says the file answers as the trained model does, not that
the answers are good. When the run is not clearly better than always answering its most common class (the
shop's 83.3% next to always answering 'non', 88.7%), core's verdict (``results_words.baseline_sentence``, from
the run's metrics.json) is said beside the result; a good run's page stays quiet."""

from __future__ import annotations

from pathlib import Path

from edgeling.gui.qt import QLabel


def verdict_label() -> QLabel:
    label = QLabel("")
    label.setObjectName("exportVerdict")
    label.setWordWrap(True)
    label.hide()
    return label


def verdict_words(run_dir: Path | None) -> str:
    """The caution for the run in ``run_dir``, or "" when it is clearly better than always answering its most
    common class, predicts a number, or has no readable metrics.json."""
    from edgeling.core.fileio import read_json
    from edgeling.core.results_words import baseline_sentence, baseline_verdict
    from edgeling.core.runs import METRICS_FILE

    try:
        metrics = read_json(Path(run_dir) / METRICS_FILE) if run_dir is not None else None
        if not isinstance(metrics, dict) or baseline_verdict(metrics) in (None, "better"):
            return ""
        verdict = baseline_sentence(metrics)
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return ""
    return (f"⚠ Before you use it: on its test samples this model is {verdict[0].lower()}{verdict[1:]} "
            "\"Passed\" means the file answers as the trained model does, not that its answers are good: the "
            "Evaluate page shows where it goes wrong.")


def show_verdict(label: QLabel, run_dir: Path | None) -> None:
    said = verdict_words(run_dir)
    label.setText(said)
    label.setVisible(bool(said))
