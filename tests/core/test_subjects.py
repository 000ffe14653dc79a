"""Speakers (or machines) read from file names keep their files in one split; names that are not a subject
(a class name, a camera's IMG_) change nothing."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import soundfile as sf

from edgeling.core.data import report as R
from edgeling.core.data.dataset import TEST, TRAIN, VAL
from edgeling.core.data.load import open_dataset
from edgeling.core.data.splits import assign_splits
from edgeling.core.data.subjects import assign_subject_splits, detect_subjects, merge_groups, subject_of


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))


def names(pattern: str, subjects: int, classes=("yes", "no", "up"), takes: int = 2):
    sources, y = [], []
    for k, c in enumerate(classes):
        for s in range(subjects):
            for t in range(takes):
                sources.append(f"{c}/" + pattern.format(c=c, s=s, t=t))
                y.append(k)
    return sources, np.array(y)


@pytest.mark.parametrize("stem,subject", [("child07_2", "child07"), ("0a7c2a8d_nohash_3", "0a7c2a8d"),
                                          ("12345678_nohash_0", "12345678"), ("Pump3-01", "pump3"),
                                          ("leaf 12", "leaf"), ("0003", None), ("take2", None),
                                          ("2024-01-01", None), ("20240101_1", None), ("IMG_0001", None),
                                          ("DSC_0042", None), ("pump3_cls_01", "pump3"), ("cls-pump3-2", "pump3"),
                                          # a word for the take before its number (the speech and pump walks)
                                          ("child07_take2", "child07"), ("pump3_rec01", "pump3"),
                                          ("Anna-Trial 3", "anna"), ("pump3_cls_run-4", "pump3"),
                                          ("rec_01", None), ("REC01", None), ("take_2", None),
                                          ("pump3_retake2", None), ("Kind07_Aufnahme2", "kind07"),
                                          ("enfant07-prise 2", "enfant07"),
                                          # a date (and time) after the machine is when, not who (pump walk)
                                          ("pump3_2026-03-01_rec02", "pump3"), ("pump3_20260301_02", "pump3"),
                                          ("pump3_20260301_093000_rec2", "pump3"), ("pump3-01.03.2026-2", "pump3"),
                                          ("pump3_2026-03-01_09-30_rec2", "pump3"), ("pump3_2026_2", "pump3_2026"),
                                          ("2026-03-01_rec2", None),
                                          # the number after a '_' is the machine's, the date still goes
                                          # (the regression walk: 'pump_3_2026_03_01' per file)
                                          ("pump_3_2026-03-01_rec02", "pump_3"),
                                          ("child_07_2024-01-05_3", "child_07"),
                                          ("spk_19_01_2024-01-05_3", "spk_19_01")])
def test_subject_of_a_name(stem, subject):
    assert subject_of(f"cls/{stem}.wav#t=0.00-1.00") == subject


def test_the_class_folders_name_is_not_part_of_the_subject():
    assert subject_of("loose_mount/pump3_loose_mount_01.csv") == "pump3"
    assert subject_of("normal/pump3_normal-02.csv#t=1.00") == "pump3"


def test_speakers_across_classes_are_found_but_class_names_and_camera_names_are_not():
    assert detect_subjects(*names("child{s:02d}_{t}.wav", 30)) is not None
    assert detect_subjects(*names("{c}_{s:03d}{t}.wav", 30)) is None          # yes/yes_0011.wav: the class
    assert detect_subjects(*names("IMG_{s:02d}{t}.jpg", 30)) is None          # one start for every file
    assert detect_subjects(*names("child{s:02d}_{t}.wav", 8)) is None         # too few to hold some out
    assert detect_subjects(*names("{c}{s:02d}_{t}.wav", 30)) is None         # each start in one class only


def test_a_copy_under_two_speakers_joins_them_and_splits_are_exact_and_stable():
    groups = ["h1", "h2", "h3", "h2"]                      # h2: the same clip filed under two speakers
    subjects = ["anna", "anna", "ben", "carl"]
    merged = merge_groups(groups, subjects)
    assert merged[0] == merged[1] == merged[3] == "subject:anna" and merged[2] == "subject:ben"

    sources, y = names("child{s:02d}_{t}.wav", 40)
    subjects = detect_subjects(sources, y)
    groups = merge_groups([f"hash{i}" for i in range(len(sources))], subjects)
    splits = assign_subject_splits(groups)
    per_subject = {}
    for s, part in zip(subjects, splits):
        per_subject.setdefault(s, set()).add(int(part))
    assert all(len(parts) == 1 for parts in per_subject.values())  # no speaker in two splits
    counts = {part: sum(p == {part} for p in per_subject.values()) for part in (TRAIN, VAL, TEST)}
    assert counts == {TRAIN: 32, VAL: 4, TEST: 4}

    more_sources, more_y = names("child{s:02d}_{t}.wav", 41)  # one more speaker
    more = assign_subject_splits(merge_groups([f"hash{i}" for i in range(len(more_sources))],
                                              detect_subjects(more_sources, more_y)))
    before = dict(zip(sources, splits))
    moved = {subject_of(s) for s, part in zip(more_sources, more) if s in before and before[s] != part}
    assert len(moved) <= 2


def word_clips(root, name: str, words=("oui", "non", "stop"), children: int = 24, takes: int = 2) -> None:
    """A folder per word of short tones, one per child and take, named by ``name`` (``{child}``, ``{word}``,
    ``{take}``); each word its own pitch, a little noise."""
    rng = np.random.default_rng(0)
    for k, word in enumerate(words):
        (root / word).mkdir()
        for child in range(children):
            for take in range(takes):
                clip = 0.3 * np.sin(2 * np.pi * (300 + 200 * k) * np.arange(1600) / 16000) + 0.01 * rng.normal(size=1600)
                sf.write(root / word / name.format(child=child, word=word, take=take), clip, 16000)


def test_importing_clips_named_by_child_holds_whole_children_out(tmp_path):
    word_clips(tmp_path, "enfant{child:02d}_{take}.wav", takes=4)
    ds = open_dataset(tmp_path)
    problem = ds.report.by_code(R.GROUPED_BY_NAME)[0]
    assert problem.severity == "info" and "24 in all" in problem.message
    assert problem.total == 24      # the 2 test children's files, all counted (the list had been cut at 20)
    by_child = {}
    for source, part in zip(ds.sources, ds.splits):
        by_child.setdefault(source.split("/")[1].split("_")[0], set()).add(int(part))
    assert all(len(parts) == 1 for parts in by_child.values())
    assert sum(parts == {TEST} for parts in by_child.values()) == 2  # round(10% of 24)
    # per-file splitting would have put most children in two or three splits at once
    per_file = assign_splits([f"{s}" for s in ds.sources])
    spread = {}
    for source, part in zip(ds.sources, per_file):
        spread.setdefault(source.split("/")[1].split("_")[0], set()).add(int(part))
    assert sum(len(parts) > 1 for parts in spread.values()) > 5


def test_a_file_without_a_take_number_joins_the_speaker_its_name_starts_with(tmp_path):
    """The speech walk: 'child05_oui_8k.wav' (no number at the end) kept a per-file split, so cross-validation
    tested it with a model trained on child05's other clips while saying every child was held out; and
    'Léa 3 – oui.wav', which names no known child, went unsaid."""
    from edgeling.core.data.subjects import claimed_by_start
    from edgeling.core.results_words import subjects_sentence

    sources = ["oui/child05_oui_1.wav", "oui/child05_oui_8k.wav", "non/child05_non_2.wav", "oui/child050_x.wav",
               "oui/child05-extra.wav", "oui/Léa 3 – oui.wav"]
    assert claimed_by_start([subject_of(s) for s in sources], sources) == [
        "child05", "child05", "child05", None, "child05", None]
    word_clips(tmp_path, "child{child:02d}_{word}_{take}.wav")
    sf.write(tmp_path / "oui" / "child05_oui_8k.wav", 0.3 * np.sin(np.arange(800) / 3), 8000)
    sf.write(tmp_path / "oui" / "Léa 3 – oui.wav", 0.3 * np.sin(np.arange(1600) / 4), 16000)
    ds = open_dataset(tmp_path)
    parts = {s: int(p) for s, p in zip(ds.sources, ds.splits)}
    assert parts["oui/child05_oui_8k.wav"] == parts["oui/child05_oui_0.wav"] == parts["non/child05_non_1.wav"]
    unnamed = ds.report.by_code(R.UNNAMED_SUBJECT)[0]
    assert unnamed.files == ["oui/Léa 3 – oui.wav"] and unnamed.severity == "warning"
    assert "1 file does not start with any of those names (oui/Léa 3 – oui.wav), so it was split one by one" \
        in unnamed.message and "speaker" in unnamed.message and "child07_yes_3.wav" in unnamed.advice
    assert ds.meta["subjects"]["unnamed"] == 1
    said = subjects_sentence({"subjects": {**ds.meta["subjects"], "who": "speaker"}, "split": "test"})
    assert said.endswith("Not so for 1 file whose name does not say whose it is: it was split one by one.")


def test_clips_in_one_folder_labelled_by_a_sheet_keep_each_child_together(tmp_path):
    """The regression walk: clips/child01_aide_1.wav labelled by a sheet kept the word in the subject
    ('child01_aide'), so no child was found in several classes: split one by one, 29 of 33 children in two
    splits. Their first words name the children."""
    from edgeling.core.data.subjects import subject_among
    from edgeling.core.training.metrics import per_subject_right

    rng = np.random.default_rng(0)
    rows = ["file,word"]
    for k, word in enumerate(["aide", "encore", "stop"]):
        for child in range(24):
            for take in range(2):
                clip = 0.3 * np.sin(2 * np.pi * (300 + 200 * k) * np.arange(1600) / 16000) + 0.01 * rng.normal(size=1600)
                name = f"clips/child{child:02d}_{word}_{take}.wav"
                (tmp_path / "clips").mkdir(exist_ok=True)
                sf.write(tmp_path / name, clip, 16000)
                rows.append(f"{name},{word}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    ds = open_dataset(tmp_path)
    assert ds.meta["labels_from"] == "labels.csv" and ds.report.by_code(R.GROUPED_BY_NAME)
    assert ds.meta["subjects"]["count"] == 24 and not ds.report.by_code(R.NO_SUBJECTS_IN_NAMES)
    parts: dict = {}
    for source, part in zip(ds.sources, ds.splits):
        parts.setdefault(source.split("/")[1].split("_")[0], set()).add(int(part))
    assert all(len(p) == 1 for p in parts.values()) and sum(p == {TEST} for p in parts.values()) == 2
    assert subject_among("clips/child03_stop_1.wav", {"child03", "child30"}) == "child03"
    right = per_subject_right(["clips/child03_stop_1.wav", "clips/child03_aide_0.wav"], [True, False], ["child03"])
    assert right == {"child03": {"samples": 2, "right": 1}}


def test_the_results_say_that_whole_speakers_were_held_out(tmp_path):
    from edgeling.core.jobs.train_job import train_run
    from edgeling.core.results_files import markdown
    from edgeling.core.training.evaluate import evaluate_run
    from tests.core.training_fixtures import ZOO

    for k, word in enumerate(["oui", "non"]):
        (tmp_path / "clips" / word).mkdir(parents=True)
        for child in range(20):
            for take in range(2):
                clip = np.sin(2 * np.pi * (300 + 400 * k) * np.arange(800) / 16000) * (0.2 + 0.01 * take)
                sf.write(tmp_path / "clips" / word / f"kid{child:02d}-{take}.wav", clip, 16000)
    same = open_dataset(tmp_path / "clips")  # the same two clips from every child: copies join them all
    assert not same.report.by_code(R.GROUPED_BY_NAME) and "subjects" not in same.meta
    assert not same.report.by_code(R.NO_SUBJECTS_IN_NAMES)          # the names do say who
    for k, word in enumerate(["oui", "non"]):
        for child in range(20):
            for take in range(2):
                clip = np.sin(2 * np.pi * (300 + 400 * k + 7 * child) * np.arange(800) / 16000) * (0.2 + 0.01 * take)
                sf.write(tmp_path / "clips" / word / f"kid{child:02d}-{take}.wav", clip, 16000)
    assert train_run(tmp_path / "clips", tmp_path / "run", epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
    metrics = evaluate_run(tmp_path / "run")
    assert metrics["subjects"]["count"] == 20 and len(metrics["subjects"]["test"]) == 2
    text = markdown(metrics)
    assert "the 2 of 20 in the test split" in text and metrics["subjects"]["test"][0] in text
    right = metrics["subjects"]["right"]           # how each held-out child did, from the predictions
    assert sorted(right) == sorted(metrics["subjects"]["test"])
    assert sum(d["samples"] for d in right.values()) == metrics["num_samples"]
    assert sum(d["right"] for d in right.values()) == round(metrics["accuracy"] * metrics["num_samples"])
    name, d = sorted(right.items())[0]
    assert f"Right answers for each of them: {name} {d['right'] / d['samples']:.0%} ({d['right']} of {d['samples']})" in text
    from tests.core.test_crossval import _said_range

    assert _said_range(metrics) == [round(100 * v) for v in metrics["accuracy_range"]]   # --json as the text


def test_the_accuracy_range_counts_one_speakers_clips_as_alike():
    """The speech walk: 72 test clips from 4 children were given the range of 72 independent clips."""
    from edgeling.core.results_words import accuracy_range_sentence
    from edgeling.core.training.metrics import clustered_samples

    alike = {f"child{i}": {"samples": 18, "right": 15} for i in range(4)}            # they all did the same
    apart = {"child1": {"samples": 18, "right": 18}, "child2": {"samples": 18, "right": 17},
             "child3": {"samples": 18, "right": 9}, "child4": {"samples": 18, "right": 16}}
    assert clustered_samples(alike) == 72
    assert 4 <= clustered_samples(apart) < 30
    assert clustered_samples({"a": {"samples": 18, "right": 18}, "b": {"samples": 18, "right": 0}}) < 3
    base = {"accuracy": 60 / 72, "num_samples": 72}
    plain = accuracy_range_sentence(base)
    held = accuracy_range_sentence({**base, "subjects": {"count": 40, "test": sorted(apart), "right": apart}})
    assert plain.startswith("72 samples measure the accuracy only roughly")
    assert held.startswith("72 samples from 4 speakers (or machines) measure the accuracy only roughly")
    assert "independent samples: one speaker's samples are alike" in held

    def width(text):
        lo, hi = (float(v) for v in re.findall(r"between (\d+)% and (\d+)%", text)[0])
        return hi - lo
    assert width(held) > width(plain) + 5


def test_a_test_of_a_few_speakers_says_it_cannot_tell_how_a_new_one_does():
    """The second speech walk: 36 clips of 3 children, all right, were "likely between 90% and 100%": the range
    counted 36 chances, as clustering cannot tell how alike one child's clips are when every answer is right."""
    from edgeling.core.results_words import accuracy_range_sentence

    three = {f"child{i}": {"samples": 12, "right": 12} for i in (16, 23, 26)}
    said = accuracy_range_sentence({"accuracy": 1.0, "num_samples": 36, "split": "test",
                                    "subjects": {"count": 30, "test": sorted(three), "right": three, "who": "speaker"}})
    assert ("But the test holds only 3 speakers (child16, child23, child26), and a new speaker can do much better "
            "or worse than these did") in said
    assert said.count("cross-validation") == 1 and "Check every sample" in said
    many = {f"child{i}": {"samples": 12, "right": 12} for i in range(6)}
    assert "But the test holds only" not in accuracy_range_sentence(
        {"accuracy": 1.0, "num_samples": 72, "split": "test", "subjects": {"right": many, "who": "speaker"}})


def test_each_word_s_recall_range_counts_one_speakers_clips_as_alike_too():
    """The speech walk: the overall sentence counted 72 clips from 4 children as about 31, but each word's range
    ("76% to 100%" for 12 of 12) still counted its 12 clips as 12 independent tries."""
    from edgeling.core.results_files import independent_share, markdown, recall_range

    apart = {"child1": {"samples": 18, "right": 18}, "child2": {"samples": 18, "right": 17},
             "child3": {"samples": 18, "right": 9}, "child4": {"samples": 18, "right": 16}}
    per_class = {"go": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 12},
                 "up": {"precision": 0.8, "recall": 0.5, "f1": 0.6, "support": 12}}
    plain = {"task": "classification", "accuracy": 60 / 72, "num_samples": 72, "per_class": per_class}
    held = {**plain, "subjects": {"count": 40, "test": sorted(apart), "who": "speaker", "right": apart}}
    assert independent_share(plain) == 1.0 and independent_share(held) < 0.5
    (lo_plain, _), (lo_held, _) = recall_range(per_class["go"]), recall_range(per_class["go"], independent_share(held))
    assert lo_held < lo_plain - 0.1
    row = next(line for line in markdown(held).splitlines() if line.startswith("| go |"))
    assert f"{lo_held:.0%} to 100%" in row


def test_recordings_of_a_few_pumps_are_split_per_file_and_the_report_says_what_that_means(tmp_path):
    from edgeling.core.data.subjects import few_subjects
    from edgeling.core.resources import samples_dir

    assert few_subjects(*names("pump{s}-{t:02d}.csv", 6)) == [f"pump{s}" for s in range(6)]
    uneven, y = names("pump{s}-{t:02d}.csv", 4, takes=2)
    more = [f"yes/pump0-{t:02d}.csv" for t in range(10, 13)]        # one pump recorded more often
    assert few_subjects(uneven + more, np.concatenate([y, np.zeros(3, int)])) == ["pump0", "pump1", "pump2", "pump3"]
    assert few_subjects(*names("2024-0{s}-{t:02d}.csv", 6)) == []      # dates
    assert few_subjects(*names("pump{s}-{t:02d}.csv", 30)) == []        # enough: whole ones are held out
    assert few_subjects(*names("{c}_{s:02d}.csv", 6)) == []            # the start is the class
    rng = np.random.default_rng(1)
    for k, state in enumerate(["normal", "cavitation", "loose_mount"]):
        (tmp_path / state).mkdir()
        for pump in range(6):
            for take in range(2):
                t = np.arange(300) / 100
                xyz = np.stack([np.sin(2 * np.pi * (3 + 4 * k) * t + p) for p in range(3)], 1)
                rows = ["t,x,y,z"] + [f"{ti:.2f},{a:.4f},{b:.4f},{c:.4f}" for ti, (a, b, c) in
                                      zip(t, xyz + 0.05 * rng.normal(size=xyz.shape))]
                (tmp_path / state / f"pump{pump}-{take:02d}.csv").write_text("\n".join(rows) + "\n")
    ds = open_dataset(tmp_path)
    problem = ds.report.by_code(R.FEW_SUBJECTS)[0]
    assert problem.severity == "info" and "pump0, pump1" in problem.message and "6 in all" in problem.message
    assert "measured on machines the model also learnt from" in problem.message   # not "speakers", to a pump user
    assert "Test on other files" in problem.advice and "subjects" not in ds.meta
    assert "use \"Check every sample\" on the Evaluate page (in a terminal: edgeling crossval): its parts" \
        in problem.advice
    assert "(in a terminal: edgeling evaluate RUN --on FOLDER)." in problem.advice
    assert ds.meta["few_subjects"] == [f"pump{p}" for p in range(6)]
    assert not open_dataset(samples_dir() / "pump").report.by_code(R.FEW_SUBJECTS)  # cavitation_01: the class


def test_clips_whose_names_say_nobody_are_said_with_how_to_name_them(tmp_path):
    """The speech walk: 'take1.wav' in a folder per word says nothing of the child; the split is per file, and
    the researcher is told so and how to name the files. Pictures are not (a leaf is no speaker)."""
    rng = np.random.default_rng(0)
    for k, word in enumerate(["ja", "nein"]):
        (tmp_path / word).mkdir()
        for n in range(15):
            clip = 0.3 * np.sin(2 * np.pi * (300 + 200 * k) * np.arange(1600) / 16000) + 0.01 * rng.normal(size=1600)
            sf.write(tmp_path / word / f"{word}-Aufnahme {n:02d}.wav", clip, 16000)
    (said,) = open_dataset(tmp_path).report.by_code(R.NO_SUBJECTS_IN_NAMES)
    assert said.severity == "info" and "do not say who is speaking" in said.message
    assert "child07_2.wav" in said.advice
    assert not open_dataset(tmp_path).report.by_code(R.GROUPED_BY_NAME)


def write_pumps(root, pumps: int = 5, takes: int = 2, name="pump{p}_2026-03-{d:02d}_rec{t:02d}.csv"):
    rng = np.random.default_rng(1)
    for k, state in enumerate(["normal", "cavitation", "loose_mount"]):
        (root / state).mkdir(parents=True)
        for pump in range(pumps):
            for take in range(takes):
                t = np.arange(300) / 100
                xyz = np.stack([np.sin(2 * np.pi * (3 + 4 * k) * t + p) for p in range(3)], 1)
                rows = ["t,x,y,z"] + [f"{ti:.2f},{a:.4f},{b:.4f},{c:.4f}" for ti, (a, b, c) in
                                      zip(t, xyz + 0.05 * rng.normal(size=xyz.shape))]
                (root / state / name.format(p=pump, d=1 + 3 * take + k, t=take + 1)).write_text("\n".join(rows) + "\n")
    return root


def test_cross_validation_on_a_few_pumps_tests_each_pump_with_a_model_that_never_met_it(tmp_path):
    """The pump walk: with 5 pumps (too few to hold whole ones out of the one test split) the folds mixed
    recordings of every pump, so nothing answered 'how does it do on a new pump'. Each fold now tests on
    whole pumps (5 folds: one each), and validates on files of the pumps it trains on."""
    from edgeling.core.data.dataset import DataError
    from edgeling.core.data.load import ImportOptions
    from edgeling.core.data.subjects import file_of

    root = write_pumps(tmp_path / "d")
    ds = open_dataset(root)
    assert ds.meta["few_subjects"] == [f"pump{p}" for p in range(5)]   # the dates in the names are not pumps
    tested = []
    for k in range(1, 6):
        fold = open_dataset(root, options=ImportOptions(fold=f"{k}/5"))
        pumps = {split: {subject_of(s) for s, part in zip(fold.sources, fold.splits.tolist()) if part == split}
                 for split in (TRAIN, VAL, TEST)}
        assert len(pumps[TEST]) == 1 and not pumps[TEST] & (pumps[TRAIN] | pumps[VAL])   # one whole pump
        assert fold.meta["subjects"] == {"count": 5, "test": sorted(pumps[TEST])}
        assert pumps[TRAIN] == pumps[VAL] | pumps[TRAIN] and len(pumps[TRAIN]) == 4     # the other four learn
        val = {file_of(s) for s, part in zip(fold.sources, fold.splits.tolist()) if part == VAL}
        assert len(val) == 3 and {f.split("/")[0] for f in val} == {"normal", "cavitation", "loose_mount"}
        tested += sorted(pumps[TEST])
    assert sorted(tested) == [f"pump{p}" for p in range(5)]
    with pytest.raises(DataError, match="only 5 speakers, machines or other subjects to hold out, too few for 6 parts: choose at most 5 parts"):
        open_dataset(root, options=ImportOptions(fold="1/6"))


def test_the_test_caveat_is_the_finding_s_own_words_for_the_kind_of_data():
    from edgeling.core.data.subject_findings import test_caveat

    few = [{"code": R.FEW_SUBJECTS, "message": "..."}]
    assert test_caveat(few, "timeseries") == ("The test score is measured on machines the model also learnt from, "
                                              "and one it never met may score lower.")
    assert test_caveat(few, "audio").startswith("The test score is measured on speakers")
    assert test_caveat([{"code": R.NO_SUBJECTS_IN_NAMES}], "audio").startswith("The test may hold clips of the same")
    assert test_caveat([{"code": R.DUPLICATE}], "audio") == "" and test_caveat([], "") == ""


def test_the_train_summary_says_when_few_speakers_measured_it(tmp_path, capsys, monkeypatch):
    """The regression walk: train said "on new files likely 16% to 44%" where evaluate adds that 3 speakers
    cannot say how a new one does."""
    from edgeling.core.cli import main

    monkeypatch.setenv("EDGELING_THREADS", "1")
    for k, word in enumerate(["oui", "non"]):
        (tmp_path / "clips" / word).mkdir(parents=True)
        for child in range(20):
            for take in range(2):
                clip = np.sin(2 * np.pi * (300 + 400 * k + 7 * child) * np.arange(800) / 16000) * (0.2 + 0.01 * take)
                sf.write(tmp_path / "clips" / word / f"kid{child:02d}-{take}.wav", clip, 16000)
    assert main(["train", str(tmp_path / "clips"), "--device", "raspberry-pi-4", "--arch", "audio_cnn",
                 "--epochs", "1", "--out", str(tmp_path / "run")]) == 0
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert re.search(r"on new files likely \d+% to \d+%, measured on only 2 speakers\)", last), last


def test_train_and_the_results_say_the_test_holds_the_pumps_training_learnt_from(tmp_path, capsys, monkeypatch):
    """The pump walk: with 5 pumps split file by file, train's last line gave "test accuracy 100.0%, on new files
    likely 76% to 100%" (the note saying so was cut from the summary), and results.md said only that the model
    never saw the test samples."""
    from edgeling.core.cli import main
    from edgeling.core.results_words import measured_on

    monkeypatch.setenv("EDGELING_THREADS", "1")
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    write_pumps(tmp_path / "pumps", pumps=5, takes=4)
    assert main(["train", str(tmp_path / "pumps"), "--device", "arduino-nano-33-ble-sense", "--epochs", "1",
                 "--out", str(tmp_path / "run"), "--json"]) == 0
    trained = capsys.readouterr()
    last = next(line for line in reversed(trained.err.strip().splitlines()) if line.startswith("Trained in "))
    assert trained.err.strip().splitlines()[-1].startswith("Whole recordings: 6 of 6 right (100%)")   # each pump file
    assert re.search(r"on new files likely \d+% to \d+%, measured on machines it also learnt from\)", last), last
    assert "with noise added, as if the sensor read a little high or low." in trained.err    # a gain error
    assert " One input: a window of 2 s = 200 readings of x, y, z at 100 per second, a new window every 1 s." in trained.err
    said = json.loads(trained.out)["metrics"]      # --json as the text: the range, the baseline, the caveat
    low, high = said["accuracy_range"]
    assert f"on new files likely {low:.0%} to {high:.0%}" in last and said["same_subjects"]["of"] == 5
    assert said["majority_baseline"]["accuracy"] > 0
    assert main(["evaluate", str(tmp_path / "run"), "--json"]) == 0
    said = capsys.readouterr()
    metrics = json.loads(said.out)
    # the test split's 12 windows come from 6 recordings: of 3 of the 5 pumps here (the GUI walk: "the same 4" for 3)
    tested = json.loads((tmp_path / "run" / "predictions.json").read_text())["samples"]
    n = len({s["source"].split("/")[1].split("_")[0] for s in tested})
    assert metrics["same_subjects"] == {"count": n, "of": 5, "who": "machines"}
    same = "the same 5 machines" if n == 5 else f"{n} of the same 5 machines"
    assert (f"But the test holds files of {same} as training, so one the model never met may score lower. "
            "Use \"Check every sample\" on the Evaluate page (in a terminal: edgeling crossval): its parts hold whole "
            "ones out.") in said.err
    assert measured_on(metrics).endswith(f"But they come from {same} as the training samples (each "
                                         "one's files were split one by one), so one the model never met may score "
                                         "lower.")


def test_train_does_not_say_the_test_holds_training_speakers_when_the_names_only_may(tmp_path):
    """The regression walk: names that say nobody (the test *may* hold a speaker of training) made train's last
    line say "measured on speakers it also learnt from", which evaluate does not say."""
    from edgeling.core.commands.train import _same_subjects_words

    assert _same_subjects_words({"data_problems": [{"code": R.NO_SUBJECTS_IN_NAMES}], "run": str(tmp_path)}) == ""
    assert _same_subjects_words({"data_problems": [{"code": R.FEW_SUBJECTS}], "run": str(tmp_path)}) == \
        ", measured on speakers or machines it also learnt from"      # no run.json here: the kind is not known


def test_the_spread_of_many_speakers_names_each_end_with_its_counts():
    """The GUI walk: "from 0% (Child31) to 100% (1 of 32 at that)", both ends single clips, read as children who
    do better and worse."""
    from edgeling.core.results_words import subjects_sentence

    right = {f"kid{i:02d}": {"samples": 10, "right": 6} for i in range(10)}
    right.update(kid31={"samples": 1, "right": 0}, kid32={"samples": 1, "right": 1}, kid40={"samples": 12, "right": 12})
    said = subjects_sentence({"subjects": {"count": 13, "test": sorted(right), "who": "speaker", "right": right},
                              "split": "cross-validation"})
    assert ("Right answers for each of them: from 0% (kid31, 0 of 1) to 100% (kid40, 12 of 12; 1 more at that); "
            "the middle one 60%") in said


def test_speakers_whose_scores_hardly_differ_do_not_cut_the_count():
    """The GUI walk: "counted as about 348 independent samples: one speaker's samples are alike" for 349."""
    from edgeling.core.results_words import independent_samples

    rng = np.random.default_rng(0)       # 32 children, 5 to 15 clips each, scores 35% to 55%: worth about 322 of 338
    right = {}
    for i in range(32):
        n = int(rng.integers(5, 16))
        right[f"kid{i:02d}"] = {"samples": n, "right": int(rng.binomial(n, rng.uniform(0.35, 0.55)))}
    total = sum(d["samples"] for d in right.values())
    counted, what, why = independent_samples({"num_samples": total, "subjects": {"right": right, "who": "speaker"}})
    assert (counted, what, why) == (total, f"{total} samples", "")
    apart = {f"kid{i:02d}": {"samples": 10, "right": 10 if i % 2 else 0} for i in range(34)}
    counted, _, why = independent_samples({"num_samples": 340, "subjects": {"right": apart, "who": "speaker"}})
    assert counted < 100 and why.startswith(", counted as about")


def test_photos_of_a_few_plants_are_said_as_plants_people_or_places(tmp_path, monkeypatch):
    """The vineyard walk: her grape-leaf photos were said to be "measured on speakers or machines"."""
    from PIL import Image

    from edgeling.core.data.load import ImportOptions, open_dataset

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(0)
    for c, cls in enumerate(("healthy", "mildew")):
        (tmp_path / "leaves" / cls).mkdir(parents=True)
        for vine in range(5):
            for take in range(4):
                pixels = rng.integers(0, 90, (24, 24, 3)) + np.array([40 + 120 * c, 150, 40])
                Image.fromarray(pixels.astype(np.uint8)).save(tmp_path / "leaves" / cls / f"vine{vine}_{take}.png")
    ds = open_dataset(tmp_path / "leaves", None, ImportOptions())
    (few,) = ds.report.by_code(R.FEW_SUBJECTS)
    assert "plants, people or places the model also learnt from" in few.message
    assert "speakers" not in few.message and "machines" not in few.message


def test_a_name_ending_in_a_date_is_its_subject_and_names_with_a_word_after_join_theirs():
    """The beekeeper walk: 'hive05_2026-06-20.mp3' was the subject 'hive05_2026_06' (the day read as a take
    number), and 7 '..._phone.wav' of 61 files (no number at the end) left the names with no pattern, so a hive's
    recordings were split one by one."""
    from edgeling.core.data.subjects import (
        FEW_MAX_SUBJECT_SHARE,
        FEW_MIN_FILES,
        FEW_MIN_SUBJECTS,
        detect_subjects,
    )

    assert subject_of("queenless/hive05_2026-06-20.mp3") == "hive05"
    assert subject_of("x/child07_2.wav") == "child07" and subject_of("x/2024-01-01.wav") is None
    sources, y = [], []
    for hive in range(1, 8):
        for k, (c, day) in enumerate([(0, 14), (1, 21), (2, 28), (0, 5), (1, 12), (2, 19), (0, 26), (1, 2)]):
            phone = "_phone" if k == 0 else ""
            sources.append(f"c{c}/hive{hive:02d}_2026-06-{day:02d}_{1200 + k}{phone}.wav")
            y.append(c)
    found = detect_subjects(sources, np.array(y), FEW_MIN_FILES, FEW_MIN_SUBJECTS, FEW_MAX_SUBJECT_SHARE)
    assert found == [s.split("/")[1][:6] for s in sources]
