"""Class names of an image folder as the user means them: a label CSV's accented labels are one class
whichever computer typed them, and class folders whose names differ only in capitals are reported."""

from __future__ import annotations

import unicodedata

from edgeling.core.data import images
from edgeling.core.data.load import ImportOptions
from tests.core.test_import_images import _noise, _save, labelled_leaves

NFC = unicodedata.normalize("NFC", "oïdium")
NFD = unicodedata.normalize("NFD", "oïdium")


def test_label_csv_labels_in_two_unicode_forms_are_one_class(tmp_path):
    # The table was filled in on a Mac (NFD: 'i' plus a combining diaeresis) and on Windows (NFC: one 'ï'):
    # both look alike, and were two classes.
    assert NFC != NFD
    root = labelled_leaves(tmp_path / "leaves", [("mildiou", NFC, NFD)[i % 3] for i in range(12)])
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


def test_class_folders_differing_only_in_capitals_stay_two_classes_with_a_warning(tmp_path):
    # Linux keeps 'Yes' and 'yes' apart; Windows and macOS hold them as one folder. Nothing is merged
    # silently, but the user is told, and how to tidy up.
    root = tmp_path / "answers"
    for name, n in (("Yes", 6), ("yes", 3), ("no", 6)):
        for i in range(n):
            _save(root / name / f"{i}.png", _noise())
    ds = images.import_dataset(root, ImportOptions())
    assert sorted(ds.class_names) == ["Yes", "no", "yes"]
    assert ds.class_counts()["Yes"] == 6 and ds.class_counts()["yes"] == 3
    (p,) = ds.report.by_code("folder_names_differ_in_case")
    assert p.severity == "warning" and p.files == ["Yes", "yes"]
    assert p.message.startswith("The class folders 'Yes' (6 images) and 'yes' (3 images) have names that "
                                "differ only in capital letters. Edgeling reads them as two different classes, "
                                "but Windows and macOS see one folder")
    assert "move the images of one folder into the other" in p.advice and "rename one" in p.advice


def test_distinct_class_folders_have_no_capitals_warning(tmp_path):
    root = tmp_path / "leaves"
    for name in ("Healthy", "Mildew", "black_rot"):
        for i in range(3):
            _save(root / name / f"{i}.png", _noise())
    assert not images.import_dataset(root, ImportOptions()).report.by_code("folder_names_differ_in_case")
