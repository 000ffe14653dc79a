"""Scores per whole recording beside the per-clip ones (the beekeeper walk: every number counted 1 s clips, while
predict answered each recording, by the mean of its clips' answers, and was right for all 6 test recordings)."""

from __future__ import annotations

import numpy as np

from edgeling.core.training.metrics import classification_metrics
from edgeling.core.training.recording_answers import whole_recordings, whole_recordings_sentence

NAMES = ["queenright", "swarming"]


def test_a_recording_is_answered_by_the_mean_of_its_clips():
    sources = [f"q/hive01.wav#t={t}.00-{t + 1}.00" for t in range(4)] + \
              [f"s/hive02.wav#t={t}.00-{t + 1}.00" for t in range(3)]
    y = [0, 0, 0, 0, 1, 1, 1]
    # hive01: 2 of 4 clips wrong, but the mean says queenright; hive02: 2 of 3 clips right, the mean says queenright
    probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.4, 0.6], [0.45, 0.55], [0.45, 0.55], [0.4, 0.6], [0.99, 0.01]])
    got = whole_recordings(y, probs, NAMES, sources)
    assert got["count"] == 2 and got["right"] == 1 and got["accuracy"] == 0.5
    assert got["wrong"] == [{"source": "s/hive02.wav", "true": "swarming", "predicted": "queenright",
                             "confidence": np.mean([0.45, 0.4, 0.99]), "clips": 3}]
    metrics = {**classification_metrics(y, probs, NAMES, sources), "kind": "audio"}
    assert metrics["per_recording"] == got and metrics["accuracy"] == 4 / 7
    assert whole_recordings_sentence(metrics) == (
        "Whole recordings: 1 of 2 right (50%), each answered as Try it and edgeling predict answer a recording, by "
        "the mean of its clips' answers (the numbers above count each clip). Wrong: hive02.wav (is swarming, said "
        "queenright).")


def test_samples_that_are_not_clips_of_recordings_get_no_such_numbers():
    probs = np.array([[0.9, 0.1], [0.2, 0.8]])
    assert whole_recordings([0, 1], probs, NAMES, ["a.wav", "b.wav"]) is None
    assert whole_recordings([0, 1], probs, NAMES, ["a.csv#t=0.00", "b.csv#t=0.00"]) is None   # one window each
    assert "per_recording" not in classification_metrics([0, 1], probs, NAMES, ["a.wav", "b.wav"])
    # a sensor file with a label column has no one answer to score (the review: '3 of 3 right' made up by
    # splitting it by the true labels, where predict said 'run (34%)'); whole files of one class still count
    mixed = [f"walk.csv#t={t}.00" for t in range(4)]
    assert whole_recordings([0, 0, 1, 1], np.array([[0.9, 0.1]] * 2 + [[0.1, 0.9]] * 2), NAMES, mixed) is None
    got = whole_recordings([0, 0, 1, 1, 1, 1], np.array([[0.9, 0.1]] * 2 + [[0.1, 0.9]] * 4), NAMES,
                           mixed + ["rest.csv#t=0.00", "rest.csv#t=1.00"])
    assert got["count"] == 1 and got["right"] == 1 and got["wrong"] == []


def test_the_card_keeps_the_counts_not_the_files_and_numbers_hives_as_sources():
    """The card goes with the model: the wrong recordings' names stay out of it (as every file name does); held-out
    hives are 'source 1', not 'hive, 1', and the confusion picture's caption says hives, not speakers (review)."""
    from edgeling.core.export.model_card import shareable_metrics
    from edgeling.core.results_files import picture_caption

    metrics = {"kind": "audio", "num_samples": 7, "split": "test",
               "per_recording": {"count": 2, "right": 1, "accuracy": 0.5,
                                 "wrong": [{"source": "s/hive02.wav", "true": "swarming", "predicted": "queenright"}]},
               "subjects": {"who": "source", "test": ["hive02", "hive09"],
                            "right": {"hive02": {"samples": 3, "right": 1}, "hive09": {"samples": 4, "right": 4}}}}
    card = shareable_metrics(metrics)
    assert card["per_recording"] == {"count": 2, "right": 1, "accuracy": 0.5}
    assert card["subjects"]["test"] == ["source 1", "source 2"] and "hive02" not in str(card)
    assert whole_recordings_sentence(card).endswith("(the numbers above count each clip).")
    assert "hives, machines or places" in picture_caption(metrics)


def test_the_verdict_says_its_range_comes_from_the_recordings_not_the_clips():
    """The re-walk: 'on 512 test samples its 85.9% could really be as low as 46%', a range worked out over 6
    recordings."""
    from edgeling.core.results_words import baseline_sentence

    metrics = {"accuracy": 0.859, "num_samples": 512, "recordings": 6, "kind": "audio", "per_class": {},
               "majority_baseline": {"class": "queenright", "accuracy": 0.566}, "accuracy_range": [0.46, 0.97]}
    assert ": on 512 clips from 6 recordings its 85.9% could really be as low as 46%" in baseline_sentence(metrics)


def test_recordings_are_called_by_their_names_plural():
    from edgeling.core.data.subject_findings import who_words

    def said(word):
        return who_words("audio", {"cut": "clips of each recording", "few_subjects": [f"{word}01", f"{word}02"]})
    assert [said(w) for w in ("hive", "colony", "box", "bench")] == ["hives", "colonies", "boxes", "benches"]
    assert who_words("audio", {"cut": "clips of each recording", "few_subjects": ["hive01", "box02"]}) == \
        "hives, machines or places"
