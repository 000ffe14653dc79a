"""The Model page's selected row drew its RAM and flash bars' filled part in the selection's own colour: at
1280x800 the ★ row showed "269 KB of 320 KB" beside a small white stub (the empty end) and "96 KB of 6 MB" beside
a full white bar. On the selected row the filled part is now white and the empty part a darker shade of the
selection, and a row no longer selected gets its usual bars back."""

from __future__ import annotations

from edgeling.gui.qt import QApplication, QPalette, QPoint
from tests.gui.test_model_page_limits import plan_shown


def _colour(image, bar, fraction: float) -> tuple[int, int, int]:
    """The colour drawn inside ``bar`` at ``fraction`` of its width, half-way down."""
    at = bar.mapTo(bar.window(), QPoint(3 + int(fraction * (bar.width() - 6)), bar.height() // 2))
    c = image.pixelColor(at.x(), at.y())
    return c.red(), c.green(), c.blue()


def _apart(a, b) -> int:
    return sum(abs(x - y) for x, y in zip(a, b))


def test_the_selected_rows_bars_stand_out_from_the_selection(window, qtbot):
    page = plan_shown(window, (1280, 800))
    qtbot.wait(50)
    QApplication.processEvents()
    assert sorted({i.row() for i in page.table.selectedIndexes()}) == [0]        # the ★ row
    selection = page.table.palette().color(QPalette.ColorRole.Highlight)
    selection = (selection.red(), selection.green(), selection.blue())
    image = window.grab().toImage()
    ram = page.table.cellWidget(0, 2).bar            # 269 KB of 320 KB: 84% full
    flash = page.table.cellWidget(0, 3).bar          # 96 KB of 6 MB: under 2% full
    used, left = _colour(image, ram, 0.3), _colour(image, ram, 0.97)
    assert _apart(used, selection) > 120, (used, selection)       # the room used is seen on the selection
    assert _apart(used, left) > 120, (used, left)                  # and apart from the room left
    assert _apart(_colour(image, flash, 0.5), used) > 120          # a bar nearly empty does not read as full
    assert _apart(_colour(image, flash, 0.5), left) < 30           # the room left looks the same in both bars

    page.table.selectRow(1)                          # the ★ row unselected: its bars as on any other row
    qtbot.wait(50)
    image = window.grab().toImage()
    other = page.table.cellWidget(1, 2).bar         # 322 KB of 320 KB, now selected: full, white
    assert _apart(_colour(image, other, 0.5), used) < 30
    unselected = _colour(image, ram, 0.3)
    assert _apart(unselected, selection) < 80 and _apart(unselected, used) > 120     # the usual coloured fill
    assert _apart(_colour(image, ram, 0.97), (255, 255, 255)) < 30                   # and white room left
    page.leave_project()
