"""The events a job sends to whoever started it. Plain picklable dataclasses, JSON-able via
``event_to_dict`` / ``event_from_dict`` (``edgeling train --events jsonl`` prints one per line)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Started:
    job_id: str
    kind: str
    info: dict = field(default_factory=dict)


@dataclass
class BatchEnd:
    epoch: int
    step: int
    steps_per_epoch: int
    logs: dict = field(default_factory=dict)
    samples_per_s: float = 0.0
    eta_s: float | None = None


@dataclass
class EpochEnd:
    epoch: int
    logs: dict = field(default_factory=dict)
    """loss, accuracy, val_loss, val_accuracy, lr, ..."""


@dataclass
class Progress:
    """Progress of a job that is not training (export, verification): ``fraction`` in [0, 1]."""

    stage: str
    fraction: float
    message: str = ""
    done: int = 0
    """For a count ("1,200 of 3,963 photos read"): how many are through, of ``total`` (0: not a count)."""
    total: int = 0


@dataclass
class CheckpointSaved:
    path: str
    epoch: int


@dataclass
class Log:
    level: str
    text: str


@dataclass
class Finished:
    result: dict = field(default_factory=dict)
    """JSON-able, with the paths of the artifacts."""


@dataclass
class Failed:
    message: str
    """Plain words for the user."""
    log_path: str = ""
    details: str = ""
    """The traceback, for a folded "details" box."""


@dataclass
class Stopped:
    message: str
    result: dict = field(default_factory=dict)


Event = Started | BatchEnd | EpochEnd | Progress | CheckpointSaved | Log | Finished | Failed | Stopped
EVENT_TYPES: dict[str, type] = {t.__name__: t for t in (Started, BatchEnd, EpochEnd, Progress,
                                                         CheckpointSaved, Log, Finished, Failed, Stopped)}
TERMINAL = (Finished, Failed, Stopped)


def is_terminal(event: Any) -> bool:
    """True for the last event of a job: Finished, Failed or Stopped."""
    return isinstance(event, TERMINAL)


def event_to_dict(event: Any) -> dict:
    """``{"event": "EpochEnd", "epoch": 3, "logs": {...}}``."""
    return {"event": type(event).__name__, **dataclasses.asdict(event)}


def event_from_dict(d: dict) -> Any:
    d = dict(d)
    cls = EVENT_TYPES[d.pop("event")]
    return cls(**d)
