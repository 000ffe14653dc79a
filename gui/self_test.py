"""``edgeling-studio --self-test``: check, without showing a window, that an installed Edgeling works.

The installers run this from the built bundle (CI, ``packaging/test_deb.sh``); a user can run it too. It
prints where it writes its log, then one line per check, and returns 0 only if every check passed:

- ``resources``: the bundled resources folder is where the app looks for it;
- ``window``: Qt starts (offscreen) and draws a window;
- ``inspect``: ``edgeling inspect`` imports the bundled ``digits`` sample;
- ``job``: a job child process starts (the frozen app's ``freeze_support`` path) and, inside it, the
  command line's own code trains a tiny model on the sample for one epoch, exports int8 TFLite and ONNX
  and verifies each in its runtime (``self_test_job.smoke_job``);
- ``gui-process``: torch and onnxruntime were never imported into this (the GUI) process.

The data, cache and run folders it writes go under the log folder (``--log-dir``), never the user's.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import sys
from pathlib import Path

JOB_TARGET = "edgeling.gui.self_test_job.smoke_job"
JOB_TIMEOUT_S = 900.0
HEAVY_MODULES = ("torch", "onnxruntime")


def resources_dir() -> Path:
    """Where core looks for the bundled resources (``<bundle>/_internal/edgeling/resources`` when frozen)."""
    from edgeling.core.resources import resources_dir as core_resources_dir

    return core_resources_dir()


def log_folder(base: str | os.PathLike | None = None) -> Path:
    """``base`` (``--log-dir``), or a new folder under the user's log folder."""
    if base:
        folder = Path(base).expanduser().resolve()
    else:
        import platformdirs

        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = (Path(platformdirs.user_log_dir("edgeling", appauthor=False))
                  / f"self-test-{stamp}-{os.getpid()}")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_self_test(argv: list[str] | None = None) -> int:
    """``argv``: the arguments after ``--self-test``; ``--log-dir DIR`` chooses where the log goes (CI
    reads it from there: a windowed Windows executable has no console to print to)."""
    args = list(argv or [])
    base = args[args.index("--log-dir") + 1] if "--log-dir" in args[:-1] else None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = log_folder(base)
    # Imports, caches and runs of the self-test stay in its folder; the job child inherits these.
    os.environ["EDGELING_CACHE_DIR"] = str(folder / "cache")
    os.environ["EDGELING_DATA_DIR"] = str(folder / "data")
    log_path = folder / "self-test.log"
    print(f"Edgeling self-test: the log is {log_path}", flush=True)
    checks: list[dict] = []
    for step in (check_resources, check_window, check_inspect, check_import_child, check_job, check_gui_process):
        try:
            result = step(folder)
        except Exception as e:  # noqa: BLE001 - an unexpected error is a failed check, not a traceback
            result = {"name": step.__name__.removeprefix("check_"), "ok": False,
                      "detail": f"{type(e).__name__}: {e}"}
        for c in result if isinstance(result, list) else [result]:
            checks.append(c)
            print(f"{'PASS' if c['ok'] else 'FAIL'} {c['name']}: {c['detail']}", flush=True)
    passed = all(c["ok"] for c in checks)
    from edgeling.core.fileio import atomic_write_text

    atomic_write_text(log_path, json.dumps({"passed": passed, "python": sys.version, "frozen":
                                            bool(getattr(sys, "frozen", False)), "checks": checks}, indent=2))
    print(f"Self-test {'passed' if passed else 'FAILED'}. The log is {log_path}", flush=True)
    return 0 if passed else 1


def check_resources(folder: Path) -> dict:
    """The resources folder holds the device catalogue and the samples, and the app's own sample list
    (the Home page's, ``headless_demo.samples_root``) looks in the same place."""
    res = resources_dir()
    entries = sorted(p.name for p in res.iterdir()) if res.is_dir() else []
    ok = (res / "devices.json").is_file() and (res / "samples").is_dir()
    detail = f"{res}: {', '.join(entries) or 'missing'}"
    from edgeling.gui import headless_demo

    app_samples = getattr(headless_demo, "samples_root", None)
    if app_samples is not None:
        where = Path(app_samples())
        listed = where.is_dir() and any(not p.name.startswith(".") for p in where.iterdir())
        ok = ok and listed
        if not listed:
            detail += f"; but the app looks for samples in {where}, which is missing or empty"
    return {"name": "resources", "ok": ok, "detail": detail}


def check_window(folder: Path) -> dict:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([sys.argv[0]])
    import edgeling.gui.app as app_module

    factory = getattr(app_module, "create_main_window", None)
    window = factory() if factory else QLabel("Edgeling self-test")
    window.resize(640, 400)
    window.show()
    app.processEvents()
    image = window.grab().toImage()
    shot = folder / "window.png"
    saved = image.save(str(shot))
    window.close()
    app.processEvents()
    what = "the main window" if factory else "a plain Qt window (gui.app has no create_main_window yet)"
    return {"name": "window", "ok": bool(saved and image.width() > 0),
            "detail": f"Qt {_qt_version()} drew {what} "
                      f"({image.width()}x{image.height()}, {app.platformName()}) -> {shot}"}


def _qt_version() -> str:
    from PySide6 import QtCore

    return QtCore.qVersion()


def sample_folder() -> Path:
    """The bundled sample the self-test imports and trains on (``digits`` when present)."""
    samples = resources_dir() / "samples"
    found = sorted((p for p in samples.iterdir() if p.is_dir() and not p.name.startswith(".")),
                   key=lambda p: (p.name != "digits", p.name)) if samples.is_dir() else []
    if not found:
        raise FileNotFoundError(f"no sample dataset in {samples}: the installation is incomplete")
    return found[0]


def check_inspect(folder: Path) -> dict:
    from edgeling.core import cli

    data = sample_folder()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["inspect", str(data), "--json"])
    (folder / "inspect.txt").write_text(err.getvalue() + out.getvalue(), encoding="utf-8")
    if code != 0:
        return {"name": "inspect", "ok": False, "detail": f"edgeling inspect {data} exited {code}: "
                f"{err.getvalue().strip()[-300:]}"}
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    n = summary.get("num_samples", summary.get("samples", "?"))
    return {"name": "inspect", "ok": True, "detail": f"edgeling inspect {data.name}: {n} samples"}


def check_import_child(folder: Path) -> dict:
    """The Data page's big imports run ``jobs/import_job.py`` in a child process: it must start and answer in
    this build (a frozen app finds the job's module only if the package holds it)."""
    from edgeling.core.jobs.events import Finished
    from edgeling.core.jobs.process import start_job
    from edgeling.gui.pages.data_import import IMPORT_JOB

    handle = start_job(IMPORT_JOB, {"path": str(sample_folder()), "kind": None, "options": {}, "job_kind": "import"},
                       log_path=folder / "import.log")
    try:
        handle.wait(timeout=JOB_TIMEOUT_S)
    finally:
        handle.close()
    last = handle.finished_event
    result = last.result if isinstance(last, Finished) else {}
    if result.get("ok"):
        return {"name": "import-child", "ok": True,
                "detail": f"an import child process read {sample_folder().name}: {result.get('num_samples')} samples"}
    said = getattr(last, "message", None) or result.get("message") or f"no answer within {JOB_TIMEOUT_S:.0f} s"
    return {"name": "import-child", "ok": False, "detail": f"the import child failed: {said}"}


def check_job(folder: Path) -> list[dict]:
    from edgeling.core.jobs.events import Failed, Finished
    from edgeling.core.jobs.process import start_job

    handle = start_job(JOB_TARGET, {"out_dir": str(folder), "data": str(sample_folder())},
                       log_path=folder / "job.log")
    try:
        events = handle.wait(timeout=JOB_TIMEOUT_S)
    finally:
        handle.close()
    last = handle.finished_event or (events[-1] if events else None)
    if isinstance(last, Finished):
        checks = [{"name": "job", "ok": True, "detail": f"a job child process ran (log {folder / 'job.log'})"}]
        return checks + [{**c, "name": f"job/{c['name']}"} for c in last.result.get("checks", [])]
    if isinstance(last, Failed):
        return [{"name": "job", "ok": False, "detail": f"{last.message} {last.details.strip()[-600:]}"}]
    return [{"name": "job", "ok": False, "detail": f"the job did not finish within {JOB_TIMEOUT_S:.0f} s"}]


def check_gui_process(folder: Path) -> dict:
    loaded = [m for m in HEAVY_MODULES if m in sys.modules]
    return {"name": "gui-process", "ok": not loaded,
            "detail": "torch and onnxruntime stayed out of this process" if not loaded
            else f"{', '.join(loaded)} imported into the GUI process"}
