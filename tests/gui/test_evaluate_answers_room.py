"""The digits walk at 1280 x 800: the Evaluate page's list of wrong answers showed one answer and a half (42
pixels each with its thumbnail) under a per-class table that took the column. The list keeps room for three
answers now, and the table (one line of text a row) scrolls instead."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from edgeling.gui.qt import QApplication
from tests.gui.test_evaluate_details import make_run

NAMES = [str(i) for i in range(10)]


def _page(window, tmp_path, size):
    root = tmp_path / "digits"
    samples = []
    for i in range(60):
        true = i % 10
        picture = root / NAMES[true] / f"{i:04d}.png"
        picture.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.full((16, 16), 20 * true, np.uint8)).save(picture)
        samples.append({"source": f"{true}/{i:04d}.png", "true": true, "predicted": (true + (i < 30)) % 10,
                        "confidence": 0.6})
    matrix = [[0] * 10 for _ in NAMES]
    for s in samples:
        matrix[s["true"]][s["predicted"]] += 1
    metrics = {"task": "classification", "accuracy": 0.5, "macro_f1": 0.5, "roc_auc": 0.9, "class_names": NAMES,
               "confusion_matrix": matrix, "num_samples": 60,
               "per_class": {c: {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 6} for c in NAMES}}
    window.resize(*size)
    window.pages["home"].create_button.click()
    make_run(window.state.project, "run-001", metrics, {"root": str(root), "class_names": NAMES, "samples": samples})
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page.heatmap.sig_cell_clicked.emit(1, 2)                 # three samples of class 1 taken for 2
    for _ in range(10):
        QApplication.processEvents()
    return page


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_the_list_shows_three_wrong_answers_with_their_pictures(window, tmp_path, size):
    page = _page(window, tmp_path, size)
    answers = page.worst
    assert answers.count() == 3 and not answers.item(0).icon().isNull()
    row = answers.sizeHintForRow(0)
    assert row >= 40                                                  # a thumbnail's height
    assert answers.viewport().height() >= 3 * row, (answers.viewport().height(), row)
    table = page.per_class
    assert table.rowHeight(0) <= table.fontMetrics().height() + 10    # one line a row
    assert table.height() >= table.horizontalHeader().height() + 3 * table.rowHeight(0)   # some classes show
