"""The Train page's words: the time left, each run's score in the list of runs, and the sentence when a
run has finished (moved out of ``train.py``, which re-exports ``finished_words``)."""

from __future__ import annotations

from edgeling.core.results_words import VERDICT_WORDS, baseline_verdict
from edgeling.core.terminal_hint import for_the_app
from edgeling.core.training.recording_answers import whole_recordings_sentence
from edgeling.gui.widgets.run_picker import KEPT_TIP, TEST_TIP, test_score


def format_eta(seconds) -> str:
    if seconds is None:
        return "estimating time left…"
    s = int(round(float(seconds)))
    if s >= 3600:
        return f"about {s // 3600} h {s % 3600 // 60} min left"
    if s >= 60:
        return f"about {s // 60} min {s % 60} s left"
    return f"about {s} s left"


COMPRESSED_TIP = ("A compressed run is not trained epoch by epoch, so it has no validation score: this is how often its "
                  "compressed model answers right on the test samples, as the Evaluate and Export pages say it.")
NO_TEST_TIP = ("The data has no test samples, so this is how often the model answers right on the validation "
               "samples, which helped choose it: it may be a little high.")


SCORE_HEADING_TIP = ("How often the model the run keeps answers right. Marked (test): on the test samples, kept "
                     "apart from training, the score to compare runs by, compressed ones too, and the one to "
                     "report. Marked (validation): on the validation samples, only for a run with no test score "
                     "(its data had no test samples, or it was recorded before its test score was kept).")


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def score_cell(run: dict) -> tuple[str, str]:
    """(the cell, its tooltip) of a run in the Train page's table, one kind of number down the column, as the
    run pickers decide (``run_picker.test_score``): the test accuracy where it is known, said "(test)" (a
    compressed run has no validation score: the pump walk's run-002-ptq showed "—"); the validation accuracy
    only when it is not, said "(validation)" (the upgrade walk read "Training finished: test accuracy 100.0%"
    above "72.4% (validation)", beside the compressed runs' "(test)")."""
    compressed = bool(run.get("compressed_from"))
    test = test_score(run)
    if test is not None:
        return f"{test:.1%} (test)", COMPRESSED_TIP if compressed else TEST_TIP
    best = run.get("best") or {}
    val = best.get("val_accuracy")
    if not _number(val) and best.get("split") == "validation":   # no test samples: measured on validation
        val = best.get("accuracy")
    if _number(val):
        return f"{val:.1%} (validation)", NO_TEST_TIP if compressed or best.get("split") == "validation" \
            else KEPT_TIP
    return "—", ""


TRY_IT_THERE = ("as Try it and edgeling predict answer a recording", "as Try it on the Evaluate page answers a recording")
"""Core's whole-recordings sentence names the terminal's command too; the app names where Try it is."""


def finished_words(metrics: dict, epochs=None, best_epoch=None) -> str:
    """The Train page's sentence when a run has finished: its test score, and when a classifier is not
    clearly better than always answering the most common class, that plainly, with what to do: train
    longer, or, when it did best on the validation samples early (``best_epoch``, counted from 1, in the first
    third) and only learnt the training samples by heart after, more data first (a smaller model may help too:
    said softly, as the Model page may just have said the data allowed a bigger one)."""
    acc = metrics.get("accuracy")
    if not isinstance(acc, (int, float)):
        mae, r2 = metrics.get("mae"), metrics.get("r2")
        if isinstance(mae, (int, float)):
            return (f"Training finished: on the test samples the answers are off by {mae:.4g} on average"
                    + (f" (R² {r2:.2f})." if isinstance(r2, (int, float)) else "."))
        return "Training finished."
    whole = whole_recordings_sentence(metrics)
    if whole:      # clips of recordings: the score per clip, then per whole recording, as the terminal says them
        whole = for_the_app(whole).replace(*TRY_IT_THERE)
        return f"{_finished_words(metrics, acc, epochs, best_epoch)} {whole}"
    return _finished_words(metrics, acc, epochs, best_epoch)


def _finished_words(metrics: dict, acc: float, epochs, best_epoch) -> str:
    said = f"Training finished: test accuracy {acc:.1%}"
    verdict = baseline_verdict(metrics)      # core's, as the terminal says it (the review: the page had its own)
    if verdict in (None, "better"):
        return said + "."
    base = metrics["majority_baseline"]
    answer = (f"always answering the most common class ({base.get('class')})" if base.get("tied", 1) == 1
              else "always answering any one class")
    how = VERDICT_WORDS[verdict].lower()
    if isinstance(epochs, int) and isinstance(best_epoch, int) and epochs >= 6 and best_epoch <= epochs / 3:
        return (f"{said}, {how} the {base['accuracy']:.1%} of {answer}. It did best on the validation samples at "
                f"epoch {best_epoch} of {epochs} and after that learnt the training samples by heart, so more "
                "epochs will not help. More data will help most; a smaller model (Model page) may help too. "
                "Check the data on the Data page as well.")
    longer = f"more epochs than {epochs}" if isinstance(epochs, int) and epochs > 0 else "more epochs"
    span, n = metrics.get("accuracy_range"), metrics.get("num_samples")
    if how == "not clearly better than" and acc - base["accuracy"] >= 0.15 and isinstance(span, (list, tuple)) \
            and span and isinstance(n, int):
        # well above it, but on too few test samples to tell: not "learnt little" (the upgrade walk)
        from edgeling.core.results_words import independent_samples  # "48 clips from 2 recordings" (review)

        return (f"{said}, not clearly better than the {base['accuracy']:.1%} of {answer}: measured on "
                f"{independent_samples(metrics)[1]}, it could really be as low as {span[0]:.0%}. For a surer number "
                "use \"Check every sample\" on the Evaluate page; more data helps both.")
    return (f"{said}, {how} the {base['accuracy']:.1%} of {answer}: the model has learnt little so far. "
            f"Train longer ({longer}), or check the data on the Data page.")


def kept_after_failure(kept: int, total: int) -> str:
    """What a run that ended without finishing (its child killed, as an out-of-memory kill ends it) keeps, and
    that Resume carries on: core's message names the checkpoint file, not what it means (the robustness walk)."""
    if kept <= 0:
        return "No epoch had finished, so nothing was kept: press Start training to train again."
    epochs = f"{kept} finished epoch{'s' * (kept != 1)}"
    if total and kept >= total:
        return f"All {epochs} are kept."
    return f"The {epochs} are kept: Resume last run carries on from epoch {kept + 1}."
