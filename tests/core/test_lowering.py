"""The lowering (torch -> layer graph) is proved by running the graph in the numpy reference executor and
comparing with torch, on hand-made models and on every architecture family of the zoo."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from edgeling.core.models import zoo
from edgeling.core.models.lowering import LoweringError, count_torch_params, lower
from edgeling.core.models.reference import run_graph, to_graph_layout
from tests.core.tiny_models import MLPERF, Conv1dNet, TutorialCNN, randomize_batchnorm


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)
    torch.manual_seed(0)


def assert_same(model: nn.Module, input_shape, batch: int = 3, append_softmax: bool = False, atol=1e-4):
    model.eval()
    graph = lower(model, input_shape, append_softmax=append_softmax)
    x = torch.randn(batch, *input_shape)
    with torch.no_grad():
        want = model(x)
        if append_softmax:
            want = torch.softmax(want, 1)
    got = run_graph(graph, {graph.inputs[0]: to_graph_layout(x.numpy(), graph.meta["input_layout"])})
    got = got[graph.outputs[0]]
    want = want.numpy()
    if want.ndim == 4:
        want = want.transpose(0, 2, 3, 1)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, atol=atol, rtol=1e-4)
    return graph


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.b1 = nn.BatchNorm2d(8)
        self.c2 = nn.Conv2d(8, 8, 3, stride=2, padding=1)  # even input: torch padding is not TFLite SAME
        self.b2 = nn.BatchNorm2d(8)
        self.short = nn.Conv2d(8, 8, 1, stride=2)
        self.dw = nn.Conv2d(8, 16, 3, padding=1, groups=8)  # depth multiplier 2
        self.avg = nn.AvgPool2d(3, stride=1, padding=1)  # counts the padded zeros
        self.fc = nn.Linear(16 * 4 * 4, 5)

    def forward(self, x):
        x = F.relu(self.b1(self.c1(x)))
        x = torch.relu(self.b2(self.c2(x)) + self.short(x))
        x = F.max_pool2d(self.avg(F.relu6(self.dw(x))), 2)
        return self.fc(x.view(x.size(0), -1))


def test_residual_cnn_with_bn_padding_depthwise_pools_and_flatten_matches_torch():
    graph = assert_same(randomize_batchnorm(Residual()), (3, 16, 16))
    kinds = [op.kind for op in graph.ops]
    assert "relu" not in kinds and "relu6" not in kinds  # all fused
    assert kinds.count("pad") == 2  # stride-2 conv on an even size, and the zero-counting average pool
    conv1 = graph.ops[0]
    assert conv1.kind == "conv2d" and conv1.attrs["padding"] == "same" and conv1.attrs["activation"] == "relu"
    add = next(op for op in graph.ops if op.kind == "add")
    assert add.attrs["activation"] == "relu"
    dw = next(op for op in graph.ops if op.kind == "depthwise_conv2d")
    assert dw.attrs["depth_multiplier"] == 2 and graph.tensor(dw.inputs[1]).shape == (1, 3, 3, 16)
    assert graph.tensor(conv1.inputs[1]).shape == (8, 3, 3, 3)  # [out, kh, kw, in]
    reshape = next(op for op in graph.ops if op.kind == "reshape")
    assert graph.tensor(reshape.outputs[0]).shape == (1, 256)


def test_tutorial_cnn_flatten_permutes_dense_columns():
    graph = assert_same(TutorialCNN(), (1, 28, 28), append_softmax=True)
    assert graph.ops[-1].kind == "softmax"
    dense = next(op for op in graph.ops if op.kind == "dense")
    model = TutorialCNN()
    assert graph.tensor(dense.inputs[1]).shape == tuple(model.fc1.weight.shape)


def test_one_d_cnn_and_mlp_with_batchnorm():
    graph = assert_same(randomize_batchnorm(Conv1dNet()), (3, 50))
    assert graph.tensor(graph.inputs[0]).shape == (1, 1, 50, 3)
    mlp = randomize_batchnorm(nn.Sequential(nn.Linear(10, 20), nn.BatchNorm1d(20), nn.ReLU6(), nn.Dropout(0.3),
                                            nn.Linear(20, 3), nn.Softmax(dim=1)))
    graph = assert_same(mlp, (10,))
    assert [op.kind for op in graph.ops] == ["dense", "dense", "softmax"]
    assert graph.ops[0].attrs["activation"] == "relu6"


def test_zero_pad_before_a_valid_conv_becomes_a_same_conv_and_a_lone_bn_a_depthwise():
    m = randomize_batchnorm(nn.Sequential(nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(2, 4, 3, 2), nn.ReLU(),
                                          nn.BatchNorm2d(4), nn.ZeroPad2d(1), nn.MaxPool2d(2)))
    graph = assert_same(m, (2, 10, 10))
    kinds = [op.kind for op in graph.ops]
    assert kinds == ["conv2d", "depthwise_conv2d", "pad", "max_pool2d"]
    assert graph.ops[0].attrs["padding"] == "same"


def test_mlperf_reference_models_match_torch():
    for name, (build, shape) in MLPERF.items():
        graph = assert_same(randomize_batchnorm(build()), shape, batch=2)
        assert not any(op.kind in ("relu", "relu6") for op in graph.ops), name


def test_a_tensor_read_twice_is_not_fused_into():
    class TwoReaders(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)

        def forward(self, x):
            y = self.fc(x)
            return F.relu(y) + y

    graph = assert_same(TwoReaders(), (4,))
    assert [op.kind for op in graph.ops] == ["dense", "relu", "add"]


class NamedSigmoid(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc, self.act = nn.Linear(4, 4), nn.Sigmoid()

    def forward(self, x):
        return self.act(self.fc(x))


class Cat(nn.Module):
    def forward(self, x):
        return torch.cat([x, x], 1)


def test_unsupported_layers_are_named_in_the_error():
    with pytest.raises(LoweringError, match="'act' \\(Sigmoid\\)"):
        lower(NamedSigmoid(), (4,))
    with pytest.raises(LoweringError, match="cat"):
        lower(Cat(), (4,))
    with pytest.raises(LoweringError, match="does not run on an input of shape"):
        lower(nn.Linear(4, 2), (5,))
    with pytest.raises(LoweringError, match="grouped convolution"):
        lower(nn.Conv2d(4, 4, 3, groups=2), (4, 8, 8))


def test_reference_executor_keeps_intermediates_and_checks_shapes():
    graph = lower(TutorialCNN(), (1, 28, 28))
    x = np.random.default_rng(0).standard_normal((2, 28, 28, 1)).astype(np.float32)
    everything = run_graph(graph, {graph.inputs[0]: x}, keep_all=True)
    assert {t.name for t in graph.activations()} <= set(everything)
    assert all(v.shape[0] == 2 for v in everything.values())
    with pytest.raises(ValueError, match="expected"):
        run_graph(graph, {graph.inputs[0]: x[:, :20]})


def test_count_torch_params_matches_torch():
    m = Residual()
    assert count_torch_params(m) == sum(p.numel() for p in m.parameters())


SPECS = {
    "images": zoo.InputSpec("images", "classification", 3, (32, 32, 3), {"image_size": [32, 32]}),
    "audio": zoo.InputSpec("audio", "classification", 4, (16000,), {"sample_rate": 16000, "clip_s": 1.0}),
    "timeseries": zoo.InputSpec("timeseries", "classification", 3, (100, 3), {"sample_rate": 50, "window_s": 2.0}),
    "table": zoo.InputSpec("table", "classification", 2, (12,), {}),
}


def sample_data(spec, n=6, seed=0):
    rng = np.random.default_rng(seed)
    if spec.kind == "images":
        return rng.integers(0, 255, (n, *spec.sample_shape)).astype(np.uint8)
    scale = 0.3 if spec.kind == "audio" else 1.0
    return (rng.standard_normal((n, *spec.sample_shape)) * scale).astype(np.float32)


def zoo_cases():
    for kind, spec in SPECS.items():
        for arch in zoo.architectures_for(kind):
            grid = zoo.size_grid(arch, spec)
            for knobs in (grid[0], grid[-1]):
                yield pytest.param(spec, arch, knobs, id=f"{arch}-{'-'.join(str(v) for v in knobs.values())[:40]}")


@pytest.mark.parametrize("spec,arch,knobs", list(zoo_cases()))
def test_every_zoo_family_lowers_exactly(spec, arch, knobs):
    x = sample_data(spec)
    frontend = zoo.fit_frontend(arch, spec, x, knobs)
    model = randomize_batchnorm(zoo.build_model(arch, spec, knobs, frontend))
    net_in = zoo.apply_frontend(frontend, x)
    graph = lower(model, zoo.network_input_shape(frontend, spec))
    got = run_graph(graph, {graph.inputs[0]: to_graph_layout(net_in, graph.meta["input_layout"])})
    with torch.no_grad():
        want = model(torch.from_numpy(net_in)).numpy()
    assert np.abs(want).max() > 1e-3  # randomized BatchNorm makes the comparison meaningful
    np.testing.assert_allclose(got[graph.outputs[0]], want, atol=1e-4, rtol=1e-4)
