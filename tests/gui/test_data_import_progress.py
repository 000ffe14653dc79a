"""The Data page says how far an import has got (the scale walk: 7 minutes of a spinning bar and 'Reading
<folder> …' for 3,963 photos): core's importers report their steps from the import's thread, and the page
shows 'Reading the photos: 1,200 of 3,963' with a bar filled that far."""

from __future__ import annotations

from tests.gui.test_main_window import make_images, wait_imported


def test_an_import_of_photos_says_how_many_are_read_and_fills_the_bar(window, qtbot, tmp_path, monkeypatch):
    from edgeling.core.data import import_progress

    monkeypatch.setattr(import_progress, "EVERY_S", 0.0)      # every step heard, not one in a quarter second
    root = make_images(tmp_path / "pics", n=6)
    page = window.pages["data"]
    window.pages["home"].create_button.click()
    seen: list[tuple[str, int, int]] = []     # the status, the bar's value and its maximum, at each step
    page.import_path(str(root))
    assert page.busy.maximum() == 0           # busy until the importer says how many files there are
    page._thread.sig_progress.connect(       # after the page's own slot: sees what the page shows
        lambda *_a: seen.append((page.status.text(), page.busy.value(), page.busy.maximum())))
    wait_imported(qtbot, window)
    assert window.state.dataset is not None and window.state.dataset.num_samples == 12
    texts = [text for text, _v, _m in seen]
    assert "Reading the photos: 5 of 12" in texts and "Resizing the photos: 11 of 12" in texts, texts
    assert ("Reading the photos: 5 of 12", 5, 12) in seen     # a determinate bar while a stage runs
    assert seen[-1][2] == 0                   # busy again once a stage is through
    assert page.status.text().startswith(f"{root.name}: ")    # the import's result replaces the count


def test_the_words_of_a_count_match_the_terminals():
    from edgeling.gui.pages.data_import import progress_words

    assert progress_words(1200, 3963, "reading the photos") == "Reading the photos: 1,200 of 3,963"
    assert progress_words(0, 40, "decoding the clips") == "Decoding the clips: 0 of 40"
