"""The Data page reads the data again when its files changed on disk after it was read.

The vineyard walk: 10 of 608 photos deleted in a file manager, then a new training (on 598 photos); the Data
page still said "608 pictures ... Training 486" and listed the deleted files, and the Train page still said
486, until the project was reopened. The page re-checks the files (names, sizes, times; nothing decoded) when
it is shown again, when the window is active again, and when a training finishes."""

from __future__ import annotations

import json

from tests.gui.conftest import shown_window
from tests.gui.test_main_window import make_images

FAKE_TRAIN = "tests.gui.tiny_jobs.fake_training"


def imported(window, qtbot, photos):
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(photos))
    qtbot.waitUntil(lambda: not page.importing and window.state.dataset is not None, timeout=60000)
    return page


def test_photos_deleted_meanwhile_are_read_again_when_the_page_is_shown(window, qtbot, tmp_path):
    photos = make_images(tmp_path / "leaves", classes=("healthy", "mildew"), n=10)
    page = imported(window, qtbot, photos)
    first = window.state.dataset
    assert first.num_samples == 20 and page.status.text().startswith("leaves: 20 pictures")
    before = f"your {first.split_counts()['train']} training pictures"
    assert before in window.pages["train"].epochs_note.text()
    window.show_page("train")
    window.show_page("data")         # nothing changed: nothing is read again
    assert not page.importing and window.state.dataset is first

    for i in range(3):
        (photos / "mildew" / f"{i}.png").unlink()
    window.show_page("train")
    window.show_page("data")
    qtbot.waitUntil(lambda: window.state.dataset is not first and not page.importing, timeout=60000)
    ds = window.state.dataset
    assert ds.num_samples == 17 and page.status.text().startswith("leaves: 17 pictures")
    assert not any("mildew/0.png" in s.replace("\\", "/") for s in ds.sources)
    after = f"your {ds.split_counts()['train']} training pictures"
    assert after != before and after in window.pages["train"].epochs_note.text()


def test_back_in_the_window_on_the_data_page_changed_files_are_read_again(window, qtbot, tmp_path):
    photos = make_images(tmp_path / "leaves", classes=("healthy", "mildew"), n=6)
    page = imported(window, qtbot, photos)
    window.show_page("data")
    first = window.state.dataset
    make_images(tmp_path / "leaves", classes=("rot",), n=6)       # a new class folder added
    window.window_activated()
    qtbot.waitUntil(lambda: window.state.dataset is not first and not page.importing, timeout=60000)
    assert window.state.dataset.class_names == ["healthy", "mildew", "rot"]


def test_a_finished_training_makes_the_data_page_check_its_files(qtbot, tmp_path):
    window = shown_window(qtbot, FAKE_TRAIN)
    try:
        photos = make_images(tmp_path / "leaves", classes=("healthy", "mildew"), n=10)
        page = imported(window, qtbot, photos)
        first = window.state.dataset
        window.state.project.device = "esp32-s3"
        for i in range(2):
            (photos / "healthy" / f"{i}.png").unlink()
        train = window.pages["train"]
        window.show_page("train")             # the user never goes back to the Data page
        train.epochs.setValue(1)
        train.extra_params = {"steps": 1, "step_s": 0.01}
        with qtbot.waitSignal(train.sig_run_ended, timeout=60000):
            assert train.start_training()
        qtbot.waitUntil(lambda: window.state.dataset is not first and not page.importing, timeout=60000)
        assert window.state.dataset.num_samples == 18
        assert f"{window.state.dataset.split_counts()['train']} training pictures" in train.epochs_note.text()
    finally:
        window.close()


def test_a_run_counting_other_samples_reads_the_data_again_and_one_counting_the_same_does_not(
        window, qtbot, tmp_path):
    photos = make_images(tmp_path / "leaves", classes=("healthy", "mildew"), n=6)
    page = imported(window, qtbot, photos)
    project, first = window.state.project, window.state.dataset
    run = project.runs_dir / "run-001"
    run.mkdir(parents=True)
    entry = project.add_run(run, status="finished")
    (run / "run.json").write_text(json.dumps({"dataset": {"num_samples": 12}}), encoding="utf-8")
    page.after_training("finished", entry)
    assert not page.importing and window.state.dataset is first      # the same count, the same files
    (run / "run.json").write_text(json.dumps({"dataset": {"num_samples": 11}}), encoding="utf-8")
    page.after_training("stopped", entry)
    assert not page.importing
    page.after_training("finished", entry)
    assert page.importing
    qtbot.waitUntil(lambda: window.state.dataset is not first and not page.importing, timeout=60000)


def test_a_slow_folder_is_listed_at_most_every_so_often_unless_asked(window, qtbot, tmp_path, monkeypatch):
    """Review: the check lists the folder in the window's thread at every return to the window; a folder that
    takes long to list (tens of thousands of files) is listed at most every SLOW_RECHECK_EVERY_S then. A
    training's end still checks at once."""
    import time as clock

    import edgeling.gui.pages.data as data_page

    photos = make_images(tmp_path / "leaves", classes=("healthy", "mildew"), n=5)
    page = imported(window, qtbot, photos)
    calls = []

    def slow(path):
        calls.append(path)
        clock.sleep(data_page.SLOW_LISTING_S + 0.05)
        return page._stamp[1]

    monkeypatch.setattr(data_page, "files_stamp", slow)
    assert page.recheck_data() is False and len(calls) == 1        # listed, found unchanged, and slow
    assert page.recheck_data() is False and len(calls) == 1        # back in the window at once: not listed again
    assert page.recheck_data(force=True) is True and len(calls) == 2   # asked for (a training ended): listed
    qtbot.waitUntil(lambda: not page.importing, timeout=60000)
