"""A user walk at 1340 x 740 (Evaluate page, Try it with a table of 30 new orders): the answers had room for
about 4 rows, and "Answers saved in …" was appended under the last answer, out of view. The answers now get
room for 12 lines (the page's body scrolls to show them), and the saved line sits beside the Save button,
outside the scrolled answers."""

from __future__ import annotations

from edgeling.gui.qt import QApplication, QFileDialog, QScrollArea
from tests.gui.test_evaluate_details import make_run

NAMES = ["oui", "non"]
METRICS = {"task": "classification", "accuracy": 0.8, "macro_f1": 0.8, "class_names": NAMES,
           "confusion_matrix": [[8, 2], [2, 8]], "num_samples": 20,
           "per_class": {c: {"precision": 0.8, "recall": 0.8, "f1": 0.8, "support": 10} for c in NAMES}}


def _shown(widget) -> bool:
    """``widget`` is drawn, whole, in the window (not scrolled or clipped out of view)."""
    return widget.isVisible() and widget.visibleRegion().boundingRect().height() >= widget.height() - 1


def _answers_area(page) -> QScrollArea:
    """The scroll area the answers are shown in."""
    w = page.try_result.parentWidget()
    while not isinstance(w, QScrollArea):
        w = w.parentWidget()
    return w


def test_thirty_answers_have_room_and_the_saved_line_shows(window, qtbot, tmp_path, monkeypatch):
    window.resize(1340, 740)
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-001", METRICS, {"root": str(tmp_path), "class_names": NAMES, "samples": []})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    new = tmp_path / "nouvelles.csv"
    new.write_text("Référence;prix\n" + "".join(f"CMD-{i};3,5\n" for i in range(1, 31)), encoding="utf-8")
    page._tried = str(new)
    preds = [{"source": f"{new}#row={i + 2}", "label": "non", "confidence": 0.75, "row_id": f"CMD-{i + 1}",
              "row_id_column": "Référence"} for i in range(30)]
    page._on_prediction({"predictions": preds, "notes": []})
    qtbot.wait(100)
    QApplication.processEvents()
    line = page.try_result.fontMetrics().lineSpacing()
    area = _answers_area(page)
    assert area.viewport().height() >= 10 * line, (area.viewport().height(), line)     # was 68 px
    assert _shown(page.save_answers_button)

    saved = tmp_path / "answers.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    page.save_answers_button.click()
    qtbot.wait(50)
    assert saved.is_file()
    assert "Answers saved in answers.csv" in page.answers_saved.text()
    assert "Answers saved" not in page.try_result.text()           # not under the last of the answers
    assert _shown(page.answers_saved)

    page._on_prediction({"predictions": preds[:1], "notes": []})   # one answer: no saved line, no extra room
    assert not page.answers_saved.isVisible()
    assert area.minimumHeight() <= page.try_result.heightForWidth(area.viewport().width()) + 4   # its own lines
