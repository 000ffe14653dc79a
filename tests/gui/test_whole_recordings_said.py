"""The beekeeper walk: every number the app showed counted 1 s clips ("85.9%, not clearly better than always
answering 'queenright'") while Try it answers a whole recording, by the mean of its clips' answers, and those
answers were right for all 6 test recordings. Core's metrics now carry ``per_recording``; the Evaluate page (the
run's test results and "Test on other files…") and the Train page's last line say it, in the app's words."""

from __future__ import annotations

import numpy as np

from edgeling.core.training.metrics import classification_metrics
from edgeling.gui.pages.train_words import finished_words
from tests.gui.test_evaluate_details import make_run

NAMES = ["queenright", "swarming"]


def clip_metrics() -> dict:
    """Metrics as core makes them for 3 recordings cut into 1 s clips: hive01's queenright recording has 3 of its 4
    clips right; hive02's swarming one only 1 of 3, but the mean of its clips' answers is swarming; hive03's
    queenright one is wrong whole."""
    sources, y, probs = [], [], []
    for name, label, said in (("queenright/hive01_0800.wav", 0, [0.9, 0.8, 0.7, 0.4]),
                              ("swarming/hive02_1700.wav", 1, [0.45, 0.45, 0.05]),
                              ("queenright/hive03_0800.wav", 0, [0.3, 0.2])):
        for k, p0 in enumerate(said):       # p0: how sure the clip is of queenright
            sources.append(f"{name}#t={k:.2f}-{k + 1:.2f}")
            y.append(label)
            probs.append([p0, 1 - p0])
    m = classification_metrics(np.array(y), np.array(probs), NAMES, sources)
    return dict(m, task="classification", class_names=NAMES, kind="audio", num_samples=len(y))


def test_the_evaluate_page_says_how_many_whole_recordings_were_right(window):
    metrics = clip_metrics()
    assert metrics["per_recording"]["count"] == 3 and metrics["per_recording"]["right"] == 2
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-001", metrics, {"samples": []})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    said = page.summary.text()
    assert "Whole recordings: 2 of 3 right (67%)" in said
    assert "as Try it below answers a recording, by the mean of its clips' answers" in said
    assert "hive03_0800.wav (is queenright, said swarming)" in said
    assert "edgeling predict" not in said

    page._evaluate.start = lambda args: True
    page.test_on_other_files("/bees/newweek")
    other = dict(clip_metrics(), split="other files", data="/bees/newweek", root="/bees/newweek")
    page._evaluate.sig_result.emit(other)
    said = page.summary.text()
    assert said.startswith("Results on 9 samples in /bees/newweek") and "Whole recordings: 2 of 3 right" in said


def test_the_train_page_says_it_after_the_score_per_clip():
    said = finished_words(clip_metrics())
    assert said.startswith("Training finished: test accuracy ")
    assert "Whole recordings: 2 of 3 right (67%), each answered as Try it on the Evaluate page answers a recording" \
        in said and "edgeling predict" not in said
    no_recordings = {k: v for k, v in clip_metrics().items() if k != "per_recording"}
    assert "Whole recordings" not in finished_words(no_recordings)
