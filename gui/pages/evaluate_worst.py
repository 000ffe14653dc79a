"""The Evaluate page's list of answers under its matrix, and its title, saying honestly what it holds.

Core's ``worst_samples`` are the test samples with the lowest probability on their true class
(``training/metrics.classification_metrics``): the wrong answers, and when there are few of them, right answers
the model was unsure of. Listed under "Worst-classified samples" they read as mistakes (the pump walk: "is
cavitation, the model said cavitation (73% sure)"). Here the wrong answers come first (every one of them when the
run's ``predictions.json`` is there, the surest first), then, under a heading of their own, the right answers the
model was least sure of."""

from __future__ import annotations

from edgeling.core.sentences import counted

CLICK = "click a cell of the matrix for its samples"
UNSURE_HEADING = "Right, but the model was unsure:"


def wrong_and_unsure(metrics: dict, predictions: dict, names: list[str]) -> tuple[list[dict], list[dict], bool]:
    """(the wrong answers, the right answers the model was least sure of, whether the wrong ones are all of
    them): from the run's every answer when it has them, else from core's ``worst_samples``."""
    worst = [s for s in metrics.get("worst_samples") or [] if "predicted" in s]
    unsure = [s for s in worst if s.get("true") == s.get("predicted")]
    samples = predictions.get("samples")
    if samples is not None and names:
        wrong = [dict(s, true=names[s["true"]], predicted=names[s["predicted"]]) for s in samples
                 if isinstance(s.get("true"), int) and isinstance(s.get("predicted"), int)
                 and s["true"] != s["predicted"] and max(s["true"], s["predicted"]) < len(names)]
        wrong.sort(key=lambda s: -float(s.get("confidence") or 0))     # the surest mistakes first
        return wrong, unsure, True
    return [s for s in worst if s.get("true") != s.get("predicted")], unsure, False


def answers_title(wrong: list[dict], unsure: list[dict], all_wrong: bool) -> str:
    """What the list holds, in its own words (short: two lines beside the matrix at 1024 x 700)."""
    if wrong:
        said = ((f"All {counted(len(wrong), 'wrong answer')}, surest first" if len(wrong) > 1 else "The wrong answer")
                if all_wrong else "Wrong answers among the least sure")
        said += ", then the least sure right ones" if unsure else ""
    elif unsure:
        said = "No wrong answers. The least sure answers, all right"
    else:
        said = "No wrong answers"
    return f"{said} ({CLICK}):"


def fill_answers(page) -> None:
    """The Evaluate page's list with no cell chosen: wrong answers, then the least sure right ones."""
    if not page.metrics:
        page.samples_label.setText("The model's wrong answers are listed here once it is tested.")
        page.worst.show_samples([])
        return
    root = page.predictions.get("root") or page.metrics.get("root")
    wrong, unsure, all_wrong = wrong_and_unsure(page.metrics, page.predictions, page.class_names)
    page.samples_label.setText(answers_title(wrong, unsure, all_wrong))
    page.worst.show_samples(wrong + unsure, root)
    if wrong and unsure and len(wrong) < page.worst.count():
        page.worst.insert_heading(len(wrong), UNSURE_HEADING)
