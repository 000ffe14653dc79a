"""Two trainings into one run folder at once: the second is refused in plain words (exit 2) and writes
nothing; a lock left by a process that is gone is taken over; the lock goes when training ends, also when
it fails."""

from __future__ import annotations

import json
import multiprocessing
import time

import pytest

from edgeling.core import runs
from edgeling.core.cli import main
from edgeling.core.jobs import events as ev
from edgeling.core.jobs.process import start_job
from edgeling.core.jobs.run_lock import LOCK_FILE
from edgeling.core.jobs.train_job import TARGET, TrainingError, train_run
from tests.core.test_jobs_training import params, wait_for
from tests.core.training_fixtures import ZOO, make_table_csv


@pytest.fixture
def table(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    return make_table_csv(tmp_path / "points.csv", n=120)


def test_a_second_training_into_the_same_folder_is_refused(table, tmp_path, capsys):
    out = tmp_path / "run"
    h = start_job(TARGET, params(table, out, epochs=200, knobs={"step_sleep": 0.01}), out / "train.log")
    try:
        wait_for(h, lambda e: isinstance(e, ev.BatchEnd))
        assert (out / LOCK_FILE).read_text().strip() == str(h.pid)
        before = (out / runs.RUN_FILE).read_bytes()
        code = main(["train", str(table), "--device", "esp32-s3", "--out", str(out), "--json"])
        message = json.loads(capsys.readouterr().out)["error"]["message"]
        assert code == 2, message
        assert message == (f"Another training is writing into {out} (process {h.pid}); wait for it or choose "
                           "another --out.")
        assert (out / runs.RUN_FILE).read_bytes() == before
        h.stop(grace_s=5)
        h.wait(timeout=20)
    finally:
        h.close()
    assert runs.load_run(out).status == "stopped" and not (out / LOCK_FILE).exists()


def test_a_lock_left_by_a_dead_process_is_taken_over_and_released_also_on_failure(table, tmp_path):
    gone = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(0,))
    gone.start()
    gone.join()
    out = tmp_path / "run"
    out.mkdir()
    (out / LOCK_FILE).write_text(f"{gone.pid}\n")
    assert train_run(table, out, epochs=1, zoo=ZOO, threads=1)["status"] == "finished"
    assert not (out / LOCK_FILE).exists()
    with pytest.raises(TrainingError):
        train_run(table, tmp_path / "nan", epochs=2, zoo=ZOO, threads=1, knobs={"nan_after": 1})
    assert not (tmp_path / "nan" / LOCK_FILE).exists()
