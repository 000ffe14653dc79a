"""Training again into the folder of a finished run checks first that the data and device are the same:
other data or another device is refused (exit 2, choose a new --out), never "already trained"."""

from __future__ import annotations

import json

import pytest

from edgeling.core.cli import main
from edgeling.core.jobs.train_job import TrainingError, train_run
from tests.core.training_fixtures import ZOO, make_table_csv


def test_a_finished_run_refuses_other_data_or_another_device(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = make_table_csv(tmp_path / "points.csv", n=120)
    other = make_table_csv(tmp_path / "other.csv", n=120, seed=3)
    out = tmp_path / "run"
    assert train_run(data, out, device="esp32-s3", epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
    before = (out / "run.json").read_bytes()
    again = train_run(data, out, device="esp32-s3", epochs=1, zoo=ZOO, threads=1)
    assert again["already_trained"]
    with pytest.raises(TrainingError, match=r"trained for the device esp32-s3, not nano33ble\. Choose a new "
                                            r"output folder \(--out\)"):
        train_run(data, out, device="nano33ble", epochs=1, zoo=ZOO, threads=1)
    for argv in (["train", str(other), "--device", "esp32-s3"], ["train", str(data), "--device", "nano33ble"]):
        code = main([*argv, "--out", str(out), "--json"])
        message = json.loads(capsys.readouterr().out)["error"]["message"]
        assert code == 2 and "already holds a run" in message and "(--out)" in message, message
        assert "already trained" not in message
    assert (out / "run.json").read_bytes() == before
