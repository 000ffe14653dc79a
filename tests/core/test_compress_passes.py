"""The compression passes on in-memory models: structured pruning cuts the estimates of the image CNNs,
QAT hands back the original architecture with the tuned weights, distillation's wiring, plan composition."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from torch import nn

from edgeling.core.compress import passes
from edgeling.core.compress.fakequant import prepare_qat, strip_qat
from edgeling.core.compress.structured import apply_channel_plan, plan_channels
from edgeling.core.devices.catalogue import get_device
from edgeling.core.models import zoo
from edgeling.core.models.estimate import estimate_model
from edgeling.core.training.loop import TensorData


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.mark.parametrize("arch", ["tutorial_cnn", "mobilenet_v1", "mobilenet_v2", "resnet8"])
def test_structured_half_cuts_macs_by_40_percent_and_the_estimates_show_it(arch):
    torch.manual_seed(0)
    spec = zoo.InputSpec(kind="images", task="classification", num_classes=4, sample_shape=(24, 24, 3))
    x = np.random.default_rng(0).integers(0, 255, (8, 24, 24, 3)).astype(np.uint8)
    knobs = zoo.default_knobs(arch, spec)
    frontend = zoo.fit_frontend(arch, spec, x, knobs)
    model = zoo.build_model(arch, spec, knobs, frontend).eval()
    shape = zoo.network_input_shape(frontend, spec)
    example = torch.zeros(1, *shape)
    device = get_device("arduino-nano-33-ble-sense", measure=False)
    before = estimate_model(model, shape, device, "int8")
    plan = plan_channels(model, example, 0.5)
    apply_channel_plan(model, plan, example)
    after = estimate_model(model, shape, device, "int8")
    assert after["macs"] <= 0.6 * before["macs"], (arch, before["macs"], after["macs"])
    assert after["flash_bytes"] < before["flash_bytes"] and after["ram_bytes"] < before["ram_bytes"]
    assert after["params"] < before["params"]
    # the shrunk model still runs and a fresh model rebuilt from the plan has the same shapes
    fresh = zoo.build_model(arch, spec, knobs, frontend).eval()
    apply_channel_plan(fresh, plan, example)
    fresh.load_state_dict(model.state_dict())
    assert model(example).shape == (1, 4)


class ConvBnNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 6, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(6)
        self.conv2 = nn.Conv2d(6, 8, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(8)
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        x = torch.relu(self.bn2(self.conv2(x)))
        return self.head(x.mean((2, 3)))


def _randomise_bn(model):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.3, 0.3)
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 2.0)
    return model.eval()


def test_unfold_into_gives_the_original_architecture_computing_the_folded_model():
    torch.manual_seed(0)
    model = _randomise_bn(ConvBnNet())
    gm = prepare_qat(model)
    with torch.no_grad():  # pretend QAT moved the folded weights
        for m in gm.modules():
            if isinstance(m, nn.Conv2d):
                m.parametrizations.weight.original.mul_(1.1)
                m.bias.add_(0.05)
    folded = strip_qat(gm).eval()
    unfolded = passes.unfold_into(model, folded)
    assert set(unfolded.state_dict()) == set(model.state_dict())
    x = torch.randn(5, 1, 8, 8)
    torch.testing.assert_close(unfolded(x), folded(x), atol=1e-5, rtol=1e-5)
    assert not torch.allclose(unfolded(x), model(x), atol=1e-3)  # the tuned weights really arrived


def _tiny_data(n=96, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=g)
    x = torch.randn(n, 1, 8, 8, generator=g) * 0.3
    for c in range(3):  # a bright square whose place tells the class
        x[y == c, 0, 2 * c:2 * c + 3, 2:5] += 1.5
    return TensorData(x[:72], y[:72]), TensorData(x[72:], y[72:])


def _ft(epochs=3, lr=3e-3, seed=0):
    train, val = _tiny_data()
    return passes.FineTune(train=train, val=val, task="classification", epochs=epochs, lr=lr, batch_size=16,
                           seed=seed)


def test_qat_fine_tunes_and_returns_a_loadable_model_of_the_same_architecture():
    torch.manual_seed(0)
    model = _randomise_bn(ConvBnNet())
    ft = _ft()
    tuned, record, trainer = passes.qat(copy.deepcopy(model), ft)
    assert trainer.completed_epochs == 3 and record["fake_quant_points"] >= 3
    assert record["pass"] == "qat" and [h["stage"] for h in ft.history] == ["qat"] * 3
    fresh = ConvBnNet()
    fresh.load_state_dict(tuned.state_dict())  # plain keys: runs.load_model can load it
    fresh.eval()
    x = ft.val.x
    torch.testing.assert_close(fresh(x), tuned(x))
    assert not torch.allclose(tuned(x), model(x), atol=1e-4)


def test_magnitude_prune_keeps_the_sparsity_through_fine_tuning():
    torch.manual_seed(0)
    model = ConvBnNet()
    pruned, record, _ = passes.magnitude_prune(model, 0.6, _ft(epochs=2))
    assert record["sparsity"] >= 0.59
    assert all("weight_orig" not in k and "mask" not in k for k in pruned.state_dict())


def test_structured_prune_returns_a_plan_against_the_fresh_model():
    torch.manual_seed(0)
    model = ConvBnNet().eval()
    example = torch.zeros(1, 1, 8, 8)
    pruned, record, plan, _ = passes.structured_prune(model, 0.5, _ft(epochs=1), example)
    assert record["channels"] == {"conv": [6, 3], "conv2": [8, 4]}
    fresh = ConvBnNet().eval()
    apply_channel_plan(fresh, plan, example)
    fresh.load_state_dict(pruned.state_dict())
    torch.testing.assert_close(fresh(example), pruned.eval()(example))


def test_compose_plans_maps_a_second_pruning_back_to_the_fresh_model():
    assert passes.compose_plans(None, {"a": [0, 2]}) == {"a": [0, 2]}
    first = {"a": [1, 3, 4, 7], "b": [0, 1]}
    assert passes.compose_plans(first, {"a": [0, 2], "c": [5]}) == {"a": [1, 4], "b": [0, 1], "c": [5]}


def _student():
    torch.manual_seed(1)
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 3))


def test_distillation_with_alpha_zero_is_plain_training_and_the_teacher_changes_the_student():
    torch.manual_seed(0)
    teacher = nn.Sequential(nn.Flatten(), nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 3))
    passes.fine_tune(teacher, _ft(epochs=4), "teacher")
    alone = _student()
    passes.fine_tune(alone, _ft(epochs=2), "alone")
    zero, record, _ = passes.distill(_student(), teacher, _ft(epochs=2), alpha=0.0)
    for a, b in zip(alone.parameters(), zero.parameters()):
        torch.testing.assert_close(a, b)
    taught, record, _ = passes.distill(_student(), teacher, _ft(epochs=2), alpha=0.9)
    assert record["pass"] == "distill" and record["alpha"] == 0.9
    assert not torch.allclose(taught[1].weight, alone[1].weight)
    assert not taught._forward_hooks  # the teacher is unhooked afterwards


def test_the_compression_table_estimates_for_this_computer_when_the_runs_device_is_gone():
    from edgeling.core.compress.compress_job import _device
    from edgeling.core.devices.catalogue import THIS_COMPUTER

    assert _device("arduino-nano-33-ble-sense").id == "arduino-nano-33-ble-sense"
    assert _device("my-board-removed-since").id == THIS_COMPUTER
    assert _device(None).id == THIS_COMPUTER
