"""CSV tables: dialects (delimiter, encoding, header, decimal comma), column handling, task, and the
bundled orders sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edgeling.core.cli import main
from edgeling.core.data import report as R
from edgeling.core.data.csvread import read_csv
from edgeling.core.data.dataset import TEST, TRAIN, VAL, DataError
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.table import CATEGORIES_GROUPED, DATE_EXPANDED, import_dataset
from edgeling.core.data.table_encode import encode_rows, read_rows

ROOT = Path(__file__).resolve().parents[2]
ORDERS = ROOT / "resources" / "samples" / "orders" / "commandes.csv"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def table_text(n: int = 40, delimiter: str = ",", decimal_comma: bool = False, header: bool = True) -> str:
    """n rows: a number, a category, and a class target that follows the number."""
    rng = np.random.default_rng(0)
    lines = [delimiter.join(["size", "colour", "kind"])] if header else []
    for i in range(n):
        size = float(rng.uniform(0, 10))
        num = f"{size:.2f}".replace(".", ",") if decimal_comma else f"{size:.2f}"
        lines.append(delimiter.join([num, ["red", "blue", "green"][i % 3], "big" if size > 5 else "small"]))
    return "\n".join(lines) + "\n"


def test_semicolon_with_decimal_comma(tmp_path):
    p = write(tmp_path / "t.csv", "poids;ville;classe\n" + "".join(f"3,5;Lyon;a\n1,25;Paris {i};b\n" for i in range(12)))
    ds = import_dataset(p, ImportOptions())
    assert ds.meta["delimiter"] == ";" and ds.meta["decimal_comma"] is True
    weights = ds.x[:, ds.meta["feature_names"].index("poids")]
    assert sorted(set(weights.tolist())) == [1.25, 3.5] and len(weights) == 24
    assert ds.class_names == ["a", "b"] and ds.task == "classification"


def test_tab_separated(tmp_path):
    p = write(tmp_path / "t.tsv", table_text(delimiter="\t"))
    ds = import_dataset(p, ImportOptions())
    assert ds.meta["delimiter"] == "\t"
    assert ds.x.shape == (40, 4)  # size + three colours
    assert ds.class_names == ["big", "small"]


def test_pipe_and_quoted_fields_with_delimiters_inside(tmp_path):
    text = 'a|b|c\n"1|5"|x|y\n' + "2|u|y\n3|v|z\n" * 10
    t = read_csv(write(tmp_path / "p.csv", text))
    assert t.delimiter == "|" and t.rows[0] == ["1|5", "x", "y"] and len(t.rows) == 21
    # A quoted value may run over two lines; the rows after it keep their true line numbers.
    t2 = read_csv(write(tmp_path / "q.csv", 'a,b,c\n1,"two\nlines",y\n' + "2,u,y\n3,v,z\n" * 10))
    assert t2.rows[0][1] == "two\nlines" and t2.line_numbers[:3] == [2, 4, 5]
    # A quote that never closes swallowed the rest of the file (said, but 31 rows lost): the quote marks are
    # read as text then, when that gives rows of one width, and the line is said (the newcomer run's stray quote
    # in a shop export also made ',' the delimiter of a ';' file: the columns were garbage).
    report = R.Report()
    t3 = read_csv(write(tmp_path / "open.csv", "a,b,c\n" + "1,2,x\n" * 10 + '3,"oops,y\n' + "4,5,z\n" * 30),
                  report)
    assert len(t3.rows) == 41 and t3.rows[10] == ["3", '"oops', "y"]
    (said,) = report.by_code(R.RAGGED_ROWS)
    assert said.message == ('In open.csv, a quote mark (") in line 12 opens a value that is never closed; the quote '
                            'marks were read as part of the values, so no row was lost.')
    monitor = '"Geschenk, bitte schnell'
    semi = ["nr;Preis;Notiz;Rücksendung"] + [f"{i};{i % 9},50;{monitor if i == 7 else 'ok'};{'ja' if i % 3 else 'nein'}"
                                            for i in range(40)]
    t4 = read_csv(write(tmp_path / "semi.csv", "\n".join(semi)))
    assert t4.delimiter == ";" and t4.columns == ["nr", "Preis", "Notiz", "Rücksendung"] and len(t4.rows) == 40
    # A quote that is closed, many lines on, is one value over those lines, as before: said, nothing guessed
    report = R.Report()
    t5 = read_csv(write(tmp_path / "long.csv", "a,b,c\n" + "1,2,x\n" * 3 + '3,"many\n' + "w\n" * 30 + 'end",y\n'),
                  report)
    assert len(t5.rows) == 4 and "lines 5-36" in report.by_code(R.RAGGED_ROWS)[0].message


def test_latin1_file_is_read_and_the_fallback_reported(tmp_path):
    text = "catégorie;prix;retourné\n" + "".join(f"chaussures élégantes;{i},5;oui\nmaison;{i};non\n"
                                                 for i in range(15))
    p = write(tmp_path / "latin.csv", text, "latin-1")
    ds = import_dataset(p, ImportOptions(target="retourné"))
    problems = ds.report.by_code(R.ENCODING_FALLBACK)
    assert problems and problems[0].severity == "info"
    assert problems[0].message == ("latin.csv was saved in an older text format (Windows Western, cp1252), not the "
                                   "usual UTF-8; Edgeling read it as such. Accented letters should look right, but "
                                   "check a few names in the Data page's preview (in a terminal: the column names "
                                   "edgeling inspect prints).")   # the shop walk: the terminal has no preview
    assert "catégorie=chaussures élégantes" in ds.meta["feature_names"]
    # A byte cp1252 does not define (0x81) forces latin-1, and the report names it.
    p2 = tmp_path / "latin1.csv"
    p2.write_bytes(text.encode("latin-1").replace(b"maison", b"mais\x81on", 1))
    ds2 = import_dataset(p2, ImportOptions())
    assert "(Latin-1)" in ds2.report.by_code(R.ENCODING_FALLBACK)[0].message


def test_utf8_bom_and_utf16_are_not_fallbacks(tmp_path):
    text = "Âge,ville,classe\n" + "".join(f"{30 + i},Nîmes,a\n{40 + i},Lille,b\n" for i in range(10))
    for enc in ("utf-8-sig", "utf-16", "utf-16-le"):
        ds = import_dataset(write(tmp_path / f"{enc}.csv", text, enc), ImportOptions())
        assert ds.meta["encoding"] == enc
        assert not ds.report.by_code(R.ENCODING_FALLBACK)
        assert ds.meta["feature_names"][0] == "Âge"


def test_no_header(tmp_path):
    p = write(tmp_path / "nohead.csv", table_text(header=False))
    t = read_csv(p)
    assert not t.has_header and t.columns == ["column 1", "column 2", "column 3"] and len(t.rows) == 40
    ds = import_dataset(p, ImportOptions())
    assert ds.num_samples == 40 and ds.sources[0] == "nohead.csv#row=1"


def test_text_only_table_header_detection(tmp_path):
    with_header = "couleur,forme,classe\n" + "rouge,rond,a\nbleu,carré,b\nvert,rond,a\n" * 8
    assert read_csv(write(tmp_path / "h.csv", with_header)).has_header
    without = "rouge,rond,a\nbleu,carré,b\nvert,rond,a\n" * 8
    assert not read_csv(write(tmp_path / "n.csv", without)).has_header


def test_target_by_name_ignores_case_and_accents(tmp_path):
    text = "Retourné;Catégorie;Prix\n" + "".join(f"oui;vêtements;{10 + i}\nnon;maison;{12 + i}\n" for i in range(10))
    p = write(tmp_path / "t.csv", text)
    ds = import_dataset(p, ImportOptions(target="retourne"))
    assert ds.meta["target"] == "Retourné" and ds.class_names == ["non", "oui"]
    assert ds.task == "classification" and ds.x.shape[1] == 3


def test_default_target_is_last_column_and_unknown_target_lists_columns(tmp_path):
    p = write(tmp_path / "t.csv", table_text())
    assert import_dataset(p, ImportOptions()).meta["target"] == "kind"
    with pytest.raises(DataError) as e:
        import_dataset(p, ImportOptions(target="price"))
    msg = str(e.value)
    assert "price" in msg and "'size', 'colour', 'kind'" in msg and "t.csv" in msg


def test_blanks_imputed_and_reported(tmp_path):
    rows = ["n,c,y"] + [f"{i if i % 5 else ''},{'' if i % 7 == 0 else 'ab'[i % 2]},{i % 2}" for i in range(1, 41)]
    rows.append("3,a,")  # blank target: dropped and reported
    ds = import_dataset(write(tmp_path / "b.csv", "\n".join(rows)), ImportOptions())
    assert ds.num_samples == 40
    col = ds.x[:, 0]
    filled = [i for i in range(1, 41) if i % 5 == 0]
    present = [i for i in range(1, 41) if i % 5]
    assert np.all(col[[i - 1 for i in filled]] == np.median(present))
    assert "c=(missing)" in ds.meta["feature_names"]
    missing = ds.report.by_code(R.MISSING_VALUES)
    text = " ".join(p.message for p in missing)
    assert "'n': 8 blank" in text and "'c': 5 blank" in text
    assert any("b.csv#row=42" in p.files for p in missing)  # the blank-target row, by its line number


def test_constant_and_identifier_columns_dropped(tmp_path):
    lines = ["order id;ref;shop;note;amount;returned"]
    for i in range(60):
        lines.append(f"A-{1000 + i};{500 + i};web;comment number {i * 7};{(i * 37) % 50};{'yes' if i % 3 else 'no'}")
    ds = import_dataset(write(tmp_path / "o.csv", "\n".join(lines)), ImportOptions())
    assert ds.meta["feature_names"] == ["amount"]
    dropped = " ".join(p.message for p in ds.report.by_code(R.DROPPED_COLUMN))
    assert "'order id'" in dropped and "'ref'" in dropped and "'note'" in dropped
    assert "'shop'" in ds.report.by_code(R.CONSTANT_COLUMN)[0].message


def test_rising_numbers_named_as_a_compound_identifier_are_dropped(tmp_path):
    """The shop walk: 'Bestellnummer', rising order numbers with gaps, was read as a feature (new orders always
    have higher numbers than any the model saw); the identifier words knew only separate words (id, nr, no)."""
    from edgeling.core.data.row_names import row_id_column

    lines = ["Bestellnummer;Kundennr;OrderId;Preis;Rücksendung"]
    for i in range(60):
        lines.append(f"{100000 + 3 * i + i % 2};{70000 + 11 * i};{900 + 2 * i};{(i * 37) % 50};"
                     f"{'ja' if i % 3 else 'nein'}")
    ds = import_dataset(write(tmp_path / "b.csv", "\n".join(lines)), ImportOptions())
    assert ds.meta["feature_names"] == ["Preis"]
    dropped = " ".join(p.message for p in ds.report.by_code(R.DROPPED_COLUMN))
    assert all(f"'{c}'" in dropped for c in ("Bestellnummer", "Kundennr", "OrderId"))
    rows = [{"Bestellnummer": "100300", "Kundennr": "71000", "OrderId": "1200", "Preis": "12"}]
    assert row_id_column(rows * 2, ["Preis"]) == "Bestellnummer"     # the answers name the order by it


def test_no_usable_column_is_a_data_error(tmp_path):
    lines = ["id,shop,y"] + [f"X{i},web,{i % 2}" for i in range(30)]
    with pytest.raises(DataError, match="no usable column"):
        import_dataset(write(tmp_path / "u.csv", "\n".join(lines)), ImportOptions())


def test_many_categories_grouped_as_other(tmp_path):
    lines = ["city,y"] + [f"c{i % 30},{i % 2}" for i in range(300)]
    ds = import_dataset(write(tmp_path / "m.csv", "\n".join(lines)), ImportOptions())
    names = ds.meta["feature_names"]
    assert len(names) == 21 and names[-1] == "city=(other)"
    assert "30 different values" in ds.report.by_code(CATEGORIES_GROUPED)[0].message
    assert ds.x[:, -1].sum() == 300 * 10 / 30  # c20..c29


def test_ragged_rows_skipped_and_reported_with_line_numbers(tmp_path):
    lines = ["a,b,y"] + [f"{i},{i * 2},{i % 2}" for i in range(30)]
    lines[5] = "1,2,3,4"
    lines[9] = "1"
    ds = import_dataset(write(tmp_path / "r.csv", "\n".join(lines)), ImportOptions())
    assert ds.num_samples == 28
    p = ds.report.by_code(R.RAGGED_ROWS)[0]
    assert "lines 6, 10" in p.message and p.files == ["r.csv#row=6", "r.csv#row=10"]


def test_a_table_cut_off_in_its_last_line_leaves_the_line_out_and_says_so(tmp_path):
    """A table copied before it was fully written ended 'size,colour,sm' with no line break: 'sm' became a
    class of its own, without a word. A last value cut short is left out as a warning naming the line, at
    import and when new rows are predicted."""
    from edgeling.core.training.predict import samples_from_file

    whole = table_text()
    cut = write(tmp_path / "cut.csv", whole + "7.25,red,sm")
    ds = import_dataset(cut, ImportOptions())
    assert ds.class_names == ["big", "small"] and ds.num_samples == 40
    p = ds.report.by_code(R.CUT_OFF_ROW)
    assert len(p) == 1 and p[0].severity == "warning" and p[0].files == ["cut.csv#row=42"]
    assert p[0].message == ("The last line of cut.csv (line 42) is cut off: its last value, 'sm' in 'kind', is seen "
                            "nowhere else but begins 'small'. It was left out.")
    assert "copy or export it again" in p[0].advice
    for last in ("7.25,red,small", "7.2\n", "7.25,red,sm\n", "7.25,red,"):   # whole, ended (ragged), blank
        assert not import_dataset(write(tmp_path / "ok.csv", whole + last), ImportOptions()).report.by_code(
            R.CUT_OFF_ROW), last
    short = import_dataset(write(tmp_path / "short.csv", whole + "7.2"), ImportOptions())
    assert [q.message for q in short.report.by_code(R.CUT_OFF_ROW)] == [
        "The last line of short.csv (line 42) is cut off: it stops after 1 of the 3 fields. It was left out."]
    number = write(tmp_path / "num.csv", "colour,kind,size\n" + "".join(
        f"{c},{k},{s}\n" for s, c, k in (line.split(",") for line in whole.splitlines()[1:])) + "red,big,7.")
    ds = import_dataset(number, ImportOptions(target="kind"))
    assert [q.message for q in ds.report.by_code(R.CUT_OFF_ROW)] == [
        "The last line of num.csv (line 42) is cut off: its last value, '7.' in 'size', has fewer decimals than "
        "the 2 of the values above it. It was left out."]
    notes, file_notes = [], []
    x, sources = samples_from_file("table", number, ds.meta, notes, file_notes)
    assert len(x) == 40 and sources[-1].endswith("#row=41")
    assert file_notes == ["The last line of num.csv (line 42) is cut off: its last value, '7.' in 'size', has "
                          "fewer decimals than the 2 of the values above it. It was not predicted."]


def test_trailing_delimiters_and_blank_lines_are_not_ragged(tmp_path):
    text = "a;b;y;\n\n1;2;x;\n3;4;z;;\n\n" + "".join(f"5;{i};x;\n7;{i};z;\n" for i in range(10))
    ds = import_dataset(write(tmp_path / "t.csv", text), ImportOptions())
    assert ds.num_samples == 22 and not ds.report.by_code(R.RAGGED_ROWS)
    assert ds.sources[:2] == ["t.csv#row=3", "t.csv#row=4"]


def test_random_bytes_is_a_data_error_naming_the_file(tmp_path):
    p = tmp_path / "noise.csv"
    p.write_bytes(np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    with pytest.raises(DataError) as e:
        import_dataset(p, ImportOptions())
    assert "noise.csv" in str(e.value) and "binary" in str(e.value)


def test_workbook_and_empty_and_header_only_files(tmp_path):
    with pytest.raises(DataError, match="Save As > CSV"):
        import_dataset(write(tmp_path / "book.csv", "PK\x03\x04rest", "latin-1"), ImportOptions())
    with pytest.raises(DataError, match="empty"):
        import_dataset(write(tmp_path / "empty.csv", ""), ImportOptions())
    with pytest.raises(DataError, match="only a header") as e:
        import_dataset(write(tmp_path / "head.csv", "prix;catégorie;retourné\n"), ImportOptions())
    assert "head.csv" in str(e.value)


def test_regression_inferred_and_overridden(tmp_path):
    rng = np.random.default_rng(3)
    lines = ["surface,rooms,price"] + [f"{s:.1f},{int(s // 30)},{s * 3000 + rng.normal(0, 5000):.0f}"
                                       for s in rng.uniform(20, 150, 200)]
    p = write(tmp_path / "flats.csv", "\n".join(lines))
    ds = import_dataset(p, ImportOptions())
    assert ds.task == "regression" and ds.y.dtype == np.float32 and ds.class_names == []
    assert ds.num_classes == 1 and ds.class_counts() == {}
    # Few whole numbers: classification by default, regression on request.
    rooms = import_dataset(p, ImportOptions(target="rooms"))
    assert rooms.task == "classification" and rooms.class_names == sorted(rooms.class_names, key=int)
    as_reg = import_dataset(p, ImportOptions(target="rooms", task="regression"))
    assert as_reg.task == "regression" and as_reg.y.dtype == np.float32
    as_cls = import_dataset(write(tmp_path / "few.csv", "a,b\n" + "1,0.5\n2,1.5\n" * 20),
                            ImportOptions(task="classification"))
    assert as_cls.class_names == ["0.5", "1.5"]
    with pytest.raises(DataError, match="holds text"):
        import_dataset(write(tmp_path / "t.csv", table_text()), ImportOptions(task="regression"))


def test_encode_rows_matches_the_import(tmp_path):
    text = ("date;catégorie;prix;note;y\n"
            + "".join(f"{1 + i % 28:02d}/0{1 + i % 9}/2024;{'abc'[i % 3]};{i % 7},5;{'' if i % 4 else 'x'};{i % 2}\n"
                      for i in range(60)))
    p = write(tmp_path / "e.csv", text)
    ds = import_dataset(p, ImportOptions())
    assert [c["type"] for c in ds.meta["columns"]] == ["date", "category", "number", "category"]
    assert ds.meta["feature_names"][:3] == ["date (month)", "date (day)", "date (weekday)"]  # year constant
    assert "month, day, weekday" in ds.report.by_code(DATE_EXPANDED)[0].message
    rows, sources = read_rows(p)
    assert sources == ds.sources and np.array_equal(encode_rows(rows, ds.meta), ds.x)
    # Numbers may be given as numbers, keys in any case/accents; unknown categories and blanks are handled.
    new = encode_rows([{"CATEGORIE": "zzz", "prix": 2.5}], ds.meta)
    f = ds.meta["feature_names"]
    assert new.shape == (1, len(f)) and new[0, f.index("prix")] == 2.5
    assert new[0, f.index("catégorie=a")] == 0 and new[0, f.index("note=(missing)")] == 1


def test_duplicate_rows_share_a_split_and_conflicts_are_reported(tmp_path):
    lines = ["a,b,y"] + [f"{i},{i * 3 % 11},{i % 2}" for i in range(40)]
    lines += ["5,4,1", "5,4,0", "7,10,1"]  # 5,4 appears under both labels; 7,10 repeats with the same label
    ds = import_dataset(write(tmp_path / "d.csv", "\n".join(lines)), ImportOptions())
    across = ds.report.by_code(R.DUPLICATE_ACROSS_LABELS)
    assert across and "d.csv#row=7" in across[0].files[0] and "d.csv#row=43" in across[0].files[0]
    same = [i for i, s in enumerate(ds.sources) if s in ("d.csv#row=9", "d.csv#row=44")]
    assert len(same) == 2 and ds.splits[same[0]] == ds.splits[same[1]] and ds.groups[same[0]] == ds.groups[same[1]]


def test_bundled_orders_sample():
    ds = import_dataset(ORDERS, ImportOptions(target="retourné"))
    assert ds.kind == "table" and ds.task == "classification" and ds.class_names == ["non", "oui"]
    assert 600 <= ds.num_samples <= 1500 and ds.x.dtype == np.float32 and np.isfinite(ds.x).all()
    assert ds.meta["encoding"] == "cp1252" and ds.meta["decimal_comma"] and ds.meta["delimiter"] == ";"
    codes = set(ds.report.codes())
    assert {R.ENCODING_FALLBACK, R.MISSING_VALUES, R.CONSTANT_COLUMN, R.DROPPED_COLUMN} <= codes
    assert "n° commande" not in ds.meta["feature_names"]
    assert set(ds.split_counts().values()) != {0}


def test_inspect_command_on_tables(tmp_path, monkeypatch, capsys):
    import json

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["inspect", str(ORDERS), "--target", "Retourné", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "table" and out["task"] == "classification" and set(out["classes"]) == {"non", "oui"}
    assert "encoding_fallback" in {p["code"] for p in out["problems"]}
    noise = tmp_path / "noise.csv"
    noise.write_bytes(bytes(range(256)) * 20)
    assert main(["inspect", str(noise), "--json"]) == 2
    captured = capsys.readouterr()
    assert "noise.csv" in json.loads(captured.out)["error"]["message"] and "Traceback" not in captured.err


def test_a_table_classification_keeps_every_class_in_every_split(tmp_path):
    # 3 rare classes of 4, 6 and 9 rows beside a common one: hashing each row on its own left some out
    rng = np.random.default_rng(1)
    lines = ["size,weight,kind"]
    for kind, n in (("common", 60), ("rare", 4), ("odd", 6), ("special", 9)):
        lines += [f"{rng.uniform(0, 10):.3f},{rng.uniform(0, 5):.3f},{kind}" for _ in range(n)]
    p = write(tmp_path / "t.csv", "\n".join(lines) + "\n")
    ds = import_dataset(p, ImportOptions())
    assert ds.task == "classification"
    for c, name in enumerate(ds.class_names):
        assert set(ds.splits[ds.y == c].tolist()) == {TRAIN, VAL, TEST}, name
    assert np.bincount(ds.splits[ds.y == ds.class_names.index("common")], minlength=3).tolist() == [48, 6, 6]
    assert not any(p.message.startswith("No example") for p in ds.report.problems)
    again = import_dataset(p, ImportOptions())
    assert np.array_equal(ds.splits, again.splits)


def test_with_no_column_chosen_a_last_column_that_cannot_be_learnt_is_passed_over_and_said(tmp_path):
    """The shop owner's export ends with a comment column (a different text in every row) or a mostly blank
    one: nothing to learn. With no column chosen, the nearest column before it that can be learnt is taken,
    and the report says which and why; a column the user chose is used as chosen."""
    from edgeling.core.data.load import ImportOptions
    from edgeling.core.data.table import import_dataset

    lines = ["amount;colour;returned;comment;remarque"] + [
        f"{(7 * i) % 13};{'rgb'[i % 3]};{'yes' if i % 3 else 'no'};note {i};{'fragile' if i % 9 == 0 else ''}"
        for i in range(40)]
    csv = tmp_path / "orders.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = import_dataset(csv, ImportOptions())
    assert ds.meta["target"] == "returned" and ds.class_names == ["no", "yes"] and len(ds.y) == 40
    said = [p for p in ds.report.problems if p.code == "target_guessed"]
    assert len(said) == 1 and said[0].severity == "info"
    assert said[0].message == ("No column to predict was chosen, so 'returned' was taken: it is the last column "
                               "that can be learnt ('remarque' is blank in 88% of the rows; 'comment' is a "
                               "different text in every row).")
    assert "--target NAME" in said[0].advice
    assert ds.meta["unused_columns"] == ["comment"]    # left out (a different text in every row): the card says to skip it
    chosen = import_dataset(csv, ImportOptions(target="colour"))         # chosen: used as chosen
    assert chosen.meta["target"] == "colour" and chosen.class_names == ["b", "g", "r"]
    assert "target_guessed" not in chosen.report.codes()
    plain = tmp_path / "plain.csv"                                       # a last column that can be learnt
    plain.write_text("\n".join(line.rsplit(";", 2)[0] for line in lines) + "\n", encoding="utf-8")
    ds = import_dataset(plain, ImportOptions())
    assert ds.meta["target"] == "returned" and "target_guessed" not in ds.report.codes()


def test_a_last_column_that_cannot_be_predicted_says_which_columns_can_and_how_to_choose(tmp_path):
    """No column can be learnt, so the last one was tried and failed: the message says so, lists the other
    columns and how to choose one, in the app and on the command line."""
    from edgeling.core.data.load import ImportOptions
    from edgeling.core.data.table import import_dataset

    lines = ["shop;comment"] + [f"Lyon {i};note {i}" for i in range(40)]
    csv = tmp_path / "orders.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        import_dataset(csv, ImportOptions())
    said = str(e.value)
    assert "no groups to learn" in said or "nothing to predict" in said or "no usable column" in said, said
    assert ("none looks like one ('comment' is a different text in every row; 'shop' is a different text in "
            "every row), so the last column, 'comment', was tried.") in said
    assert "The other columns are: 'shop'." in said and "--target NAME" in said and "'Column to predict'" in said
    with pytest.raises(DataError) as e:       # chosen by the user: no "last column"
        import_dataset(csv, ImportOptions(target="comment"))
    assert "last column" not in str(e.value)


def test_a_column_can_be_left_out_by_name(tmp_path):
    """The shop re-walk: 'consider removing it', but nothing could leave a column out but editing the file."""
    from edgeling.core.cli import main
    from edgeling.core.data.load import ImportOptions
    from edgeling.core.data.table import import_dataset

    csv = tmp_path / "commandes.csv"
    csv.write_text("montant;pays;commentaire;retourné\n" + "".join(
        f"{(7 * i) % 13};{'FR' if i % 2 else 'BE'};{'abîmé' if i % 7 == 0 else 'ok'};{'oui' if i % 3 else 'non'}\n"
        for i in range(60)), encoding="utf-8")
    ds = import_dataset(csv, ImportOptions(leave_out=["Commentaire"]))        # any case
    assert [c["name"] for c in ds.meta["columns"]] == ["montant", "pays"] and ds.meta["unused_columns"] == ["commentaire"]
    assert "Left out as you asked: 'commentaire'." in [p.message for p in ds.report.problems]
    with pytest.raises(DataError, match="has no column named 'remarque' to leave out. Its columns are: 'montant'"):
        import_dataset(csv, ImportOptions(leave_out=["remarque"]))
    with pytest.raises(DataError, match="'retourné' is the column to predict, so it cannot be left out"):
        import_dataset(csv, ImportOptions(leave_out=["retourné"]))
    assert main(["inspect", str(csv), "--leave-out", "commentaire", "--leave-out", "pays", "--json"]) == 0


def test_a_column_typed_without_umlauts_or_accents_is_found(tmp_path):
    """The shop walk: --target Ruecksendung (a keyboard without ü) was refused; 'rucksendung' worked."""
    lines = ["Zahlungsart;Straße;Preis;Rücksendung"]
    lines += [f"{['Karte', 'Rechnung'][i % 2]};{['Hauptstr', 'Ring'][i % 3 == 0]};{i % 17};"
              f"{'ja' if i % 3 else 'nein'}" for i in range(60)]
    path = write(tmp_path / "r.csv", "\n".join(lines))
    for typed in ("Ruecksendung", "rucksendung", "RÜCKSENDUNG", "Rücksendung"):
        ds = import_dataset(path, ImportOptions(target=typed))
        assert ds.meta["target"] == "Rücksendung", typed
    ds = import_dataset(path, ImportOptions(target="Ruecksendung", leave_out=["Strasse"]))
    assert "Straße" not in ds.meta["feature_names"]
    with pytest.raises(DataError, match="has no column named 'Rueck'"):
        import_dataset(path, ImportOptions(target="Rueck"))


def test_a_workbook_is_refused_with_how_to_save_it_as_csv(tmp_path):
    from edgeling.core.data.load import detect_kind

    book = tmp_path / "Bestellungen.xlsx"
    book.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DataError, match=r"Bestellungen.xlsx is a spreadsheet workbook \(.xlsx\), not a CSV "
                                        r"file. Open it in your spreadsheet .* File > Save As \(or Export\) > CSV"):
        detect_kind(book)


def test_columns_named_twice_or_not_at_all_are_said(tmp_path):
    """The shop walk: two columns headed 'Preis'; the second appeared as 'Preis (2)' in the column picker with
    no word about it."""
    lines = ["Preis;Menge;Preis;;Rücksendung"] + [f"{i % 7};{i % 5};{i % 11};{i % 3};{'ja' if i % 2 else 'nein'}"
                                                  for i in range(40)]
    ds = import_dataset(write(tmp_path / "e.csv", "\n".join(lines)), ImportOptions())
    (said,) = ds.report.by_code(R.COLUMNS_RENAMED)
    assert said.message == ("In e.csv, 'Preis' is the name of more than one column: column 3 is called "
                            "'Preis (2)'; column 4 has no name: it is called 'column 4'.")
    assert said.severity == "info"
    plain = ["a;b;y"] + [f"{i};{i % 3};{i % 2}" for i in range(40)]
    assert not import_dataset(write(tmp_path / "p.csv", "\n".join(plain)), ImportOptions()).report.by_code(
        R.COLUMNS_RENAMED)


def test_a_shop_export_s_note_and_cut_line_are_said_in_words_for_a_table(tmp_path):
    """The newcomer run on a shop's export: the note advice spoke of a logger's "readings", and the cut-off line's
    of "the recording"; a table is neither."""
    from edgeling.core.data.csvread import read_csv

    path = tmp_path / "commandes.csv"
    path.write_text("# Export Boutique v3.2, 2026-11-01, 400 commandes\nprix;pays;retour\n"
                    "12,5;France;non\n8,0;Suisse;oui\n9,9;France;non\n7,5;Bel", encoding="utf-8")
    report = R.Report()
    read_csv(path, report)
    advice = " ".join(p.advice for p in report.problems)
    assert report.by_code(R.NOTES_SKIPPED) and report.by_code(R.CUT_OFF_ROW)
    assert "readings" not in advice and "an export not finished" in advice
