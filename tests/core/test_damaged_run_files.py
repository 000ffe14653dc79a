"""A damaged metrics.json or history.json does not make a good run unusable (they count as missing, and
evaluate writes metrics again); a damaged or non-object run.json is read from its backup copy, or without one
is a plain error naming run.json."""

from __future__ import annotations

import json

import pytest

from edgeling.core import runs
from edgeling.core.cli import main
from edgeling.core.jobs.train_job import train_run
from tests.core.training_fixtures import ZOO, make_table_csv


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = make_table_csv(tmp_path / "points.csv", n=120)
    assert train_run(data, tmp_path / "run", epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
    return tmp_path / "run"


def test_damaged_metrics_and_history_count_as_missing(run, capsys):
    (run / runs.METRICS_FILE).write_text('{"accuracy": 0.9')
    (run / runs.HISTORY_FILE).write_bytes(b"\xff\xfe garbage")
    loaded = runs.load_run(run)
    assert loaded.metrics is None and loaded.history == []
    (run / runs.HISTORY_FILE).write_text('{"not": "a list"}')
    assert runs.load_run(run).history == []
    assert main(["evaluate", str(run), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["num_samples"] > 0
    assert runs.load_run(run).metrics["num_samples"] > 0  # written again


@pytest.mark.parametrize("content", ["[]", "42", '{"arch": "tiny_mlp"', "\0\0\0"])
def test_a_damaged_run_json_is_a_plain_error_naming_it(run, capsys, content):
    (run / runs.RUN_FILE).write_text(content)
    assert main(["evaluate", str(run), "--json"]) == 0       # its backup copy stands in (the upgrade walk)
    capsys.readouterr()
    (run / runs.RUN_FILE).write_text(content)
    (run / runs.RUN_BACKUP).unlink()                          # a run without one (trained by an older build)
    with pytest.raises(runs.RunError, match="run.json"):
        runs.load_run(run)
    code = main(["evaluate", str(run), "--json"])
    captured = capsys.readouterr()
    message = json.loads(captured.out)["error"]["message"]
    assert code == 2 and str(run / runs.RUN_FILE) in message and "Train again into a new folder" in message
    assert "bug" not in message and "Traceback" not in captured.err
