"""Numbers as a French spreadsheet exports them (currency signs, %, thousands separated by spaces) and cells
of a number column that are not numbers: at import and when new rows are read for prediction."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from edgeling.core.cli import main
from edgeling.core.data import report as R
from edgeling.core.data.csvread import parse_number
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.table import encode_rows, import_dataset, read_rows

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
])
def test_numbers_with_currency_percent_and_thousands(text, decimal_comma, value):
    assert parse_number(text, decimal_comma) == pytest.approx(value)


@pytest.mark.parametrize("text", ["€", "%", "- €", "CHF", "1 2", "12  345", "1 2345", "12 34,5", "€€ 3",
                                  "--€3", "-€-3", "3 € 4", "Montant (€)", "EUR12 USD 3", "0,123,456"])
def test_things_that_stay_text(text):
    assert parse_number(text, True) is None and parse_number(text) is None


def test_french_export_amounts_are_numbers(tmp_path):
    lines, amounts = orders()
    path = write(tmp_path / "commandes.csv", lines)
    ds = import_dataset(path, ImportOptions(target="Retourné"))
    names = ds.meta["feature_names"]
    assert "Montant (€)" in names and "Remise (%)" in names  # was: left out as "a different text in every row"
    assert not any("Montant" in p.message for p in ds.report.by_code(R.DROPPED_COLUMN))
    assert np.allclose(ds.x[:, names.index("Montant (€)")], amounts, rtol=1e-6)  # 2 423,79 € is 2423.79
    assert sorted(set(ds.x[:, names.index("Remise (%)")].tolist())) == [0.0, 12.5, 20.0]
    assert not ds.report.by_code(R.MISSING_VALUES) or "Montant" not in ds.report.by_code(R.MISSING_VALUES)[0].message
    # New rows are encoded the same way (the path predict uses).
    rows, sources = read_rows(write(tmp_path / "nouvelles.csv", lines))
    assert len(rows) == 60 and np.array_equal(encode_rows(rows, ds.meta), ds.x)
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
        "In the number column 'Montant (€)' of c.csv, 2 cell(s) could not be read as numbers: row 6 'n.c.', "
        f"row 10 '12..5 €'. They were treated as unknown and filled with the column's middle value ({median:g}).")
    assert "only a number" in bad[0].advice and bad[0].files == ["c.csv#row=6", "c.csv#row=10"]
    blanks = " ".join(p.message for p in ds.report.by_code(R.MISSING_VALUES))
    assert "'Montant (€)': 1 blank" in blanks and "n.c." not in blanks


def test_predict_reads_amounts(tmp_path, monkeypatch, capsys):
    from edgeling.core.jobs.train_job import train_run
    from tests.core.training_fixtures import ZOO

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(4)
    lines = ["Référence;Montant (€);Pays;Classe"]
    for i in range(200):
        amount = float(rng.uniform(5, 90) if i % 2 else rng.uniform(1000, 3000))
        lines.append(f"CMD-{i};{euros(amount, ' ')};{['France', 'Suisse'][i % 3 % 2]};"
                     f"{'cher' if amount > 500 else 'bon marché'}")
    data = write(tmp_path / "commandes.csv", lines)
    assert train_run(data, tmp_path / "run", epochs=30, zoo=ZOO, threads=1)["status"] == "finished"
    new = write(tmp_path / "nouvelles.csv", ["Référence;Montant (€);Pays", "N-1;12,40 €;France",
                                             "N-2;2 423,79 €;France", "N-3;€ 1 850,00;Suisse", "N-4;35 €;Suisse"])
    assert main(["predict", str(tmp_path / "run"), str(new), "--json"]) == 0
    preds = json.loads(capsys.readouterr().out)["predictions"]
    # Before: every amount became the middle value, so every row got the same answer.
    assert [p["source"].rsplit("#", 1)[1] for p in preds] == ["row=2", "row=3", "row=4", "row=5"]
    assert [p["label"] for p in preds] == ["bon marché", "cher", "cher", "bon marché"]
