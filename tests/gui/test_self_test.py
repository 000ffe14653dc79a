"""``edgeling-studio --self-test`` through the frozen app's entry script, in a fresh interpreter (as the
installers run it), and proof that a broken job makes it fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # trains one epoch and exports twice in a child process: 8 s idle, minutes when busy
def test_self_test_passes_through_the_frozen_entry_script(tmp_path):
    log_dir = tmp_path / "log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("EDGELING_SAMPLES_DIR", None)  # the self-test checks the bundled samples, not the fixture's
    r = subprocess.run([sys.executable, str(ROOT / "packaging" / "entry.py"), "--self-test", "--log-dir",
                        str(log_dir)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"the log is {log_dir / 'self-test.log'}" in r.stdout
    log = json.loads((log_dir / "self-test.log").read_text(encoding="utf-8"))
    results = {c["name"]: c["ok"] for c in log["checks"]}
    for name in ("resources", "window", "inspect", "import-child", "job", "job/train", "job/tflite-int8", "job/onnx",
                 "gui-process"):
        assert results.get(name) is True, f"{name}: {log['checks']}"
    assert log["passed"] is True
    assert (log_dir / "model.onnx").stat().st_size > 0
    assert (log_dir / "model-int8.tflite").read_bytes()[4:8] == b"TFL3"
    assert (log_dir / "window.png").stat().st_size > 0
    assert (log_dir / "cache").is_dir()  # the self-test's imports stayed in its own folder


def test_a_failing_job_fails_the_self_test(tmp_path, monkeypatch):
    from edgeling.gui import self_test

    monkeypatch.setattr(self_test, "JOB_TARGET", "edgeling.core.jobs.demo.fail_job")
    checks = self_test.check_job(tmp_path)
    assert checks[0]["name"] == "job" and checks[0]["ok"] is False
    assert "deliberate failure" in checks[0]["detail"]


def test_an_import_child_that_fails_is_a_failed_check(tmp_path, monkeypatch):
    from edgeling.gui import self_test
    from edgeling.gui.pages import data_import

    monkeypatch.setattr(data_import, "IMPORT_JOB", "tests.gui.tiny_jobs.crashing_import")
    check = self_test.check_import_child(tmp_path)
    assert check["name"] == "import-child" and check["ok"] is False
    assert "The import process ended unexpectedly" in check["detail"]
