"""What an answer for a table row says about the row (the shop re-walk): a year the model never learnt from
(orders of 2026 for a model of 2023-2024 drifted from 2 to 8 returns of 30, silently), a blank it filled, a
number far outside the training rows; and a repeat customer among the rare ones grouped as "(other)" is
said once for the file, not on every row."""

from __future__ import annotations

import numpy as np
import pytest

from edgeling.core.jobs.train_job import train_run
from edgeling.core.training.predict import aggregated_notes, predict_files
from tests.core.training_fixtures import ZOO


@pytest.fixture(scope="module")
def shop_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("shop")
    rng = np.random.default_rng(0)
    lines = ["N° commande;Date commande;Client;Montant (€);Retourné"]
    for i in range(300):
        client = f"Client {int(rng.integers(0, 120)):03d}"
        amount = round(float(rng.uniform(10, 200)), 2)
        lines.append(f"CMD-{i};{int(rng.integers(1, 28)):02d}/{int(rng.integers(1, 13)):02d}/{2023 + i % 2};"
                     f"{client};{str(amount).replace('.', ',')};{'oui' if amount > 150 else 'non'}")
    (base / "commandes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(base / "cache"))
        assert train_run(base / "commandes.csv", base / "run", epochs=2, zoo=ZOO, threads=1)["status"] == "finished"
        yield base


def test_a_new_rows_year_blank_and_far_number_are_said_on_its_row(shop_run, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(shop_run / "cache"))
    new = shop_run / "nouvelles.csv"
    new.write_text("N° commande;Date commande;Client;Montant (€)\n"
                   "CMD-1;03/02/2024;Client 001;50,00\n"          # nothing to say
                   "CMD-2;03/02/2026;Client 001;50,00\n"          # a year it never learnt from
                   "CMD-3;03/02/2024;Client 001;\n"               # blank: filled with the middle value
                   "CMD-4;03/02/2024;Client 001;5000,00\n", encoding="utf-8")   # far above 10-200
    preds = predict_files(shop_run / "run", [str(new)])
    notes = [p.get("notes") or [] for p in preds]
    assert notes[0] == []
    assert notes[1] == ["the year 2026 in 'Date commande' is outside the years the model learnt from (2023 to "
                        "2024); it uses the year as a number, so its answer may drift"]
    assert len(notes[2]) == 1 and notes[2][0].startswith("'Montant (€)' is blank; the model was given the column's "
                                                         "middle value (") and notes[2][0].endswith(", as in training")
    assert len(notes[3]) == 1 and notes[3][0].startswith("5000 in 'Montant (€)' is outside what the model learnt from")


def test_dates_written_year_first_are_read_and_unreadable_ones_said(shop_run, monkeypatch):
    """The shop walk: the new software wrote 2024-02-03 for a model trained on 03/02/2024; every date was dropped
    (the answers were those of the same rows with the dates blanked), and nothing said."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(shop_run / "cache"))
    new = shop_run / "iso.csv"
    new.write_text("N° commande;Date commande;Client;Montant (€)\n"
                   "CMD-1;03/02/2024;Client 001;150,00\n"
                   "CMD-2;2024-02-03;Client 001;150,00\n"
                   "CMD-3;le 3 février;Client 001;150,00\n", encoding="utf-8")
    preds = predict_files(shop_run / "run", [str(new)])
    assert preds[1]["top"] == preds[0]["top"] and not preds[1].get("notes")        # read as the same date
    assert preds[2]["notes"] == ["'le 3 février' in 'Date commande' is not a date Edgeling can read (write it as "
                                 "01/03/2025 or 2025-03-01); the model was given the middle date of the training "
                                 "rows instead"]


def test_customers_among_the_rare_ones_are_said_once_for_the_file(shop_run, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(shop_run / "cache"))
    new = shop_run / "habitues.csv"
    new.write_text("N° commande;Date commande;Client;Montant (€)\n" + "".join(
        f"CMD-{i};03/02/2024;Client {900 + i};50,00\n" for i in range(6)), encoding="utf-8")
    preds = predict_files(shop_run / "run", [str(new)])
    assert all(not p.get("notes") for p in preds)                         # no note on every row
    said = aggregated_notes(preds)
    assert len(said) == 1 and said[0].startswith("habitues.csv: 6 of the 6 rows have a 'Client' the model knows "
                                                 "only among the rare values it groups as \"(other)\"")


def test_a_blank_category_is_said_as_a_blank_number_is():
    """The shop walk: a blank 'Montant' was said on its row, a blank 'Catégorie' or 'Pays' not."""
    from edgeling.core.training.table_notes import unseen_category_notes

    meta = {"columns": [{"name": "Pays", "type": "category", "categories": ["France", "Belgique", "(missing)"]}]}
    notes = unseen_category_notes([{"Pays": "France"}, {"Pays": ""}], meta)
    assert notes == [[], ["'Pays' is blank; the model was given \"(missing)\", as blank cells were in training"]]


def test_a_column_the_training_table_did_not_have_is_said_once(shop_run, monkeypatch):
    """The shop walk: the new month's 'Commentaire' column was ignored without a word."""
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(shop_run / "cache"))
    new = shop_run / "avec_commentaire.csv"
    new.write_text("N° commande;Date commande;Client;Montant (€);Commentaire\n"
                   "CMD-1;03/02/2024;Client 001;50,00;livré en retard\n"
                   "CMD-2;03/02/2024;Client 001;60,00;\n", encoding="utf-8")
    said = aggregated_notes(predict_files(shop_run / "run", [str(new)]))
    about = [s for s in said if "column" in s and "training table" in s]
    assert about == ["avec_commentaire.csv: the column 'Commentaire' was not in the training table, so the model "
                     "does not read it"]          # 'N° commande' was in it (left out there as an identifier)


def test_testing_on_other_rows_names_them_and_says_what_predict_says(shop_run, monkeypatch):
    """The shop walk: evaluate --on gave its wrong answers without order numbers, and said nothing of a value
    never seen in training or a blank it filled, which predict says on the same file."""
    from edgeling.core.training.other_files import evaluate_on_files

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(shop_run / "cache"))
    new = shop_run / "mois.csv"
    new.write_text("N° commande;Date commande;Client;Montant (€);Retourné\n"
                   "CMD-901;03/02/2024;Client 001;190,00;non\n"          # wrong on purpose: a big amount
                   "CMD-902;03/02/2024;Client 001;;oui\n"                # blank: filled
                   "CMD-903;03/02/2024;Client 002;20,00;non\n", encoding="utf-8")
    m = evaluate_on_files(shop_run / "run", new)
    wrong = [w for w in m["worst_samples"] if w.get("row_id") == "CMD-901"]
    assert wrong and wrong[0]["row_id_column"] == "N° commande"
    assert any(n.startswith("mois.csv row 3: 'Montant (€)' is blank; the model was given the column's middle value")
               for n in m["notes"])


def test_notes_on_two_files_of_the_same_name_say_which_is_which():
    """The pump walk: loose_mount/pump4_rec01.csv and normal/pump4_rec01.csv were both noted as
    "pump4_rec01.csv", and the same note on both was said once."""
    from edgeling.core.training.predict import aggregated_notes

    said = aggregated_notes([{"source": "/d/loose_mount/pump4_rec01.csv", "file_notes": ["recorded at 400 per second"]},
                             {"source": "/d/normal/pump4_rec01.csv#t=0.00-2.00", "file_notes": ["recorded at 400 per second"]},
                             {"source": "/d/normal/pump5_rec01.csv", "file_notes": ["x, y, z read about 9.8"]}])
    assert said == ["loose_mount/pump4_rec01.csv: recorded at 400 per second",
                    "normal/pump4_rec01.csv: recorded at 400 per second",
                    "pump5_rec01.csv: x, y, z read about 9.8"]


def test_renamed_columns_are_said_with_the_file_s_column_most_like_each():
    """The shop walk: the new program's export stopped with "lacks 6 of the 6 columns", with no hint that 'Date'
    was now 'Date commande', nor that the answers had to be in 'Retourné' (it had 'Retour')."""
    from edgeling.core.data.dataset import DataError
    from edgeling.core.data.table_encode import check_columns

    meta = {"columns": [{"name": "Date"}, {"name": "Catégorie"}, {"name": "Montant (€)"}], "target": "Retourné"}
    rows = [{"Date commande": "2025-03-01", "Famille": "Jardin", "Montant (€)": "12,5", "Retour": "Oui"}]
    with pytest.raises(DataError, match=r"lacks 2 of the 3 columns the model was trained on: 'Date' \(the"):
        check_columns("new.csv", rows, meta)                         # to predict: the answers are not needed
    with pytest.raises(DataError) as e:
        check_columns("new.csv", rows, meta, answers=True)
    said = str(e.value)
    assert said.startswith("new.csv lacks 3 of the 4 columns the model was trained on and tested against: 'Date' "
                           "(the file has 'Date commande'), 'Catégorie', 'Retourné' (the file has 'Retour').")
    assert "Rename those columns in the file's first line to the names the model learnt" in said


def test_values_outside_what_the_model_learnt_are_said_once_per_column():
    """The shop walk: evaluate --on printed 140 lines, one per large amount, and the note about a category never
    seen was lost among them."""
    outside = "{:g} in 'Montant (€)' is outside what the model learnt from (4.79 to 294.18); its answer there is a guess"
    preds = [{"source": f"new.csv#row={i}", "notes": [outside.format(300 + 10 * i)]} for i in range(2, 142)]
    preds.append({"source": "new.csv#row=200", "notes": ["'Jardin' in 'Catégorie' was never seen in training"]})
    said = aggregated_notes(preds)
    assert said == ["new.csv rows 2, 3, 4, 5, 6, 7, 8, 9, 10 and 11 (and 130 more rows): 'Montant (€)' is outside "
                    "what the model learnt from (4.79 to 294.18): 320, 330, 340, ...; its answer there is a guess",
                    "new.csv row 200: 'Jardin' in 'Catégorie' was never seen in training"]


def test_a_one_letter_column_is_no_match_and_dates_and_one_more_row_are_said_once():
    """The review: 'Taxe' (the file has 'X') invited renaming the wrong column; 40 unreadable dates gave 40 notes;
    "(and 1 more rows)" (the GUI walk)."""
    from edgeling.core.data.dataset import DataError
    from edgeling.core.data.table_encode import check_columns

    meta = {"columns": [{"name": "Taxe"}, {"name": "Age"}, {"name": "Date"}], "target": "y"}
    with pytest.raises(DataError) as e:
        check_columns("new.csv", [{"X": "1", "A": "2", "Date commande": "3"}], meta)
    assert "'Taxe', 'Age', 'Date' (the file has 'Date commande')" in str(e.value)
    note = "'{:02d}/03/2025' in 'Date' is not a date Edgeling can read (write it as 2025-03-01); the model was " \
           "given the middle date of the training rows instead"
    preds = [{"source": f"new.csv#row={i}", "notes": [note.format(i)]} for i in range(2, 13)]
    (said,) = aggregated_notes(preds)
    assert said.startswith("new.csv rows 2, 3, 4, 5, 6, 7, 8, 9, 10 and 11 (and 1 more row): 'Date' is not a date "
                           "Edgeling can read (write it as 2025-03-01): '02/03/2025', '03/03/2025', '04/03/2025', ...")


def test_one_sensor_recording_chosen_as_a_table_is_said(tmp_path, monkeypatch):
    """The GUI walk: shake_00.csv (x, y, z) on its own was read as a table predicting 'z', "No problems found"."""
    from edgeling.core.data import report as R
    from edgeling.core.data.load import ImportOptions, open_dataset

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    rec = tmp_path / "shake_00.csv"
    rec.write_text("x,y,z\n" + "".join(f"{i % 7},{i % 5},{16000 + i % 3}\n" for i in range(200)), encoding="utf-8")
    (said,) = open_dataset(rec, None, ImportOptions()).report.by_code(R.LOOKS_LIKE_RECORDING)
    assert said.message.startswith("shake_00.csv looks like one sensor recording (its columns x, y, z are a sensor's")
    assert not open_dataset(rec, None, ImportOptions(target="z")).report.by_code(R.LOOKS_LIKE_RECORDING)   # asked
