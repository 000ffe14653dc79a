"""Bad numbers and output places are refused up front in plain words with exit code 2: an --out that is a
file, lies inside a file or cannot be written (train, compress, export), and --epochs / --batch-size /
--lr that are not above 0 (they were silently changed, or crashed with a Python error)."""

from __future__ import annotations

import errno
import json
import os
import tempfile

import pytest

from edgeling.core.cli import main
from edgeling.core.jobs.train_job import train_run
from tests.core.training_fixtures import ZOO, make_table_csv


def cli(argv, capsys):
    """(exit code, the --json error message); argparse errors end with SystemExit(2)."""
    try:
        code = main([*argv, "--json"])
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr().out
    return code, (json.loads(out)["error"]["message"] if out.strip() else "")


@pytest.fixture
def table(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    return make_table_csv(tmp_path / "points.csv", n=120)


def read_only(monkeypatch, folder):
    """``folder`` refuses new files (as a read-only folder or disk does, also when the tests run as root)."""
    real_mkstemp, real_replace = tempfile.mkstemp, os.replace

    def mkstemp(*a, dir=None, **k):
        if dir is not None and str(dir).startswith(str(folder)):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_mkstemp(*a, dir=dir, **k)

    def replace(src, dst, *a, **k):
        if str(dst).startswith(str(folder)):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("extra, why", [(["--epochs", "0"], "--epochs"), (["--epochs", "-1"], "--epochs"),
                                        (["--batch-size", "0"], "--batch-size"), (["--lr", "-1"], "--lr"),
                                        (["--lr", "nan"], "--lr")])
def test_train_refuses_numbers_that_are_not_above_zero(table, tmp_path, capsys, extra, why):
    with pytest.raises(SystemExit) as e:
        main(["train", str(table), "--device", "esp32-s3", "--out", str(tmp_path / "run"), *extra])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {why}: it must be" in err and "above 0" in err and "Traceback" not in err
    assert not (tmp_path / "run").exists()


def test_train_and_compress_refuse_an_out_that_is_a_file_or_cannot_be_written(table, tmp_path, capsys,
                                                                             monkeypatch):
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    train = ["train", str(table), "--device", "esp32-s3", "--epochs", "1", "--out"]
    code, message = cli([*train, str(afile)], capsys)
    assert code == 2 and f"{afile} is a file, not a folder" in message
    code, message = cli([*train, str(afile / "sub")], capsys)
    assert code == 2 and f"{afile / 'sub'} cannot be made: {afile} is a file" in message
    assert afile.read_text() == "keep me"
    run = tmp_path / "run"
    assert train_run(table, run, epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
    locked = tmp_path / "locked"
    locked.mkdir()
    read_only(monkeypatch, locked)
    code, message = cli([*train, str(locked / "run")], capsys)
    assert code == 2 and f"{locked / 'run'} cannot be written" in message and "Permission denied" in message
    code, message = cli(["compress", str(run), "--quantize", "ptq", "--out", str(locked / "small")], capsys)
    assert code == 2 and f"{locked / 'small'} cannot be written" in message
    assert list(locked.iterdir()) == []


def test_an_export_that_cannot_be_written_exits_2(table, tmp_path, capsys, monkeypatch):
    run = tmp_path / "run"
    assert train_run(table, run, epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
    locked = tmp_path / "locked"
    locked.mkdir()
    read_only(monkeypatch, locked)
    code, message = cli(["export", str(run), "--format", "onnx", "--out", str(locked / "m.onnx")], capsys)
    assert code == 2 and "Read-only file system" in message and "choose another folder" in message
    assert list(locked.iterdir()) == []
