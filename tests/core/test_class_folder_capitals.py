"""Class folders whose names differ only in capitals ('Yes' and 'yes') stay two classes, as Linux keeps
them, but Windows and macOS hold them as one folder. Images were reported; audio and sensor folders were
not. Every folder-per-class importer now says it once, in the same words."""

from __future__ import annotations

import unicodedata

from edgeling.core.data import audio, images, timeseries
from edgeling.core.data.load import ImportOptions
from tests.core.test_import_audio import _tone, _wav
from tests.core.test_import_images import _noise, _save
from tests.core.test_import_timeseries import write_rec


def _message(listed: str, many: str) -> str:
    return (f"The class folders {listed} have names that differ only in capital letters. Edgeling reads them "
            f"as two different classes, but Windows and macOS see one folder: copied there, their {many} end "
            "up mixed in one folder (or the copy stops), and this data will not open the same way.")


def _only_warning(ds):
    found = ds.report.by_code("folder_names_differ_in_case")
    assert len(found) == 1
    return found[0]


def test_audio_folders_differing_only_in_capitals_are_two_classes_with_a_warning(tmp_path):
    root = tmp_path / "words"
    for name, n, freq in (("Yes", 4, 300), ("yes", 1, 500), ("no", 4, 900)):
        for i in range(n):
            _wav(root / name / f"{i}.wav", _tone(freq + 10 * i, 16000))
    ds = audio.import_dataset(root, ImportOptions())
    assert ds.class_names == ["no", "Yes", "yes"]
    assert ds.class_counts() == {"no": 4, "Yes": 4, "yes": 1}
    p = _only_warning(ds)
    assert p.severity == "warning" and p.files == ["Yes", "yes"]
    assert p.message == _message("'Yes' (4 recordings) and 'yes' (1 recording)", "recordings")
    assert p.advice == ("If they are the same class, move the recordings of one folder into the other. If "
                        "they are different classes, rename one so that the names differ in more than capital "
                        "letters.")


def test_sensor_folders_differing_only_in_capitals_are_two_classes_with_a_warning(tmp_path):
    root = tmp_path / "rec"
    for name, n, freq in (("Shake", 3, 6.0), ("shake", 2, 3.0), ("idle", 3, 1.0)):
        for i in range(n):
            write_rec(root / name / f"{i}.csv", freq=freq, seed=10 * len(name) + i)
    ds = timeseries.import_dataset(root, ImportOptions())
    assert ds.class_names == ["idle", "Shake", "shake"]
    p = _only_warning(ds)
    assert p.severity == "warning" and p.files == ["Shake", "shake"]
    assert p.message == _message("'Shake' (3 recordings) and 'shake' (2 recordings)", "recordings")


def test_image_folders_say_it_once_in_the_same_words(tmp_path):
    root = tmp_path / "answers"
    for name, n in (("YES", 2), ("Yes", 1), ("yes", 3), ("no", 3)):
        for i in range(n):
            _save(root / name / f"{i}.png", _noise())
    p = _only_warning(images.import_dataset(root, ImportOptions()))
    assert p.files == ["YES", "Yes", "yes"]
    listed = "'YES' (2 images) and 'Yes' (1 image) and 'yes' (3 images)"
    assert p.message == _message(listed, "images").replace("as two different", "as 3 different")


def test_a_folder_in_two_unicode_forms_and_another_in_capitals(tmp_path):
    # 'écoute' from a Mac (NFD) and from Windows (NFC) are one class, counted together; 'Écoute' differs from
    # it only in capitals.
    nfc, nfd = unicodedata.normalize("NFC", "écoute"), unicodedata.normalize("NFD", "écoute")
    upper = unicodedata.normalize("NFC", "Écoute")
    root = tmp_path / "words"
    for name, n, freq in ((nfc, 2, 300), (nfd, 2, 320), (upper, 3, 700), ("stop", 3, 900)):
        for i in range(n):
            _wav(root / name / f"{i}.wav", _tone(freq + 10 * i, 16000))
    ds = audio.import_dataset(root, ImportOptions())
    assert ds.class_counts() == {nfc: 4, upper: 3, "stop": 3}
    assert len(ds.report.by_code("same_folder_name")) == 1
    p = _only_warning(ds)
    assert p.files == [upper, nfc]
    assert p.message.startswith(f"The class folders {upper!r} (3 recordings) and {nfc!r} (4 recordings) have")


def test_distinct_audio_and_sensor_folders_have_no_capitals_warning(tmp_path):
    for i in range(3):
        _wav(tmp_path / "words" / "Yes" / f"{i}.wav", _tone(300 + 10 * i, 16000))
        _wav(tmp_path / "words" / "no" / f"{i}.wav", _tone(900 + 10 * i, 16000))
        write_rec(tmp_path / "rec" / "Idle" / f"{i}.csv", freq=1.0, seed=i)
        write_rec(tmp_path / "rec" / "shake" / f"{i}.csv", freq=6.0, seed=10 + i)
    for importer, folder in ((audio, "words"), (timeseries, "rec")):
        ds = importer.import_dataset(tmp_path / folder, ImportOptions())
        assert not ds.report.by_code("folder_names_differ_in_case")
