"""``evaluate --on`` a folder of clips or pictures with a CSV naming each file's label, as the training import
reads one: before, only class subfolders were read ("None of the folders ... is named as a class")."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from edgeling.core.data.dataset import DataError
from edgeling.core.training.other_files import labelled_samples
from tests.core.test_import_audio import _labelled_clips

META = {"sample_rate": 16000, "clip_s": 1.0}


def test_clips_named_in_a_labels_csv_are_tested_under_its_labels(tmp_path):
    root = tmp_path / "new"
    rows = _labelled_clips(root, 6)
    (root / "clips" / "notes.txt").write_text("room 2")
    (root / "sheet.csv").write_text("file,word,child\n" + "\n".join(rows + ["clips/gone.wav,no,child99"]) + "\n")
    got = labelled_samples(root, "audio", "classification", ["go", "no"], META)
    assert dict(zip(got.sources, got.y.tolist())) == {
        f"clips/child{i:02d}_{'go' if i % 2 else 'no'}.wav": 0 if i % 2 else 1 for i in range(6)}
    assert [s["file"] for s in got.skipped] == ["clips/gone.wav"]
    assert "not in the folder" in got.skipped[0]["reason"]


def test_a_label_the_model_never_learnt_is_named_with_its_file(tmp_path):
    root = tmp_path / "new"
    rows = _labelled_clips(root, 4)
    (root / "sheet.csv").write_text("file,word\n" + "\n".join(r.rsplit(",", 1)[0] for r in rows[:3])
                                    + "\nclips/child03_go.wav,stop\n")
    with pytest.raises(DataError, match=r"'stop' in the column 'word' \(first in clips/child03_go.wav\), which this "
                                        r"model never learnt \(it knows go, no\)"):
        labelled_samples(root, "audio", "classification", ["go", "no"], META)


def test_pictures_named_in_a_labels_csv_are_tested_too(tmp_path):
    root = tmp_path / "photos"
    root.mkdir()
    for i in range(4):
        Image.new("RGB", (20, 20), (200 * (i % 2), 80, 40)).save(root / f"leaf{i}.png")
    (root / "labels.csv").write_text("image;disease\n" + "".join(
        f"leaf{i}.png;{'mildew' if i % 2 else 'healthy'}\n" for i in range(4)))
    meta = {"image_size": [16, 16], "channels": 3, "resize": "squash"}
    got = labelled_samples(root, "images", "classification", ["healthy", "mildew"], meta)
    assert sorted(zip(got.sources, got.y.tolist())) == [("leaf0.png", 0), ("leaf1.png", 1), ("leaf2.png", 0),
                                                        ("leaf3.png", 1)]
    assert got.x.shape[0] == 4 and np.isfinite(got.x).all()


def test_other_files_follow_the_import_s_rules_for_sheets_beside_class_folders(tmp_path):
    """Review: evaluate --on read a sheet before class folders, where the import reads the folders first for
    clips and passes over a sheet naming none of the files: Edgeling's own answers.csv saved beside new clips
    made them untestable ("No audio clips could be used")."""
    from tests.core.test_import_audio import _tone, _wav

    root = tmp_path / "new"
    for k, word in enumerate(("go", "no")):
        for i in range(3):
            _wav(root / word / f"{i}.wav", _tone(300 + 400 * k + 10 * i, 16000))
    (root / "answers.csv").write_text("file,answer\nelsewhere/a.wav,go\nelsewhere/b.wav,no\n")
    got = labelled_samples(root, "audio", "classification", ["go", "no"], META)
    assert sorted(zip(got.sources, got.y.tolist())) == [(f"{w}/{i}.wav", k) for k, w in enumerate(("go", "no"))
                                                        for i in range(3)]
    (root / "labels.csv").write_text("file,label\n" + "".join(f"{w}/{i}.wav,{'no' if w == 'go' else 'go'}\n"
                                                              for w in ("go", "no") for i in range(3)))
    got = labelled_samples(root, "audio", "classification", ["go", "no"], META)      # the folders win, as at import
    assert dict(zip(got.sources, got.y.tolist()))["go/0.wav"] == 0



def test_a_silent_clip_is_left_out_of_a_test_as_the_import_leaves_it_out(tmp_path):
    """The regression walk: evaluate --on counted 350 clips where the import of the same folder had 349 (a silent
    clip is left out there, and was counted and scored here)."""
    import soundfile as sf

    root = tmp_path / "new"
    _labelled_clips(root, 4)                      # clips/child00_no.wav ... in one folder: put in class folders
    for f in sorted((root / "clips").glob("*.wav")):
        (root / f.stem.split("_")[1]).mkdir(exist_ok=True)
        f.rename(root / f.stem.split("_")[1] / f.name)
    (root / "clips").rmdir()
    sf.write(root / "no" / "quiet.wav", np.zeros(16000, np.float32), 16000)
    got = labelled_samples(root, "audio", "classification", ["go", "no"], META)
    assert "no/quiet.wav" not in got.sources and len(got.sources) == 4
    assert {"file": "no/quiet.wav", "reason": "the clip is silent (nothing louder than -60 dB): the import leaves "
                                              "such a clip out"} in got.skipped


def test_a_sheet_naming_the_label_column_otherwise_is_read_and_said(tmp_path):
    """The speech walk: the new session's sheet called the word 'Catégorie' where training had 'Étiquette', and
    evaluate --on said "None of the folders ... is named as a class this model knows"."""
    root = tmp_path / "new"
    rows = _labelled_clips(root, 6)
    (root / "sheet.csv").write_text("file,Catégorie,child\n" + "\n".join(rows) + "\n", encoding="utf-8")
    got = labelled_samples(root, "audio", "classification", ["go", "no"], {**META, "sheet_label_column": "Étiquette"})
    assert len(got.y) == 6
    assert got.notes[0] == ("sheet.csv has no column 'Étiquette' (the one the run learnt from): its labels were read "
                            "from 'Catégorie'")
