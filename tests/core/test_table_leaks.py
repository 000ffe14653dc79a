"""A table's column that gives the answer away is said (LEAKING_COLUMN): the shop walk's 'Date de retour' was
blank in all 911 'Non' rows; trained on it the model scored 99.3%, and answered 'Non' for all 60 new orders."""

from __future__ import annotations

import numpy as np
import pytest

from edgeling.core.data import report as R
from edgeling.core.data.load import ImportOptions, open_dataset
from edgeling.core.resources import samples_dir


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))


def _orders(path, n=300, seed=0):
    rng = np.random.default_rng(seed)
    lines = ["Commande;Catégorie;Montant;Délai;Date de retour;Score interne;Retourné"]
    for i in range(n):
        cat = rng.choice(["jouets", "linge", "cuisine"])
        delay = int(rng.integers(1, 10))
        returned = rng.random() < 0.2 + 0.05 * delay + (0.2 if cat == "linge" else 0)
        when = f"{int(rng.integers(1, 28)):02d}/03/2026" if returned else ""
        score = f"{(0.8 if returned else 0.2) + 0.1 * rng.random():.3f}".replace(".", ",")
        lines.append(f"C{i:05d};{cat};{rng.uniform(5, 90):.2f};{delay};{when};{score};{'Oui' if returned else 'Non'}"
                     .replace(".", ",", 1))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_column_blank_for_one_answer_or_split_by_one_value_is_said(tmp_path):
    ds = open_dataset(_orders(tmp_path / "commandes.csv"), options=ImportOptions(target="Retourné"))
    leak = ds.report.by_code(R.LEAKING_COLUMN)[0]
    assert leak.severity == "warning" and leak.files == ["Date de retour", "Score interne"]
    assert "'Date de retour' alone gives the right answer for 100% of the rows (blank in " in leak.message
    assert "of the rows (rows above one value of it have one answer, rows below it another)" in leak.message
    assert "--leave-out 'Date de retour'" in leak.advice and "Columns the model reads…" in leak.advice
    left = open_dataset(tmp_path / "commandes.csv",
                        options=ImportOptions(target="Retourné", leave_out=["Date de retour", "Score interne"]))
    assert not left.report.by_code(R.LEAKING_COLUMN)


def test_columns_that_only_help_are_not_said():
    ds = open_dataset(samples_dir() / "orders" / "commandes.csv")
    assert not ds.report.by_code(R.LEAKING_COLUMN)


def test_repeated_rows_are_called_rows(tmp_path):
    """The shop walk: "5 files are exact copies of another file" about rows of one CSV."""
    path = _orders(tmp_path / "commandes.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + lines[1:3]) + "\n", encoding="utf-8")
    copies = open_dataset(path, options=ImportOptions(target="Retourné")).report.by_code(R.DUPLICATE)[0]
    assert copies.message.startswith("2 rows are exact copies of another row in the same class.")


def test_a_leak_with_rare_returns_is_said_and_a_near_certain_share_is_not_rounded_to_100():
    """The regression walk: with 911 'Non' and 100 'Oui', a return date blank for every 'Non' was 100% right but
    only 9.9 points above always answering 'Non', and went unsaid; and 299 of 300 rows right read "100%"."""
    from edgeling.core.data.table_leaks import report_leaks

    rng = np.random.default_rng(1)
    y = np.array([1] * 100 + [0] * 911)
    dates = ["12/03/2026" if v else "" for v in y]
    report = R.Report()
    report_leaks([("Date de retour", dates), ("Montant", [f"{rng.uniform(5, 90):.2f}" for _ in y])], y,
                 ["Non", "Oui"], False, report)
    assert report.by_code(R.LEAKING_COLUMN)[0].files == ["Date de retour"]
    y300 = np.array([0] * 150 + [1] * 150)
    temps = [f"{(25 if v else 15) + rng.uniform(-4, 4):.1f}" for v in y300]
    temps[0] = "27.0"        # one cold row among the hot ones: 299 of 300 right
    report = R.Report()
    report_leaks([("temperature", temps)], y300, ["cold", "hot"], False, report)
    assert "'temperature' alone gives the right answer for 99.7% of the rows" in report.problems[0].message
