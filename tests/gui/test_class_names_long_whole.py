"""A long class name from a label sheet ("pourriture noire / black-rot") is read whole under its own bar and
under the confusion matrix at 1024x700 (walk 6: the matrix cut it to "pourriture noire / black-…", and the Data
page's chart put it a line lower, under an empty tick)."""

from __future__ import annotations

import numpy as np
from PIL import Image

from edgeling.gui.qt import QFontMetrics
from tests.gui.conftest import new_project_page
from tests.gui.test_class_names_readable import _drawn, _metrics
from tests.gui.test_main_window import wait_imported

VINE = ["mildiou (Plasmopara)", "pourriture noire / black-rot", "saine"]


def _flat_with_sheet(root):
    """Pictures in one folder, their classes in labels.csv (a name with a "/" can be no folder's name)."""
    root.mkdir(parents=True)
    rng = np.random.default_rng(0)
    lines = ["file,diagnosis"]
    for c, name in enumerate(VINE):
        for i in range(8):
            file = f"leaf_{c}_{i}.png"
            Image.fromarray((rng.random((12, 12, 3)) * 255).astype("uint8")).save(root / file)
            lines.append(f'{file},"{name}"')
    (root / "labels.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_the_data_pages_chart_shows_a_long_name_whole_under_its_own_bar(window, qtbot, tmp_path):
    window.resize(1024, 700)
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(_flat_with_sheet(tmp_path / "flat")))
    wait_imported(qtbot, window)
    qtbot.wait(100)
    chart = page.chart
    chart.grab()
    axis = chart.getAxis("bottom")
    assert axis.names == VINE, axis.names
    drawn = _drawn(chart)
    assert [text.replace("\n", "") for text, _r, _h in drawn] == VINE, drawn
    assert not axis.staggered          # each name right under its bar, none a line lower
    for text, rect, height in drawn:
        assert 0 <= rect.left() and rect.right() <= chart.width(), (text, rect, chart.width())
        assert rect.top() + height <= chart.height() + 1, (text, rect, height, chart.height())


def test_the_matrix_shows_a_long_name_whole_on_its_x_axis(window, qtbot):
    page = new_project_page(window, "evaluate", (1024, 700))
    page.show_metrics(_metrics(VINE))
    qtbot.wait(100)
    page.heatmap.grab()
    axis = page.heatmap.getAxis("bottom")
    shown = axis.shown_names(QFontMetrics(page.heatmap.font()))
    assert [n.replace("\n", "") for n in shown] == VINE, shown
