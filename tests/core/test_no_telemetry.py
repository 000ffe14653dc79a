"""Edgeling sends nothing anywhere: ONNX Runtime's telemetry (from 1.29 also on Linux and macOS, queued under
~/.cache/Microsoft/DeveloperTools/.onnxruntime until the computer is online) is switched off in every process
Edgeling runs ONNX Runtime in, and in the runner script that goes to a Raspberry Pi. The speech walk found
2,334 events queued on a clinic laptop (``core/no_telemetry.py``).

Each check runs in a fresh process with a home folder of its own. Whether ONNX Runtime left alone writes its queue
depends on its version and the machine (this one's 1.32.0 does, every time; the CI machine's did not), so that
control is not a test here: ``scripts/onnxruntime_telemetry.py`` runs it beside Edgeling and prints both."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from edgeling.core.resources import resource


def _script():
    """``scripts/onnxruntime_telemetry.py``: the model, the Edgeling case and the fresh-home run are its own."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "onnxruntime_telemetry.py"
    spec = importlib.util.spec_from_file_location("onnxruntime_telemetry", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()
MAKE_MODEL, EDGELING, _files_left = SCRIPT.MAKE_MODEL, SCRIPT.CASES["Edgeling"], SCRIPT.files_left


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("m") / "relu.onnx"
    subprocess.run([sys.executable, "-c", MAKE_MODEL, str(path)], check=True)
    return path


def test_edgeling_leaves_no_telemetry_queue_or_device_id(model, tmp_path):
    assert _files_left(tmp_path, EDGELING, model) == []


def test_the_runner_script_for_a_pi_leaves_none_either(model, tmp_path):
    runner = resource("runner", "edgeling_run.py")
    code = (f"import sys; sys.path.insert(0, {str(runner.parent)!r}); import edgeling_run, numpy as np; "
            "f = edgeling_run._open(__import__('pathlib').Path(sys.argv[1])); f(np.ones((1, 4), np.float32))")
    assert _files_left(tmp_path, code, model) == []


def test_every_process_edgeling_starts_inherits_the_switch():
    code = "import os, edgeling.core; print(os.environ.get('ORT_DISABLE_TELEMETRY'))"
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "1"
