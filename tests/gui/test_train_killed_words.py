"""A training child killed as an out-of-memory kill ends it (the robustness walk): the message named the checkpoint
file but never said that Resume carries on from the last finished epoch, and the bar stayed on "epoch 4 of 30"."""

from __future__ import annotations

import os
import re
import signal

from tests.gui.conftest import close_error_dialogs
from tests.gui.test_train_page import train_window  # noqa: F401 - the fixture


def test_a_killed_child_says_the_epochs_kept_and_that_resume_carries_on(train_window, qtbot):  # noqa: F811
    page = train_window.pages["train"]
    page.epochs.setValue(30)
    page.extra_params = {"steps": 3, "step_s": 0.03}
    page.start_training()
    qtbot.waitUntil(lambda: page.curves.series["val_accuracy"].n >= 2, timeout=60000)
    with qtbot.waitSignal(page.sig_run_ended, timeout=10000):
        os.kill(page.job.handle.pid, signal.SIGKILL)
    kept = page._kept
    assert kept >= 2
    said = f"The {kept} finished epochs are kept: Resume last run carries on from epoch {kept + 1}."
    assert said in page.status.text()
    texts = close_error_dialogs(qtbot)
    assert texts and said in texts[0]
    assert page.progress.format() == f"ended: {kept} of 30 epochs finished"
    assert not re.search(r"^epoch \d+ of", page.progress.format())
    assert page.resume_button.isEnabled()
