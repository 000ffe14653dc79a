"""What walks as real users found hard to read at the window's usual size, held where it can be asserted:
findings cut off with "…", size bars whose words ran over each other, class names on a chart axis drawn
over each other, scores said twice or as a bare "1", the RAM a microcontroller needs said apart from what it has."""

from __future__ import annotations

from edgeling.gui.qt import QApplication, QFontMetrics, QRect, Qt

LONG_FINDING = ("The column 'commentaire' was left out: it has a different text in almost every row (an identifier "
                "or a free-text note), so there is nothing a model can learn from it.")


def _settle(qtbot, ms: int = 50) -> None:
    qtbot.wait(ms)
    QApplication.processEvents()


def test_a_long_finding_of_the_data_report_wraps_instead_of_being_cut_off(qtbot):
    """Each finding is a sentence or two; the list showed one line of it, ending in "…"."""
    from edgeling.gui.widgets.report_list import ReportList

    report = ReportList()
    qtbot.addWidget(report)
    report.resize(400, 300)
    report.show()
    report.show_problems([{"message": LONG_FINDING, "advice": "Nothing to do: " + LONG_FINDING,
                           "severity": "error", "files": ["a.csv"]}])
    _settle(qtbot)
    top = report.topLevelItem(0)
    advice = top.child(0)
    for item in (top, advice):
        rect = report.visualItemRect(item)
        needed = QFontMetrics(report.font()).boundingRect(
            QRect(0, 0, rect.width() - 8, 100000), int(Qt.TextFlag.TextWordWrap), item.text(0))
        assert rect.height() >= needed.height() > QFontMetrics(report.font()).height() * 2, item.text(0)
        assert rect.right() <= report.viewport().width()
    report.resize(800, 300)                      # wider: fewer lines, the rows follow
    _settle(qtbot)
    assert report.visualItemRect(top).height() < QFontMetrics(report.font()).height() * 3


def test_the_size_bars_words_are_beside_the_bar_not_drawn_over_it(window, qtbot):
    """'68.1 KB of 320 KB' was drawn over the bar itself: the part over the filled bar white, the rest black,
    so at the usual window size it read as text over text ('121 KB of 320 KB' looked like '121' and 'KB')."""

    from edgeling.gui.qt import QLabel, QProgressBar
    from tests.gui.test_model_page_limits import plan_shown

    page = plan_shown(window, (1280, 800))
    _settle(qtbot)
    for row in range(page.table.rowCount()):
        for col in (2, 3):
            cell = page.table.cellWidget(row, col)
            bars = [cell] if isinstance(cell, QProgressBar) else cell.findChildren(QProgressBar)
            assert bars and not any(b.isTextVisible() for b in bars)      # no words painted on a bar
            label = cell.findChild(QLabel)
            assert label is not None and label.text() == cell.text()
            assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())   # whole, not cut
            for bar in bars:
                if bar.isVisible():
                    assert not label.geometry().intersects(bar.geometry())
    assert page.table.cellWidget(0, 2).text() == "269 KB of 320 KB"


def test_a_run_for_an_office_pc_is_exported_as_float_onnx_by_default(window, tmp_path):
    """A run trained for this computer had int8 TFLite ticked (a microcontroller's format); a PC runs float
    ONNX at the model's full accuracy. A board still gets the C header and int8 TFLite."""
    from edgeling.core.devices.catalogue import find_device
    from tests.gui.test_vineyard_walk import add_run, ticked

    assert find_device("this-computer").kind == "desktop"
    assert find_device("arduino-nano-33-ble-sense").kind == "microcontroller"
    window.pages["home"].create_button.click()
    project = window.state.project
    add_run(project, "run-001", device="this-computer")
    window.state.edited()
    window.show_page("export")
    page = window.pages["export"]
    assert ticked(page) == {"onnx"}
    assert "float ONNX is ticked at first" in page.device_note.text() and page.device_note.isVisible()
    add_run(project, "run-002", device="arduino-nano-33-ble-sense")
    window.state.edited()
    page.on_shown()
    assert page.runs.currentData() == "runs/run-002"
    assert ticked(page) == {"tflite-int8", "c-header"} and "microcontroller" in page.device_note.text()


def _drawn_labels(plot, qtbot):
    """(rect, text) of each name the plot's bottom axis draws, as pyqtgraph lays them out for painting."""
    from edgeling.gui.qt import QImage, QPainter

    plot.resize(460, 360)
    plot.show()
    for _ in range(3):                 # the axis grows to fit its names, then lays them out again
        plot.grab()
        _settle(qtbot)
    axis = plot.getAxis("bottom")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    if axis.style["tickFont"] is not None:
        painter.setFont(axis.style["tickFont"])
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _flags, text in specs[2]], axis


def test_every_class_is_named_under_the_confusion_matrix_without_overlapping(qtbot):
    """Six pump states: their names under the matrix ran into each other ('bearing_wearmisalignment'), and a
    name sticking out past the end of the axis was left out, so one class had no label."""
    from edgeling.gui.widgets.result_charts import ConfusionHeatmap

    names = ["cavitation", "loose_mount", "normal", "bearing_wear", "misalignment", "dry_running"]
    plot = ConfusionHeatmap()
    qtbot.addWidget(plot)
    plot.show_matrix([[10 if r == c else 0 for c in range(6)] for r in range(6)], names)
    labels, axis = _drawn_labels(plot, qtbot)
    texts = [t for _r, t in labels]
    assert len(texts) == len(names)                                  # none left out
    for name, text in zip(names, texts):
        assert text == name or (text.endswith("…") and name.startswith(text[:-1])), (name, text)
    rects = [r for r, _t in labels]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b), texts                        # none drawn over another
        assert axis.boundingRect().contains(a)                       # none cut off by the axis' edge
    assert "bearing_wear" in axis.toolTip()


def test_a_perfect_roc_auc_is_said_once_as_1_00(window, tmp_path):
    """'accuracy 100.0%, macro F1 100.0%, ROC AUC 1': the AUC was a bare '1' beside the percentages. It is said
    once, with two decimals (three when two would round a score short of perfect up to 1.00)."""
    from edgeling.gui.pages.evaluate_summary import auc_words
    from tests.gui.test_pages import METRICS

    window.pages["home"].create_button.click()
    page = window.pages["evaluate"]
    page.show_metrics({**METRICS, "roc_auc": 1.0, "accuracy": 1.0, "macro_f1": 1.0})
    said = page.summary.text()
    assert said.count("ROC AUC") == 1 and "ROC AUC) 1.00," in said and "ROC AUC) 1," not in said
    assert [auc_words(v) for v in (0.9, 0.9984, 0.8372)] == ["0.90", "0.998", "0.84"]
    page.metrics = {**METRICS, "roc_auc": 1.0}
    page.save_results(str(tmp_path / "results"))
    said = page.summary.text()
    assert said.count("ROC AUC") == 1 and ".." not in said and "Saved" in said


def test_the_export_list_says_the_arena_to_reserve_and_the_ram_the_board_has_free(window):
    """The list showed TensorFlow Lite Micro's measured 4,880 bytes while the C header beside it reserved 5,904
    (scratch for the board's kernels and a margin); it now says the header's figure, and in one sentence what
    that needs of the RAM the board has free for a model."""
    import json

    from edgeling.core.devices.catalogue import find_device, ram_available
    from edgeling.core.export.model_card import card_paths, on_device

    window.pages["home"].create_button.click()
    project = window.state.project
    board = "arduino-nano-33-ble-sense"
    v = {"passed": True, "runtime": "ai-edge-litert", "agreement": 1.0, "accuracy": 0.95, "arena_bytes": 4880}
    for fmt, name in (("tflite-int8", "run-001-tflite-int8.tflite"), ("c-header", "run-001-c-header.h")):
        path = project.exports_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"model")
        card = {"verification": v, "on_device": on_device(path, fmt, board, v, arena_reserved=5904)}
        card_paths(path)["json"].write_text(json.dumps(card), encoding="utf-8")
        project.add_export(str(path), format=fmt, size_bytes=5, verification=v, run="run-001")
    window.show_page("export")
    page = window.pages["export"]
    page.refresh()
    assert [page.table.item(r, 7).text() for r in range(2)] == ["5.8 KB", "5.8 KB"]     # as the sentence says
    assert "5,904 bytes" in page.table.item(1, 7).toolTip()           # the exact figure
    assert "4,880 bytes" in page.table.item(1, 7).toolTip()           # the measured arena as context
    free = ram_available(find_device(board))["bytes"]
    said = page.ram_note.text()
    assert said == (f"run-001-c-header.h needs about 5.8 KB of RAM of the {free // 1024} KB "
                    f"{find_device(board).name} has free for it.")
    assert page.ram_note.isVisible()


def test_the_app_shows_cores_sentences_without_their_terminal_commands(qtbot):
    """The small-screen walk: "(Test on other files…, or evaluate --on)" and "edgeling crossval" in the app.
    Core names both; the app shows its own words only, in the data report and the Evaluate summary."""
    from edgeling.core.terminal_hint import in_terminal
    from edgeling.gui.pages.evaluate_summary import summary_text
    from edgeling.gui.widgets.report_list import ReportList

    report = ReportList()
    qtbot.addWidget(report)
    report.show_problems([{"message": "Few pumps" + in_terminal("edgeling inspect DATA") + ".",
                           "advice": "Use \"Check every sample\" on the Evaluate page" + in_terminal("edgeling crossval")
                           + ": its parts hold whole ones out.", "severity": "info", "files": []}])
    top = report.topLevelItem(0)
    assert top.text(0).endswith("Few pumps.") and "terminal" not in top.toolTip(0)
    assert top.child(0).text(0) == ("What to do: Use \"Check every sample\" on the Evaluate page: its parts hold "
                                    "whole ones out.")
    few = {"accuracy": 0.9, "num_samples": 20, "split": "test", "per_class": {"a": {"support": 3}, "b": {"support": 17}}}
    text = summary_text(few)
    assert "'Test on other files…' above" in text and "edgeling" not in text and "--on" not in text


def test_an_error_dialog_shows_cores_message_without_its_terminal_command(qtbot):
    """Core's ResultsError says 'Evaluate it first on the Evaluate page (in a terminal: edgeling evaluate RUN)';
    the app's dialog drops the command, as its report list and summary do."""
    from edgeling.core.terminal_hint import in_terminal
    from edgeling.gui.errors import show_error

    box = show_error(None, "This run has no test results yet. Evaluate it first on the Evaluate page"
                     + in_terminal("edgeling evaluate RUN") + ".", modal=False)
    qtbot.addWidget(box)
    assert box.text() == "This run has no test results yet. Evaluate it first on the Evaluate page."
    box.close()
