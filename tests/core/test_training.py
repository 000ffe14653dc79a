"""The training loop's pieces: fit with callbacks, stop flag, NaN guard, schedules, augmentation."""

from __future__ import annotations

import math

import pytest
import torch

from edgeling.core.training import callbacks as cb
from edgeling.core.training.augment import BatchAugmenter, default_augment, resolve_augment
from edgeling.core.training.defaults import choose_hyperparams
from edgeling.core.training.loop import TensorData, fit, make_loss
from edgeling.core.training.schedule import lr_at


@pytest.fixture(autouse=True)
def one_thread():
    torch.set_num_threads(1)


def blobs(n=300, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=g)
    centres = torch.tensor([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
    x = centres[y] + 0.4 * torch.randn(n, 2, generator=g)
    return TensorData(x, y)


def mlp(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))


class Recorder(cb.Callback):
    def __init__(self, stop_at_step=None):
        self.calls, self.stop_at_step = [], stop_at_step

    def on_train_begin(self, logs=None):
        self.calls.append("train_begin")

    def on_epoch_begin(self, epoch):
        self.calls.append(f"epoch_begin {epoch}")

    def on_batch_end(self, step, logs):
        self.calls.append("batch")
        if self.stop_at_step is not None and len([c for c in self.calls if c == "batch"]) >= self.stop_at_step:
            self.trainer.stop_training = True
            self.trainer.stop_reason = "stop"

    def on_epoch_end(self, epoch, logs):
        self.calls.append(f"epoch_end {epoch} {sorted(logs)}")

    def on_train_end(self, logs=None):
        self.calls.append("train_end")


def test_fit_learns_and_calls_callbacks_in_order():
    data, val = blobs(), blobs(90, seed=1)
    model = mlp()
    rec = Recorder()
    opt = torch.optim.AdamW(model.parameters())
    t = fit(model, data, val, 4, opt, [rec], loss_fn=make_loss("classification"), batch_size=32, lr=1e-2)
    assert rec.calls[0] == "train_begin" and rec.calls[-1] == "train_end"
    assert rec.calls.count("batch") == 4 * math.ceil(300 / 32)
    assert rec.calls[1] == "epoch_begin 0"
    assert "epoch_end 3 ['accuracy', 'loss', 'lr', 'val_accuracy', 'val_loss']" in rec.calls
    assert [h["epoch"] for h in t.history] == [0, 1, 2, 3]
    assert t.history[-1]["val_accuracy"] > 0.95 and t.history[-1]["loss"] < t.history[0]["loss"]


def test_stop_flag_is_checked_every_batch():
    model = mlp()
    rec = Recorder(stop_at_step=3)
    t = fit(model, blobs(), None, 5, torch.optim.AdamW(model.parameters()), [rec],
            loss_fn=make_loss("classification"), batch_size=32)
    assert rec.calls.count("batch") == 3
    assert t.history == [] and t.completed_epochs == 0 and t.stop_reason == "stop"


def test_nan_guard_stops_with_plain_message():
    model = mlp()
    data = blobs()
    data.x[5] = float("nan")
    t = fit(model, data, None, 3, torch.optim.AdamW(model.parameters()), [cb.NanGuard()],
            loss_fn=make_loss("classification"), batch_size=32)
    assert t.stop_reason == "nan" and "not a number" in t.stop_message and "learning rate" in t.stop_message
    assert all(torch.isfinite(p).all() for p in model.parameters())  # the bad step was not applied


def test_early_stopping_on_validation_loss():
    es = cb.EarlyStopping(patience=2)

    class T:
        stop_training, stop_reason, stop_message = False, None, None

    es.set_trainer(T())
    for epoch, v in enumerate([1.0, 0.8, 0.81, 0.79, 0.9, 0.95]):
        es.on_epoch_end(epoch, {"val_loss": v})
        if es.trainer.stop_training:
            break
    assert epoch == 5 and es.trainer.stop_reason == "early_stopping"


def test_regression_loss_and_history():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(200, 2, generator=g)
    data = TensorData(x, (3 * x[:, 0] - x[:, 1]).float())
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    t = fit(model, data, data, 15, torch.optim.AdamW(model.parameters()), [],
            loss_fn=make_loss("regression"), task="regression", batch_size=16, lr=1e-2)
    assert "accuracy" not in t.history[-1] and t.history[-1]["val_loss"] < 0.3 * t.history[0]["val_loss"]


@pytest.mark.parametrize("kind", ["cosine", "onecycle"])
def test_schedules_warm_up_then_decay(kind):
    lrs = [lr_at(s, 1000, 0.01, kind) for s in range(1000)]
    peak = max(range(1000), key=lambda i: lrs[i])
    assert lrs[0] < 0.01 * 0.5 and abs(lrs[peak] - 0.01) < 1e-3 and lrs[-1] < 0.001
    assert 0 < peak < 400 and all(a >= b - 1e-12 for a, b in zip(lrs[peak:], lrs[peak + 1:]))


def test_defaults_come_from_the_data_and_can_be_overridden():
    small = choose_hyperparams("images", "classification", 300, 10)
    big = choose_hyperparams("images", "classification", 50000, 10)
    assert small["batch_size"] < big["batch_size"] and small["epochs"] >= big["epochs"]
    imbalanced = choose_hyperparams("table", "classification", 1000, 2, [950, 50])
    assert imbalanced["class_weights"] is True
    assert choose_hyperparams("table", "regression", 100, overrides={"epochs": 3, "lr": None})["epochs"] == 3
    with pytest.raises(ValueError):
        choose_hyperparams("table", "regression", 100, overrides={"epoch": 3})


def test_augmentation_per_kind_changes_batches_and_keeps_shapes():
    g = torch.Generator().manual_seed(0)
    assert default_augment("images", None, (28, 28, 1))["hflip"] is False  # digits are not mirrored
    assert default_augment("images", None, (96, 96, 3))["hflip"] is True
    assert resolve_augment("images", False) == {} and resolve_augment("images", {"hflip": False})["hflip"] is False
    cases = {"images": torch.randn(8, 3, 16, 16), "audio": torch.randn(8, 1, 20, 10),
             "timeseries": torch.randn(8, 3, 1, 50)}
    for kind, x in cases.items():
        aug = BatchAugmenter(kind, default_augment(kind), {"time": 2, "freq": 3} if kind == "audio" else None)
        out = aug(x.clone(), g)
        assert out.shape == x.shape and torch.isfinite(out).all()
        assert not torch.allclose(out, x)
    assert not BatchAugmenter("table", default_augment("table"))


def test_augmentation_is_reproducible_from_the_generator():
    x = torch.randn(4, 1, 12, 12)
    aug = BatchAugmenter("images", default_augment("images"))
    a = aug(x, torch.Generator().manual_seed(3))
    b = aug(x, torch.Generator().manual_seed(3))
    assert torch.equal(a, b)


def test_early_stopping_says_nothing_on_the_last_epoch():
    """'Stopped early after epoch 15' was printed for a run of 15 epochs that ran all 15."""
    es = cb.EarlyStopping(patience=2)

    class T:
        stop_training, stop_reason, stop_message, epochs = False, None, None, 6

    es.set_trainer(T())
    for epoch, v in enumerate([1.0, 0.8, 0.81, 0.79, 0.8, 0.95]):   # the 2nd epoch without progress is the 6th
        es.on_epoch_end(epoch, {"val_loss": v})
    assert not es.trainer.stop_training and es.trainer.stop_message is None
