"""The decoded copies of imported data live outside the project folders (the speech walk: every clip of a
clinic's recordings, with the file names, under ~/.cache/edgeling, said nowhere and impossible to empty from the
app). ``edgeling cache`` says where and how much; ``--clear`` deletes them, and the data opens again after."""

from __future__ import annotations

import json

from edgeling.core.cli import main as cli_main
from edgeling.core.data.load import ImportOptions, open_dataset
from edgeling.core.resources import resource


def _json(capsys, *args) -> dict:
    assert cli_main(["cache", *args, "--json"]) == 0
    out, err = capsys.readouterr()
    return json.loads(out), err


def test_the_cache_is_said_and_emptied(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    sample = resource("samples", "digits")
    first = open_dataset(sample, options=ImportOptions())
    usage, said = _json(capsys)
    assert usage["datasets"] == 1 and usage["bytes"] > first.x.nbytes
    assert str(tmp_path / "cache") in said and "file names" in said and "edgeling cache --clear" in said
    done, said = _json(capsys, "--clear")
    assert done["freed_bytes"] >= first.x.nbytes and done["left"] == []
    assert "Your data and projects are untouched" in said
    assert not list((tmp_path / "cache" / "datasets").iterdir())
    usage, _ = _json(capsys)
    assert usage == {"folder": str(tmp_path / "cache"), "bytes": usage["bytes"], "datasets": 0}
    assert usage["bytes"] < 4096                               # the computer's measured speed at most
    again = open_dataset(sample, options=ImportOptions())              # imported again, the same
    assert again.class_names == first.class_names and (again.x == first.x).all()
