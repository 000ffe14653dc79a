"""Confidences calibrated on the validation samples and folded into the last layer (calibration.py): the speech
walk's run was right 97% of the time while saying it was 72% sure on average ("aide (43%)" for a right answer)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from edgeling.core.training.calibration import calibrate, fit_temperature, mean_confidence
from edgeling.core.training.loop import TensorData


def _softmax(z):
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def test_the_fitted_temperature_is_the_one_the_labels_were_drawn_with():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 2, (4000, 5))
    y = np.array([rng.choice(5, p=p) for p in _softmax(logits / 0.5)])
    assert abs(fit_temperature(logits, y) - 0.5) < 0.05


def _unsure_model_and_data(n=200):
    """A 3-class model that answers almost every sample right but with small, unsure scores."""
    torch.manual_seed(0)
    x = torch.randn(n, 4)
    y = x[:, :3].argmax(1)
    model = torch.nn.Sequential(torch.nn.Linear(4, 3, bias=True))
    with torch.no_grad():
        model[0].weight.copy_(0.3 * torch.eye(3, 4))
        model[0].bias.zero_()
    return model, TensorData(x, y)


def test_an_unsure_model_is_made_surer_and_its_answers_stay():
    model, val = _unsure_model_and_data()
    with torch.no_grad():
        before = model(val.x).numpy()
    found = calibrate(model, val, 3)
    with torch.no_grad():
        after = model(val.x).numpy()
    assert found["folded"] and found["temperature"] < 0.5 and found["val_accuracy"] == 1.0
    # trusted as 200 of 250 samples' worth: the fit is pulled towards 1 (36 clips had made word models over-sure)
    assert found["temperature"] == pytest.approx(found["fitted"] ** (200 / 250), rel=1e-3)
    assert found["fitted"] < found["temperature"]
    assert (after.argmax(1) == before.argmax(1)).all()
    assert np.allclose(after, before / found["temperature"], rtol=1e-3, atol=1e-5)     # (rounded in run.json)
    assert found["confidence_before"] < 0.5 < found["confidence_after"] == round(mean_confidence(after), 4)


def test_a_model_surer_than_it_is_right_or_without_a_plain_last_layer_is_left_as_it_is():
    model, val = _unsure_model_and_data()
    flipped = TensorData(val.x, torch.randint(0, 3, (len(val),), generator=torch.Generator().manual_seed(1)))
    with torch.no_grad():
        model[0].weight.mul_(20)             # very sure, and right only by chance on these labels
    weights = model[0].weight.clone()
    found = calibrate(model, flipped, 3)
    assert found is not None and not found["folded"] and found["temperature"] > 1
    assert torch.equal(model[0].weight, weights)
    softmaxed = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Softmax(dim=1))   # not linear after it
    with torch.no_grad():
        softmaxed[0].weight.mul_(0.1)
    weights = softmaxed[0].weight.clone()
    assert calibrate(softmaxed, val, 3) is None and torch.equal(softmaxed[0].weight, weights)
    assert calibrate(model, TensorData(val.x[:10], val.y[:10]), 3) is None      # too few samples


def test_a_trained_run_keeps_its_calibrated_model_and_says_so(tmp_path, monkeypatch):
    from edgeling.core import runs
    from edgeling.core.jobs import events as ev
    from edgeling.core.jobs.train_job import train_run
    from tests.core.training_fixtures import ZOO, make_table_csv

    monkeypatch.setenv("EDGELING_CACHE_DIR", str(tmp_path / "cache"))
    data = make_table_csv(tmp_path / "points.csv", n=600)
    got = []
    train_run(data, tmp_path / "run", epochs=2, zoo=ZOO, threads=1, on_event=got.append)
    found = runs.load_run(tmp_path / "run").config["calibration"]
    assert found["samples"] >= 20 and {"temperature", "confidence_before", "confidence_after"} <= set(found)
    assert found["folded"] and found["confidence_after"] > found["confidence_before"]   # 2 epochs: unsure
    said = [e.text for e in got if isinstance(e, ev.Log) and "calibrated on the" in e.text]
    assert said and said[0].endswith("Its answers are the same.")
    kept = runs.load_checkpoint(tmp_path / "run" / runs.BEST_CHECKPOINT)["model"]   # the kept model is folded,
    last = runs.load_checkpoint(tmp_path / "run" / runs.LAST_CHECKPOINT)["model"]   # the resume point is not
    assert not all(torch.equal(v, last[k]) for k, v in kept.items())


def test_all_right_answers_do_not_make_the_model_sure_of_everything():
    """When every validation answer is right the likelihood grows without end as the temperature falls: the
    mean confidence stays at or below (right + 1) / (n + 2)."""
    model, val = _unsure_model_and_data(36)
    found = calibrate(model, val, 3)
    assert found["val_accuracy"] == 1.0 and found["folded"]
    assert 0.5 < found["confidence_after"] <= 37 / 38 + 1e-4
