"""The Train page's sentence when a run has finished, seen by the shop owner (1,500 orders, 12% returned):
the epoch it did best at is counted from 1, as the chart and the command line's log count epochs."""

from __future__ import annotations

import numpy as np

from tests.gui.test_train_page import train_window  # noqa: F401 - the fixture

SHOP_METRICS = {"task": "classification", "accuracy": 0.833, "num_samples": 150, "accuracy_range": [0.77, 0.88],
                "majority_baseline": {"class": "non", "accuracy": 0.887, "tied": 1}}


def test_the_best_epoch_said_is_the_one_the_chart_shows(train_window, qtbot):  # noqa: F811
    page = train_window.pages["train"]
    page.epochs.setValue(9)
    # Lowest validation loss after the first epoch, then rising: run.json records best_epoch 0 (its index).
    page.extra_params = {"steps": 1, "step_s": 0.0, "write_metrics": SHOP_METRICS,
                         "val_losses": [0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80]}
    with qtbot.waitSignal(page.sig_run_ended, timeout=60000):
        assert page.start_training()
    series = page.curves.series["val_loss"]
    on_chart = int(series.x[int(np.argmin(series.y))])
    assert on_chart == 1
    said = page.status.text()
    assert f"It did best on the validation samples at epoch {on_chart} of 9 " in said, said
    assert "epoch 0" not in said


def test_the_advice_is_true_whether_or_not_the_model_page_allowed_a_bigger_model():
    from edgeling.gui.pages.train import finished_words

    said = finished_words(SHOP_METRICS, 39, 1)
    assert said == (
        "Training finished: test accuracy 83.3%, worse than the 88.7% of always answering the most common "
        "class (non). It did best on the validation samples at epoch 1 of 39 and after that learnt the training "
        "samples by heart, so more epochs will not help. More data will help most; a smaller model (Model page) "
        "may help too. Check the data on the Data page as well.")
    assert "or a smaller model (Model page), will" not in said
