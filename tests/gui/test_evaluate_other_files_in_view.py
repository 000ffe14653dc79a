"""The vineyard walk: after "Test on other files…" finished, the Evaluate page stayed scrolled where it was
(down at the Try it box, after a file had been tried), and the new accuracy line at the top of the results was
out of view. The page scrolls back to the results' summary when they come."""

from __future__ import annotations

from edgeling.core.results_words import OTHER_FILES_SPLIT
from edgeling.gui.qt import QApplication
from tests.gui.test_per_class_fits_1024 import VINE, _opened
from tests.gui.test_per_class_table import metrics_for


def test_the_results_of_other_files_come_into_view(window, qtbot, tmp_path):
    _opened(window, qtbot, tmp_path, 1024, 700)
    page = window.pages["evaluate"]
    bar = page.body.verticalScrollBar()
    assert bar.maximum() > 0              # at 1024 x 700 the page's body scrolls
    bar.setValue(bar.maximum())           # down at the Try it box, as after a file was tried
    QApplication.processEvents()
    other = {**metrics_for(VINE), "accuracy": 0.571, "split": OTHER_FILES_SPLIT, "num_samples": 70,
             "root": str(tmp_path / "new_photos_2027")}
    page._on_evaluated(other)
    qtbot.waitUntil(lambda: bar.value() == 0, timeout=3000)
    qtbot.wait(50)
    top = page.summary.mapTo(page.body.widget(), page.summary.rect().topLeft()).y()
    assert top - bar.value() >= 0 and "57.1%" in page.summary.text()
    assert page.summary.visibleRegion().boundingRect().height() == page.summary.height()    # all of it in view
