"""The speech walk: six words' clips, one waveform under another, took the Data page's height; the 11 findings
got 100 px, 4 or 5 lines, and the warnings that matter (a 12 s recording, a clip under two words, a clip named
after no speaker) were below the fold. The clips now stand two a row, and the findings get the height they need
once the window has its size: every warning in view at 1024 x 700, every finding at 1280 x 800."""

from __future__ import annotations

import pytest

from tests.gui.speech_clips import make_clips

WORDS = ("aide", "encore", "fini", "non", "oui", "stop")
WARNINGS = [
    "1 file is empty (0 bytes) and was skipped.",
    "1 file could not be read as audio: the file holds text, not sound. It was skipped.",
    "1 clip is silent (nothing louder than -60 dB) and was left out: the model cannot learn a class from "
    "silence, and it may be a failed recording.",
    "Resampled 1 file from 8000 Hz and 160 files from 44100 Hz to 16000 Hz, so every clip has the same sample "
    "rate. Sounds above 8 kHz (half the new rate) are removed from the files recorded faster. Raising a rate adds "
    "no sound: the 1 file recorded at 8000 Hz has nothing above 4 kHz, where the files recorded at 16000 Hz may "
    "have sound, so a model can learn to tell them apart by that alone.",
    "1 recording is much longer than the clip length (encore/child32_encore_1.wav; up to 12.0 s): the model hears "
    "only the loudest 1.2 s of each, and the rest is not used.",
    "1 example appears under two or more different labels with exactly the same content. The model is told the "
    "same thing is two different classes, which confuses training and makes the score wrong. Until you delete "
    "one, both copies are kept, each under its label, and in the same split.",
    "1 file does not start with any of those names (oui/Léa 3 – oui.wav), so it was split one by one: such a "
    "file can be tested while other files of the same speaker are in training.",
]
NOTES = [
    "The clips have different lengths: 309 clips shorter than 1.2 s were padded with silence at the end; 39 "
    "longer clips were cut to their loudest 1.2 s.",
    "110 recordings have two or more channels (stereo) and were mixed down to one.",
    "1 recording is clipped: too loud when recorded, many samples sit at the limit of what the recorder could "
    "take. It was kept.",
]


def _in_view(report) -> list[str]:
    room = report.viewport().rect()
    return [report.topLevelItem(i).text(0) for i in range(report.topLevelItemCount())
            if room.contains(report.visualItemRect(report.topLevelItem(i)))]


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_every_warning_of_six_words_clips_is_in_view(window, qtbot, tmp_path, size):
    window.resize(*size)
    window.pages["home"].create_button.click()
    page = window.pages["data"]
    page.import_path(str(make_clips(tmp_path / "words", children=6, words=WORDS)))
    qtbot.waitUntil(lambda: not page.importing, timeout=120000)
    ds = window.state.dataset
    ds.report.problems = [p for p in ds.report.problems if p.severity != "warning"]
    for text in WARNINGS:
        ds.report.add("walk", text, "Look at it.", ["aide/child01_1.wav"])
    for text in NOTES:
        ds.report.add("walk_note", text, "Nothing to do.", [], severity="info")
    window.state.set_dataset(ds)
    qtbot.wait(300)      # the page settles (the status line wraps, the window takes its size)
    report = page.report
    assert report.topLevelItemCount() >= 11
    seen = _in_view(report)
    assert all(w in seen for w in WARNINGS), [w[:40] for w in WARNINGS if w not in seen]
    if size == (1280, 800):
        assert len(seen) == report.topLevelItemCount()
    assert page.preview.objectName() == "tracePreview" and page.preview.isVisible()
    assert page.preview.height() >= 150 and len(page.preview.plots) == 6
    assert min(int(plot.vb.height()) for plot in page.preview.plots) >= 10      # each clip's shape still shows
