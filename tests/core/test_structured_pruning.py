"""Structured pruning removes channels for real, keeps models runnable, and leaves residual channels."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn

from edgeling.core.compress.structured import apply_channel_plan, find_groups, plan_channels


class TutorialCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn1(self.conv1(x))))
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc(torch.flatten(x, 1))


class DepthwiseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.bn = nn.BatchNorm2d(16)
        self.pw = nn.Conv2d(16, 32, 1)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        x = nn.functional.relu6(self.stem(x))
        x = nn.functional.relu6(self.bn(self.dw(x)))
        x = nn.functional.relu6(self.pw(x))
        return self.head(x.mean((2, 3)))


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.a = nn.Conv2d(8, 8, 3, padding=1)
        self.b = nn.Conv2d(8, 8, 3, padding=1)
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        x = torch.relu(self.stem(x))
        y = self.b(torch.relu(self.a(x)))
        x = torch.relu(x + y)
        return self.head(x.mean((2, 3)))


def _macs(model, x):
    total = 0

    def hook(m, inp, out):
        nonlocal total
        if isinstance(m, nn.Conv2d):
            total += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.Linear):
            total += m.in_features * m.out_features

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    model(x)
    for h in hs:
        h.remove()
    return total


@pytest.mark.parametrize("cls,shape", [(TutorialCNN, (1, 1, 28, 28)), (DepthwiseNet, (1, 3, 32, 32))])
def test_half_pruning_cuts_macs_and_params(cls, shape):
    torch.manual_seed(0)
    model = cls().eval()
    x = torch.randn(shape)
    before_macs, before_params = _macs(model, x), sum(p.numel() for p in model.parameters())
    plan = plan_channels(model, x, 0.5)
    pruned = apply_channel_plan(copy.deepcopy(model), plan, x)
    after_macs, after_params = _macs(pruned, x), sum(p.numel() for p in pruned.parameters())
    assert pruned(x).shape == model(x).shape
    assert after_macs <= 0.6 * before_macs
    assert after_params < 0.6 * before_params


def test_pruning_nothing_keeps_outputs_identical():
    torch.manual_seed(0)
    model = TutorialCNN().eval()
    x = torch.randn(4, 1, 28, 28)
    plan = plan_channels(model, x[:1], 0.0)
    pruned = apply_channel_plan(copy.deepcopy(model), plan, x[:1])
    torch.testing.assert_close(pruned(x), model(x))


def test_plan_rebuilds_a_fresh_model_to_the_same_shapes():
    torch.manual_seed(0)
    model = DepthwiseNet().eval()
    x = torch.randn(1, 3, 32, 32)
    plan = plan_channels(model, x, 0.5)
    pruned = apply_channel_plan(copy.deepcopy(model), plan, x)
    fresh = apply_channel_plan(DepthwiseNet().eval(), plan, x)
    fresh.load_state_dict(pruned.state_dict())
    torch.testing.assert_close(fresh(x), pruned(x))


def test_channels_feeding_a_residual_add_are_left_alone():
    model = Residual().eval()
    x = torch.randn(1, 3, 16, 16)
    prunable = {g.producer for g in find_groups(model, x)}
    assert prunable == {"a"}  # stem and b feed the add; only the block's inner conv can shrink
    pruned = apply_channel_plan(model, plan_channels(model, x, 0.5), x)
    assert pruned.a.out_channels == 4 and pruned.b.in_channels == 4 and pruned.b.out_channels == 8
    assert pruned(x).shape == (1, 2)


def test_dense_hidden_units_are_removed_exactly_and_the_output_layer_is_kept():
    """A table's MLP: removing a hidden unit and its column in the next layer is the same network as
    zeroing that unit, so the pruned model answers exactly like the original with those units zeroed."""
    from edgeling.core.models.families.layers import dense_stack

    torch.manual_seed(0)
    model = dense_stack(12, [32, 16], 3, dropout=0.1).eval()
    x = torch.randn(20, 12)
    groups = {g.producer: g for g in find_groups(model, x)}
    assert set(groups) == {"0", "3"} and groups["0"].dense_consumers == [("3", 1)]  # not "6", the output
    plan = plan_channels(model, x, 0.5)
    assert {k: len(v) for k, v in plan.items()} == {"0": 16, "3": 8}

    zeroed = copy.deepcopy(model)
    with torch.no_grad():
        for name, keep in plan.items():
            layer = zeroed.get_submodule(name)
            gone = [i for i in range(layer.out_features) if i not in keep]
            layer.weight[gone] = 0
            layer.bias[gone] = 0
    pruned = apply_channel_plan(copy.deepcopy(model), plan, x)
    assert pruned[0].out_features == 16 and pruned[3].in_features == 16 and pruned[6].in_features == 8
    torch.testing.assert_close(pruned(x), zeroed(x))
