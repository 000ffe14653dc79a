"""After a class folder is renamed, the Train and Evaluate pages say that the runs learnt other class names
(only the Export page said it, through the export's note). The vineyard walk: 'rot' renamed 'black_rot'."""

from __future__ import annotations

import json

from tests.gui.test_main_window import make_images
from tests.gui.test_vineyard_walk import add_run

LEARNT = ["healthy", "mildew", "rot"]


def trained_run(project, name: str):
    entry = add_run(project, name)
    folder = project.run_folder(entry)
    (folder / "run.json").write_text(json.dumps({"status": "finished", "dataset": {
        "task": "classification", "class_names": LEARNT}}), encoding="utf-8")
    (folder / "metrics.json").write_text(json.dumps({"accuracy": 0.9}), encoding="utf-8")
    return entry


def read(window, qtbot, folder):
    page = window.pages["data"]
    first = window.state.dataset
    page.import_path(str(folder))
    qtbot.waitUntil(lambda: not page.importing and window.state.dataset is not first, timeout=60000)


def test_train_and_evaluate_say_the_runs_learnt_other_class_names(window, qtbot, tmp_path):
    photos = make_images(tmp_path / "leaves", classes=tuple(LEARNT), n=4)
    window.pages["home"].create_button.click()
    project = window.state.project
    read(window, qtbot, photos)
    trained_run(project, "run-001")
    trained_run(project, "run-002")
    window.state.edited()
    train, evaluate = window.pages["train"], window.pages["evaluate"]
    window.show_page("train")
    assert not train.classes_note.isVisible()              # the same names: nothing said
    window.show_page("evaluate")
    assert evaluate.summary.text() == "Test results: accuracy 90.0%."

    (photos / "rot").rename(photos / "black_rot")
    read(window, qtbot, photos)
    assert window.state.dataset.class_names == ["black_rot", "healthy", "mildew"]
    window.show_page("train")
    said = train.classes_note.text()
    assert train.classes_note.isVisible()
    assert said.startswith("run-001 and run-002 learnt the classes healthy, mildew, rot; the data now has "
                           "black_rot, healthy, mildew (a class folder was renamed, added or removed since).")
    assert "train a new run to learn the new ones" in said
    window.show_page("evaluate")
    text = evaluate.summary.text()
    assert text.startswith("Test results: accuracy 90.0%. ")
    picked = evaluate.runs.run_folder().name
    assert f"{picked} learnt the classes healthy, mildew, rot; the data now has black_rot, healthy, mildew" in text
    assert "Its results and exported files answer with the names it learnt" in text

    (photos / "black_rot").rename(photos / "rot")              # put back: nothing said any more
    read(window, qtbot, photos)
    window.show_page("train")
    assert not train.classes_note.isVisible()
    window.show_page("evaluate")
    assert evaluate.summary.text() == "Test results: accuracy 90.0%."
