"""Numbers as a French spreadsheet exports them (currency signs, %, thousands separated by spaces), cells of
a number column that are not numbers, and total rows at the bottom: at import and when new rows are read
for prediction."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from edgeling.core.cli import main
from edgeling.core.data import report as R
from edgeling.core.data.csvread import parse_number, read_csv
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.table import import_dataset
from edgeling.core.data.table_encode import encode_rows, read_rows

NBSP = "\u00a0"
HEADER = ["Référence", "Date de commande", "Catégorie", "Montant (€)", "Remise (%)", "Client fidèle", "Retourné"]


def write(path: Path, lines: list[str], encoding: str = "cp1252") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def euros(v: float, space: str = NBSP) -> str:
    """118.73 -> '118,73 €', 2423.79 -> '2 423,79 €' (thousands after an ordinary space, as Excel on a
    French system often writes them in CSV)."""
    whole, cents = f"{v:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return " ".join([whole] + groups) + f",{cents}{space}€"


def orders(n: int = 60, seed: int = 0) -> tuple[list[str], list[float]]:
    """Lines of a French orders export (header first) with a 0/1 target, and the amount of each order."""
    rng = np.random.default_rng(seed)
    lines, amounts = [";".join(HEADER)], []
    for i in range(n):
        amount = float(rng.choice([rng.uniform(5, 90), rng.uniform(1000, 3000)]))
        amounts.append(round(amount, 2))
        remise = ["", "0 %", "12,5 %", "20 %"][i % 4]
        lines.append(";".join([f"CMD-{25000 + i}", f"{1 + i % 28:02d}/{1 + i % 12:02d}/2025",
                               ["vêtements", "maison & déco", "épicerie fine"][i % 3], euros(amount), remise,
                               ["Oui", "Non"][i % 2], "1" if amount > 500 else "0"]))
    return lines, amounts


@pytest.mark.parametrize("text, decimal_comma, value", [
    ("118,73\u00a0€", True, 118.73), ("118,73 €", True, 118.73), ("€ 12.50", False, 12.5),
    ("€ 12.50", True, 12.5), ("$1,234.56", False, 1234.56), ("$1,234.56", True, 1234.56),
    ("-$1,234.56", False, -1234.56), ("€ -12,50", True, -12.5), ("-12,50 €", True, -12.5),
    ("12,5 %", True, 12.5), ("12%", False, 12.0), ("CHF 30", False, 30.0), ("30 CHF", True, 30.0),
    ("12 EUR", False, 12.0), ("usd 7", False, 7.0), ("£3", False, 3.0), ("¥ 1 000", False, 1000.0),
    ("2 423,79", True, 2423.79), ("1 778,77 €", True, 1778.77), ("12 345", False, 12345.0),
    ("12 345", True, 12345.0), ("1 234 567.5", False, 1234567.5), ("-1 234", True, -1234.0),
    ("1\u202f234,5", True, 1234.5), ("1.234.567", True, 1234567.0), ("12,345,678", True, 12345678.0),
    ("1,234", True, 1.234), ("3,5", True, 3.5), ("1.234,5", True, 1234.5),
    # Excel's accounting format writes zero as a dash beside the currency
    ("- €", True, 0.0), ("- €", False, 0.0), ("-   €", True, 0.0), ("-\u00a0€", True, 0.0), ("€ -", True, 0.0),
    ("$ -", False, 0.0), (" $ -   ", False, 0.0), ("CHF -", False, 0.0),
])
def test_numbers_with_currency_percent_and_thousands(text, decimal_comma, value):
    assert parse_number(text, decimal_comma) == pytest.approx(value)


@pytest.mark.parametrize("text", ["€", "%", "- %", "-- €", "€ - €", "CHF", "1 2", "12  345", "1 2345", "12 34,5",
                                  "€€ 3", "--€3", "-€-3", "3 € 4", "Montant (€)", "EUR12 USD 3", "0,123,456"])
def test_things_that_stay_text(text):
    assert parse_number(text, True) is None and parse_number(text) is None


@pytest.mark.parametrize("text", ["+33 612 345 678", "+33 6 12 34 56 78", "06 12 34 56 78", "012 345 678",
                                  "+1 555 123 4567", "+44 20 7946 0958", "+41 212 345 678"])
def test_phone_numbers_are_not_numbers(text):
    """'+33 612 345 678' passed the space-thousands rule (groups of three after the first) and was read as
    33612345678: a column of phone numbers became a number column."""
    assert parse_number(text, True) is None and parse_number(text) is None


def test_accounting_zeros_are_zero_and_phone_numbers_stay_text(tmp_path):
    """A French export with Excel's accounting format: 'Montant (€)' of 0 written '- €' was 'not a number'
    (filled with the column's middle value); a column of phone numbers in groups of three was read as
    numbers."""
    lines, amounts = orders()
    lines[0] += ";Téléphone"
    for i in range(1, len(lines)):
        lines[i] += f";+33 6{i % 10}{i % 7} {100 + i:03d} {200 + 3 * i:03d}"
    for i in (4, 8):
        cells = lines[i].split(";")
        cells[3] = ["- €", "-\u00a0\u00a0\u00a0€"][i == 8]
        lines[i] = ";".join(cells)
        amounts[i - 1] = 0.0
    ds = import_dataset(write(tmp_path / "compta.csv", lines, "utf-8"), ImportOptions(target="Retourné"))
    assert not ds.report.by_code("not_numbers")
    names = ds.meta["feature_names"]
    assert np.allclose(ds.x[:, names.index("Montant (€)")], amounts, rtol=1e-6)
    assert "Téléphone" not in names   # a different text in every row: left out, as an identifier
    assert any("'Téléphone'" in p.message for p in ds.report.by_code(R.DROPPED_COLUMN))


def test_french_export_amounts_are_numbers_and_the_total_row_is_left_out(tmp_path):
    lines, amounts = orders()
    total = euros(sum(amounts), " ")
    lines += ["", f"TOTAL;;;{total};;;{sum(1 for a in amounts if a > 500)}", ""]
    path = write(tmp_path / "commandes.csv", lines)
    ds = import_dataset(path, ImportOptions(target="Retourné"))
    names = ds.meta["feature_names"]
    assert "Montant (€)" in names and "Remise (%)" in names  # was: left out as "a different text in every row"
    assert not any("Montant" in p.message for p in ds.report.by_code(R.DROPPED_COLUMN))
    assert np.allclose(ds.x[:, names.index("Montant (€)")], amounts, rtol=1e-6)  # 2 423,79 € is 2423.79
    assert sorted(set(ds.x[:, names.index("Remise (%)")].tolist())) == [0.0, 12.5, 20.0]
    assert ds.class_names == ["0", "1"] and ds.num_samples == 60  # the total (a sum of 0/1) is no class
    totals = ds.report.by_code("total_row")
    assert [p.message for p in totals] == [
        "Row 63 of commandes.csv starts with 'TOTAL' and looks like a sum of the rows above; it was left out."]
    assert totals[0].severity == "info" and totals[0].files == ["commandes.csv#row=63"]
    assert not ds.report.by_code(R.MISSING_VALUES) or "Montant" not in ds.report.by_code(R.MISSING_VALUES)[0].message
    # New rows are encoded the same way (the path predict uses), and the total row is left out there too.
    new = write(tmp_path / "nouvelles.csv", lines)
    report = R.Report()
    rows, sources = read_rows(new, report)
    assert len(rows) == 60 and sources[-1] == "nouvelles.csv#row=61" and report.by_code("total_row")
    assert np.array_equal(encode_rows(rows, ds.meta), ds.x)
    one = encode_rows([{"Montant (€)": "€ 2 500,00", "Remise (%)": "10 %"}], ds.meta)[0]
    assert one[names.index("Montant (€)")] == 2500.0 and one[names.index("Remise (%)")] == 10.0


def test_currency_in_a_comma_separated_file_and_as_the_target(tmp_path):
    lines = ["item,price,discount,paid"] + [f'{"ab"[i % 2]},"${1000 + 37 * i:,}.50",{i % 4 * 5}%,'
                                            f'"${(1000 + 37 * i) * 0.9:,.2f}"' for i in range(40)]
    ds = import_dataset(write(tmp_path / "us.csv", lines, "utf-8"), ImportOptions())
    assert ds.task == "regression" and ds.meta["decimal_comma"] is False
    names = ds.meta["feature_names"]
    assert ds.x[3, names.index("price")] == 1111.5 and ds.x[3, names.index("discount")] == 15.0
    assert ds.y[3] == pytest.approx(999.9)


def test_cells_that_are_not_numbers_are_a_warning_not_blanks(tmp_path):
    lines, _ = orders()
    cells = lines[5].split(";")
    cells[3] = "n.c."
    lines[5] = ";".join(cells)
    cells = lines[9].split(";")
    cells[3] = "12..5 €"
    lines[9] = ";".join(cells)
    cells = lines[12].split(";")
    cells[3] = ""  # a true blank
    lines[12] = ";".join(cells)
    ds = import_dataset(write(tmp_path / "c.csv", lines), ImportOptions(target="Retourné"))
    bad = ds.report.by_code("not_numbers")
    assert len(bad) == 1 and bad[0].severity == "warning"
    median = ds.meta["columns"][[c["name"] for c in ds.meta["columns"]].index("Montant (€)")]["fill"]
    assert bad[0].message == (
        "In the number column 'Montant (€)' of c.csv, 2 cells could not be read as numbers: row 6 'n.c.', "
        f"row 10 '12..5 €'. They were treated as unknown and filled with the column's middle value ({median:g}).")
    assert "only a number" in bad[0].advice and bad[0].files == ["c.csv#row=6", "c.csv#row=10"]
    blanks = " ".join(p.message for p in ds.report.by_code(R.MISSING_VALUES))
    assert "'Montant (€)': 1 blank" in blanks and "n.c." not in blanks


@pytest.mark.parametrize("last", ["TOTAL;;;42 820,33;1234;;143", "Total :;;;42 820,33;;;", "totaux;;;1,5;;;",
                                  ";;Somme;42 820,33;;;", "Summe:;;;;;;", "Gesamt;;;42 820,33",
                                  "Sum;;;42 820,33;;;;;;"])
def test_total_rows_in_any_language_are_left_out(tmp_path, last):
    lines, _ = orders(30)
    report = R.Report()
    table = read_csv(write(tmp_path / "t.csv", lines + [last]), report)
    assert len(table.rows) == 30 and table.total_lines == [32]
    assert report.codes() == ["encoding_fallback", "total_row"]  # a short total row is not "ragged" either


def test_subtotals_with_only_numbers_are_left_out_anywhere(tmp_path):
    lines, _ = orders(40)
    lines.insert(21, "Sous-total;;;1 234,00 €;;;7")
    lines.insert(42, "Total;;;2 468,00 €;;;14")
    report = R.Report()
    table = read_csv(write(tmp_path / "s.csv", lines), report)
    assert len(table.rows) == 40 and table.total_lines == [22, 43]
    assert report.by_code("total_row")[0].message == (
        "Rows 22, 43 of s.csv start with 'Sous-total', 'Total' and look like sums of the rows above; they "
        "were left out.")


def test_rows_that_merely_mention_total_are_kept(tmp_path):
    lines, _ = orders(40)
    lines[10] = lines[10].replace("vêtements", "Total")  # a category named Total, not in the first cell
    lines[20] = "Total;" + lines[20].split(";", 1)[1]  # a reference "Total" with a date and text: an order
    lines.append("Total France;;;1 234,00 €;;;0")  # not the word alone
    lines.append("CMD-1;01/01/2025;Total;12,00 €;;Oui;0")
    table = read_csv(write(tmp_path / "k.csv", lines))
    assert len(table.rows) == 42 and table.total_lines == []
    # A column where "Total" is an ordinary value (half the rows): nothing is left out, even at the bottom.
    kinds = ["retour;montant;y"] + [f"{['Total', 'Partiel'][i % 2]};{i},5;{i % 2}" for i in range(41)]
    table = read_csv(write(tmp_path / "v.csv", kinds))
    assert len(table.rows) == 41 and table.total_lines == []


def test_predict_reads_amounts_and_leaves_out_the_total_row(tmp_path, monkeypatch, capsys):
    from edgeling.core.jobs.train_job import train_run
    from tests.core.training_fixtures import ZOO

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(4)
    lines = ["Référence;Montant (€);Pays;Classe"]
    for i in range(200):
        amount = float(rng.uniform(5, 90) if i % 2 else rng.uniform(1000, 3000))
        lines.append(f"CMD-{i};{euros(amount, ' ')};{['France', 'Suisse'][i % 3 % 2]};"
                     f"{'cher' if amount > 500 else 'bon marché'}")
    lines.append("TOTAL;123 456,00 €;;")
    data = write(tmp_path / "commandes.csv", lines)
    assert train_run(data, tmp_path / "run", epochs=30, zoo=ZOO, threads=1)["status"] == "finished"
    new = write(tmp_path / "nouvelles.csv", ["Référence;Montant (€);Pays", "N-1;12,40 €;France",
                                             "N-2;2 423,79 €;France", "N-3;€ 1 850,00;Suisse", "N-4;35 €;Suisse",
                                             "N-5;n.c.;France", "TOTAL;4 321,19 €;"])
    assert main(["predict", str(tmp_path / "run"), str(new), "--json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    preds = out["predictions"]
    # Before: every amount became the middle value (one answer for all) and the TOTAL row got a prediction.
    assert [p["source"].rsplit("#", 1)[1] for p in preds] == ["row=2", "row=3", "row=4", "row=5", "row=6"]
    assert [p["label"] for p in preds[:4]] == ["bon marché", "cher", "cher", "bon marché"]
    # ... and neither the unreadable amount nor the row left out was said
    assert any("'n.c.' in 'Montant (€)' is not a number; the model was given the column's middle value" in n
               for n in preds[4]["notes"])
    total = [n for n in out["notes"] if "'TOTAL'" in n]
    # said once for the file, not as a note on row 2 ("nouvelles.csv row 2: Row 7 of nouvelles.csv starts ...")
    assert len(total) == 1 and total[0].startswith("Row 7 of nouvelles.csv starts with 'TOTAL'")
    assert total[0].endswith("; it was not predicted.")
    assert preds[0]["file_notes"] == total and not any("TOTAL" in n for p in preds for n in p.get("notes", []))
    assert f"Note: {total[0]}" in captured.err.splitlines()
    assert "Note: nouvelles.csv row 6: 'n.c.' in 'Montant (€)' is not a number" in captured.err  # rows: as before


def test_new_rows_of_a_comma_separated_file_read_thousands_as_the_import_did(tmp_path):
    """'1,234' in a comma-separated file is one thousand two hundred and thirty-four at import; the rows
    given to predict (and to 'evaluate --on') must read it the same, not as 1.234."""
    from edgeling.core.data.table_encode import read_table_rows

    lines = ["size,colour,label"] + [f'"{1000 + 111 * i:,}",{"rg"[i % 2]},{"ab"[i % 2]}' for i in range(30)]
    path = write(tmp_path / "us.csv", lines, "utf-8")
    ds = import_dataset(path, ImportOptions())
    assert ds.x[1, ds.meta["feature_names"].index("size")] == 1111.0
    rows, _, decimal_comma = read_table_rows(path)
    assert decimal_comma is False
    assert np.array_equal(encode_rows(rows, ds.meta, decimal_comma), ds.x)


def _price_list(path: Path, prices: list[str]) -> Path:
    """A German shop's export: ';', decimal commas in 'Rabatt', whole euros in 'Preis' ('1.299' is 1,299 €)."""
    lines = ["Preis;Rabatt;Zahlungsart;Rücksendung"]
    for i in range(60):
        lines.append(f"{prices[i % len(prices)]};{i % 7},{i % 10}0;{['Rechnung', 'Karte'][i % 2]};"
                     f"{'ja' if i % 3 == 0 else 'nein'}")
    return write(path, lines)


def test_whole_euros_with_a_thousands_dot_are_thousands_in_a_decimal_comma_file(tmp_path):
    """The shop walk: 'Preis' holding 19, 49, 1.299, 2.199 in a ';' file with decimal commas was read as 1.299
    (1.30 €) without a word, at import and in predict: 1299 and "1.299" got opposite answers."""
    from edgeling.core.data.table_encode import read_table_rows

    path = _price_list(tmp_path / "preise.csv", ["19", "49", "1.299", "2.199", "349"])
    ds = import_dataset(path, ImportOptions(target="Rücksendung"))
    price = ds.meta["feature_names"].index("Preis")
    (col,) = [c for c in ds.meta["columns"] if c["name"] == "Preis"]
    assert col["range"] == [19.0, 2199.0] and col["thousands_dots"] is True
    (said,) = [p for p in ds.report.problems if p.code == R.THOUSANDS_DOTS]
    assert "'1.299' were read as 1299" in said.message and said.severity == "info"
    raw = ds.meta["feature_mean"][price], ds.meta["feature_std"][price]
    assert raw[0] > 100                                                   # the mean of prices up to 2,199
    # New orders: 1.299 and 1299 are one price, in a file of one row too (too short to tell its dots)
    new = write(tmp_path / "neu.csv", ["Preis;Rabatt;Zahlungsart", "1.299;0,5;Karte", "1299;0,5;Karte"])
    rows, _, decimal_comma = read_table_rows(new)
    x = encode_rows(rows, ds.meta, decimal_comma)
    assert np.array_equal(x[0], x[1])
    one = write(tmp_path / "eins.csv", ["Preis;Rabatt;Zahlungsart", "2.199;0,5;Karte"])
    rows, _, decimal_comma = read_table_rows(one)
    assert encode_rows(rows, ds.meta, decimal_comma)[0, price] == 2199.0


def test_a_column_with_decimal_dots_keeps_them_in_a_decimal_comma_file(tmp_path):
    from edgeling.core.data.table_encode import read_table_rows

    path = _price_list(tmp_path / "gewichte.csv", ["0.5", "1.299", "2.25", "12.125"])
    ds = import_dataset(path, ImportOptions(target="Rücksendung"))
    (col,) = [c for c in ds.meta["columns"] if c["name"] == "Preis"]
    assert col["range"] == [0.5, 12.125] and col["thousands_dots"] is False
    assert not [p for p in ds.report.problems if p.code == R.THOUSANDS_DOTS]
    one = write(tmp_path / "eins.csv", ["Preis;Rabatt;Zahlungsart", "1.299;0,5;Karte"])   # as in training
    rows, _, decimal_comma = read_table_rows(one)
    assert encode_rows(rows, ds.meta, decimal_comma)[0, ds.meta["feature_names"].index("Preis")] == \
        np.float32(1.299)


def test_a_blank_in_a_column_that_had_no_blanks_in_training_is_said(tmp_path):
    """The shop walk: 32 new orders with a blank 'Region' got no note (a blank price did), though the model never
    saw a blank region and was given all zeros there."""
    from edgeling.core.training.table_notes import unseen_category_notes

    path = _price_list(tmp_path / "preise.csv", ["19", "49", "1.299"])
    ds = import_dataset(path, ImportOptions(target="Rücksendung"))
    notes = unseen_category_notes([{"Preis": "19", "Rabatt": "0,5", "Zahlungsart": ""},
                                   {"Preis": "19", "Rabatt": "0,5", "Zahlungsart": "Karte"}], ds.meta)
    assert notes[1] == [] and len(notes[0]) == 1
    assert "'Zahlungsart' is blank, which it never was in training" in notes[0][0]


def test_dots_read_as_the_run_learnt_them_and_only_with_decimal_commas_seen(tmp_path):
    """The regression walk: (1) a run trained before the thousands rule (its columns say nothing of dots) got
    "2.199" read as 2199 when predicting, 11 of 400 answers flipped, without a word; (2) a ';' file with no comma
    at all had its weights '19.000' read as 19000, "as decimals are written with a comma"; (3) a run trained on
    a comma-separated file (1.299 is 1.299) read "1.299" in a ';' copy as 1299."""
    from edgeling.core.data.table_encode import read_table_rows

    ds = import_dataset(_price_list(tmp_path / "preise.csv", ["19", "49", "1.299", "2.199", "349"]),
                        ImportOptions(target="Rücksendung"))
    price = ds.meta["feature_names"].index("Preis")
    old_meta = {**ds.meta, "columns": [{k: v for k, v in c.items() if k != "thousands_dots"}
                                       for c in ds.meta["columns"]]}
    new = write(tmp_path / "neu.csv", ["Preis;Rabatt;Zahlungsart", "2.199;0,5;Karte"])
    rows, _, decimal_comma = read_table_rows(new)
    assert encode_rows(rows, old_meta, decimal_comma)[0, price] == np.float32(2.199)      # as it learnt it
    assert encode_rows(rows, ds.meta, decimal_comma)[0, price] == 2199.0

    lines = ["Gewicht;Farbe;Rücksendung"] + [f"{['19.000', '2.500', '7.250'][i % 3]};{'rb'[i % 2]};"
                                             f"{'ja' if i % 3 else 'nein'}" for i in range(40)]
    plain = import_dataset(write(tmp_path / "gewichte.csv", lines), ImportOptions(target="Rücksendung"))
    (col,) = [c for c in plain.meta["columns"] if c["name"] == "Gewicht"]
    assert col["range"] == [2.5, 19.0] and col["thousands_dots"] is False
    assert not plain.report.by_code(R.THOUSANDS_DOTS)

    dotted = ["Preis,Farbe,Ruecksendung"] + [f"{['1.299', '0.5', '2.25'][i % 3]},{'rb'[i % 2]},"
                                            f"{'ja' if i % 3 else 'nein'}" for i in range(40)]
    us = import_dataset(write(tmp_path / "us.csv", dotted, "utf-8"), ImportOptions(target="Ruecksendung"))
    copy = write(tmp_path / "kopie.csv", ["Preis;Farbe", "1.299;r", "0,5;b"])
    rows, _, decimal_comma = read_table_rows(copy)
    assert decimal_comma and encode_rows(rows, us.meta, decimal_comma)[0, 0] == np.float32(1.299)
