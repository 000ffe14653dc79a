"""A big import is read in a child process, as training is: a folder that crashes a decoder or fills the memory
ends that process, and the window says so and goes on (the scale walk measured 1.15 GB in the app's own
process while 3,963 photos were read). Small imports stay in the app's thread."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

from edgeling.gui.pages import data_import
from tests.gui.conftest import close_error_dialogs


def photos(root: Path, per_class: int = 12) -> Path:
    rng = np.random.default_rng(0)
    for c, name in enumerate(("red", "blue")):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            img = np.full((24, 24, 3), 40, np.uint8)
            img[..., 0 if c == 0 else 2] = 200
            img = np.clip(img.astype(int) + rng.integers(-30, 30, img.shape), 0, 255).astype(np.uint8)
            Image.fromarray(img).save(root / name / f"p{i:02d}.png")
    return root


def test_a_big_import_is_read_in_a_child_process_and_opened_from_the_cache(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(data_import, "IN_CHILD_BYTES", 1)       # every import counts as big here
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    steps = []
    page.import_path(str(photos(tmp_path / "shapes")))
    thread = page._thread
    thread.sig_progress.connect(lambda done, total, what: steps.append((done, total, what)))
    qtbot.waitUntil(lambda: not page.importing, timeout=120000)
    ds = window.state.dataset
    assert ds is not None and ds.num_samples == 24 and sorted(ds.class_names) == ["blue", "red"]
    assert thread.child_pid is not None and thread.child_pid != os.getpid()
    assert isinstance(ds.x, np.memmap)              # the cached import, memory-mapped, not a copy in the window
    assert steps and all(total == 24 for _, total, _ in steps)   # the child's steps reached the page
    assert close_error_dialogs(qtbot) == []


def test_a_small_import_stays_in_the_apps_thread(window, qtbot, tmp_path):
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(photos(tmp_path / "shapes")))
    thread = page._thread
    qtbot.waitUntil(lambda: not page.importing, timeout=120000)
    assert window.state.dataset is not None and thread.child_pid is None


def test_an_import_child_that_dies_is_said_in_plain_words_and_the_window_goes_on(window, qtbot, tmp_path,
                                                                                  monkeypatch):
    monkeypatch.setattr(data_import, "IN_CHILD_BYTES", 1)
    monkeypatch.setattr(data_import, "IMPORT_JOB", "tests.gui.tiny_jobs.crashing_import")
    shown = []
    monkeypatch.setattr("edgeling.gui.pages.data.show_error", lambda parent, message, details="": shown.append(message))
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(photos(tmp_path / "shapes")))
    qtbot.waitUntil(lambda: not page.importing, timeout=120000)
    assert window.state.dataset is None and len(shown) == 1
    message = shown[0]
    assert message.startswith("Reading shapes stopped: The import process ended unexpectedly (killed, perhaps "
                              "out of memory)")
    assert "Edgeling itself is still running and your project is as it was" in message
    assert "Traceback" not in message and "checkpoint" not in message
    assert page.status.text().startswith("The data could not be imported")
    # the window goes on: the same folder imports once the reading works again
    monkeypatch.setattr(data_import, "IMPORT_JOB", "edgeling.core.jobs.import_job.run")
    page.import_path(str(tmp_path / "shapes"))
    qtbot.waitUntil(lambda: not page.importing, timeout=120000)
    assert window.state.dataset is not None and window.state.dataset.num_samples == 24


def test_many_small_files_are_read_in_a_child_process_too(window, qtbot, tmp_path, monkeypatch):
    """The regression walk: 3,200 small JPEGs (31 MB on disk, under the size limit) took 650 MB decoded in the
    window's own process. Many files count as a big import too."""
    monkeypatch.setattr(data_import, "IN_CHILD_FILES", 20)      # 24 photos here, a few KB in all
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(photos(tmp_path / "shapes")))
    thread = page._thread
    qtbot.waitUntil(lambda: not page.importing, timeout=120000)
    assert window.state.dataset is not None and thread.child_pid not in (None, os.getpid())
