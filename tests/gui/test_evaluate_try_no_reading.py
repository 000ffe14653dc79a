"""The pump walk: Try it on zeros.csv (a sensor that never moved) read in bold "The model says: normal (100%
sure)", and the note that this meant nothing came last, in italics, cut in half under a five-line box at
1024 x 700. A file whose prediction has ``no_reading`` now leads with a plain "No answer: …" (its class only
after, in grey), notes come before the class list, and the box grows to show the whole answer."""

from __future__ import annotations

import pytest

from edgeling.gui.qt import QApplication, QPoint
from edgeling.gui.widgets.prediction_text import prediction_html
from tests.gui.test_evaluate_details import make_run
from tests.gui.test_pages import METRICS

TOP = [{"label": "normal", "confidence": 1.0}, {"label": "cavitation", "confidence": 0.0},
       {"label": "loose_mount", "confidence": 0.0}]
RATE_NOTE = "pump.csv: recorded at 100 Hz, stretched to 200 Hz, the rate the model learnt"


def _answer(no_reading: bool, name: str = "zeros.csv", notes=()) -> dict:
    windows = [{"source": f"{name}#t={i}.00-{i + 1}.00", "label": "normal", "confidence": 1.0,
                **({"no_reading": True} if no_reading else {})} for i in range(10)]
    p = {"source": name, "label": "normal", "confidence": 1.0, "top": TOP, "windows": windows}
    if no_reading:
        p["no_reading"] = True
    return {"predictions": [p], "notes": list(notes)}


def test_a_file_with_no_reading_leads_with_no_answer():
    html = prediction_html(_answer(True), "zeros.csv")
    assert html.startswith("No answer for zeros.csv: the readings never change (the sensor stuck, unplugged or off)")
    assert "<b>normal</b>" not in html and "The model says" not in html        # no bold answer
    assert html.index("No answer") < html.index("normal (100%)") < html.index("normal: 100.0%")
    assert html.count("never change") == 1     # core sends no stuck note when every window is so: said once


def test_notes_come_before_the_class_list():
    html = prediction_html(_answer(False, "pump.csv", (RATE_NOTE,)), "pump.csv")
    assert html.startswith("The model says: <b>normal</b> (100% sure)")
    assert html.index("Note: pump.csv: recorded") < html.index("normal: 100.0%") < html.index("10 windows")


def _span(widget, area) -> tuple[int, int]:
    top = widget.mapTo(area.viewport(), QPoint(0, 0)).y()
    return top, top + widget.height()


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_the_whole_answer_shows_without_scrolling_the_box(window, size):
    window.resize(*size)
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-002", METRICS, {"samples": []})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page._predict.start = lambda args: True
    page.try_file("/pump/odd/zeros.csv")
    page._predict.sig_result.emit(_answer(True))
    for _ in range(10):
        QApplication.processEvents()
    label, box = page.try_result, page.try_scroll
    assert box.viewport().height() >= label.heightForWidth(box.viewport().width()), \
        (box.viewport().height(), label.heightForWidth(box.viewport().width()))   # every line, the notes too
    assert box.verticalScrollBar().maximum() == 0
    top, bottom = _span(box, page.body)
    assert 0 <= top and bottom <= page.body.viewport().height(), (top, bottom)      # scrolled into view
