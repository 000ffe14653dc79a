"""Building blocks of the compression passes: BN folding, QAT fake quantization, magnitude pruning,
distillation loss."""

from __future__ import annotations

import torch
from torch import nn

from edgeling.core.compress.distill import distillation_loss
from edgeling.core.compress.fakequant import (
    ActFakeQuant,
    fold_batchnorm,
    freeze_observers,
    prepare_qat,
    strip_qat,
)
from edgeling.core.compress.magnitude import apply_global_magnitude, make_permanent, sparsity


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        x = torch.relu(x + self.conv2(x))
        return self.fc(x.mean((2, 3)))


def _trained_bn_net():
    torch.manual_seed(0)
    net = Net()
    net.train()
    for _ in range(5):  # give BatchNorm non-trivial running statistics
        net(torch.randn(16, 1, 8, 8) * 3 + 1)
    return net.eval()


def test_fold_batchnorm_keeps_outputs_and_removes_bn():
    net = _trained_bn_net()
    x = torch.randn(4, 1, 8, 8)
    folded = fold_batchnorm(net)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in folded.modules())
    torch.testing.assert_close(folded(x), net(x), atol=1e-5, rtol=1e-4)


def test_qat_model_tracks_ranges_and_strips_back_to_float():
    net = _trained_bn_net()
    x = torch.randn(32, 1, 8, 8)
    qat = prepare_qat(net)
    fqs = [m for m in qat.modules() if isinstance(m, ActFakeQuant)]
    assert len(fqs) >= 4  # input, first conv+relu, add+relu, mean
    qat.train()
    qat(x)
    freeze_observers(qat)
    qat.eval()
    out_q = qat(x)
    ref = net(x)
    # int8 rounding changes the outputs a little, not a lot
    assert (out_q - ref).abs().max() < 0.1 * ref.abs().max() + 1e-3
    assert not torch.equal(out_q, ref)
    plain = strip_qat(qat)
    assert not any(isinstance(m, ActFakeQuant) for m in plain.modules())
    torch.testing.assert_close(plain(x), ref, atol=1e-5, rtol=1e-4)


def test_qat_gradients_flow():
    qat = prepare_qat(_trained_bn_net())
    qat.train()
    loss = qat(torch.randn(8, 1, 8, 8)).sum()
    loss.backward()
    grads = [p.grad for p in qat.parameters() if p.requires_grad]
    assert grads and all(g is not None for g in grads)


def test_global_magnitude_reaches_the_fraction_and_stays_after_permanent():
    net = _trained_bn_net()
    apply_global_magnitude(net, 0.6)
    assert abs(sparsity(net) - 0.6) < 0.01
    make_permanent(net)
    assert "conv.weight" in net.state_dict() and "conv.weight_orig" not in net.state_dict()
    assert abs(sparsity(net) - 0.6) < 0.01


def test_distillation_loss_prefers_matching_the_teacher():
    torch.manual_seed(0)
    teacher = torch.randn(16, 4) * 3
    labels = teacher.argmax(1)
    near = distillation_loss(teacher + 0.01 * torch.randn(16, 4), teacher, labels)
    far = distillation_loss(torch.randn(16, 4), teacher, labels)
    assert near < far
