"""The digits walk: the answer of "Try it" stayed on the Evaluate page after another run was chosen, under that
run's results as if it were its answer, and it did not say which file it was about ("Asking the model about
/work/main/…" while asking). The answer now names the file and the model asked, and goes when another run or
another exported file is chosen."""

from __future__ import annotations

from tests.gui.test_evaluate_details import make_export, make_run
from tests.gui.test_pages import METRICS

ANSWER = {"predictions": [{"source": "seven.png", "label": "7", "confidence": 0.9, "top": []}]}
ROWS = {"predictions": [{"source": f"t.csv#row={i}", "label": "7", "confidence": 0.9} for i in range(3)]}


def _page(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    for name in ("run-001", "run-002"):
        make_run(project, name, METRICS, {"samples": []})
    make_export(project, "model.onnx", b"x", format="onnx")
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page._predict.start = lambda args: True
    return page


def _asked(page, path, answer):
    page.try_file(path)
    page._predict.sig_result.emit(answer)


def test_the_answer_names_its_file_and_goes_with_another_run(window, tmp_path):
    page = _page(window)
    run = page.runs.currentData()
    path = str(tmp_path / "deep" / "folder" / "seven.png")
    page.try_file(path)
    assert page.try_result.text() == "Asking the model about seven.png …"       # the name, not the path
    page._predict.sig_result.emit(ANSWER)
    text = page.try_result.text()
    assert text.startswith(f"<b>seven.png</b>, asked the trained run {run.rpartition('/')[2]}:")
    assert "The model says: <b>7</b>" in text and str(tmp_path) not in text
    assert page.try_result.toolTip() == path
    page.on_shown()                                  # the page shown again, the same run: the answer stays
    assert "seven.png" in page.try_result.text()
    page.runs.setCurrentIndex(1)                     # another run: its answer is not this one
    assert page.try_result.text() == "" and not page._answers


def test_the_answer_goes_with_another_exported_file(window):
    page = _page(window)
    _asked(page, "/x/t.csv", ROWS)
    assert not page.save_answers_button.isHidden()
    page.try_with.setCurrentIndex(1)                 # the exported file now
    assert page.try_result.text() == "" and page.save_answers_button.isHidden()
    _asked(page, "/x/seven.png", ANSWER)
    assert page.try_result.text().startswith("<b>seven.png</b>, asked the exported file model.onnx:")
    page.recheck_files()                             # the list refilled, the same choice: the answer stays
    assert "seven.png" in page.try_result.text()
