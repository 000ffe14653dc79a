"""Training settings chosen from the data, so nobody has to pick them; every one can be overridden.
No torch here (the GUI shows these before a job starts)."""

from __future__ import annotations

from typing import Any

# Fields a user (or the CLI) may override, with what they mean.
FIELDS = {
    "epochs": "passes over the training samples (early stopping may end sooner)",
    "batch_size": "samples per optimizer step",
    "lr": "peak learning rate (Adam)",
    "weight_decay": "AdamW weight decay",
    "schedule": "learning-rate schedule: cosine (with warm-up), onecycle or constant",
    "patience": "epochs without a better validation loss before stopping early (0: never)",
    "class_weights": "weigh rare classes up in the loss (classification)",
    "augment": "augmentation switches, see edgeling.core.training.augment.default_augment",
    "label_smoothing": "classification loss label smoothing",
}


def choose_hyperparams(kind: str, task: str, num_train: int, num_classes: int = 2,
                       class_counts: list[int] | None = None, overrides: dict | None = None) -> dict[str, Any]:
    """Defaults from the size and kind of the data, then ``overrides`` (None values ignored)."""
    n = max(1, int(num_train))
    batch = 16 if n < 400 else 32 if n < 2000 else 64 if n < 20000 else 128
    batch = min(batch, max(4, n))
    steps_per_epoch = max(1, -(-n // batch))
    # Enough optimizer steps for a small net to converge (~1500-4000), bounded in epochs.
    target_steps = 2000 if kind != "table" else 1500
    epochs = int(min(200 if kind == "table" else 60, max(10, round(target_steps / steps_per_epoch))))
    lr = {"images": 2e-3, "audio": 2e-3, "timeseries": 2e-3, "table": 3e-3}.get(kind, 2e-3)
    imbalance = 1.0
    if class_counts:
        nz = [c for c in class_counts if c > 0]
        imbalance = max(nz) / max(1, min(nz)) if nz else 1.0
    hp: dict[str, Any] = {
        "epochs": epochs,
        "batch_size": batch,
        "lr": lr,
        "weight_decay": 1e-4,
        "schedule": "cosine",
        "patience": max(5, epochs // 5),
        "class_weights": task == "classification" and imbalance >= 2.0,
        "augment": None,
        "label_smoothing": 0.05 if task == "classification" and num_classes > 2 else 0.0,
    }
    for k, v in (overrides or {}).items():
        if v is not None:
            if k not in FIELDS:
                raise ValueError(f"unknown training setting {k!r}; known: {', '.join(FIELDS)}")
            hp[k] = v
    hp["epochs"] = max(1, int(hp["epochs"]))
    hp["batch_size"] = max(1, int(hp["batch_size"]))
    return hp
