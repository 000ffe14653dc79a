"""The entry point: with no display it runs the terminal demo (never Qt); with offscreen it is a window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gui.test_full_flow import make_shapes

ROOT = Path(__file__).resolve().parents[2]


def test_display_detection(monkeypatch):
    from edgeling.gui.app import has_display

    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    if sys.platform.startswith("linux"):
        assert not has_display()
        monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
        assert has_display()
        monkeypatch.delenv("WAYLAND_DISPLAY")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert has_display()


@pytest.mark.slow
def test_no_display_runs_the_headless_demo(tmp_path):
    samples = tmp_path / "samples"
    make_shapes(samples / "digits", n=16)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(EDGELING_SAMPLES_DIR=str(samples), EDGELING_CACHE_DIR=str(tmp_path / "cache"),
               EDGELING_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT),
               TMPDIR=str(tmp_path))      # the demo's folder (it keeps it, and says where) goes with tmp_path
    args = [] if sys.platform.startswith("linux") else ["--demo"]   # elsewhere a display is assumed
    code = (f"import sys; from edgeling.gui.app import main; rc = main({args!r}); "
            "print('QT_LOADED', 'PySide6' in sys.modules); sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                       timeout=400)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert "No display found" in r.stdout and "32 samples of images" in r.stdout
    assert "QT_LOADED False" in r.stdout
    assert "Done." in r.stdout and "tflite" in r.stdout.lower()
