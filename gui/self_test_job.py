"""The part of ``edgeling-studio --self-test`` that runs in a job child process (never in the GUI).

This module never imports Qt, nor torch / onnxruntime / the TFLite runtimes itself: it drives the
``edgeling`` command line's own code (``train``, then ``export`` with verification), which imports them in
this child. ``edgeling.core.jobs.process.start_job`` runs ``smoke_job`` in a ``spawn`` child, so the frozen
app's ``freeze_support`` path is exercised too.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from edgeling.core.export.runtime_names import runtime_words
from edgeling.core.jobs.context import JobContext

DEVICE = "arduino-nano-33-ble-sense"  # the smallest common target: a tiny model, quick to train
EXPORTS = (("tflite-int8", "model-int8.tflite"), ("onnx", "model.onnx"))
MIN_ACCURACY = 0.3  # one epoch on the digits sample reaches ~0.7; chance is 0.1


def cli(argv: list[str]) -> tuple[int, dict]:
    """Run ``edgeling <argv> --json`` in this process; (exit code, the JSON it printed)."""
    from edgeling.core import cli as edgeling_cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = edgeling_cli.main([*argv, "--json"])
    lines = out.getvalue().strip().splitlines()
    return code, (json.loads(lines[-1]) if lines else {})


def smoke_job(params: dict, ctx: JobContext) -> dict:
    """Train one epoch on ``params["data"]`` for the smallest device and export int8 TFLite and ONNX into
    ``params["out_dir"]``, each verified in its runtime. Returns ``{"checks": [{name, ok, detail}]}``."""
    out = Path(params["out_dir"])
    run_dir = out / "run"
    checks = []
    code, result = cli(["train", str(params["data"]), "--device", DEVICE, "--out", str(run_dir),
                        "--epochs", "1"])
    accuracy = (result.get("metrics") or {}).get("accuracy")
    ok = code == 0 and result.get("status") == "finished" and (accuracy or 0) >= MIN_ACCURACY
    detail = (f"edgeling train {Path(params['data']).name} --device {DEVICE} --epochs 1: test accuracy "
              f"{accuracy:.1%}" if accuracy is not None else
              f"edgeling train exited {code}: {result.get('error', result)}")
    checks.append({"name": "train", "ok": ok, "detail": detail})
    ctx.log(detail)
    if not ok:
        return {"checks": checks}
    for fmt, name in EXPORTS:
        code, result = cli(["export", str(run_dir), "--format", fmt, "--out", str(out / name)])
        v = result.get("verification") or {}
        ok = code == 0 and v.get("passed") is True
        if v.get("agreement") is not None:
            detail = (f"edgeling export --format {fmt}: {result.get('size_bytes')} bytes, verified in "
                      f"{runtime_words(v.get('runtime'))} (agreement {v['agreement']:.1%}"
                      + (f", TFLite Micro {v['micro_agreement']:.1%}" if v.get("micro_agreement") is not None else "")
                      + ")")
        else:
            detail = f"edgeling export --format {fmt} exited {code}: {result.get('error', result)}"
        checks.append({"name": fmt, "ok": ok, "detail": detail})
        ctx.log(detail)
    return {"checks": checks}
