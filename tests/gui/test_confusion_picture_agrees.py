"""Saved results for a paper (Evaluate page, Save results…): the confusion matrix's PNG was 1200 px tagged 96
dpi, so Word placed it 12.5 inches wide; it is tagged 300 dpi now (4 inches, a paper's column). And the
window's matrix was shaded in viridis (by count) while the saved figure (core's SVG) is white to dark blue by
each cell's share of its row: the window now uses the figure's blues, cell for cell."""

from __future__ import annotations

from edgeling.core.confusion_picture import cell_shade, confusion_svg
from edgeling.gui.qt import QColor, QImage
from edgeling.gui.widgets.chart_files import picture_copies
from edgeling.gui.widgets.result_charts import ConfusionHeatmap

MATRIX = [[8, 2, 0], [1, 3, 6], [0, 0, 0]]    # the last class has no test sample: its row stays white
NAMES = ["Rücksendung", "Zahlung", "Versand"]


def test_the_saved_png_lands_four_inches_wide(qapp, tmp_path):
    svg = tmp_path / "confusion_matrix.svg"
    svg.write_text(confusion_svg(MATRIX, NAMES), encoding="utf-8")
    png, pdf = picture_copies(svg)
    image = QImage(str(png))
    assert image.width() >= 1200 and pdf.is_file()
    dpi_x, dpi_y = image.dotsPerMeterX() * 0.0254, image.dotsPerMeterY() * 0.0254
    assert round(dpi_x) == round(dpi_y) == 300
    assert 3.5 <= image.width() / dpi_x <= 4.5           # inches wide in a word processor (was 12.5)


def _same(a: QColor, b: QColor) -> bool:
    return all(abs(x - y) <= 2 for x, y in zip(a.getRgb()[:3], b.getRgb()[:3]))


def test_the_window_shades_the_matrix_as_the_saved_picture_does(qtbot):
    heatmap = ConfusionHeatmap()
    qtbot.addWidget(heatmap)
    heatmap.show_matrix(MATRIX, NAMES)
    heatmap.image.render()                 # the picture the window draws: one pixel per cell
    drawn = heatmap.image.qimage
    for r, row in enumerate(MATRIX):
        total = sum(row)
        for c, count in enumerate(row):
            share = count / total if total else 0.0
            fill, ink = cell_shade(share)
            assert _same(drawn.pixelColor(c, r), QColor(fill)), (r, c, drawn.pixelColor(c, r).name(), fill)
    labels = {(t.pos().y() - 0.5, t.pos().x() - 0.5): t for t in heatmap._labels}
    assert labels[(0, 0)].textItem.toPlainText() == "8"                       # counts, as before
    assert _same(labels[(0, 0)].color, QColor(cell_shade(0.8)[1]))               # white on dark blue
    assert _same(labels[(1, 0)].color, QColor(cell_shade(0.1)[1]))               # dark on light
    assert heatmap.matrix.sum() == 20                                         # the counts stay the page's
