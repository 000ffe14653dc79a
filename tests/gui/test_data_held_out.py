"""The Data page's status line says when the test samples are whole speakers the model never hears.

A speech-therapy researcher's 720 clips (child07_2.wav, 40 children) were split by child, but the status line
said only "Training 576, validation 72, test 72"; that the test clips are four children the model never hears
in training was at the bottom of the report box, seen only by scrolling it."""

from __future__ import annotations

from tests.gui.speech_clips import make_clips


def test_status_line_names_the_speakers_held_out_for_the_test(window, qtbot, tmp_path):
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(make_clips(tmp_path / "words")))
    qtbot.waitUntil(lambda: not page.importing, timeout=120000)
    ds = window.state.dataset
    assert ds is not None and any(p.code == "grouped_by_name" for p in ds.report.problems)
    held_out = ds.meta["subjects"]["test"]
    text = page.status.text()
    assert f"test {ds.split_counts()['test']} (clips of {len(held_out)} of the 24 speakers named" in text
    assert "machines" not in text                    # sound clips are of speakers (the GUI walk: 'or machines')
    assert ", ".join(held_out[:4]) in text and "the model never hears them in training)." in text
    page.import_path(str(make_clips(tmp_path / "anonymous", children=1, takes=24)))   # no one named: as before
    qtbot.waitUntil(lambda: not page.importing and window.state.dataset is not ds, timeout=120000)
    assert "never hears" not in page.status.text() and page.status.text().endswith(
        f"test {window.state.dataset.split_counts()['test']}.")


def test_status_line_says_a_label_sheet_named_the_speakers(window, qtbot, tmp_path):
    """Clips named clip_000.wav with a sheet of file, word, child: the children come from the sheet, and the
    status line says so (it had said they were named in the file names)."""
    from tests.core.test_sheet_subjects import write_sheet_clips

    write_sheet_clips(tmp_path / "study", 24)
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(tmp_path / "study"))
    qtbot.waitUntil(lambda: not page.importing, timeout=120000)
    text = page.status.text()
    assert "(clips of 2 of the 24 speakers named in the column 'child' of labels.csv: enfant" in text
    assert "machines" not in text
    assert "file names" not in text
