"""Cross-validation in the app (Evaluate page), over a real child process with the tiny test zoo: the speech
researcher's one test split held out 4 of her 40 children, and the app had no way to test every sample.
Start with the Train page's settings, progress by fold and epoch, the pooled results in the page's views
(core's sentences, the confusion matrix of all the samples), Save results…, and Stop then carry on in the
same folder."""

from __future__ import annotations

import pytest

from tests.core.training_fixtures import ZOO, make_table_csv
from tests.gui.conftest import close_error_dialogs


@pytest.fixture
def cv_window(window, tmp_path):
    window.pages["home"].name_edit.setText("Children")
    window.pages["home"].create_button.click()
    project = window.state.project
    table = tmp_path / "words.csv"
    make_table_csv(table, n=90)
    project.update(data={"path": str(table), "kind": None, "options": {}}, device="this-computer",
                   model={"arch": "tiny_mlp", "knobs": {}})
    train = window.pages["train"]
    train.extra_params = {"zoo": ZOO, "threads": 1}
    train.epochs.setValue(2)
    window.show_page("evaluate")
    return window


def _formats_seen(panel) -> list[str]:
    seen: list[str] = []
    panel.job.sig_event.connect(lambda _ev: seen.append(panel.progress.format()))
    return seen


def test_a_cross_validation_trains_every_part_and_shows_the_pooled_results(cv_window, qtbot, tmp_path):
    page = cv_window.pages["evaluate"]
    panel = page.crossval
    project = cv_window.state.project
    from edgeling.gui.pages.crossval_words import ABOUT

    assert "as long as that many trainings" in ABOUT
    assert panel.about.text().startswith(ABOUT)
    assert panel.parts.value() == 5 and panel.start_button.text() == "Start cross-validation"
    panel.parts.setValue(3)
    seen = _formats_seen(panel)
    with qtbot.waitSignal(panel.job.sig_finished, timeout=240000):
        assert panel.start()
        assert cv_window.running_work() == ["a cross-validation"]     # the close question names it
    assert not close_error_dialogs(qtbot)
    assert any(f.startswith("Part 2 of 3 · epoch 1 of 2") for f in seen), seen     # the panel's "Parts"
    assert not any("fold" in f.lower() for f in seen) and panel.progress.format() == "3 of 3 parts"
    out = project.runs_dir / "crossval-001"
    assert (out / "crossval.json").is_file() and (out / "results" / "results.md").is_file()
    assert project.ui["crossval"] == {"folder": "runs/crossval-001", "folds": 3}
    assert panel.status.text().startswith("Cross-validation finished: accuracy")
    assert "over all 90 samples" in panel.status.text() and "crossval-001/results" in panel.status.text()

    said = page.summary.text()     # core's sentences, in the page's summary
    assert said.startswith("Cross-validation (3 parts), all 90 samples: accuracy")
    assert "Measured by cross-validation: the data was cut into 3 parts" in said
    assert "likely between" in said       # accuracy_range_sentence
    assert page.metrics["split"] == "cross-validation" and sum(map(sum, page.metrics["confusion_matrix"])) == 90
    assert page.heatmap.matrix.shape == (3, 3) and page.heatmap.matrix.sum() == 90     # every sample, once
    assert page.back_button.isVisibleTo(page)
    page._fill_worst((0, 0))     # a cell of the pooled matrix lists its samples from every fold
    assert page.samples_label.text().startswith(f"{page.metrics['confusion_matrix'][0][0]} test sample")

    files = page.save_results(str(tmp_path / "paper"))
    assert {p.name for p in files} >= {"results.md", "confusion_matrix.svg", "confusion_matrix.png",
                                       "confusion_matrix.pdf", "per_class.csv"}
    assert (tmp_path / "paper" / "results.md").read_text(encoding="utf-8").startswith("# Cross-validation (3 parts, each tested once)")
    assert panel.show_button.isEnabled() and panel.open_button.isEnabled()

    cv_window.show_page("train")                          # the pooled results stay shown
    cv_window.show_page("evaluate")
    assert page.summary.text().startswith("Cross-validation (3 parts)")
    page.back_button.click()                              # back to the run's own test split ...
    assert page.metrics.get("split") != "cross-validation"
    panel.show_button.click()                             # ... and the pooled results again
    assert page.summary.text().startswith("Cross-validation (3 parts)")


def test_stop_keeps_the_finished_folds_and_start_carries_on_in_the_same_folder(cv_window, qtbot):
    page = cv_window.pages["evaluate"]
    panel = page.crossval
    project = cv_window.state.project
    project.model = {"arch": "tiny_mlp", "knobs": {"step_sleep": 0.05}}    # slow enough to stop in fold 2
    cv_window.pages["train"].epochs.setValue(8)
    panel.parts.setValue(3)
    with qtbot.waitSignal(panel.job.sig_stopped, timeout=240000):
        assert panel.start()
        qtbot.waitUntil(lambda: panel.progress.format().startswith("Part 2 of 3 · epoch"), timeout=180000)
        panel.stop_button.click()
    assert panel.status.text().startswith("Stopped. 1 of 3 parts are finished and kept")
    assert panel.start_button.text() == "Carry on the cross-validation"
    panel.parts.setValue(4)                               # another number of parts: a new cross-validation
    assert panel.start_button.text() == "Start cross-validation"
    panel.parts.setValue(3)
    project.model = {"arch": "tiny_mlp", "knobs": {}}
    cv_window.pages["train"].epochs.setValue(2)          # (fold 2 resumes from its checkpoint)
    with qtbot.waitSignal(panel.job.sig_finished, timeout=240000):
        assert panel.start()
        assert panel.status.text().startswith("Carrying on in crossval-001: 1 of 3 parts are done")
    assert not close_error_dialogs(qtbot)
    assert not (project.runs_dir / "crossval-002").exists()
    assert page.summary.text().startswith("Cross-validation (3 parts), all 90 samples")


def test_a_cross_validation_needs_data_and_a_device(window, qtbot):
    window.pages["home"].create_button.click()
    window.show_page("evaluate")
    panel = window.pages["evaluate"].crossval
    assert not panel.start()
    assert close_error_dialogs(qtbot) == ["Choose your data first, on the Data page."]


class _SlowChild:
    """A job handle whose batch never ends: what Stop asks of it is recorded."""

    def __init__(self):
        self.stops: list[float] = []
        self.pid = 1

    def stop(self, grace_s: float) -> None:
        self.stops.append(grace_s)

    def poll(self) -> list:
        return []

    def close(self) -> None:
        pass


def test_stop_waits_for_the_batch_and_stop_again_ends_the_cross_validation_at_once(window, qtbot):
    """As on the Train and Compress pages: the first Stop waits for the batch and says Stop again ends it at
    once; the second ends it (the panel said 'Stopping at the end of this batch…' each time, never that a
    second press ends it at once)."""
    from edgeling.gui.jobs import STOP_GRACE_S
    from edgeling.gui.pages.crossval import CrossvalPanel

    child = _SlowChild()
    panel = CrossvalPanel(window.state, start_fn=lambda *_a: child)
    qtbot.addWidget(panel)
    assert panel.job.start("tests.gui.tiny_jobs.fake_training", {})
    assert panel.stop_button.isEnabled()
    panel.stop_button.click()
    assert child.stops == [STOP_GRACE_S]
    assert panel.status.text().startswith("Stopping as soon as it can")
    assert "press Stop again to end it at once" in panel.status.text()
    assert "the finished parts are kept" in panel.status.text()       # not 'since the last checkpoint'
    panel.stop_button.click()
    assert child.stops == [STOP_GRACE_S, 0.0]
    assert panel.status.text() == "Ending it now…"
    panel.job.shutdown()
