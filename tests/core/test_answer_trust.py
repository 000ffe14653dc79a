"""The shop walk: the model answered "ja (67% sure)" for orders, and the owner read two chances in three of a
return; on the test orders, 78 of the 348 it answered "ja" were returns (22%). Predictions now say so, from the
run's test results, when an answer is right far less often than the model says it is sure."""

from __future__ import annotations

import json

from edgeling.core.training.answer_trust import trust_notes

SHOP = {"num_samples": 1200, "split": "test",
        "per_class": {"nein": {"precision": 0.95, "recall": 0.7, "support": 1105, "predicted": 852},
                      "ja": {"precision": 78 / 348, "recall": 78 / 95, "support": 95, "predicted": 348}}}


def _answers(*pairs):
    return [{"source": f"neu.csv#row={i + 2}", "label": label, "confidence": c} for i, (label, c) in enumerate(pairs)]


def test_an_answer_right_far_less_often_than_the_model_says_is_noted():
    notes = trust_notes(_answers(("ja", 0.67), ("ja", 0.63), ("nein", 0.9)), SHOP)
    assert notes == ["The answer 'ja' is right less often than the model says: on its 1200 test samples, 78 of "
                     "the 348 times it answered 'ja' were right (22%), while here it says 65% sure on average. "
                     "Take 'ja' as one to check, not as certain."]


def test_no_note_when_the_answers_are_as_right_as_the_model_says_or_the_test_says_too_little():
    assert trust_notes(_answers(("nein", 0.97), ("nein", 0.99)), SHOP) == []          # 95% right, ~98% sure
    few = {**SHOP, "per_class": {**SHOP["per_class"], "ja": {**SHOP["per_class"]["ja"], "predicted": 3}}}
    assert trust_notes(_answers(("ja", 0.9)), few) == []
    assert trust_notes(_answers(("ja", 0.9)), None) == []                              # no test results
    assert trust_notes([{"source": "a.csv#row=2", "value": 3.5}], SHOP) == []          # a number model


def test_predict_says_it_from_the_run_s_test_results(tmp_path, monkeypatch, capsys):
    """Wiring: ``edgeling predict`` reads the run's test results and adds the note to its own (stdout JSON and
    stderr), as the app's "Try it" shows the JSON's notes. The run's results are made unflattering here (each
    answer right 5% of the time in its test) so the note does not hang on what one epoch learnt."""
    from edgeling.core.cli import main
    from edgeling.core.jobs.train_job import train_run
    from tests.core.training_fixtures import ZOO, make_table_csv

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    table = make_table_csv(tmp_path / "t.csv", n=120)
    run = tmp_path / "run"
    assert train_run(table, run, epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
    metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    for d in metrics["per_class"].values():
        d.update(precision=0.05, predicted=40)
    (run / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    new = tmp_path / "new.csv"
    new.write_text("a,b,noise\n2.0,0.0,0.1\n-1.0,1.7,0.3\n", encoding="utf-8")
    assert main(["predict", str(run), str(new), "--json"]) == 0
    out = capsys.readouterr()
    said = [n for n in json.loads(out.out)["notes"] if "right less often than the model says" in n]
    assert said and "2 of the 40 times it answered" in said[0] and said[0] in out.err
