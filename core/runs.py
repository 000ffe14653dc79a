"""Run folders: everything one training run leaves on disk, written atomically.

    RUN/run.json              config + status: data path (absolute, and relative to the run folder so a
                              folder moved whole still finds it), import options, dataset fingerprint,
                              arch, knobs, front end, input spec, target device, seed, hyper-parameters
    RUN/run.json.bak          a copy of it, read when run.json is damaged (which is then mended from it,
                              the damaged one kept as run.json.damaged)
    RUN/checkpoints/last.pt   full training state after the last finished epoch (resume point)
    RUN/checkpoints/best.pt   model weights with the lowest validation loss so far
    RUN/history.json          one dict of logs per finished epoch
    RUN/metrics.json          the evaluation on the test split (``edgeling evaluate``)
    RUN/samples.npz           the samples the run is measured and calibrated on (``run_samples.py``)
    RUN/train.log             the training log
    RUN/train.lock            while a training runs: its process id (``jobs/run_lock.py``)

Checkpoints are ``torch.save`` dicts of tensors and plain values, read back with ``weights_only=True``.
This module imports torch only inside the functions that need it (the GUI lists runs).
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edgeling.core.fileio import atomic_write_json, atomic_write_with, read_json

RUN_FILE = "run.json"
RUN_BACKUP = "run.json.bak"
RUN_DAMAGED = "run.json.damaged"
"""A damaged run.json, kept aside when it is mended from its copy (it may hold the user's own edits)."""
"""A copy of run.json written after it: a run.json cut short or spoiled by a hand edit made a run whose model was
intact unusable ("Train again into a new folder", the upgrade walk); the copy stands in for it."""
HISTORY_FILE = "history.json"
METRICS_FILE = "metrics.json"
LOG_FILE = "train.log"
LAST_CHECKPOINT = "checkpoints/last.pt"
BEST_CHECKPOINT = "checkpoints/best.pt"
DEFAULT_ZOO = "edgeling.core.models.zoo"
STATUSES = ("created", "training", "stopped", "finished", "failed")


class RunError(Exception):
    """A run folder that cannot be used; the message says which folder and what to do."""

    user_facing = True


@dataclass
class Run:
    path: Path
    config: dict
    history: list = field(default_factory=list)
    metrics: dict | None = None

    @property
    def status(self) -> str:
        return str(self.config.get("status", "created"))

    @property
    def log_path(self) -> Path:
        return self.path / LOG_FILE

    @property
    def last_checkpoint(self) -> Path:
        return self.path / LAST_CHECKPOINT

    @property
    def best_checkpoint(self) -> Path:
        return self.path / BEST_CHECKPOINT

    def has_checkpoint(self) -> bool:
        return self.last_checkpoint.exists()


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def is_run(path: str | os.PathLike) -> bool:
    return (Path(path) / RUN_FILE).is_file()


def load_run(path: str | os.PathLike) -> Run:
    p = Path(path).expanduser()
    if p.is_file():
        raise RunError(f"{p} is a file, not a training run folder. Choose the folder you gave to 'edgeling "
                       "train --out' (or, where a model file is accepted, a file ending in .onnx or .tflite).")
    if not (p / RUN_FILE).is_file():
        raise RunError(f"{p} is not a training run (it has no {RUN_FILE}). Choose the folder you gave "
                       "to 'edgeling train --out'.")
    config = _read_config(p)
    history = _read_part(p / HISTORY_FILE, list)
    metrics = _read_part(p / METRICS_FILE, dict)
    return Run(p, config, [] if history is None else history, metrics)


def _read_part(path: Path, kind: type, required: bool = False):
    """One JSON file of a run. history.json and metrics.json are records that training and evaluation write
    again: damaged (a cut-off write, an edit gone wrong), they count as missing. A damaged run.json makes
    the run unusable: a RunError naming it."""
    try:
        value = read_json(path)
    except FileNotFoundError:
        value = None
    except OSError as e:
        raise RunError(f"{path} cannot be read ({e.strerror or e}). Check that you may read that folder.") from None
    except ValueError as e:
        if required:
            raise RunError(f"{path} is damaged and cannot be read ({e}), so the run in {path.parent} cannot be "
                           "used. Train again into a new folder.") from None
        value = None
    if value is not None and not isinstance(value, kind):
        if required:
            raise RunError(f"{path} does not hold a run's settings (it holds a JSON {type(value).__name__}), so "
                           f"the run in {path.parent} cannot be used. Train again into a new folder.")
        value = None
    return value


def _read_config(run_dir: Path) -> dict:
    """run.json, or its backup copy when run.json is damaged (RunError naming run.json when both are)."""
    try:
        return _read_part(run_dir / RUN_FILE, dict, required=True)
    except RunError:
        try:
            backup = _read_part(run_dir / RUN_BACKUP, dict)
        except RunError:
            backup = None
        if backup is None:
            raise
        try:       # mended from the copy, so that other readers (and an older Edgeling) find it whole again; the
            os.replace(run_dir / RUN_FILE, run_dir / RUN_DAMAGED)     # damaged one kept aside, with any hand edits
            atomic_write_json(run_dir / RUN_FILE, backup)
        except OSError:
            pass
        return backup


def read_config(run_dir: str | os.PathLike) -> dict | None:
    """A run's settings as ``load_run`` reads them (run.json, or its backup copy when run.json is damaged), for
    readers that only need them (the app's pages); None when neither can be read. Never raises."""
    try:
        return _read_config(Path(run_dir))
    except (RunError, OSError, TypeError, ValueError):
        return None


def write_config(run_dir: str | os.PathLike, config: dict) -> dict:
    config = dict(config, updated=now_iso())
    data = Path(config["data"]).expanduser() if config.get("data") else None
    if data is not None and data.exists():  # (a path that is gone keeps the relative one it had)
        try:
            config["data_relative"] = Path(os.path.relpath(data, Path(run_dir).expanduser().resolve())).as_posix()
        except ValueError:  # Windows: the data is on another drive; only the absolute path can say where
            config.pop("data_relative", None)
    config.setdefault("created", config["updated"])
    atomic_write_json(Path(run_dir) / RUN_FILE, config)
    atomic_write_json(Path(run_dir) / RUN_BACKUP, config)
    return config


def update_config(run_dir: str | os.PathLike, **changes: Any) -> dict:
    config = _read_config(Path(run_dir))
    config.update(changes)
    return write_config(run_dir, config)


def changed_settings(run: Run, data=None, device: str | None = None,
                     arch: str | None = None) -> list[tuple[str, str, str]]:
    """What training into ``run`` again would change, as ``(what, was, now)`` for "data", "device" and
    "model"; empty when resuming it is safe. The CLI and the app each say it in their own words."""
    cfg = run.config
    changed = []
    now = data_location(run)
    if data and now is not None and Path(data).expanduser().resolve() != now.resolve():
        changed.append(("data", str(cfg.get("data")), str(data)))
    if device and cfg.get("device") and device != cfg["device"]:
        changed.append(("device", str(cfg["device"]), device))
    if arch and arch != cfg.get("arch"):
        changed.append(("model", str(cfg.get("arch")), arch))
    return changed


def import_options(config: dict) -> dict:
    """The import options a run was trained with (run.json's "import_options", for ``ImportOptions``), with
    its split scheme: a run recorded without one was trained before splits were drawn within each class,
    on the per-file split (``data/splits.py``), so its data reopens with exactly the training, validation
    and test samples it had."""
    from edgeling.core.data.splits import PER_FILE

    options = dict(config.get("import_options") or {})
    if "split" not in options:
        options["split"] = PER_FILE
    return options


def data_location(run: Run) -> Path | None:
    """Where the run's data is now: the recorded path; else the same place seen from the run folder (a
    project folder with its data moved or copied whole, a USB stick with another drive letter); else None."""
    recorded = run.config.get("data")
    if not recorded:
        return None
    if Path(recorded).expanduser().exists():
        return Path(recorded).expanduser()
    relative = run.config.get("data_relative")
    if relative and (run.path / relative).exists():
        return (run.path / relative).resolve()
    return None


def write_history(run_dir: str | os.PathLike, history: list) -> None:
    atomic_write_json(Path(run_dir) / HISTORY_FILE, history)


def write_metrics(run_dir: str | os.PathLike, metrics: dict) -> None:
    atomic_write_json(Path(run_dir) / METRICS_FILE, metrics)


def kept_epoch(history: list[dict]) -> int | None:
    """The epoch (history.json's index, from 0) whose model a run keeps as best.pt: the lowest finite
    validation loss (the training loss without validation samples), the first of equal ones, as the
    ``Checkpoints`` callback keeps it while training. None without such an epoch. run.json's ``best_epoch``
    is this; the app reads it for a run that is still training or was recorded before."""
    best, chosen = math.inf, None
    for h in history:
        value = h.get("val_loss", h.get("loss")) if isinstance(h, dict) else None
        if isinstance(value, (int, float)) and math.isfinite(value) and value < best and isinstance(h.get("epoch"), int):
            best, chosen = float(value), h["epoch"]
    return chosen


def other_class_names(config: dict, ds) -> list[str] | None:
    """The class names a run learnt (its run.json's ``dataset.class_names``) when they are not the classes of
    ``ds``, the data as read now (a class folder renamed, added or removed since); None when they are the same,
    for data that is not a classifier's, or a run that does not say. Evaluate refuses such data for the run's
    own samples; the app's Train and Evaluate pages say it."""
    learnt = (config.get("dataset") or {}).get("class_names") if isinstance(config, dict) else None
    if not isinstance(learnt, list) or ds is None or getattr(ds, "task", None) != "classification":
        return None
    learnt = [str(n) for n in learnt]
    return learnt if learnt != list(ds.class_names) else None


def dataset_fingerprint(ds) -> str:
    """A hash of the samples, labels, splits and class names: resuming checks the data is the same."""
    import numpy as np

    h = hashlib.sha256()
    for arr in (ds.x, ds.y, ds.splits):
        a = np.ascontiguousarray(arr)
        h.update(str((a.dtype.str, a.shape)).encode())
        h.update(memoryview(a).cast("B"))
    h.update("\n".join(ds.class_names).encode())
    return h.hexdigest()[:32]


def save_checkpoint(path: str | os.PathLike, state: dict) -> Path:
    """``torch.save`` to a temp file, then rename: a kill mid-write keeps the previous checkpoint."""
    import torch

    buf = io.BytesIO()
    torch.save(state, buf)
    return atomic_write_with(path, lambda f: f.write(buf.getbuffer()))


def load_checkpoint(path: str | os.PathLike) -> dict:
    import torch

    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise RunError(f"The checkpoint {path} is missing. Train again to make a new one.") from None
    except Exception as e:  # noqa: BLE001 - a damaged or foreign file
        raise RunError(f"The checkpoint {path} cannot be read ({type(e).__name__}: {e}). It may be "
                       "damaged; train again into a new folder.") from None


def model_gone_words(run: Run) -> str:
    """A run whose saved model is gone (its checkpoints folder deleted or not copied): what to do, by run name,
    for a trained run and for a compressed one (the small-screen walk: 'The checkpoint /tmp/.../last.pt is
    missing. Train again' for a compressed run)."""
    name = Path(run.path).name
    source = run.config.get("compressed_from")
    if source:
        return (f"{name}'s saved model is gone (its checkpoints folder is missing). Compress {Path(source).name} "
                "again, into a new run folder, to make it anew.")
    return (f"{name}'s saved model is gone (its checkpoints folder is missing). Train again, into a new run "
            "folder, to make it anew.")


def untrained_words(run: Run, role: str = "The run") -> str:
    """A run with no model to use: never trained (or stopped before its first checkpoint), or trained and its
    saved model gone since (``model_gone_words``)."""
    if run.status == "finished" or run.config.get("compressed_from"):
        return model_gone_words(run)
    if run.status in ("training", "stopped", "failed"):
        return (f"{role} in {run.path} has no trained model yet: it ended before its first epoch finished. Train it "
                "again (training into the same folder starts it over).")
    return f"{role} in {run.path} has no trained model yet. Train it first."


def zoo_module(run: Run):
    return importlib.import_module(run.config.get("zoo") or DEFAULT_ZOO)


def load_model(run: Run | str | os.PathLike, which: str = "best"):
    """The trained network of a run -> ``(model, frontend, spec)``; the model is in eval mode on the CPU.
    ``which`` is "best" (lowest validation loss; falls back to last) or "last"."""
    if not isinstance(run, Run):
        run = load_run(run)
    cfg = run.config
    if not cfg.get("arch"):
        raise RunError(f"The run in {run.path} has no model yet. Train it first.")
    zoo = zoo_module(run)
    spec = zoo.InputSpec.from_dict(cfg["spec"])
    frontend = cfg["frontend"]
    model = zoo.build_model(cfg["arch"], spec, cfg.get("knobs") or {}, frontend)
    if cfg.get("channel_plan"):  # structured pruning removed channels: shrink to the saved shapes first
        import torch

        from edgeling.core.compress.structured import apply_channel_plan

        example = torch.zeros(1, *zoo.network_input_shape(frontend, spec))
        apply_channel_plan(model.eval(), cfg["channel_plan"], example)
    path = run.best_checkpoint if which == "best" and run.best_checkpoint.exists() else run.last_checkpoint
    if not path.exists():      # a run ended before its first epoch is not one whose model was deleted (robustness walk)
        raise RunError(untrained_words(run))
    state = load_checkpoint(path)
    model.load_state_dict(state["model"])
    model.eval()
    return model, frontend, spec


def unfinished_words(run: Run) -> str | None:
    """What evaluate and export say first about a run whose training did not finish (stopped, or its process
    ended: killed, the app closed), or is going on now; None for a finished run. The robustness walk: a run
    killed at epoch 7 of 25 was evaluated and exported with no word that it was unfinished."""
    from edgeling.core.jobs.run_lock import LOCK_FILE
    from edgeling.core.pid_lock import _owner, pid_alive

    if run.status not in ("training", "stopped") or run.config.get("compressed_from"):
        return None
    done, planned = run.config.get("epochs_done"), (run.config.get("hyper") or {}).get("epochs")
    of = (f" after {done} of {planned} epochs" if isinstance(done, int) and isinstance(planned, int) else "")
    name = Path(run.path).name
    owner = _owner(Path(run.path) / LOCK_FILE)
    if run.status == "training" and owner is not None and pid_alive(owner):
        return (f"{name} is still training (process {owner}): these numbers are those of the model it has kept so "
                "far, and will change.")
    return (f"{name} did not finish training: it ended{of}. These numbers are those of the model it kept so far; "
            "train it again into the same folder to carry on.")
