"""A run whose data was moved: found again when the folder moved with it, otherwise a plain message that
names the old place and the fix (``--data``), and every command that re-reads the data accepts ``--data``."""

from __future__ import annotations

import json
import shutil

import pytest
import torch

from edgeling.core import runs
from edgeling.core.cli import main
from edgeling.core.jobs.train_job import train_run
from edgeling.core.project import Project
from edgeling.core.training.evaluate import evaluate_run
from tests.core.training_fixtures import ZOO, make_table_csv


@pytest.fixture(autouse=True)
def _one_thread(tmp_path, monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EDGELING_LOG_DIR", str(tmp_path / "logs"))


def tiny_run(folder, epochs: int = 2, **params):
    """A project-like folder: data.csv next to runs/r1 (trained with the tiny test zoo)."""
    folder.mkdir(parents=True)
    data = folder / "data.csv"
    make_table_csv(data, n=120)
    run = folder / "runs" / "r1"
    assert train_run(data, run, epochs=epochs, zoo=ZOO, threads=1, **params)["status"] == "finished"
    return run, data


def test_a_folder_moved_whole_finds_its_data_next_to_the_run(tmp_path):
    run, _ = tiny_run(tmp_path / "project")
    assert runs.load_run(run).config["data_relative"] == "../../data.csv"
    before = evaluate_run(run)["accuracy"]
    shutil.move(tmp_path / "project", tmp_path / "usb stick")  # e.g. another drive letter
    moved = tmp_path / "usb stick" / "runs" / "r1"
    assert runs.data_location(runs.load_run(moved)) == (tmp_path / "usb stick" / "data.csv").resolve()
    assert evaluate_run(moved)["accuracy"] == before


def without_saved_samples(run):
    """A run as trained before runs kept their own samples (``run_samples.py``): it needs its data."""
    (run / "samples.npz").unlink()
    return run


def test_data_gone_gives_a_plain_message_and_data_says_where_it_is_now(tmp_path, capsys):
    run, data = tiny_run(tmp_path / "project")
    before = evaluate_run(run, write=False)["accuracy"]
    without_saved_samples(run)
    elsewhere = tmp_path / "elsewhere.csv"
    shutil.move(data, elsewhere)
    metrics = (run / runs.METRICS_FILE).read_bytes()
    code = main(["evaluate", str(run), "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
    message = json.loads(out)["error"]["message"]
    assert str(data) in message and "no longer" in message and "--data" in message
    assert (run / runs.METRICS_FILE).read_bytes() == metrics  # nothing lost

    assert main(["evaluate", str(run), "--data", str(elsewhere), "--json"]) == 0
    assert json.loads(capsys.readouterr()[0])["accuracy"] == before  # the same test samples, scored again
    assert (run / "samples.npz").is_file()    # kept from now on: the next move needs no --data


def test_data_gone_a_run_with_its_saved_samples_is_measured_on_them(tmp_path, capsys):
    run, data = tiny_run(tmp_path / "project")
    before = evaluate_run(run, write=False)["accuracy"]
    shutil.move(data, tmp_path / "elsewhere.csv")
    assert main(["evaluate", str(run), "--json"]) == 0
    got = json.loads(capsys.readouterr()[0])
    assert got["accuracy"] == before and got["note"].startswith(f"The data this run was trained on is no longer at {data}.")


def test_data_with_other_classes_is_refused_by_name(tmp_path, capsys):
    run, _ = tiny_run(tmp_path / "project")
    other = tmp_path / "other.csv"
    make_table_csv(other, n=120, classes=("red", "green", "blue"))
    assert main(["evaluate", str(run), "--data", str(other), "--json"]) == 0
    note = json.loads(capsys.readouterr()[0])["note"]      # measured on its own saved samples instead
    assert note.startswith(f"{other} holds the classes blue, green, red, not the ones this run learnt.")
    assert main(["evaluate", str(without_saved_samples(run)), "--data", str(other), "--json"]) == 2
    message = json.loads(capsys.readouterr()[0])["error"]["message"]
    assert "blue, green, red" in message and "high, low, mid" in message


def test_resuming_a_run_whose_data_moved(tmp_path):
    run, data = tiny_run(tmp_path / "project", epochs=1)
    elsewhere = tmp_path / "elsewhere.csv"
    shutil.move(data, elsewhere)
    result = train_run(elsewhere, run, epochs=2, zoo=ZOO, threads=1)
    assert result["status"] == "finished" and result["epochs_done"] == 2
    cfg = runs.load_run(run).config
    assert cfg["data"] == str(elsewhere.resolve()) and cfg["data_relative"] == "../../../elsewhere.csv"


def test_export_and_compress_take_data_and_the_new_run_records_it(tmp_path, capsys):
    tmp_path.joinpath("project").mkdir()
    data = tmp_path / "project" / "data.csv"
    make_table_csv(data, n=240)
    run = tmp_path / "project" / "runs" / "r1"
    assert train_run(data, run, arch="mlp", epochs=3, threads=1)["status"] == "finished"
    without_saved_samples(run)
    elsewhere = tmp_path / "elsewhere.csv"
    shutil.move(data, elsewhere)
    out = tmp_path / "m.onnx"
    assert main(["export", str(run), "--format", "onnx", "--out", str(out)]) == 2
    assert not out.exists()
    assert main(["export", str(run), "--format", "onnx", "--out", str(out), "--data", str(elsewhere)]) == 0
    assert out.stat().st_size > 0
    small = tmp_path / "project" / "runs" / "r1-ptq"
    assert main(["compress", str(run), "--quantize", "ptq", "--out", str(small), "--data", str(elsewhere)]) == 0
    assert runs.load_run(small).config["data"] == str(elsewhere.resolve())
    assert runs.data_location(runs.load_run(run)) is None  # the source run is not changed


def test_the_app_hands_its_data_to_a_run_only_when_the_run_lost_its_own(tmp_path):
    run, data = tiny_run(tmp_path / "project")
    project = Project(folder=tmp_path / "project", name="p")
    project.data = {"path": str(data)}
    assert project.data_for_run(run) is None  # the run finds its data itself
    elsewhere = tmp_path / "chosen again.csv"
    shutil.move(data, elsewhere)
    assert project.data_for_run(run) is None  # the project's data is gone as well
    project.data = {"path": str(elsewhere)}  # chosen again on the Data page
    assert project.data_for_run(run) == str(elsewhere)
    assert project.data_for_run(tmp_path / "not a run") is None
