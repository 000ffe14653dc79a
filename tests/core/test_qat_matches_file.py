"""QAT fine-tunes the weights the int8 .tflite file stores: a dense layer's weights are fake-quantized with one
scale per tensor (as the writer quantizes them), a conv's per output channel, from tflite_quant's own
functions, after BatchNorm (also BatchNorm1d after a dense layer) is folded as the writer folds it."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from edgeling.core.compress.fakequant import prepare_qat
from edgeling.core.export.tflite_writer import write_tflite
from edgeling.core.models.lowering import lower


def dense_weights_in_file(data: bytes) -> list[np.ndarray]:
    """The dequantized int8 weights of each FULLY_CONNECTED op of a .tflite, in graph order."""
    from ai_edge_litert.interpreter import Interpreter

    it = Interpreter(model_content=data, experimental_preserve_all_tensors=True)
    it.allocate_tensors()
    details = {d["index"]: d for d in it.get_tensor_details()}
    out = []
    for op in it._get_ops_details():
        if op["op_name"] != "FULLY_CONNECTED":
            continue
        d = details[op["inputs"][1]]
        q = d["quantization_parameters"]
        assert d["dtype"] == np.int8 and len(set(q["scales"].tolist())) == 1     # per-tensor: one scale
        out.append(it.get_tensor(d["index"]).astype(np.float32) * q["scales"][0])
    return out


def qat_dense_weights(model: nn.Module) -> list[np.ndarray]:
    """The weights QAT trains each Linear layer for: its fake-quantized (BatchNorm-folded) weights."""
    gm = prepare_qat(model)
    with torch.no_grad():
        return [m.weight.detach().numpy().copy() for m in gm.modules() if isinstance(m, nn.Linear)]


def assert_same_grid(file_w: list[np.ndarray], qat_w: list[np.ndarray]) -> None:
    assert len(file_w) == len(qat_w) and file_w
    for f, q in zip(file_w, qat_w):
        step = float(np.max(np.abs(f))) / 127
        assert f.shape == q.shape
        np.testing.assert_allclose(q, f, rtol=0, atol=1e-3 * step)     # the same int8 values, not a step away


def test_qat_fake_quantizes_dense_layers_with_bn1d_as_the_file_stores_them():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 24), nn.BatchNorm1d(24), nn.ReLU(), nn.Linear(24, 16), nn.BatchNorm1d(16),
                          nn.ReLU(), nn.Linear(16, 3))
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm1d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.2, 3.0)
                m.weight.uniform_(0.5, 2.0)
                m.bias.uniform_(-0.3, 0.3)
    model.eval()
    x = np.random.default_rng(0).normal(size=(64, 6)).astype(np.float32)
    data = write_tflite(lower(model, (6,)), precision="int8", calibration=x)
    assert_same_grid(dense_weights_in_file(data), qat_dense_weights(model))


@pytest.fixture(scope="module")
def qat_run(tmp_path_factory):
    from edgeling.core.compress.compress_job import compress_run
    from tests.core.test_predict_exported import train_table_run

    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("qat-file")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDGELING_CACHE_DIR", str(tmp / "cache"))
        run, _ = train_table_run(tmp)
        result = compress_run(run, tmp / "qat", quantize="qat", threads=1, fine_tune_epochs=2)
        assert result["status"] == "finished", result
    return tmp / "qat"


def test_a_qat_runs_int8_file_holds_the_dense_weights_qat_trained_for(qat_run):
    from edgeling.core import runs

    run = runs.load_run(qat_run)
    model = runs.load_model(run)[0].eval()
    file_w = dense_weights_in_file((qat_run / "model-int8.tflite").read_bytes())
    assert_same_grid(file_w, qat_dense_weights(model))


def test_a_dense_layers_folded_batchnorm1d_goes_back_into_the_original_architecture():
    from edgeling.core.compress import passes
    from edgeling.core.compress.fakequant import strip_qat

    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(6, 12), nn.BatchNorm1d(12), nn.ReLU(), nn.Linear(12, 2))
    with torch.no_grad():
        model[1].running_mean.uniform_(-0.5, 0.5)
        model[1].running_var.uniform_(0.2, 3.0)
    model.eval()
    gm = prepare_qat(model)
    with torch.no_grad():       # pretend QAT moved the folded weights
        for m in gm.modules():
            if isinstance(m, nn.Linear):
                m.parametrizations.weight.original.mul_(1.1)
                m.bias.add_(0.05)
    folded = strip_qat(gm).eval()
    unfolded = passes.unfold_into(model, folded)
    assert set(unfolded.state_dict()) == set(model.state_dict())
    x = torch.randn(7, 6)
    torch.testing.assert_close(unfolded(x), folded(x), atol=1e-5, rtol=1e-5)
