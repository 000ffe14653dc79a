"""``evaluate --on``: files are given the class the training import would have given them. A run trained on
folders 'Yes' and 'yes' (two classes on Linux) tested on a folder holding both counted both under one
class, because class names were matched ignoring capitals; now the name itself (in NFC) comes first,
and the forgiving match (capitals, edge spaces) only when it can mean one class."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest

from edgeling.core.data.dataset import DataError
from edgeling.core.training.class_match import class_indices as _class_indices
from edgeling.core.training.class_match import match_class_names
from edgeling.core.training.other_files import labelled_samples
from tests.core.test_import_audio import _tone, _wav

META = {"sample_rate": 16000, "clip_s": 1.0}


def _folders(root: Path, *names: str) -> Path:
    for k, name in enumerate(names):
        _wav(root / name / "a.wav", _tone(300 + 100 * k, 16000))
        _wav(root / name / "b.wav", _tone(350 + 100 * k, 16000))
    return root


def _classes_of(got) -> dict[str, int]:
    return {s.split("/")[0]: int(y) for s, y in zip(got.sources, got.y)}


def test_folders_differing_only_in_capitals_count_under_their_own_class(tmp_path):
    root = _folders(tmp_path / "new", "Yes", "yes", "no")
    got = labelled_samples(root, "audio", "classification", ["no", "Yes", "yes"], META)
    assert _classes_of(got) == {"Yes": 1, "yes": 2, "no": 0}
    assert np.bincount(got.y).tolist() == [2, 2, 2]


def test_a_folder_in_other_capitals_still_finds_its_one_class(tmp_path):
    root = _folders(tmp_path / "new", "YES", "No")
    got = labelled_samples(root, "audio", "classification", ["no", "yes"], META)
    assert _classes_of(got) == {"YES": 1, "No": 0}


def test_a_folder_that_could_be_two_classes_is_named(tmp_path):
    root = _folders(tmp_path / "new", "YES", "no")
    with pytest.raises(DataError) as e:
        labelled_samples(root, "audio", "classification", ["no", "Yes", "yes"], META)
    assert "has a folder whose class is unclear: 'YES' could be 'Yes' or 'yes'" in str(e.value)
    assert "Name each folder exactly as its class" in str(e.value) and e.value.files == [str(root / "YES")]


def test_folders_in_other_capitals_count_under_the_one_class_the_model_knows(tmp_path):
    # The model only learnt 'yes': 'Yes' can mean nothing else (as on Windows, where both are one folder).
    root = _folders(tmp_path / "new", "Yes", "yes", "no")
    got = labelled_samples(root, "audio", "classification", ["no", "yes"], META)
    assert _classes_of(got) == {"Yes": 1, "yes": 1, "no": 0}


def test_labels_are_matched_alike():
    names = ["no", "Yes", "yes"]
    nfd = unicodedata.normalize("NFD", "écoute")
    known, unknown, unclear = match_class_names(["Yes", "yes", "NO", nfd, "maybe", "YES"], [*names, "écoute"])
    assert known == {"Yes": 1, "yes": 2, "NO": 0, nfd: 3}
    assert unknown == ["maybe"] and list(unclear) == ["YES"]
    rows = [f"t.csv#row={i}" for i in range(2, 6)]
    y = _class_indices(Path("t.csv"), ["Yes", "yes", "no", "Yes"], rows, names, "answer", ("answer", "answers"))
    assert y.tolist() == [1, 2, 0, 1]
    with pytest.raises(DataError, match=r"has answers in the column 'answer' whose class is unclear \(first in "
                                        r"t.csv#row=4\): 'YES' could be 'Yes' or 'yes', whose names differ"):
        _class_indices(Path("t.csv"), ["Yes", "no", "YES", "yes"], rows, names, "answer", ("answer", "answers"))
    # A label in a Mac's Unicode form is the class the training import made of it (NFC).
    nfc = unicodedata.normalize("NFC", nfd)
    y = _class_indices(Path("t.csv"), [nfd, "sain", "sain", nfd], rows, [nfc, "sain"], "answer", ("answer", "answers"))
    assert y.tolist() == [0, 1, 1, 0]
