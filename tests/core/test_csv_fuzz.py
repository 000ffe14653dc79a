"""Property test: whatever a CSV file holds, the table importer returns a Dataset or raises DataError,
never anything else."""

from __future__ import annotations

import string

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edgeling.core.data.dataset import DataError, Dataset
from edgeling.core.data.load import ImportOptions
from edgeling.core.data.table import import_dataset

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NAME_CHARS = string.ascii_letters + "éèàçÂôüñß ()%°€_-"
TEXT_CHARS = string.ascii_letters + string.digits + "éèàçôü ,;.|\"'-/"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def cell(kind: str, draw, decimal_comma: bool) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["", " ", "NA", "n/a", "-"]))
    if kind == "int":
        return str(draw(st.integers(-10**6, 10**6)))
    if kind == "float":
        v = draw(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
        s = f"{v:.3f}"
        return s.replace(".", ",") if decimal_comma else s
    if kind == "money":  # currency signs, %, thousands separated by spaces, and total rows' words
        v = draw(st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False))
        s = f"{v:,.2f}".replace(",", draw(st.sampled_from([" ", "\u00a0", ","])))
        s = s.replace(".", ",") if decimal_comma and "," not in s else s
        return draw(st.sampled_from(["{} €", "€ {}", "${}", "{} %", "CHF {}", "{}", "TOTAL", "Somme :"])).format(s)
    if kind == "category":
        return draw(st.sampled_from(["oui", "non", "peut-être", "rouge", "Vert clair", "bleu"]))
    if kind == "date":
        return f"{draw(st.integers(1, 28)):02d}/{draw(st.integers(1, 12)):02d}/{draw(st.integers(1990, 2030))}"
    return draw(st.text(TEXT_CHARS, max_size=12))


def quote(value: str, delimiter: str) -> str:
    if any(c in value for c in (delimiter, '"', "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def tables(draw):
    ncols = draw(st.integers(1, 6))
    kinds = draw(st.lists(st.sampled_from(["int", "float", "money", "category", "date", "text"]), min_size=ncols,
                          max_size=ncols))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    decimal_comma = delimiter != "," and draw(st.booleans())
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
    nrows = draw(st.integers(0, 40))
    lines = []
    if draw(st.booleans()):
        lines.append(delimiter.join(quote(draw(st.text(NAME_CHARS, max_size=10)), delimiter) for _ in kinds))
    for _ in range(nrows):
        row = [quote(cell(k, draw, decimal_comma), delimiter) for k in kinds]
        if draw(st.integers(0, 15)) == 0:
            row = row[: draw(st.integers(0, len(row)))]  # ragged
        lines.append(delimiter.join(row))
        if draw(st.integers(0, 20)) == 0:
            lines.append("")
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    data = newline.join(lines).encode(encoding, errors="replace")
    target = draw(st.one_of(st.none(), st.sampled_from(["column 1", "zzz", "Retourné"])))
    task = draw(st.sampled_from([None, None, "classification", "regression"]))
    return data, ImportOptions(target=target, task=task)


def check(folder, data: bytes, options: ImportOptions) -> None:
    path = folder / "fuzz.csv"
    path.write_bytes(data)
    try:
        ds = import_dataset(path, options)
    except DataError as e:
        assert str(e).strip(), "a DataError must say what is wrong"
        return
    assert isinstance(ds, Dataset)
    assert ds.x.dtype == np.float32 and ds.x.ndim == 2 and np.isfinite(ds.x).all()
    assert len(ds.y) == len(ds.sources) == len(ds.splits) == ds.num_samples > 0


@settings(max_examples=150, **SETTINGS)
@given(tables())
def test_generated_tables_import_or_raise_data_error(folder, table):
    check(folder, *table)


@settings(max_examples=60, **SETTINGS)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(folder, data):
    check(folder, data, ImportOptions())


@settings(max_examples=60, **SETTINGS)
@given(st.text(max_size=600), st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_malformed_text_never_crashes(folder, text, encoding):
    check(folder, text.encode(encoding, errors="replace"), ImportOptions())


@settings(max_examples=60, **SETTINGS)
@given(tables(), st.integers(0, 10**6), st.binary(min_size=1, max_size=8))
def test_damaged_tables_never_crash(folder, table, where, junk):
    data, options = table
    cut = where % (len(data) + 1)
    check(folder, data[:cut] + junk + data[cut:], options)
