"""Cross-validation: K runs, each tested on its own part of the data, so every sample is tested once by a
model that never saw it; whole speakers stay in one part; the pooled results are a paper's numbers (the
speech walk: 'only 4 of 40 children are ever tested')."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import soundfile as sf

from edgeling.core.data.dataset import TEST, TRAIN, VAL, DataError
from edgeling.core.data.folds import check_folds, fold_splits, parse_fold
from edgeling.core.data.load import ImportOptions, open_dataset
from tests.core.training_fixtures import ZOO, make_table_csv


def _tested(groups, labels, folds, seed=0):
    return [fold_splits(groups, labels, f"{k}/{folds}", seed) for k in range(1, folds + 1)]


def test_every_group_is_tested_exactly_once_and_each_class_is_cut_evenly():
    rng = np.random.default_rng(0)
    groups = [f"g{i // 2}" for i in range(200)]               # pairs of samples that must stay together
    labels = np.array([int(rng.integers(0, 3)) if i % 2 == 0 else 0 for i in range(200)])
    labels[1::2] = labels[::2]
    parts = _tested(groups, labels, 5)
    tested = np.sum([p == TEST for p in parts], axis=0)
    assert tested.tolist() == [1] * 200
    for p in parts:
        for g in set(groups):                                  # a group never straddles two splits
            assert len({int(p[i]) for i in range(200) if groups[i] == g}) == 1
        assert (p == VAL).sum() > 0 and (p == TRAIN).sum() > (p == TEST).sum()
        assert not np.any((p == VAL) & (p == TEST))
    for c in range(3):                                         # each class's test blocks differ by one unit at most
        per_fold = [int(((p == TEST) & (labels == c)).sum()) // 2 for p in parts]
        assert max(per_fold) - min(per_fold) <= 1
    assert all(np.array_equal(a, b) for a, b in zip(parts, _tested(groups, labels, 5)))   # stable


def test_whole_speakers_are_cut_into_the_folds():
    groups = [f"subject:child{i % 12:02d}" for i in range(240)]
    labels = np.arange(240) % 4                                # every child says every word
    parts = _tested(groups, labels, 4)
    for p in parts:
        held = {g for g, part in zip(groups, p) if part == TEST}
        assert len(held) == 3 and all(p[i] == TEST for i, g in enumerate(groups) if g in held)
    assert np.sum([p == TEST for p in parts], axis=0).tolist() == [1] * 240
    with pytest.raises(DataError, match="only 12 speakers, machines or other subjects to hold out, too few for 13 parts"):
        check_folds(groups, 13)


@pytest.mark.parametrize("bad", ["0/5", "6/5", "1/1", "1/21", "two", "1-5"])
def test_a_fold_is_written_k_of_k(bad):
    with pytest.raises(DataError, match="is not a fold: write it as k/K"):
        parse_fold(bad)
    assert parse_fold(" 2 / 5 ") == (2, 5)


def test_a_fold_is_the_same_import_split_another_way(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    table = make_table_csv(tmp_path / "t.csv", n=120)
    whole = open_dataset(table)
    folds = [open_dataset(table, options=ImportOptions(fold=f"{k}/3")) for k in (1, 2, 3)]
    assert all(np.array_equal(f.x, whole.x) and f.meta["fold"] == f"{k}/3" for k, f in zip((1, 2, 3), folds))
    assert sorted(s for f in folds for s, p in zip(f.sources, f.splits) if p == TEST) == sorted(whole.sources)


@pytest.fixture(scope="module")
def crossvalidated(tmp_path_factory):
    from edgeling.core.training.crossval import crossval_run

    base = tmp_path_factory.mktemp("crossval")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(base / "cache"))
        table = make_table_csv(base / "t.csv", n=150)
        result = crossval_run(table, base / "cv", folds=3, epochs=3, zoo=ZOO, threads=1, device="this-computer")
        yield base, table, result


def test_the_pooled_results_test_every_sample_once(crossvalidated):
    from edgeling.core.training.crossval import CROSSVAL_FILE

    base, table, result = crossvalidated
    m = result["metrics"]
    assert result["status"] == "finished" and m["split"] == "cross-validation" and m["folds"] == 3
    assert m["num_samples"] == 150 and sum(map(sum, m["confusion_matrix"])) == 150
    assert sum(f["num_samples"] for f in m["per_fold"]) == 150
    right = sum(m["confusion_matrix"][i][i] for i in range(3))
    assert m["accuracy"] == pytest.approx(right / 150)
    assert json.loads((base / "cv" / CROSSVAL_FILE).read_text()) == json.loads(json.dumps(m))
    md = (base / "cv" / "results" / "results.md").read_text(encoding="utf-8")
    assert md.startswith("# Cross-validation (3 parts, each tested once) of ")   # the app's word, not "folds"
    assert "Measured by cross-validation: the data was cut into 3 parts" in md
    assert f"The 3 models' own accuracies: {m['fold_accuracy']['mean']:.1%} on average" in md
    assert (base / "cv" / "results" / "confusion_matrix.svg").is_file()
    # no ROC AUC over the pooled answers (each model scores on its own scale), but each model's own, in spread
    aucs = [f["roc_auc"] for f in m["per_fold"]]
    assert m["roc_auc"] is None and len(aucs) == 3 and all(0 <= a <= 1 for a in aucs)
    assert m["fold_roc_auc"]["mean"] == pytest.approx(np.mean(aucs))
    assert m["fold_roc_auc"]["std"] == pytest.approx(np.std(aucs, ddof=1))
    assert (f"| ROC AUC, each model on its own part (mean ± sd of the 3) | {np.mean(aucs):.3f} ± "
            f"{np.std(aucs, ddof=1):.3f} |") in md


def test_each_fold_is_an_ordinary_run_that_evaluates_on_its_own_part(crossvalidated):
    from edgeling.core.training.evaluate import evaluate_run

    base, _, result = crossvalidated
    second = result["metrics"]["per_fold"][1]
    again = evaluate_run(base / "cv" / "fold-2", write=False)
    assert again["accuracy"] == pytest.approx(second["accuracy"]) and again["num_samples"] == second["num_samples"]


def test_crossval_command_and_its_limits(crossvalidated, capsys):
    from edgeling.core.cli import main

    base, table, _ = crossvalidated
    assert main(["crossval", str(table), "--device", "this-computer", "--folds", "1", "--out",
                 str(base / "x"), "--json"]) == 2
    assert "--parts 1: choose from 2 to 20 parts." in json.loads(capsys.readouterr().out)["error"]["message"]
    # the same folder again: every fold is already trained, the pooled results are said again
    assert main(["crossval", str(table), "--device", "this-computer", "--parts", "3", "--epochs", "3", "--out",
                 str(base / "cv"), "--json"]) == 0         # --parts, the app's word (--folds is the same)
    said = capsys.readouterr()
    assert "Cross-validation, 3 parts: accuracy" in said.err and "over all 150 samples" in said.err
    assert "than always answering '" in said.err          # the verdict, as train and evaluate give it
    assert json.loads(said.out)["metrics"]["num_samples"] == 150


def _said_range(metrics: dict) -> list[int]:
    """The 95% range the results' sentence gives, in whole percent."""
    from edgeling.core.results_words import accuracy_range_sentence

    return [int(v) for v in re.findall(r"between (\d+)% and (\d+)%", accuracy_range_sentence(metrics))[0]]


def test_speakers_held_out_by_every_fold_are_each_scored(tmp_path, monkeypatch):
    from edgeling.core.results_files import markdown
    from edgeling.core.training.crossval import crossval_run

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    for k, word in enumerate(["oui", "non"]):
        (tmp_path / "clips" / word).mkdir(parents=True)
        for child in range(20):
            for take in range(2):
                clip = np.sin(2 * np.pi * (300 + 400 * k + 7 * child) * np.arange(800) / 16000) * (0.2 + 0.01 * take)
                sf.write(tmp_path / "clips" / word / f"kid{child:02d}_take{take}.wav", clip, 16000)
    result = crossval_run(tmp_path / "clips", tmp_path / "cv", folds=4, epochs=1, zoo=ZOO, threads=1)
    m = result["metrics"]
    assert sorted(m["subjects"]["test"]) == [f"kid{c:02d}" for c in range(20)]
    assert sum(d["samples"] for d in m["subjects"]["right"].values()) == 80 == m["num_samples"]
    text = markdown(m)
    assert "each of the 20 was tested by a model that never heard them in training" in text
    assert "Right answers for each of them: from " in text and "(each one in results.md and per_speaker.csv)" in text
    table = text.split("## Each speaker (or machine)", 1)[1].split("\n## ", 1)[0]
    assert table.count("| kid") == 20
    rows = (tmp_path / "cv" / "results" / "per_speaker.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "speaker,right,samples,share_right" and len(rows) == 21
    assert _said_range(m) == [round(100 * v) for v in m["accuracy_range"]]   # --json as the text counts


def test_a_few_pumps_are_each_tested_whole_and_scored_in_the_pooled_results(tmp_path, monkeypatch):
    """The pump walk: five pumps, cross-validated in five parts, one pump each; the pooled results say how each
    pump did (per_machine.csv: the pump walk got per_speaker.csv), as for the children."""
    from edgeling.core.training.crossval import crossval_run
    from tests.core.test_subjects import write_pumps

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    root = write_pumps(tmp_path / "pumps")
    result = crossval_run(root, tmp_path / "cv", folds=5, epochs=1, zoo=ZOO, threads=1)
    m = result["metrics"]
    assert [f["num_samples"] for f in m["per_fold"]] == [m["num_samples"] // 5] * 5     # a pump each
    assert sorted(m["subjects"]["test"]) == [f"pump{p}" for p in range(5)]
    assert sum(d["samples"] for d in m["subjects"]["right"].values()) == m["num_samples"]
    from edgeling.core.training.crossval import fold_words

    first = m["per_fold"][0]            # each fold says how it did as it ends
    assert fold_words(1, 5, {**first, "subjects": {"test": ["pump3"]}}) == (
        f"Part 1 of 5: accuracy {first['accuracy']:.1%} on its {first['num_samples']} samples (pump3).")
    log = (tmp_path / "cv" / "fold-2" / "train.log").read_text(encoding="utf-8")
    second = m["per_fold"][1]
    pump = json.loads((tmp_path / "cv" / "fold-2" / "metrics.json").read_text())["subjects"]["test"][0]
    assert f"Part 2 of 5: accuracy {second['accuracy']:.1%} on its {second['num_samples']} samples ({pump})." in log
    rows = (tmp_path / "cv" / "results" / "per_machine.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 6 and rows[0].startswith("machine,right") and rows[1].startswith("pump")
    md = (tmp_path / "cv" / "results" / "results.md").read_text(encoding="utf-8")      # machines, not speakers
    assert "Each machine's (or person's) files were kept together" in md and "never met them in training" in md
    assert "speaker" not in md.split("## Per class")[0]
    assert _said_range(m) == [round(100 * v) for v in m["accuracy_range"]]   # --json as the text counts


def test_the_folds_train_the_network_train_picks_not_one_sized_on_a_fold(tmp_path, monkeypatch):
    """The speech walk: without --arch, the cross-validation's network was sized on fold 1's training part
    (ds_cnn width 96) while 'train' sized hers on the training split (audio_cnn width 24); the published
    numbers described a model she did not export, and nothing said so. The plan caps the parameters by the
    training samples: here 600 columns, 480 training rows (width 64) against 240 in a fold of two (width 32)."""
    from edgeling.core.data.dataset import TRAIN
    from edgeling.core.jobs.context import JobContext
    from edgeling.core.training import setup
    from edgeling.core.training.crossval import crossval_run

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 600))
    lines = [",".join([f"f{i}" for i in range(600)] + ["label"])]
    lines += [",".join(f"{v:.2f}" for v in row) + f",{'ab'[int(row[0] + row[1] > 0)]}" for row in x]
    (tmp_path / "wide.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ctx = JobContext(emit=lambda e: None)

    def pick(fold):
        ds = setup.open_data({"data": str(tmp_path / "wide.csv"), "import_options": {"fold": fold} if fold else {}})
        zoo = setup.zoo_module(None)
        return setup.choose_arch(zoo, zoo.InputSpec.from_dataset(ds), "esp32-s3", ds.x, ds.indices(TRAIN), ctx)[:2]

    trained, in_a_fold = pick(None), pick("1/2")
    assert trained[1]["width"] != in_a_fold[1]["width"]          # the data is one where it matters
    crossval_run(tmp_path / "wide.csv", tmp_path / "cv", folds=2, epochs=1, threads=1, device="esp32-s3")
    from edgeling.core import runs

    for k in (1, 2):
        config = runs.load_run(tmp_path / "cv" / f"fold-{k}").config
        assert (config["arch"], config["knobs"]["width"]) == (trained[0], trained[1]["width"])
        assert config["arch_reason"] != "chosen by you" and trained[0] in config["arch_reason"]
