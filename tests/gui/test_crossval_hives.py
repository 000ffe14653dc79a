"""The beekeeper walk: the cross-validation panel said "The file names name 7 speakers (hive01, …)" of her hive
recordings (gui/pages/crossval_words.py read core's FEW_WHO["audio"]). Long recordings cut into clips name hives,
machines or places, as core's findings say them (``subject_findings.who_words`` with the data's meta); sound
clips still name speakers."""

from __future__ import annotations

from edgeling.gui.pages.crossval_words import machines_sentence
from tests.gui.hive_recordings import hives
from tests.gui.test_crossval_machines import _panel_after_import


def test_hive_recordings_name_hives_not_speakers(window, qtbot, tmp_path):
    panel = _panel_after_import(window, qtbot, hives(tmp_path / "hives"))
    assert window.state.dataset.meta["few_subjects"] == [f"hive0{k}" for k in range(1, 7)]
    said = panel.machines_note.text()
    assert said.startswith("The file names name 6 hives (hive01, hive02, hive03, hive04, hive05, "
                           "hive06): each part holds whole ones out"), said
    assert "speaker" not in said


def test_sound_clips_still_name_speakers():
    assert machines_sentence(["child01", "child02", "child03", "child04"], 4, "audio", meta={"cut": "loudest window"}) \
        .startswith("The file names name 4 speakers (child01")
