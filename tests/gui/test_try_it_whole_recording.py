"""The beekeeper walk: Try it on a long hive recording said "111 clips: 67 queenright, 44 swarming … Over the
whole recording: swarming (53%)", which she read as a contradiction. The answer now says that the whole
recording's answer is the mean of its clips' answers (their probabilities), not a count, and that its class comes
first although fewer clips said it; a sound recording's parts are clips, never windows."""

from __future__ import annotations

import numpy as np

from edgeling.core.training.predict import _results
from edgeling.gui.widgets.prediction_text import prediction_html
from tests.gui.test_evaluate_try_it_answer import _asked, _page

NAMES = ["queenright", "swarming"]


def hive_answer(kind: str = "audio") -> dict:
    """``edgeling predict --json`` of a recording of 111 clips as core makes it: 67 clips say queenright at 51%,
    44 swarming at 95%, so the mean says swarming."""
    probs = np.array([[0.51, 0.49]] * 67 + [[0.05, 0.95]] * 44)
    sources = [f"hive08_1800.wav#t={k}.00-{k + 1}.00" for k in range(111)]
    return {"predictions": _results("hive08_1800.wav", sources, probs, probs, kind, NAMES, 2)}


def test_the_whole_recording_s_answer_is_said_to_be_a_mean_not_a_count(window, tmp_path):
    page = _page(window)
    _asked(page, str(tmp_path / "hive08_1800.wav"), hive_answer())
    text = page.try_result.text()
    assert "111 clips: 67 queenright, 44 swarming" in text
    assert "Over the whole recording: <b>swarming</b> (" in text
    assert ("This is the mean of the 111 clips&#x27; answers (how sure each clip is of each class), not a count of "
            "the clips: swarming comes first although fewer clips said it.") in text
    assert "window" not in text


def test_sensor_recordings_keep_their_windows_and_no_contradiction_is_explained_away():
    said = prediction_html(hive_answer("timeseries"))
    assert "This is the mean of the 111 windows&#x27; answers" in said and " clips" not in said
    probs = np.array([[0.9, 0.1]] * 60 + [[0.4, 0.6]] * 51)          # most clips and the mean say queenright
    sources = [f"hive01.wav#t={k}.00-{k + 1}.00" for k in range(111)]
    said = prediction_html({"predictions": _results("hive01.wav", sources, probs, probs, "audio", NAMES, 2)})
    assert "not a count of the clips." in said and "although" not in said
