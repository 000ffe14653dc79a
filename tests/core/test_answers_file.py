"""Predictions name a table's rows by the table's own order number or reference, and can be saved as a
spreadsheet the shop owner opens in French Excel (same separator and decimal mark, accents intact)."""

from __future__ import annotations

import json

import pytest
import torch

from edgeling.core.answers_file import answers_text
from edgeling.core.cli import main
from edgeling.core.data.row_names import row_id_column
from tests.core.test_predict_exported import train_table_run


def rows(**columns):
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def test_the_column_called_like_an_identifier_names_the_rows():
    table = rows(a=["1.5", "2.5"], **{"N° commande": ["CMD-1", "CMD-2"]}, pays=["France", "Belgique"])
    assert row_id_column(table, ["a", "pays"]) == "N° commande"
    assert row_id_column(rows(Order_ID=["7", "8"], a=["1", "2"]), ["a"]) == "Order_ID"   # numbers are fine
    assert row_id_column(rows(ref=["R1"], a=["1"]), ["a"]) == "ref"                     # one row, by its name


def test_without_such_a_name_the_leftmost_text_column_different_in_every_row():
    table = rows(client=["Dupont", "Martin", "Durand"], weight=["1.2", "3.4", "5.6"], a=["1", "2", "3"])
    assert row_id_column(table, ["a"]) == "client"
    assert row_id_column(rows(weight=["1.2", "3.4"], a=["1", "2"]), ["a"]) is None   # a measurement, not a name
    assert row_id_column(rows(client=["Dupont"], a=["1"]), ["a"]) is None            # one row: nothing to tell apart


def test_no_column_the_model_reads_the_target_a_repeated_or_a_blank_value_names_rows():
    assert row_id_column(rows(ref=["R1", "R2"], a=["1", "2"]), ["Ref", "a"]) is None      # the model reads it
    assert row_id_column(rows(ref=["R1", "R2"], a=["1", "2"]), ["a"], target="REF") is None
    assert row_id_column(rows(client=["Dupont", "Dupont"], a=["1", "2"]), ["a"]) is None  # repeated
    assert row_id_column(rows(client=["Dupont", ""], a=["1", "2"]), ["a"]) is None        # a blank
    assert row_id_column(rows(ref=["", "", "R3"], a=["1", "2", "3"]), ["a"]) is None      # mostly blank


def test_an_identifier_column_names_rows_even_when_an_order_repeats_or_a_row_lacks_it():
    """The shop walk: one repeated order number (an order of two items) or one blank one took the order
    numbers out of every answer."""
    from edgeling.core.data.row_names import row_ids

    table = rows(**{"N° commande": ["CMD-1", "CMD-1", "", "CMD-3"]}, a=["1", "2", "3", "4"])
    assert row_ids(table, ["a"]) == ("N° commande", ["CMD-1", "CMD-1", None, "CMD-3"])


def test_answers_text_french_style():
    preds = [{"source": "/x/new.csv#row=2", "label": "oui", "confidence": 0.8123,
              "top": [{"label": "oui", "confidence": 0.8123}, {"label": "non", "confidence": 0.1877}],
              "row_id": "CMD-1", "row_id_column": "n° commande", "notes": ["'Canada' in 'pays' was never seen"]},
             {"source": "/x/new.csv#row=3", "error": "unreadable"}]
    text = answers_text(preds, ";", True)
    assert text.splitlines() == [
        "file;row;n° commande;answer;confidence;second answer;its confidence;notes",
        "new.csv;2;CMD-1;oui;0,812;non;0,188;'Canada' in 'pays' was never seen",
        "new.csv;3;;;;;;not predicted: unreadable"]
    assert answers_text([{"source": "a.wav", "value": 3.25}]).splitlines() == ["file,row,value,notes", "a.wav,,3.2500,"]
    assert answers_text([{"source": "t.csv#row=2", "value": 3.25, "target": "prix €"}]).splitlines()[0] == \
        "file,row,prix € (predicted),notes"


def test_a_recording_gives_a_line_per_window_and_a_file_note_a_line_of_its_own():
    """The pump walk: the answers file kept only a long recording's average ('normal, 0.412') and lost where
    it turned to cavitation; the shop walk: the note that a TOTAL row was left out sat on the first order."""
    def answer(label, source):
        return {"source": source, "label": label, "confidence": 0.9,
                "top": [{"label": label, "confidence": 0.9}, {"label": "other", "confidence": 0.1}]}

    pump = dict(answer("normal", "/d/long.csv"),
                windows=[answer("normal", "/d/long.csv#t=0.00"), answer("cavitation", "/d/long.csv#t=40.00")])
    assert answers_text([pump]).splitlines() == [
        "file,row,window from (s),answer,confidence,second answer,its confidence,notes",
        "long.csv,,,normal,0.900,other,0.100,the whole recording (its windows follow)",
        "long.csv,,0.00,normal,0.900,other,0.100,",
        "long.csv,,40.00,cavitation,0.900,other,0.100,"]
    order = dict(answer("non", "/d/new.csv#row=2"), file_notes=["Row 62 of new.csv starts with 'TOTAL'; it was "
                                                                 "not predicted."])
    assert answers_text([order]).splitlines()[1:] == [
        "new.csv,,,,,,Row 62 of new.csv starts with 'TOTAL'; it was not predicted.",
        "new.csv,2,non,0.900,other,0.100,"]


@pytest.fixture
def table_run(tmp_path, monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    run, data = train_table_run(tmp_path)
    lines = data.read_bytes().decode("cp1252").splitlines()
    new = tmp_path / "nouvelles.csv"       # the orders to predict: with their reference, without the label
    new.write_bytes("\r\n".join(["Référence;" + lines[0].rsplit(";", 1)[0]]
                                + [f"CMD-{i:03d};" + line.rsplit(";", 1)[0] for i, line in enumerate(lines[1:6])]
                                ).encode("cp1252") + b"\r\n")
    return run, new


def test_predict_names_rows_and_saves_the_answers(table_run, tmp_path, capsys):
    run, new = table_run
    answers = tmp_path / "réponses.csv"
    assert main(["predict", str(run), str(new), "--save-answers", str(answers), "--json"]) == 0
    said = capsys.readouterr()
    preds = json.loads(said.out)["predictions"]
    assert [p["row_id"] for p in preds] == [f"CMD-{i:03d}" for i in range(5)]
    target = preds[0]["target"]          # the column the run predicts heads the answers
    assert target and {p["target"] for p in preds} == {target} and target not in new.read_text("cp1252")
    assert {p["row_id_column"] for p in preds} == {"Référence"}
    assert f"{new} row 2 (Référence CMD-000): {preds[0]['label']}" in said.err
    raw = answers.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                      # Excel reads the accents as UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith(f"file;row;Référence;{target} (predicted);confidence;") and len(lines) == 6
    cells = lines[1].split(";")
    assert cells[:4] == ["nouvelles.csv", "2", "CMD-000", preds[0]["label"]]
    assert cells[4] == f"{preds[0]['confidence']:.3f}".replace(".", ",")


def test_the_answers_never_overwrite_the_file_they_answer(table_run, capsys):
    run, new = table_run
    before = new.read_bytes()
    assert main(["predict", str(run), str(new), "--save-answers", str(new), "--json"]) == 2
    assert "one of the files to predict" in json.loads(capsys.readouterr().out)["error"]["message"]
    assert new.read_bytes() == before


def test_files_of_one_name_in_several_folders_keep_their_folder_in_the_answers():
    """The speech walk: child16_1.wav in three word folders gave three lines all named child16_1.wav."""
    from edgeling.core.answers_file import short_names

    preds = [{"source": f"/d/{word}/child16_1.wav", "label": word, "confidence": 0.9, "top": []}
             for word in ("ja", "weiter", "zurück")] + [
        {"source": "/d/ja/child02_1.wav", "label": "ja", "confidence": 0.8, "top": []}]
    lines = answers_text(preds).splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["ja/child16_1.wav", "weiter/child16_1.wav",
                                                          "zurück/child16_1.wav", "child02_1.wav"]
    assert short_names(["/x/a/c.wav", "/y/a/c.wav", "c.wav"]) == {"/x/a/c.wav": "x/a/c.wav", "/y/a/c.wav": "y/a/c.wav",
                                                                  "c.wav": "c.wav"}
