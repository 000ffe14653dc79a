"""The Train page's verdict says what its range was worked out on, as core does: '512 clips from 6 recordings',
not '512 test samples' (the review found the page kept its own copy of the old sentence)."""

from __future__ import annotations

from edgeling.gui.pages.train_words import finished_words


def test_the_verdict_names_the_clips_and_recordings_it_counted():
    metrics = {"accuracy": 0.859, "num_samples": 512, "recordings": 6, "kind": "audio", "per_class": {},
               "majority_baseline": {"class": "queenright", "accuracy": 0.566}, "accuracy_range": [0.46, 0.97]}
    said = finished_words(metrics)
    assert "measured on 512 clips from 6 recordings, it could really be as low as 46%" in said
