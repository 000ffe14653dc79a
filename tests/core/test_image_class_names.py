"""Class names of an image folder as the user means them: a label CSV's accented labels are one class
whichever computer typed them."""

from __future__ import annotations

import unicodedata

from edgeling.core.data import images
from edgeling.core.data.load import ImportOptions
from tests.core.test_import_images import _noise, _save

NFC = unicodedata.normalize("NFC", "oïdium")
NFD = unicodedata.normalize("NFD", "oïdium")


def test_label_csv_labels_in_two_unicode_forms_are_one_class(tmp_path):
    # The table was filled in on a Mac (NFD: 'i' plus a combining diaeresis) and on Windows (NFC: one 'ï'):
    # both look alike, and were two classes.
    assert NFC != NFD
    root = tmp_path / "leaves"
    rows = ["file,label"]
    for i in range(12):
        _save(root / f"leaf{i}.png", _noise())
        rows.append(f"leaf{i}.png,{'mildiou' if i % 3 == 0 else (NFC if i % 3 == 1 else NFD)}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ds = images.import_dataset(root, ImportOptions())
    assert ds.meta["labels_from"] == "labels.csv"
    assert ds.class_names == ["mildiou", NFC]
    assert ds.class_counts() == {"mildiou": 4, NFC: 8}


def test_label_csv_finds_files_named_in_the_other_unicode_form(tmp_path):
    # Photos copied from a Mac keep NFD names on disk; the table typed on Windows names them in NFC. They
    # were 'listed but not in the folder', and the photos 'not listed'.
    root = tmp_path / "leaves"
    rows = ["file,label"]
    for i in range(6):
        _save(root / f"{NFD}_{i}.png", _noise())
        _save(root / f"sain_{i}.png", _noise())
        rows += [f"{NFC}_{i}.png,{NFC}", f"sain_{i}.png,sain"]
    (root / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ds = images.import_dataset(root, ImportOptions())
    assert ds.class_counts() == {NFC: 6, "sain": 6}
    assert f"{NFD}_0.png" in ds.sources          # read where it is
    assert not ds.report.by_code("missing_file") and not ds.report.by_code("unlabelled_file")
