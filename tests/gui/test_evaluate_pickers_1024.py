"""Evaluate at 1024 x 700 (the shop walk's png/08 and png/11, the speech walk's 08-other-files-1024.png): the Try it
drop area's words were cut through at the top and the bottom ("Drop a file here to see what the model / says"),
"Ask the exported file Children-words-r" was cut, and once "Back to the test split" showed, the run picker read
"(the model kept, from epocl". Each is now read whole."""

from __future__ import annotations

from edgeling.gui.qt import QApplication
from tests.gui.test_evaluate_details import make_export, make_run
from tests.gui.test_pages import METRICS


def _reads_whole(combo) -> bool:
    """The combo's text fits in it, beside its arrow."""
    return combo.fontMetrics().horizontalAdvance(combo.currentText()) + 30 <= combo.width()


def test_the_run_the_exported_file_and_the_drop_words_read_whole_at_1024(window, qtbot):
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    project = window.state.project
    make_run(project, "run-001", METRICS, {"samples": []})
    project.runs[-1]["best"] = {"val_accuracy": 0.4, "epoch": 3}
    make_export(project, "Children-words-run-001-ptq-int8.onnx", b"onnx", format="onnx-int8", run="run-001")
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page._fill_try_with()
    page.try_with.setCurrentIndex(1)
    page._evaluate.sig_result.emit(dict(METRICS, split="other files", data="/tmp/newkids", root="/tmp/newkids",
                                        num_samples=7, samples=[]))
    for _ in range(5):
        qtbot.wait(30)
        QApplication.processEvents()
    assert page.back_button.isVisibleTo(page)
    assert page.runs.currentText().endswith("(the model kept, from epoch 3)")
    assert _reads_whole(page.runs), (page.runs.width(), page.runs.currentText())
    assert page.try_with.currentText() == "Ask the exported file Children-words-run-001-ptq-int8.onnx"
    assert _reads_whole(page.try_with), page.try_with.width()
    label = page.try_drop.label
    needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
    assert label.height() >= needed, (label.height(), needed)
    assert label.height() >= 2 * label.fontMetrics().lineSpacing() - 2 or "\n" not in label.text()
