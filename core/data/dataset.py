"""The in-memory dataset every importer produces and every later step (model, training, export) reads.

Samples are numpy arrays, not torch tensors: the GUI process imports this module to preview data, and
the GUI process never imports torch (see README, "Architecture"). A training job turns them into tensors.

Layouts, per kind of data (N = number of samples):
- ``images``:     ``x`` uint8 ``(N, H, W, C)``, C = 1 (grey) or 3 (colour); ``meta["image_size"] = [H, W]``
- ``table``:      ``x`` float32 ``(N, F)``; encoded features (numbers as-is, text one-hot), blanks imputed;
                  ``meta["columns"]`` says how to encode a new row the same way
- ``timeseries``: ``x`` float32 ``(N, T, C)`` raw windows; ``meta["sample_rate"]``, ``meta["window_s"]``
- ``audio``:      ``x`` float32 ``(N, T)`` mono waveforms in [-1, 1]; ``meta["sample_rate"]``,
                  ``meta["clip_s"]``

``y`` is int64 class indices for classification, float32 targets for regression.
``splits`` holds one of TRAIN / VAL / TEST per sample (see ``splits.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from edgeling.core.data.report import Report

KINDS = ("images", "table", "timeseries", "audio")
TASKS = ("classification", "regression")

TRAIN, VAL, TEST = 0, 1, 2
SPLIT_NAMES = {TRAIN: "train", VAL: "validation", TEST: "test"}


class DataError(Exception):
    """Data that cannot be trained on. The message is shown to the user as-is: plain words, the file,
    and what to do about it."""

    def __init__(self, message: str, files: list[str] | None = None, code: str = ""):
        super().__init__(message)
        self.files = files or []
        self.code = code
        """What an app can offer to fix, when it can (``NO_SAMPLE_RATE``: ask for the rate); "" otherwise."""


NO_SAMPLE_RATE = "no_sample_rate"
"""DataError code: sensor recordings with no timestamps and no rate given."""
LABEL_SHEET_CHOSEN = "label_sheet_chosen"
"""DataError code: a folder's label sheet chosen on its own; the app can read its folder instead (the
DataError's ``files`` name the sheet)."""


@dataclass
class Dataset:
    kind: str
    task: str
    x: np.ndarray
    y: np.ndarray
    class_names: list[str]
    sources: list[str]
    """Where each sample came from: a file path, ``path#row=12`` or ``path#t=1.50-3.50``."""
    groups: list[str]
    """Identity used to assign splits: samples sharing a group always land in the same split (duplicates,
    windows of one recording)."""
    splits: np.ndarray
    root: str
    meta: dict[str, Any] = field(default_factory=dict)
    report: Report = field(default_factory=Report)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.task not in TASKS:
            raise ValueError(f"unknown task {self.task!r}")
        n = len(self.x)
        if not (len(self.y) == len(self.sources) == len(self.groups) == len(self.splits) == n):
            raise ValueError("x, y, sources, groups and splits must have one entry per sample")

    @property
    def num_samples(self) -> int:
        return int(len(self.x))

    @property
    def num_classes(self) -> int:
        return len(self.class_names) if self.task == "classification" else 1

    @property
    def sample_shape(self) -> tuple[int, ...]:
        return tuple(int(d) for d in self.x.shape[1:])

    def class_counts(self) -> dict[str, int]:
        if self.task != "classification":
            return {}
        counts = np.bincount(np.asarray(self.y, dtype=np.int64), minlength=len(self.class_names))
        return {name: int(c) for name, c in zip(self.class_names, counts)}

    def split_counts(self) -> dict[str, int]:
        counts = np.bincount(np.asarray(self.splits, dtype=np.int64), minlength=3)
        return {SPLIT_NAMES[i]: int(counts[i]) for i in (TRAIN, VAL, TEST)}

    def indices(self, split: int) -> np.ndarray:
        return np.flatnonzero(np.asarray(self.splits) == split)

    def summary(self) -> dict[str, Any]:
        """The JSON object ``edgeling inspect --json`` prints."""
        return {
            "kind": self.kind,
            "task": self.task,
            "root": self.root,
            "num_samples": self.num_samples,
            "sample_shape": list(self.sample_shape),
            "classes": self.class_counts(),
            "splits": self.split_counts(),
            "meta": self.meta,
            "problems": self.report.as_list(),
        }
