"""The Export page says sizes in KB and MB, as the Model and Compress pages do, the exact bytes in tooltips.

The vineyard walk: the Export page said "96,672 bytes" for the file the Model page had called "94 KB", and
the RAM to reserve as "12,624 bytes"."""

from __future__ import annotations

from edgeling.core.models.autosize import format_bytes
from tests.gui.test_export_for_a_pi import exported
from tests.gui.test_vineyard_walk import add_run

SIZE, ARENA = 2, 7     # the table's columns: the file's size, the RAM to reserve


def test_sizes_and_ram_are_in_kb_with_the_bytes_in_the_tooltip(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-001", device="raspberry-pi-4")
    exported(project, "run-001.tflite", "tflite-int8", "raspberry-pi-4")    # no arena to reserve: the one used
    exported(project, "run-001.onnx", "onnx", "raspberry-pi-4")
    project.exports[0].update(size_bytes=96672)
    project.exports[1].update(size_bytes=3 * 2**20 + 2**19, verification={"passed": True})
    window.state.edited()
    window.show_page("export")
    table = window.pages["export"].table
    assert table.item(0, SIZE).text() == "94 KB" == format_bytes(96672)     # the Compress page's own words
    assert table.item(0, SIZE).toolTip() == "96,672 bytes"
    assert table.item(1, SIZE).text() == "3.5 MB" and table.item(1, SIZE).toolTip() == "3,670,016 bytes"
    assert table.item(0, ARENA).text() == "4.8 KB"
    assert "4,880 bytes" in table.item(0, ARENA).toolTip()
    assert table.item(1, ARENA).text() == "—"
    assert not any("bytes" in table.item(r, c).text() for r in range(2) for c in range(table.columnCount()))
