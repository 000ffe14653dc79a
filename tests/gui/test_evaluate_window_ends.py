"""The pump walk: after "Test on other files…" on the heldout pump, the Evaluate list read
"cavitation/pump6_rec01.csv from 0.0 s: is cavitation" (the window's start alone) where the test split's said
"from 3.0 s to 4.0 s". Core now names those windows with their end too (``other_files.with_end``; its test is in
tests/core/test_other_files.py), and the list says both."""

from __future__ import annotations

import json

from tests.gui.test_evaluate_details import make_run

NAMES = ["cavitation", "loose_mount", "normal"]
METRICS = {"task": "classification", "accuracy": 1.0, "macro_f1": 1.0, "class_names": NAMES,
           "confusion_matrix": [[2, 0, 0], [0, 1, 0], [0, 0, 1]],
           "per_class": {c: {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1} for c in NAMES}}


def test_windows_of_other_files_say_their_end(window):
    window.pages["home"].create_button.click()
    project = window.state.project
    run = make_run(project, "run-002", METRICS, {"samples": [
        {"source": "cavitation/pump5_rec01.csv#t=3.00-4.00", "true": 0, "predicted": 0, "confidence": 0.83}]})
    (run / "run.json").write_text(json.dumps({"status": "finished", "import_options": {"window_s": 1.0},
                                              "spec": {"meta": {"window_s": 1.0}}}), encoding="utf-8")
    window.state.edited()
    window.show_page("evaluate")
    page = window.pages["evaluate"]
    page.heatmap.sig_cell_clicked.emit(0, 0)
    assert page.worst.texts() == ["cavitation/pump5_rec01.csv from 3.0 s to 4.0 s: is cavitation, the model said "
                                  "cavitation (83% sure)"]
    page._evaluate.start = lambda args: True
    page.test_on_other_files("/pump/heldout")
    samples = [{"source": "cavitation/pump6_rec01.csv#t=0.00-1.00", "true": 0, "predicted": 0, "confidence": 0.85},
               {"source": "cavitation/pump6_rec01.csv#t=14.00-15.00", "true": 0, "predicted": 0, "confidence": 0.9},
               {"source": "normal/pump6_rec02.csv#t=2.50-3.50", "true": 2, "predicted": 2, "confidence": 0.9},
               {"source": "loose_mount/pump6_rec03.csv#t=1.00-2.00", "true": 1, "predicted": 1, "confidence": 0.9}]
    worst = [dict(samples[0], true="cavitation", predicted="cavitation")]
    page._evaluate.sig_result.emit(dict(METRICS, split="other files", data="/pump/heldout", root="/pump/heldout",
                                        num_samples=4, samples=samples, worst_samples=worst))
    page.heatmap.sig_cell_clicked.emit(0, 0)
    assert page.worst.texts() == [
        "cavitation/pump6_rec01.csv from 0.0 s to 1.0 s: is cavitation, the model said cavitation (85% sure)",
        "cavitation/pump6_rec01.csv from 14.0 s to 15.0 s: is cavitation, the model said cavitation (90% sure)"]
    page.heatmap.sig_cell_clicked.emit(2, 2)
    assert page.worst.texts()[0].startswith("normal/pump6_rec02.csv from 2.5 s to 3.5 s:")
    page.heatmap.sig_cell_clicked.emit(1, 1)
    assert page.worst.texts()[0].startswith("loose_mount/pump6_rec03.csv from 1.0 s to 2.0 s:")
