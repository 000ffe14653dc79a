"""A float export of a regression model in large units (a price in thousands) passes its check: the
difference allowed from PyTorch grows with the outputs' scale; a classifier's probabilities keep 1e-4."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from edgeling.core.export.exporter import export_model, exported_module, reference_outputs
from edgeling.core.export.verify import float_tolerance, verify_export

SPEC = {"kind": "table", "task": "regression", "class_names": []}


@pytest.fixture(scope="module")
def price_model():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
    with torch.no_grad():      # predicts prices around 250,000 (cents, x1000)
        model[2].weight.mul_(3000.0)
        model[2].bias.fill_(250000.0)
    x = np.random.default_rng(0).normal(size=(200, 8)).astype(np.float32)
    return model.eval(), x


@pytest.mark.parametrize("fmt, name", [("tflite", "price.tflite"), ("onnx", "price.onnx")])
def test_a_float_regression_in_large_units_exports(price_model, tmp_path, fmt, name):
    model, x = price_model
    (tmp_path / f"{name}.labels.txt").write_text("Oui\nNon\n")     # an earlier classifier's export there (review)
    result = export_model(model, {}, SPEC, x[:50], x, None, fmt, tmp_path / name)
    v = result["verification"]
    assert result["status"] == "done" and v["passed"], v["failures"]
    assert v["max_abs_diff"] < v["max_abs_diff_allowed"] and (tmp_path / name).exists()
    # a number has no class names: no empty labels file beside it (the review), the card and its JSON are there
    assert not (tmp_path / f"{name}.labels.txt").exists() and "labels" not in result["card"]
    assert (tmp_path / f"{name}.card.md").is_file() and (tmp_path / f"{name}.card.json").is_file()


def test_a_difference_float32_rounding_explains_passes_a_real_fault_does_not(price_model, tmp_path):
    model, x = price_model
    export_model(model, {}, SPEC, x[:50], x, None, "onnx", tmp_path / "p.onnx")
    ref = reference_outputs(exported_module(model, "regression"), x)
    rounding = verify_export(tmp_path / "p.onnx", "onnx", x, None, ref * (1 + 1e-6))     # ~0.25 at 250,000
    assert rounding["passed"] and rounding["agreement"] == 1.0, rounding["failures"]
    off = verify_export(tmp_path / "p.onnx", "onnx", x, None, ref + 0.01 * np.ptp(ref))
    assert not off["passed"] and "must stay under" in off["failures"][-1]


def test_probabilities_keep_the_1e4_limit():
    probs = np.array([[0.1, 0.9], [0.7, 0.3]], np.float32)
    assert float_tolerance(probs) == pytest.approx(1e-4)
    assert float_tolerance(np.array([[0.01], [0.02]], np.float32)) == pytest.approx(1e-4)
    assert float_tolerance(np.array([[1000.0], [3000.0]], np.float32)) == pytest.approx(0.2)
