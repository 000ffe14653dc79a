"""The GUI walk (finding 6): the only file asked for, a C header, failed its check, and the page said "Export
finished; 1 format failed: Pump_notime_run_001.h did not pass its check in TensorFlow Lite (LiteRT), so it was not
written (agrees with PyTorch on 81.8% of test samples: 4 of 22 answers changed (needs 97%, or at most 2 changed);
loses 18.18 points of accuracy (4 of 22 test samples; at most 4.55 allowed: one sample)). Compress …", and an error
dialog said the same again. Now the status line says that the file was not written and why, in plain words, once;
the check's numbers are behind "Details"."""

from __future__ import annotations

from edgeling.core.project import create_project
from tests.gui.test_vineyard_walk import add_run, messages, vine_window  # noqa: F401

NANO = "arduino-nano-33-ble-sense"
FAILED = {   # what `edgeling export … --format c-header --json` printed for the walk's run (exit 4)
    "format": "c-header", "size_bytes": 132195, "model_bytes": 19472, "card": None, "status": "failed",
    "reused_int8_file": False, "hardly_learnt": "",
    "verification": {
        "runtime": "ai-edge-litert", "kernels": "reference", "size_bytes": 19472, "latency_ms": 0.0126,
        "max_abs_diff": 0.00965, "num_samples": 22, "arena_bytes": 9168, "arena_required_bytes": 9168,
        "micro_agreement": 1.0, "changes_allowed": 2, "agreement": 0.8181818181818182,
        "accuracy": 0.7727272727272727, "reference_accuracy": 0.9545454545454546,
        "accuracy_loss": 0.18181818181818182, "accuracy_loss_samples": 4,
        "accuracy_loss_allowed": 0.045454545454545456, "micro_samples": 22, "micro_latency_ms": 0.648,
        "failures": ["agrees with PyTorch on 81.8% of test samples: 4 of 22 answers changed (needs 97%, or at most "
                     "2 changed)",
                     "loses 18.18 points of accuracy (4 of 22 test samples; at most 4.55 allowed: one sample)"],
        "passed": False}}


def _export(window, fmts: list[str], fails: set[str]):
    """Press Export with ``fmts`` ticked; the formats in ``fails`` fail their check as the walk's did."""
    page = window.pages["export"]
    started = []
    page._cli.start = lambda args: started.append(args[args.index("--format") + 1]) or True
    for f, box in page.checks.items():
        box.setChecked(f in fmts)
    page._on_export()
    while started:
        fmt = started.pop(0)
        out = {**FAILED, "format": fmt, "path": str(page._out)}
        if fmt in fails:
            page._cli.last_output = out
            page._cli.sig_failed.emit("Export FAILED verification in TensorFlow Lite (LiteRT) …", "stderr lines")
        else:
            page._out.write_bytes(b"x")
            page._cli.sig_result.emit({**out, "status": "ok", "verification": {
                **FAILED["verification"], "failures": [], "passed": True, "agreement": 1.0}})
    return page


def _project(window, tmp_path):
    project = create_project("Pump notime", tmp_path / "p")
    add_run(project, "run-001", device=NANO)
    project.save()
    assert window.open_project(str(project.folder))
    window.resize(1024, 700)
    window.show_page("export")


def test_the_only_file_not_written_is_said_plainly_once(vine_window, tmp_path):  # noqa: F811
    _project(vine_window, tmp_path)
    page = _export(vine_window, ["c-header"], {"c-header"})
    said = page.status.text()
    assert said == ("Pump_notime_run_001.h was not written: in its check, the file answered 4 of the 22 test "
                    "samples differently from the model you trained (at most 2 may differ), and got 4 more of them "
                    "wrong (at most 1 may be). On the Compress page, make the run int8 with a short re-training (it keeps the answers "
                    "closer to the model's), then export the new run.")
    assert not said.startswith("Export finished")
    for jargon in ("PyTorch", "LiteRT", "points", "quantization", "%"):
        assert jargon not in said
    assert messages(vine_window) == []                  # no error dialog saying it again
    details = page.check_details
    assert details.isVisibleTo(vine_window) and not details.text.isVisibleTo(vine_window)   # folded away
    details.button.click()
    assert details.text.isVisibleTo(vine_window)
    numbers = details.text.text()
    assert "loses 18.18 points of accuracy" in numbers and "TensorFlow Lite (LiteRT)" in numbers
    assert "Accuracy on the test samples: 77.3% (the trained model, in PyTorch: 95.5%)." in numbers
    row = page.table.rowCount() - 1
    assert page.table.item(row, 2).text() == "not written"
    assert page.table.item(row, 3).toolTip().startswith(said)


def test_one_of_two_not_written_says_what_was_and_the_advice_once(vine_window, tmp_path):  # noqa: F811
    _project(vine_window, tmp_path)
    page = _export(vine_window, ["c-header", "tflite-int8"], {"c-header"})
    said = page.status.text()
    assert said.startswith("Export finished: 1 of 2 files written and checked. Pump_notime_run_001.h was not "
                           "written: in its check")
    assert messages(vine_window) == []
    page = _export(vine_window, ["c-header", "tflite-int8"], {"c-header", "tflite-int8"})
    said = page.status.text()
    assert said.startswith("Pump-notime-run-001-int8.tflite was not written: ") or \
        said.startswith("Pump_notime_run_001.h was not written: ")
    assert said.count("was not written") == 2 and said.count("On the Compress page") == 1    # the advice once
    page._cli.start = lambda args: True
    page.checks["c-header"].setChecked(True)
    page._on_export()                    # a new press: the last press's details go
    assert not page.check_details.isVisibleTo(vine_window)
