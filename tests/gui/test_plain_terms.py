"""The vineyard re-walk: terms of the trade on the pages she uses. Evaluate: "macro F1", "ROC AUC" and the
per-class "precision"/"recall" heads; Model: "mobilenet_v2, alpha 0.1, last_channels 128"; Compress: "MACs".
The numbers stay, with plain words beside them or in tooltips."""

from __future__ import annotations

from edgeling.gui.pages.evaluate_summary import summary_text
from edgeling.gui.widgets.per_class_table import PerClassTable


def _explanation() -> str:
    """core's own sentence for the pick (``autosize.explain_pick``), as the plan job gives the page."""
    from edgeling.core.devices.catalogue import get_device
    from edgeling.core.models.autosize import explain_pick

    pick = {"arch": "mobilenet_v2", "knobs": {"alpha": 0.1, "resolution": 128, "last_channels": 128},
            "ram_bytes": 269 * 1024, "flash_bytes": 96 * 1024, "latency_ms": 69.0}
    return explain_pick(pick, get_device("esp32-s3", measure=False), "int8")


PLAN = {"device": "esp32-s3", "explanation": _explanation(),
        "pick": {"arch": "mobilenet_v2", "knobs": {"alpha": 0.1, "resolution": 128, "last_channels": 128}},
        "candidates": [{"arch": "mobilenet_v2", "knobs": {"alpha": 0.1, "resolution": 128, "last_channels": k},
                        "params": 47299, "ram_bytes": 1000, "flash_bytes": 1000, "latency_ms": 69.0, "fits": True}
                       for k in (128, 256)]}


def test_evaluate_scores_and_per_class_heads_say_what_they_mean(qtbot):
    said = summary_text({"accuracy": 0.95, "macro_f1": 0.94, "roc_auc": 0.99})
    assert "balanced over classes (macro F1) 94.0%" in said and "ranking (ROC AUC) 0.99" in said
    table = PerClassTable()
    qtbot.addWidget(table)
    heads = [table.horizontalHeaderItem(c).text().replace("\n", " ") for c in range(4)]
    assert heads[1:3] == ["said right (precision)", "found (recall)"]
    assert "share" in table.horizontalHeaderItem(2).toolTip()


def test_model_page_network_settings_and_compress_rows_in_plain_words(window):
    from edgeling.core.models.autosize import describe_knobs

    assert describe_knobs({"alpha": 0.1, "last_channels": 128}) == "width ×0.1, 128 final features"
    window.pages["home"].create_button.click()
    page = window.pages["model"]
    page.show_plan(PLAN)
    first = page.table.item(0, 0)
    assert "last_channels" not in first.text() and "128 final features" in first.text()
    assert "alpha 0.1" in first.toolTip() and "width ×0.1" in first.toolTip()
    assert "width ×0.1" in page.explanation.text() and "alpha" not in page.explanation.text()
    compress = window.pages["compress"]
    compress.show_table({"before": {"macs": 7697792, "params": 47299}, "after": {"macs": 7697792, "params": 47299}})
    rows = [compress.table.item(r, 0).text() for r in range(compress.table.rowCount())]
    assert "multiply-adds per answer (MACs)" in rows and "MACs" not in rows
