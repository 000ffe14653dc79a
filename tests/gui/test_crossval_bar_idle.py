"""The vineyard walk, the bottom of the Evaluate page: the idle cross-validation progress bar, empty and
white between Stop and "Show the results", looked like a text field to type in. It shows only while a
cross-validation runs; its room is kept, so the buttons beside it do not move."""

from __future__ import annotations

from edgeling.gui.qt import QApplication
from tests.gui.test_crossval_panel import _SlowChild


def test_the_bar_shows_only_while_a_cross_validation_runs(window, qtbot):
    window.pages["home"].create_button.click()
    window.show_page("evaluate")
    panel = window.pages["evaluate"].crossval
    child = _SlowChild()
    panel.job._start_fn = lambda *_a: child
    QApplication.processEvents()
    assert panel.progress.isHidden()                      # nothing runs: no empty box
    show_at = panel.show_button.pos()
    assert panel.job.start("tests.gui.tiny_jobs.fake_training", {})
    QApplication.processEvents()
    assert panel.progress.isVisible()
    assert panel.show_button.pos() == show_at              # the buttons stay where they were
    panel.job.shutdown()
    QApplication.processEvents()
    assert not panel.job.running and panel.progress.isHidden()
