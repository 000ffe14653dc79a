"""The Train page proposes the epochs the command line chooses for the same data, and keeps a number typed.

The Epochs box said 10 whatever the data; for a researcher's 576 training clips ``edgeling train`` chose 60
(and reached about 93% test accuracy where the app's 10 gave 61%)."""

from __future__ import annotations

import numpy as np

from edgeling.core.data.dataset import TRAIN
from edgeling.core.project import load_project
from edgeling.core.training.defaults import choose_hyperparams
from tests.gui.conftest import shown_window
from tests.gui.speech_clips import make_clips

FAKE = "tests.gui.tiny_jobs.fake_training"


def cli_epochs(ds) -> int:
    """The epochs the training job chooses when none are given (core/training/setup.py's call)."""
    train = ds.indices(TRAIN)
    counts = np.bincount(np.asarray(ds.y)[train].astype(np.int64), minlength=ds.num_classes).tolist()
    return choose_hyperparams(ds.kind, ds.task, len(train), ds.num_classes, counts)["epochs"]


def imported(window, qtbot, path) -> object:
    before = window.state.dataset
    window.pages["data"].import_path(str(path))
    qtbot.waitUntil(lambda: not window.pages["data"].importing and window.state.dataset is not before,
                    timeout=120000)
    return window.state.dataset


def test_epochs_come_from_the_data_and_a_typed_number_is_kept_for_it(qtbot, tmp_path, monkeypatch):
    words = make_clips(tmp_path / "words")
    w = shown_window(qtbot, FAKE)
    w.pages["home"].name_edit.setText("Kinder")
    w.pages["home"].create_button.click()
    page = w.pages["train"]
    ds = imported(w, qtbot, words)
    expected = cli_epochs(ds)
    assert expected != 10 and page.epochs.value() == expected
    note = page.epochs_note.text()
    assert note.startswith(f"Chosen from your {len(ds.indices(TRAIN))} training clips;")
    assert "stops early" in note and "stops early" in page.epochs.toolTip()
    w.state.project.update(device="raspberry-pi-4")
    started = []
    monkeypatch.setattr(page.job, "start", lambda target, params, log: started.append(params) or True)
    page.start_training()
    assert started[-1]["epochs"] == expected          # what `edgeling train` (no --epochs) trains for

    page.epochs.setValue(25)                           # the user's own number stays for this data...
    assert page.epochs_note.text().startswith(f"Your choice. For your {len(ds.indices(TRAIN))} training clips, "
                                              f"{expected} would be chosen;")
    assert "(" not in page.epochs_note.text()          # was "Your choice (60 was chosen from your data (485 ...))"
    imported(w, qtbot, words)
    assert page.epochs.value() == 25
    folder = w.state.project.folder
    assert w.save_project()
    w.close()
    w = shown_window(qtbot, FAKE)                       # ...also once the project is reopened
    assert w.open_project(str(folder))
    qtbot.waitUntil(lambda: w.state.dataset is not None, timeout=120000)
    assert w.pages["train"].epochs.value() == 25 == load_project(folder).ui["train_epochs"]["value"]

    other = imported(w, qtbot, make_clips(tmp_path / "more words", children=40, takes=3))   # other data
    assert w.pages["train"].epochs.value() == cli_epochs(other)
    w.close()
