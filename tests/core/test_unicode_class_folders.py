"""Class folders whose names differ only in Unicode form are one class: 'écoute' typed on Windows or Linux
(NFC: one letter é) and 'écoute' copied from a Mac (NFD: e plus a combining accent) look the same and
were two classes. Every folder-per-class importer, and ``evaluate --on FOLDER``, treats them as one."""

from __future__ import annotations

import unicodedata

from edgeling.core.data import audio, images, timeseries
from edgeling.core.data.load import ImportOptions
from edgeling.core.training.other_files import labelled_samples
from tests.core.test_import_audio import _tone, _wav
from tests.core.test_import_images import _noise, _save
from tests.core.test_import_timeseries import write_rec

NFC = unicodedata.normalize("NFC", "écoute")
NFD = unicodedata.normalize("NFD", "écoute")
MESSAGE = (f"The folders {NFC!r} and {NFD!r} have the same name written in two Unicode forms (one from a "
           f"Mac); their files are one class, {NFC!r}.")


def test_the_two_forms_really_differ():
    assert NFC != NFD and len(NFC) == 6 and len(NFD) == 7


def _check(ds, per_form: int, other: str):
    assert ds.class_names == sorted([NFC, other], key=str.casefold)
    assert ds.class_counts()[NFC] == 2 * per_form
    merged = ds.report.by_code("same_folder_name")
    assert len(merged) == 1 and merged[0].severity == "info"
    assert merged[0].message == MESSAGE and merged[0].files == [NFC, NFD]


def test_audio_folders_in_two_forms_are_one_class(tmp_path):
    root = tmp_path / "words"
    for i in range(6):
        _wav(root / NFC / f"a{i}.wav", _tone(300 + 10 * i, 16000))
        _wav(root / NFD / f"b{i}.wav", _tone(320 + 10 * i, 16000))
        _wav(root / "stop" / f"c{i}.wav", _tone(900 + 10 * i, 16000))
    ds = audio.import_dataset(root, ImportOptions())
    _check(ds, 6, "stop")
    assert f"{NFD}/b0.wav" in ds.sources   # the file is still read where it is


def test_image_folders_in_two_forms_are_one_class(tmp_path):
    root = tmp_path / "photos"
    for i in range(6):
        _save(root / NFC / f"a{i}.png", _noise())
        _save(root / NFD / f"b{i}.png", _noise())
        _save(root / "stop" / f"c{i}.png", _noise())
    _check(images.import_dataset(root, ImportOptions()), 6, "stop")


def test_sensor_folders_in_two_forms_are_one_class(tmp_path):
    root = tmp_path / "rec"
    for i in range(4):
        write_rec(root / NFC / f"a{i}.csv", freq=1.0, seed=i)
        write_rec(root / NFD / f"b{i}.csv", freq=1.0, seed=10 + i)
        write_rec(root / "shake" / f"c{i}.csv", freq=6.0, seed=20 + i)
    ds = timeseries.import_dataset(root, ImportOptions())
    assert ds.class_names == ["shake", NFC]
    windows = ds.class_counts()
    assert windows[NFC] == 2 * windows["shake"]
    assert [p.message for p in ds.report.by_code("same_folder_name")] == [MESSAGE]


def test_one_form_alone_is_named_in_nfc_without_a_note(tmp_path):
    root = tmp_path / "words"
    for i in range(6):
        _wav(root / NFD / f"b{i}.wav", _tone(320 + 10 * i, 16000))
        _wav(root / "stop" / f"c{i}.wav", _tone(900 + 10 * i, 16000))
    ds = audio.import_dataset(root, ImportOptions())
    assert ds.class_names == ["stop", NFC] and not ds.report.by_code("same_folder_name")


def test_evaluate_on_a_folder_matches_a_class_in_either_form(tmp_path):
    # A run trained on 'écoute' tested on a folder copied from a Mac: the folder was "not a class this
    # model knows", and the other way round.
    meta = {"sample_rate": 16000, "clip_s": 1.0}
    for run_names, folder in (([NFC, "stop"], NFD), ([NFD, "stop"], NFC)):
        root = tmp_path / f"new-{len(folder)}"
        _wav(root / folder / "x.wav", _tone(300, 16000))
        _wav(root / "stop" / "y.wav", _tone(900, 16000))
        got = labelled_samples(root, "audio", "classification", run_names, meta)
        assert dict(zip(got.sources, got.y.tolist())) == {f"{folder}/x.wav": 0, "stop/y.wav": 1}
