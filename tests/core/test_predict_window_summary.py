"""``edgeling predict RUN recording.csv`` answers a long recording window by window; the line for the file is
the average of the windows' probabilities, which hides a change: 30 s of normal running then 15 s of
cavitation printed only "normal (64%)". The human output now adds one line per file with several windows:
how many windows each class won and where the answer changes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from edgeling.core.cli import main
from edgeling.core.jobs.train_job import train_run
from tests.core.test_import_timeseries import signal, write_rec

RATE = 50.0


def _windows(labels: list[str], step: float = 1.0) -> dict:
    rows = [{"source": f"pump.csv#t={i * step:.2f}", "label": lab, "confidence": 0.9} for i, lab in enumerate(labels)]
    return {"source": "pump.csv", "label": "normal", "confidence": 0.64, "windows": rows}


def test_the_summary_counts_the_windows_and_says_where_the_answer_changes():
    from edgeling.core.commands.predict import windows_summary

    assert windows_summary(_windows(["normal"] * 29 + ["cavitation"] * 15)) == (
        "44 windows: 29 normal, 15 cavitation; cavitation from the window starting at t = 29.0 s")
    assert windows_summary(_windows(["normal"] * 4 + ["cavitation"] * 2 + ["normal"] * 3, step=0.25)) == (
        "9 windows: 7 normal, 2 cavitation; cavitation from the window starting at t = 1.0 s, normal from the "
        "window starting at t = 1.5 s")
    assert windows_summary(_windows(["a", "b"] * 5)) == (
        "10 windows: 5 a, 5 b; the answer changes 9 times (each window's answer: --json)")
    assert windows_summary(_windows(["normal"] * 6)) == "6 windows: 6 normal"
    assert windows_summary(_windows(["normal"])) is None and windows_summary({"label": "x", "confidence": 1.0}) is None
    no_times = _windows(["a", "a", "b"])
    for w in no_times["windows"]:
        w["source"] = "clip.wav"
    assert windows_summary(no_times) == "3 windows: 2 a, 1 b"


@pytest.fixture(scope="module")
def shaking_run(tmp_path_factory):
    """A frequency-summary model telling a still sensor from a shaken one, and a recording of 10 s still
    then 6 s shaken."""
    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("window-summary")
    for c, freq in (("idle", 1.0), ("shake", 6.0)):
        for i in range(6):
            write_rec(tmp / "data" / c / f"{c}_{i}.csv", freq=freq, seed=i + (10 if c == "shake" else 0), seconds=6.0)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        result = train_run(tmp / "data", tmp / "run", kind="timeseries", arch="spectral_dense", epochs=60,
                           threads=1, import_options={"window_s": 2.0})
    assert result["status"] == "finished"
    x = np.concatenate([signal(int(10 * RATE), RATE, 1.0, seed=3), signal(int(6 * RATE), RATE, 6.0, seed=13)])
    lines = ["time,x,y,z"] + [f"{i / RATE:.4f}," + ",".join(f"{v:.5f}" for v in row) for i, row in enumerate(x)]
    (tmp / "mixed.csv").write_text("\n".join(lines) + "\n")
    return tmp


def test_predict_says_how_the_windows_of_a_long_recording_were_answered(shaking_run, monkeypatch, capsys):
    monkeypatch.setenv("EDGELING_CACHE_DIR", str(shaking_run / "cache"))
    mixed = str(shaking_run / "mixed.csv")
    exported = shaking_run / "shake.tflite"
    assert main(["export", str(shaking_run / "run"), "--format", "tflite", "--out", str(exported)]) == 0
    capsys.readouterr()
    for model in (shaking_run / "run", exported):
        assert main(["predict", str(model), mixed, "--json"]) == 0
        captured = capsys.readouterr()
        windows = json.loads(captured.out)["predictions"][0]["windows"]
        labels = [w["label"] for w in windows]
        said = re.search(r": the answer changes along the recording: (\d+) windows: (.*)$", captured.err, re.M)
        assert said, captured.err        # led with, as the app does (the average hid a change)
        assert int(said.group(1)) == len(windows) == 15
        first_shake = labels.index("shake")
        assert labels == ["idle"] * first_shake + ["shake"] * (15 - first_shake) and 8 <= first_shake <= 10
        assert said.group(2) == (f"{first_shake} idle, {15 - first_shake} shake; shake from the window starting "
                                 f"at t = {first_shake}.0 s")
        assert captured.err[said.start() - len(str(Path(mixed))):said.start()] == str(Path(mixed))
        assert "  over the whole recording: " in captured.err[said.end():]
        # a mean, not a count, said in the terminal too (the review: only the app said it)
        assert "the mean of its windows' answers (how sure each is of each class), not a count of them" in captured.err
