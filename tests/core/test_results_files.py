"""A run's results as files for a paper or a spreadsheet: Markdown, and CSVs a spreadsheet opens."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from edgeling.core.results_files import ResultsError, markdown, write_results

METRICS = {
    "task": "classification", "num_samples": 12, "split": "test", "accuracy": 0.75, "macro_f1": 0.7,
    "roc_auc": 0.9, "latency_ms": 0.2, "arch": "ds_cnn",
    "class_names": ["oui", "non", "peut-être"],
    "confusion_matrix": [[4, 1, 0], [2, 3, 0], [0, 0, 2]],
    "per_class": {"oui": {"precision": 0.667, "recall": 0.8, "f1": 0.727, "support": 5},
                  "non": {"precision": 0.75, "recall": 0.6, "f1": 0.667, "support": 5},
                  "peut-être": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}},
    "most_confused": [{"classes": ["oui", "non"], "count": 3, "as_second": 1, "as_first": 2}],
    "majority_baseline": {"class": "oui", "accuracy": 5 / 12},
}


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_classification_results_are_written_as_markdown_and_csv(tmp_path):
    files = write_results(METRICS, tmp_path / "out")
    assert sorted(p.name for p in files) == ["confusion_matrix.csv", "confusion_matrix.svg", "most_confused.csv",
                                             "per_class.csv", "results.md"]
    assert (tmp_path / "out" / "confusion_matrix.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM
    cm = _rows(tmp_path / "out" / "confusion_matrix.csv")
    assert cm[0] == ["true \\ predicted", "oui", "non", "peut-être"]
    assert cm[2] == ["non", "2", "3", "0"]
    per_class = _rows(tmp_path / "out" / "per_class.csv")
    assert per_class[0] == ["class", "precision", "recall", "recall_95_low", "recall_95_high", "f1", "test_samples"]
    assert per_class[3][:3] == ["peut-être", "1", "1"] and per_class[3][5:] == ["1", "2"]
    assert per_class[3][3] == "0.3424" and per_class[3][4] == "1"   # 2 of 2: 34% to 100%, 4 decimals
    assert _rows(tmp_path / "out" / "most_confused.csv")[1] == ["oui", "non", "3", "1", "2"]
    md = (tmp_path / "out" / "results.md").read_text(encoding="utf-8")
    assert "| accuracy of always answering the most common class (oui) | 41.7% |" in md
    assert "| accuracy | 75.0% |" in md and "- oui and non: 3 times (oui taken for non: 1, non taken for oui: 2)" in md
    assert "| non | 2 | 3 | 0 |" in md and "12 samples of the test split" in md
    assert md.startswith("# Test results\n\nModel: ds_cnn (DS-CNN: the keyword-spotting model of the MLPerf Tiny")
    assert "| class | recall (accuracy on the class) | its 95% range | precision | F1 | samples |" in md
    assert "| non | 60.0% | 23% to 88% | 75.0% | 66.7% | 5 |" in md and "Recall is the accuracy on each class" in md


def test_regression_results_and_missing_results(tmp_path):
    md = markdown({"task": "regression", "num_samples": 40, "mae": 1.25, "rmse": 2.0, "r2": 0.81})
    assert "| mean absolute error (MAE) | 1.25 |" in md and "| R² | 0.81 |" in md
    files = write_results({"task": "regression", "num_samples": 40, "mae": 1.25}, tmp_path)
    assert [p.name for p in files] == ["results.md"]
    with pytest.raises(ResultsError, match="no test results yet"):
        write_results({}, tmp_path)


def test_a_folder_that_cannot_be_written_gives_a_plain_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ResultsError, match="could not be written"):
        write_results(METRICS, blocker / "sub")


def test_evaluate_command_saves_results(tmp_path, capsys):
    from edgeling.core.cli import main
    from edgeling.core.jobs.train_job import train_run
    from tests.core.training_fixtures import ZOO, make_table_csv

    table = make_table_csv(tmp_path / "t.csv")
    train_run(table, tmp_path / "run", epochs=2, zoo=ZOO, seed=0)
    assert main(["evaluate", str(tmp_path / "run"), "--save-results", str(tmp_path / "res"), "--json"]) == 0
    out, err = capsys.readouterr()
    printed = json.loads(out)
    assert "Results written" in err
    cm = _rows(tmp_path / "res" / "confusion_matrix.csv")
    assert cm[0][1:] == printed["class_names"]
    assert sum(int(v) for row in cm[1:] for v in row[1:]) == printed["num_samples"]
    assert (tmp_path / "res" / "confusion_matrix.svg").read_text(encoding="utf-8").startswith("<svg")


def test_a_class_with_no_test_sample_shows_no_recall_instead_of_zero(tmp_path):
    from edgeling.core.results_files import markdown
    from edgeling.core.training.metrics import classification_metrics

    probs = np.array([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8], [0.2, 0.1, 0.7]])
    m = classification_metrics(np.array([0, 2, 2]), probs, ["black rot", "healthy", "mildew"], ["a", "b", "c"])
    assert m["per_class"]["healthy"]["support"] == 0 and m["per_class"]["healthy"]["predicted"] == 0
    assert "| healthy | - | - | - | - | 0 |" in markdown(m)
    assert "| mildew | 100.0% | 34% to 100% | 100.0% | 100.0% | 2 |" in markdown(m)


def test_a_tie_for_the_most_common_class_is_said():
    import numpy as np

    from edgeling.core.training.metrics import classification_metrics

    probs = np.eye(3)[[0, 1, 2, 0, 1, 2]]
    m = classification_metrics([0, 1, 2, 0, 1, 2], probs, ["a", "b", "c"], [f"f{i}" for i in range(6)])
    assert m["majority_baseline"] == {"class": "a", "accuracy": pytest.approx(1 / 3), "tied": 3}
    assert "most common class (a, one of 3 as common) | 33.3% |" in markdown(dict(m, split="test", num_samples=6))
    m = classification_metrics([0, 0, 1], np.eye(2)[[0, 0, 1]], ["a", "b"], ["x", "y", "z"])
    assert m["majority_baseline"]["tied"] == 1 and "(a) | 66.7% |" in markdown(dict(m, split="test", num_samples=3))


def test_few_test_samples_per_class_are_said_with_how_coarse_the_numbers_are():
    """Six words with 4 test clips each: a per-word recall moves in steps of 25 points, which a paper's
    reader must know; a class with no test sample is not measured at all."""
    from edgeling.core.results_files import markdown
    from edgeling.core.results_words import few_samples_sentence

    per_class = {w: {"precision": 1.0, "recall": 0.75, "f1": 0.86, "support": 4} for w in ("stop", "avance")}
    per_class["gauche"] = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    m = {"accuracy": 0.75, "macro_f1": 0.6, "per_class": per_class, "split": "test", "num_samples": 8,
         "confusion_matrix": [[3, 1, 0], [1, 3, 0], [0, 0, 0]], "class_names": ["stop", "avance", "gauche"]}
    said = few_samples_sentence(m)
    assert "2 classes have fewer than 10 (stop 4, avance 4)" in said and "up to 25 points" in said
    assert "no sample of 'gauche'" in said
    assert said in markdown(m)
    per_class = {w: {"support": 12} for w in ("a", "b")}
    assert few_samples_sentence({"per_class": per_class}) is None


def test_how_far_the_accuracy_can_be_trusted_is_said_from_the_number_of_samples():
    """The vineyard technician wants 'a number she can trust': 93% on 59 test photos is said with the
    range the true accuracy on new photos likely lies in (Wilson 95% interval), in the CLI, results.md, the
    app's summary and the model card; results saved before the range was stored get it too."""
    from edgeling.core.results_words import accuracy_range_sentence
    from edgeling.core.training.metrics import accuracy_range, classification_metrics

    lo, hi = accuracy_range(56 / 59, 59)
    assert round(lo, 3) == 0.861 and round(hi, 3) == 0.983          # the Wilson score interval
    assert accuracy_range(1.0, 42) == (pytest.approx(0.9162, abs=1e-4), 1.0) and accuracy_range(0.5, 0) is None
    y = np.array([0] * 30 + [1] * 29)
    probs = np.eye(2)[np.where(np.arange(59) < 56, y, 1 - y)]
    m = classification_metrics(y, probs, ["healthy", "mildew"], [f"{i}.jpg" for i in range(59)])
    assert m["accuracy_range"] == [pytest.approx(lo), pytest.approx(hi)]
    said = ("59 samples measure the accuracy only roughly: on new files like these it is likely between 86% "
            "and 98% (95% range).")
    old = {k: v for k, v in m.items() if k != "accuracy_range"}
    assert accuracy_range_sentence(old) == said and said in markdown(m)
    assert "on new rows like these" in accuracy_range_sentence({**old, "kind": "table"})   # a shop's orders: rows
    assert accuracy_range_sentence({"accuracy": 0.95, "num_samples": 3000}).startswith(
        "3000 samples measure the accuracy closely: on new files like these it is likely between 94.2% and 95.7%")
    assert accuracy_range_sentence({"mae": 1.0, "num_samples": 10}) is None
    windows = classification_metrics(np.zeros(253, int), np.eye(3)[np.zeros(253, int)], ["normal", "cav", "loose"],
                                     [f"{['a', 'b', 'c', 'd', 'e', 'f'][i % 6]}.csv#t={i}.00" for i in range(253)])
    assert windows["recordings"] == 6 and windows["accuracy_range"][0] == pytest.approx(accuracy_range(1.0, 6)[0])
    assert accuracy_range_sentence(windows) == ("253 windows from 6 recordings measure the accuracy only roughly: "
                                                "on new files like these it is likely between 61% and 100% (95% "
                                                "range, each recording counted once: its windows are alike).")
    learnt = {"accuracy": 0.95, "num_samples": 610, "trained_on": {"checked": True, "count": 549}}
    assert accuracy_range_sentence(learnt) is None     # 549 of them were learnt from: no range for new files
    # a test split too small to say much (the pump walk: 'between 49% and 99%') points to cross-validation
    wide = accuracy_range_sentence({**windows, "split": "test"})
    assert wide.endswith("For a closer number, use \"Check every sample\" on the Evaluate page (in a terminal: "
                         "edgeling crossval): cross-validation tests each sample with a model that never saw it.")
    # the app shows the same sentence without the command (the small-screen walk)
    from edgeling.core.terminal_hint import for_the_app

    assert for_the_app(wide).endswith("For a closer number, use \"Check every sample\" on the Evaluate page: "
                                      "cross-validation tests each sample with a model that never saw it.")
    assert "cross-validation" not in accuracy_range_sentence({**m, "split": "test"})      # 86% to 98%: enough
    assert "cross-validation tests" not in accuracy_range_sentence({**windows, "split": "cross-validation"})


def test_every_accuracy_comes_with_the_verdict_against_always_answering_the_most_common_class():
    """The shop re-walk: 83.3% looked good everywhere but the Train page, while always answering 'non'
    scores 88.7%; he needs that said, and how many returns it catches."""
    from edgeling.core.results_words import baseline_sentence, baseline_verdict

    shop = {"accuracy": 0.833, "num_samples": 150, "majority_baseline": {"class": "non", "accuracy": 0.887},
            "per_class": {"non": {"recall": 0.9, "support": 133}, "oui": {"recall": 6 / 17, "support": 17}}}
    assert baseline_sentence(shop) == "Worse than always answering 'non' (88.7%); it finds 6 of the 17 'oui'."
    # The shop walk: "ja (67% sure)" read as two chances in three, where 1 in 5 of its 'ja' were returns
    flagged = {**shop, "per_class": {**shop["per_class"], "oui": {"recall": 6 / 17, "support": 17, "predicted": 27}}}
    assert baseline_sentence(flagged) == ("Worse than always answering 'non' (88.7%); it finds 6 of the 17 'oui', "
                                          "and of the 27 it answered 'oui', 6 were (22%).")
    assert baseline_sentence({**shop, "accuracy": 0.887}).startswith("No better than always answering 'non'")
    assert baseline_sentence({**shop, "accuracy": 0.9}).startswith("Not clearly better than")
    small = {"accuracy": 0.679, "num_samples": 28, "accuracy_range": [0.31, 0.91],     # the upgrade walk: 4 recordings
             "majority_baseline": {"class": "normal", "accuracy": 0.357}}
    assert baseline_verdict(small) == "not clearly better" and baseline_sentence(small) == (
        "Not clearly better than always answering 'normal' (35.7%): on 28 samples its 67.9% could really be as "
        "low as 31% (the 95% range).")
    assert baseline_sentence({**shop, "accuracy": 0.97, "accuracy_range": [0.93, 0.99]}).startswith("Better than")
    assert baseline_sentence({"mae": 1.0}) is None
    assert [baseline_verdict({**shop, "accuracy": a}) for a in (0.833, 0.887, 0.9)] == [
        "worse", "no better", "not clearly better"]        # what the Export page warns on, not the words
    md = markdown({**METRICS, "accuracy": 0.3})
    assert "Worse than always answering 'oui' (41.7%)." in md


def test_a_table_models_result_files_are_written_as_its_table_is(tmp_path):
    """The shop re-walk: per_class.csv was comma-separated with '0.9153846153846154'; a French Excel put each
    line in one cell. A table model's results follow its table (';' and decimal commas), as the answers do."""
    write_results({**METRICS, "csv_dialect": {"delimiter": ";", "decimal_comma": True}}, tmp_path)
    text = (tmp_path / "per_class.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == "class;precision;recall;recall_95_low;recall_95_high;f1;test_samples"
    assert text[1] == "oui;0,667;0,8;0,3755;0,9638;0,727;5"


def test_the_wrong_answers_the_model_was_surest_of_are_listed_by_row_name(tmp_path):
    """The shop re-walk: the CLI and results.md listed no wrong order; only --json had worst_samples."""
    worst = [{"source": "commandes.csv#row=394", "true": "oui", "predicted": "non", "confidence": 0.65,
              "row_id": "CMD-10392", "row_id_column": "N° commande"},
             {"source": "commandes.csv#row=12", "true": "non", "predicted": "non", "confidence": 0.51}]
    md = markdown({**METRICS, "worst_samples": worst})
    section = md.split("## Wrong answers to look at", 1)[1].split("\n## ", 1)[0]
    assert "- commandes.csv row 394 (N° commande CMD-10392): is oui, the model said non (65% sure)" in section
    assert "row 12" not in section                                  # right, only unsure: not listed


def test_wrong_answers_come_surest_first():
    """The pump walk: 'the model was surest of these' listed them at 59%, 71%, 57%, 67%, 48%."""
    from edgeling.core.results_words import wrong_answers

    shares = [0.59, 0.71, 0.57, 0.67, 0.48]
    worst = [{"source": f"r{i}.csv", "true": "normal", "predicted": "cavitation", "confidence": c}
             for i, c in enumerate(shares)] + [{"source": "ok.csv", "true": "normal", "predicted": "normal",
                                                 "confidence": 0.9}]
    said = wrong_answers({"worst_samples": worst})
    assert [int(w.split("(")[-1].split("%")[0]) for w in said] == [71, 67, 59, 57, 48]


def test_every_wrong_answer_is_listed_not_only_those_among_the_ten_least_sure_of_the_truth():
    """A wrong answer 45% sure (of three classes) could rank after right ones 35% sure on the true class, so
    results.md listed fewer mistakes than there were (the GUI fixer's finding)."""
    from edgeling.core.results_words import wrong_answers
    from edgeling.core.training.metrics import classification_metrics

    n = 40
    y = np.zeros(n, int)
    probs = np.tile([0.35, 0.33, 0.32], (n, 1))            # right, but unsure: 35% on the truth
    probs[:3] = [[0.30, 0.45, 0.25], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8]]   # three wrong answers
    probs = probs / probs.sum(1, keepdims=True)
    m = classification_metrics(y, probs, ["a", "b", "c"], [f"{i}.jpg" for i in range(n)], worst=2)
    assert [w["source"] for w in m["wrong_samples"]] == ["2.jpg", "1.jpg", "0.jpg"]        # surest first
    said = wrong_answers(m)
    assert len(said) == 3 and said[0].startswith("2.jpg") and said[-1].startswith("0.jpg")


def test_times_are_said_as_words():
    from edgeling.core.results_words import times

    assert (times(1), times(3)) == ("1 time", "3 times")


def test_the_copies_sentence_names_the_command_in_a_terminal_and_the_page_in_the_app():
    """The vineyard walk: 'edgeling evaluate' said "(the Data page lists the copies)" in a terminal."""
    from edgeling.core.results_words import copies_sentence
    from edgeling.core.terminal_hint import for_the_app

    said = copies_sentence({"copies_under_two_labels": ["mildew/IMG_0007.jpg"]})
    assert said.endswith("then train again: the Data page lists the copies (in a terminal: edgeling inspect DATA).")
    assert for_the_app(said).endswith("then train again: the Data page lists the copies.")


def test_a_range_short_of_100_percent_is_not_said_as_100():
    """The speech walk: a range up to 99.5% read "between 97% and 100%"."""
    from edgeling.core.results_words import accuracy_range_sentence

    said = accuracy_range_sentence({"accuracy": 0.99, "num_samples": 300})
    assert "likely between 97.1% and 99.7%" in said and "100%" not in said
    assert "and 100%" in accuracy_range_sentence({"accuracy": 1.0, "num_samples": 40})    # it can be 100%


def test_a_model_surely_but_only_a_little_better_than_the_most_common_answer_says_so():
    """The shop walk: crossval said "Not clearly better than always answering 'Non' (60.9%)" beside its own range
    of 67-72%."""
    from edgeling.core.results_words import baseline_sentence, baseline_verdict

    m = {"accuracy": 0.695, "num_samples": 1495, "accuracy_range": [0.671, 0.718],
         "majority_baseline": {"class": "Non", "accuracy": 0.609}}
    assert baseline_verdict(m) == "a little better"
    assert baseline_sentence(m).startswith("Only a little better than always answering 'Non' (60.9%)")
    assert baseline_verdict({**m, "accuracy_range": [0.59, 0.72]}) == "not clearly better"
    assert baseline_verdict({**m, "accuracy": 0.9, "accuracy_range": [0.88, 0.92]}) == "better"


def test_results_md_gives_a_caption_saying_what_the_picture_s_percentages_are():
    """The speech walk: the picture's percentages are each row's shares, said nowhere; a paper needs a caption."""
    from edgeling.core.results_files import picture_caption

    text = markdown(METRICS)
    assert ("The picture confusion_matrix.svg shows the same. A caption for it: *Confusion matrix on the 12 test "
            "samples. Rows: the true class; columns: the class the model gave. Each cell: the number of samples "
            "and, below it, their share of the row (of that true class's samples); the diagonal, in bold, holds "
            "the right answers.*") in text
    held = {**METRICS, "subjects": {"count": 24, "test": ["a", "b"], "who": "speaker"}}
    assert picture_caption(held).startswith("Confusion matrix on the 12 test samples of 2 speakers the model "
                                            "never heard in training. Rows:")
    pooled = {**METRICS, "split": "cross-validation", "folds": 5}
    assert picture_caption(pooled).startswith("Confusion matrix on all 12 samples, each tested once by one of 5 "
                                              "cross-validation models that never learnt it. Rows:")
