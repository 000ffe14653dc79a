"""A failed export of a file the exports list already holds listed that file twice, "passed" on one row and
"FAILED" on another. The earlier file is kept (a file that fails its check is not written), so the failure is
now said on its row."""

from __future__ import annotations

from edgeling.core.project import create_project
from edgeling.gui.pages.export_words import FORMATS, export_file_name
from tests.gui.test_vineyard_walk import add_run, export_failing, messages, vine_window  # noqa: F401

FAILURE = {"passed": False, "runtime": "ai-edge-litert", "agreement": 0.9,
           "failures": ["loses 3.70 points of accuracy (2 of 54 test samples; at most 1.85 allowed: one sample)"]}


def test_a_failed_export_of_a_listed_file_is_said_on_its_row(vine_window, tmp_path):  # noqa: F811
    project = create_project("pi", tmp_path / "pi")
    add_run(project, "run-001", device="raspberry-pi-4")
    ext = next(e for f, _label, e in FORMATS if f == "tflite-int8")
    earlier = project.exports_dir / export_file_name(project.name, "run-001", "tflite-int8", ext)
    earlier.parent.mkdir(parents=True, exist_ok=True)
    earlier.write_bytes(b"tflite")
    project.add_export(earlier, format="tflite-int8", size_bytes=6, run="run-001",
                       verification={"passed": True, "runtime": "ai-edge-litert", "agreement": 1.0})
    project.save()
    assert vine_window.open_project(str(project.folder))
    vine_window.show_page("export")
    page = export_failing(vine_window, "tflite-int8", FAILURE)
    assert messages(vine_window) == []                 # said on the page's status line, not in a message too
    said = page.status.text()
    assert said.startswith(f"{earlier.name} was not written: ")
    assert page._out.name == earlier.name
    names = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    assert names == [earlier.name]                                   # once, not twice
    assert page.table.item(0, 3).text() == "last attempt FAILED; earlier file kept"
    assert page.table.item(0, 4).text() == "100.0%"                    # the earlier file's numbers
    tip = page.table.item(0, 3).toolTip()
    assert tip.startswith(said) and "the earlier file is kept" in tip

    earlier.unlink()                       # gone meanwhile: the failure has a row of its own again
    page.refresh()
    rows = [[page.table.item(r, c).text() for c in (0, 3)] for r in range(page.table.rowCount())]
    assert rows == [[earlier.name, "file missing"], [earlier.name, "FAILED in TensorFlow Lite (LiteRT)"]]


def test_a_failed_check_of_a_model_that_hardly_learnt_says_so_in_the_app():
    from edgeling.gui.pages.export import failed_check_words

    said = failed_check_words({"path": "/x/words.h", "format": "c-header",
                               "verification": {"passed": False, "failures": ["agrees with PyTorch on 88.1%"],
                                                "agreement": 0.881, "num_samples": 42, "changes_allowed": 2},
                               "hardly_learnt": "The model has hardly learnt (test accuracy 16.7%, ...). Train it "
                                                "longer or on more data first, then export again."})
    assert said.endswith("Train it longer or on more data first, then export again.") and "Compress" not in said
