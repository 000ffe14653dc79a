"""Torch building blocks shared by the families, restricted to ops the int8 TFLite path carries.

Allowed inside a network: Conv2d, depthwise Conv2d (groups == in_channels), Linear, BatchNorm (folded at
lowering), ReLU / ReLU6, add (residual), MaxPool2d / AvgPool2d, global mean ``x.mean((2, 3))``,
flatten, ZeroPad2d (the TFLite ``pad`` op; see ``same_conv``) and Dropout (training only).

Padding: every conv is TFLite ``"same"`` exactly. Where torch's symmetric ``padding=`` already equals
TFLite's "same" (stride 1 with an odd kernel, or stride 2 on an odd size) the conv carries it; otherwise
(TFLite pads the extra row/column at the bottom/right) the conv is preceded by an ``nn.ZeroPad2d`` with
TFLite's exact pads and uses ``padding=0``, so a lowering can fuse the pair into one ``"same"`` conv.

This module imports torch at the top: only ``build`` functions import it.
"""

from __future__ import annotations

import torch
from torch import nn


def same_pads(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """TFLite "same" padding (before, after) along one axis of length ``size``."""
    out = -(-size // stride)
    eff = (kernel - 1) * dilation + 1
    total = max((out - 1) * stride + eff - size, 0)
    return total // 2, total - total // 2


def same_out(size: int, stride: int) -> int:
    return -(-size // stride)


def same_conv(cin: int, cout: int, kernel, stride, in_hw: tuple[int, int], groups: int = 1,
              bias: bool = False) -> nn.Module:
    """A Conv2d with TFLite "same" padding for an input of spatial size ``in_hw``."""
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph = same_pads(in_hw[0], kh, sh)
    pw = same_pads(in_hw[1], kw, sw)
    if ph[0] == ph[1] and pw[0] == pw[1]:
        return nn.Conv2d(cin, cout, (kh, kw), (sh, sw), padding=(ph[0], pw[0]), groups=groups, bias=bias)
    return nn.Sequential(
        nn.ZeroPad2d((pw[0], pw[1], ph[0], ph[1])),
        nn.Conv2d(cin, cout, (kh, kw), (sh, sw), padding=0, groups=groups, bias=bias),
    )


def halving_pool(in_hw: tuple[int, int]) -> tuple[nn.MaxPool2d, tuple[int, int]]:
    """A 2x2 max-pool, 1 along any axis already of size 1 (so tiny inputs still build), and its output
    size."""
    kernel = tuple(2 if s >= 2 else 1 for s in in_hw)
    return nn.MaxPool2d(kernel), (in_hw[0] // kernel[0], in_hw[1] // kernel[1])


class ConvBNAct(nn.Sequential):
    """conv (TFLite "same") -> BatchNorm -> ReLU / ReLU6 / nothing. ``out_hw`` is the output size."""

    def __init__(self, cin: int, cout: int, kernel, stride, in_hw: tuple[int, int], groups: int = 1,
                 act: str = "relu"):
        sh, sw = (stride, stride) if isinstance(stride, int) else stride
        layers: list[nn.Module] = [same_conv(cin, cout, kernel, (sh, sw), in_hw, groups=groups),
                                   nn.BatchNorm2d(cout)]
        if act == "relu":
            layers.append(nn.ReLU())
        elif act == "relu6":
            layers.append(nn.ReLU6())
        elif act != "none":
            raise ValueError(f"unknown activation {act!r}")
        super().__init__(*layers)
        self.out_hw = (same_out(in_hw[0], sh), same_out(in_hw[1], sw))


class DepthwiseSeparable(nn.Sequential):
    """depthwise 3x3 (stride) -> BN -> act -> pointwise 1x1 -> BN -> act (MobileNetV1 / DS-CNN block)."""

    def __init__(self, cin: int, cout: int, stride, in_hw: tuple[int, int], kernel=3, act: str = "relu"):
        dw = ConvBNAct(cin, cin, kernel, stride, in_hw, groups=cin, act=act)
        pw = ConvBNAct(cin, cout, 1, 1, dw.out_hw, act=act)
        super().__init__(dw, pw)
        self.out_hw = pw.out_hw


class Head(nn.Module):
    """Global average pool -> (dropout) -> dense to the outputs."""

    def __init__(self, cin: int, outputs: int, dropout: float = 0.0):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(cin, outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.dropout(x.mean((2, 3))))


def dense_stack(features: int, widths: list[int], outputs: int, dropout: float = 0.0) -> nn.Sequential:
    """Linear -> ReLU (-> dropout) for each width, then a final Linear to ``outputs``."""
    layers: list[nn.Module] = []
    prev = features
    for w in widths:
        layers += [nn.Linear(prev, w), nn.ReLU()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        prev = w
    layers.append(nn.Linear(prev, outputs))
    return nn.Sequential(*layers)


class ResidualStack(nn.Module):
    """ResNet basic block: conv3x3 (stride) -> BN -> ReLU -> conv3x3 -> BN, plus the input (through a
    1x1 conv with bias when the size or width changes, as in MLPerf Tiny's ResNet-8), then ReLU."""

    def __init__(self, cin: int, cout: int, stride: int, in_hw: tuple[int, int]):
        super().__init__()
        self.conv1 = ConvBNAct(cin, cout, 3, stride, in_hw)
        self.conv2 = ConvBNAct(cout, cout, 3, 1, self.conv1.out_hw, act="none")
        self.shortcut = same_conv(cin, cout, 1, stride, in_hw, bias=True) if stride != 1 or cin != cout else None
        self.relu = nn.ReLU()
        self.out_hw = self.conv1.out_hw

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = x if self.shortcut is None else self.shortcut(x)
        return self.relu(self.conv2(self.conv1(x)) + skip)


class InvertedResidual(nn.Module):
    """MobileNetV2 block: 1x1 expand -> BN -> ReLU6 (skipped when expansion is 1) -> depthwise 3x3
    (stride) -> BN -> ReLU6 -> 1x1 project -> BN, plus the input when stride is 1 and widths match."""

    def __init__(self, cin: int, cout: int, stride: int, expansion: int, in_hw: tuple[int, int]):
        super().__init__()
        hidden = cin * expansion
        parts: list[nn.Module] = []
        if expansion != 1:
            parts.append(ConvBNAct(cin, hidden, 1, 1, in_hw, act="relu6"))
        dw = ConvBNAct(hidden, hidden, 3, stride, in_hw, groups=hidden, act="relu6")
        parts += [dw, ConvBNAct(hidden, cout, 1, 1, dw.out_hw, act="none")]
        self.body = nn.Sequential(*parts)
        self.residual = stride == 1 and cin == cout
        self.out_hw = dw.out_hw

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.body(x)
        return out + x if self.residual else out
