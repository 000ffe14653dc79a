"""Small torch models shared by the lowering / estimate tests, including the four MLPerf Tiny reference
models written from their published descriptions (mlcommons/tiny ``benchmark/training/*``): DS-CNN for
keyword spotting, ResNet-8 for CIFAR-10, MobileNetV1 0.25 for visual wake words, the FC autoencoder."""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F


def randomize_batchnorm(model: nn.Module, seed: int = 0) -> nn.Module:
    """Give every BatchNorm non-trivial statistics so folding is actually exercised."""
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            n = m.num_features
            m.running_mean.copy_(torch.rand(n, generator=g) * 2 - 1)
            m.running_var.copy_(torch.rand(n, generator=g) * 1.5 + 0.5)
            m.weight.data.copy_(torch.rand(n, generator=g) + 0.5)
            m.bias.data.copy_(torch.rand(n, generator=g) - 0.5)
    return model.eval()


def conv_bn(cin, cout, k, s=1, groups=1, act=True, pad=None):
    layers = [nn.Conv2d(cin, cout, k, s, padding=(k // 2 if pad is None else pad) if isinstance(k, int) else pad,
                        groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act:
        layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class DSCNN(nn.Module):
    """MLPerf Tiny KWS: 49x10 MFCC, conv 64 (10x4, stride 2), 4 depthwise-separable blocks, pool, dense 12."""

    def __init__(self, classes=12, filters=64):
        super().__init__()
        self.pad = nn.ZeroPad2d((1, 1, 4, 5))  # TFLite "same" for a 10x4 kernel, stride 2 on 49x10
        self.conv = conv_bn(1, filters, (10, 4), 2, pad=0)
        blocks = []
        for _ in range(4):
            blocks += [conv_bn(filters, filters, 3, 1, groups=filters), conv_bn(filters, filters, 1)]
        self.blocks = nn.Sequential(*blocks)
        self.drop = nn.Dropout(0.4)
        self.fc = nn.Linear(filters, classes)

    def forward(self, x):
        x = self.blocks(self.conv(self.pad(x)))
        return self.fc(self.drop(F.adaptive_avg_pool2d(x, 1).flatten(1)))


class ResBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = conv_bn(cin, cout, 3, stride, pad=1)
        self.c2 = conv_bn(cout, cout, 3, 1, act=False)
        self.short = nn.Conv2d(cin, cout, 1, stride) if (stride != 1 or cin != cout) else nn.Identity()

    def forward(self, x):
        return F.relu(self.c2(self.c1(x)) + self.short(x))


class ResNet8(nn.Module):
    """MLPerf Tiny image classification: 32x32x3, conv 16, three residual stacks (16, 32, 64), dense 10."""

    def __init__(self, classes=10):
        super().__init__()
        self.stem = conv_bn(3, 16, 3)
        self.stacks = nn.Sequential(ResBlock(16, 16, 1), ResBlock(16, 32, 2), ResBlock(32, 64, 2))
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        return self.fc(self.stacks(self.stem(x)).mean((2, 3)))


class MobileNetV1(nn.Module):
    """MLPerf Tiny visual wake words: MobileNetV1 width 0.25 on 96x96x3, 2 classes."""

    CFG = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]

    def __init__(self, alpha=0.25, classes=2):
        super().__init__()
        c = int(32 * alpha)
        layers = [nn.ZeroPad2d((0, 1, 0, 1)), conv_bn(3, c, 3, 2, pad=0)]
        for out, s in self.CFG:
            o = int(out * alpha)
            layers += [nn.ZeroPad2d((0, 1, 0, 1)), conv_bn(c, c, 3, 2, groups=c, pad=0)] if s == 2 else \
                [conv_bn(c, c, 3, 1, groups=c)]
            layers.append(conv_bn(c, o, 1))
            c = o
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.features(x)), 1))


class FCAutoencoder(nn.Module):
    """MLPerf Tiny anomaly detection: 640 -> 128 x4 -> 8 -> 128 x4 -> 640, dense + BN + ReLU."""

    def __init__(self, features=640, hidden=128, code=8):
        super().__init__()
        widths = [hidden] * 4 + [code] + [hidden] * 4
        layers, prev = [], features
        for w in widths:
            layers += [nn.Linear(prev, w), nn.BatchNorm1d(w), nn.ReLU()]
            prev = w
        layers.append(nn.Linear(prev, features))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


MLPERF = {  # name -> (builder, torch input shape without batch)
    "ds_cnn": (DSCNN, (1, 49, 10)),
    "resnet8": (ResNet8, (3, 32, 32)),
    "mobilenet_v1": (MobileNetV1, (3, 96, 96)),
    "fc_autoencoder": (FCAutoencoder, (640,)),
}


class TutorialCNN(nn.Module):
    """The FashionMNIST tutorial's small CNN (conv 32, pool, conv 64, pool, dense 128, dense 10)."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        x = x.view(x.size(0), -1)
        return self.fc2(F.dropout(F.relu(self.fc1(x)), 0.25, self.training))


class Conv1dNet(nn.Module):
    def __init__(self, channels=3, classes=4):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(channels, 8, 5, stride=2, padding=2), nn.BatchNorm1d(8), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(8, 16, 3, padding=1), nn.ReLU6(),
                                 nn.AvgPool1d(2), nn.Flatten(), nn.Linear(16 * 6, classes))

    def forward(self, x):
        return self.net(x)
