"""The GUI process never imports torch or onnxruntime (on Windows, importing them after PySide6 fails
with WinError 1114; and skipping them keeps cold start fast). Checked in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_walking_every_page_imports_neither_torch_nor_onnxruntime(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "tests.gui.gui_walk", str(tmp_path)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["visited"] == ["home", "data", "model", "train", "evaluate", "compress", "export"]
    assert out["imported"], "the image folder was not imported through the Data page"
    assert out["heavy"] == [], f"imported into the GUI process: {out['heavy']}"
