"""A run folder deleted behind the app's back while its results are on the Evaluate page (the robustness walk):
"Save results…" wrote files for the run that no longer existed, and "Try it" said "Train a model first". Each now
says the run's folder is gone, naming it, and the page no longer shows or offers the run."""

from __future__ import annotations

import shutil

from tests.gui.conftest import close_error_dialogs
from tests.gui.test_evaluate_details import make_run
from tests.gui.test_pages import METRICS


def _page(window):
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-001", METRICS, {"samples": []})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page._predict.start = lambda args: True
    assert page.runs.currentData() == "runs/run-001" and page.metrics
    return page


def _gone(window):
    folder = window.state.project.runs_dir / "run-001"
    shutil.rmtree(folder)
    return folder


def test_save_results_says_the_run_folder_is_gone_and_writes_nothing(window, qtbot, tmp_path):
    page = _page(window)
    folder = _gone(window)
    out = tmp_path / "report"
    out.mkdir()
    assert page.save_results(str(out)) == []
    assert list(out.iterdir()) == []
    texts = close_error_dialogs(qtbot)
    assert len(texts) == 1 and "run-001" in texts[0] and str(folder) in texts[0] and "gone" in texts[0]
    assert not page.metrics and not page.save_button.isEnabled()       # its results are no longer shown
    assert page.runs.currentData() is None


def test_try_it_says_the_run_folder_is_gone_not_train_a_model_first(window, qtbot):
    page = _page(window)
    folder = _gone(window)
    page.try_file("/x/seven.png")
    texts = close_error_dialogs(qtbot)
    assert len(texts) == 1 and str(folder) in texts[0] and "Train a model first" not in texts[0]
    assert page.try_result.text() == "" and not page.metrics
