"""Class labels written in CSV cells (a table's target column, a long sensor CSV's label column, an image
label CSV) as the user means them: an accented label typed on a Mac (NFD: a letter plus a combining accent)
and on Windows (NFC: one accented letter) looks the same and is one class, as class folder names already
were; labels differing only in capitals ('Mildew', 'mildew') stay two classes, with a warning naming both."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np

from edgeling.core.data import images, new_recordings, table, table_encode, timeseries
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.report import LABELS_DIFFER_IN_CASE
from edgeling.core.training.class_match import class_indices as _class_indices
from tests.core.test_import_images import labelled_leaves

NFC = unicodedata.normalize("NFC", "oïdium")
NFD = unicodedata.normalize("NFD", "oïdium")
ADVICE = ("If they are the same class, write them the same way in every row. If they are different classes, "
          "rename one so that the names differ in more than capital letters.")


def _table(path, labels):
    rng = np.random.default_rng(0)
    lines = ["surface,humidity,disease"]
    lines += [f"{rng.normal():.4f},{rng.normal():.4f},{label}" for label in labels]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_tables_accented_labels_are_one_class_whichever_computer_typed_them(tmp_path):
    assert NFC != NFD
    labels = [NFC, NFD, "sain", "mildiou"] * 10
    ds = table.import_dataset(_table(tmp_path / "leaves.csv", labels), ImportOptions())
    assert ds.class_names == ["mildiou", NFC, "sain"]
    assert ds.class_counts() == {"mildiou": 10, NFC: 20, "sain": 10}
    assert not ds.report.by_code(LABELS_DIFFER_IN_CASE)


def test_table_labels_differing_only_in_capitals_stay_two_classes_with_a_warning(tmp_path):
    labels = ["Mildew"] * 12 + ["mildew"] * 3 + ["healthy"] * 15
    ds = table.import_dataset(_table(tmp_path / "leaves.csv", labels), ImportOptions())
    assert ds.class_names == ["healthy", "Mildew", "mildew"]
    (p,) = ds.report.by_code(LABELS_DIFFER_IN_CASE)
    assert p.severity == "warning" and p.files == ["Mildew", "mildew"]
    assert p.message == ("The labels 'Mildew' (12 rows) and 'mildew' (3 rows) in the target column "
                         "'disease' differ only in capital letters. Edgeling reads them as two different classes, "
                         "so if they mean the same thing the model learns to tell apart what is one class.")
    assert p.advice == ADVICE


def test_evaluating_on_a_table_finds_the_class_of_a_label_typed_on_a_mac():
    y = _class_indices(Path("new.csv"), [NFD, "sain", NFC], ["r2", "r3", "r4"], [NFC, "sain"], "disease",
                       ("answer", "answers"))
    assert y.tolist() == [0, 1, 0]


def _long_csv(path, plan):
    lines, k = ["t,acc_x,acc_y,activity"], 0
    for label, n in plan:
        for _ in range(n):
            lines.append(f"{k / 20:.2f},{np.sin(k / 3):.4f},{np.cos(k / 5):.4f},{label}")
            k += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_long_sensor_csvs_accented_labels_are_one_class(tmp_path):
    marche_nfc, marche_nfd = unicodedata.normalize("NFC", "marché"), unicodedata.normalize("NFD", "marché")
    p = _long_csv(tmp_path / "log.csv", [(marche_nfc, 60), ("assis", 60), (marche_nfd, 60), ("assis", 40)])
    ds = timeseries.import_dataset(p, ImportOptions(window_s=2.0))
    assert ds.class_names == ["assis", marche_nfc]
    assert not ds.report.by_code(LABELS_DIFFER_IN_CASE)
    # Kept apart to test on (evaluate --on): the windows carry the class name the import gave them.
    got = new_recordings.labelled_windows(p, ds.meta, ds.meta["label_column"])
    assert set(got.labels) == {"assis", marche_nfc}


def test_long_sensor_csv_labels_differing_only_in_capitals_are_reported(tmp_path):
    p = _long_csv(tmp_path / "log.csv", [("Walk", 60), ("sit", 60), ("walk", 40), ("sit", 40)])
    ds = timeseries.import_dataset(p, ImportOptions(window_s=2.0))
    assert ds.class_names == ["sit", "Walk", "walk"]
    (w,) = ds.report.by_code(LABELS_DIFFER_IN_CASE)
    assert w.files == ["Walk", "walk"]
    assert w.message.startswith("The labels 'Walk' (60 rows) and 'walk' (40 rows) in the label column "
                                "'activity' differ only in capital letters.")


def test_image_label_csv_labels_differing_only_in_capitals_are_reported(tmp_path):
    root = labelled_leaves(tmp_path / "leaves", [("Mildew", "mildew", "healthy")[i % 3] for i in range(9)])
    ds = images.import_dataset(root, ImportOptions())
    assert ds.class_names == ["healthy", "Mildew", "mildew"]
    (w,) = ds.report.by_code(LABELS_DIFFER_IN_CASE)
    assert w.message.startswith("The labels 'Mildew' (3 images) and 'mildew' (3 images) in labels.csv differ")
    assert not ds.report.by_code("folder_names_differ_in_case")


def test_a_text_columns_accented_values_are_one_value_at_import_and_at_predict_time(tmp_path):
    """'Électronique' in a feature column, typed on a Mac in some rows and on Windows in others: one value
    (it was two one-hot columns), and a new order typed either way is encoded the same and not said to be
    never seen."""
    from edgeling.core.training.table_notes import unseen_category_notes

    mac, windows = unicodedata.normalize("NFD", "Électronique"), unicodedata.normalize("NFC", "Électronique")
    rng = np.random.default_rng(0)
    lines = ["catégorie,prix,retour"] + [f"{[mac, windows, 'maison'][i % 3]},{rng.normal():.3f},{'oui' if i % 2 else 'non'}"
                                         for i in range(60)]
    (tmp_path / "orders.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = table.import_dataset(tmp_path / "orders.csv", ImportOptions())
    (col,) = [c for c in ds.meta["columns"] if c["type"] == "category"]
    assert col["categories"] == [windows, "maison"]
    rows = [{"catégorie": mac, "prix": "1.0"}, {"catégorie": windows, "prix": "1.0"}]
    x = table_encode.encode_rows(rows, ds.meta)
    assert np.array_equal(x[0], x[1]) and unseen_category_notes(rows, ds.meta) == [[], []]


def test_a_mostly_blank_last_column_is_not_taken_as_the_target(tmp_path):
    """The shop walk: the export's last column was 'Commentaire', blank in most rows; it was taken as the
    column to predict and the advice was 'Fill in the target for those rows'. Now the column before it is
    taken and the report says why; chosen by name, the blank rows are left out and said."""
    rng = np.random.default_rng(0)
    lines = ["prix;retourné;commentaire"] + [
        f"{rng.normal():.2f};{'oui' if i % 3 else 'non'};{('colis abîmé', 'retard')[i % 2] if i % 5 == 0 else ''}" for i in range(60)]
    (tmp_path / "commandes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = table.import_dataset(tmp_path / "commandes.csv", ImportOptions())
    assert ds.meta["target"] == "retourné" and len(ds.y) == 60
    (p,) = [p for p in ds.report.problems if p.code == "target_guessed"]
    assert "'commentaire' is blank in 80% of the rows" in p.message
    chosen = table.import_dataset(tmp_path / "commandes.csv", ImportOptions(target="commentaire"))
    (p,) = [p for p in chosen.report.problems if p.code == "missing_values" and "target column" in p.message]
    assert p.advice == "Fill in the target for those rows if you know it."
