"""Cross-validation's time words rounded every time up to a minute: "About 1 minute: 5 trainings of 4 epochs,
each about 1 minute". Short ones say "under a minute" now."""

from __future__ import annotations

from edgeling.gui.pages import crossval_words
from edgeling.gui.pages.crossval_words import duration_words, time_sentence


def test_short_times_say_under_a_minute():
    assert duration_words(8) == "under a minute"
    assert duration_words(60) == "a minute"
    assert duration_words(150) == "2 minutes" or duration_words(150) == "3 minutes"
    assert duration_words(36 * 60) == "36 minutes"
    assert duration_words(3 * 3600) == "3.0 hours"


def test_the_sentence_for_short_trainings(monkeypatch):
    monkeypatch.setattr(crossval_words, "seconds_per_epoch", lambda _p: ("run-001", 2.0))
    said = time_sentence(None, 5, 4)      # 8 s each, 40 s in all
    assert said.startswith("Under a minute: 5 trainings of 4 epochs, as timed from run-001")   # not said twice
    monkeypatch.setattr(crossval_words, "seconds_per_epoch", lambda _p: ("run-001", 5.0))
    said = time_sentence(None, 5, 4)      # 20 s each, 100 s in all
    assert said.startswith("About 2 minutes: 5 trainings of 4 epochs, each under a minute")
