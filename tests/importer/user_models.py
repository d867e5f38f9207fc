"""Networks written the ways people write them, for the importer's tests."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class LambdaLayer(nn.Module):
    """The CIFAR codes' option-A shortcut: a function as a module."""

    def __init__(self, fn) -> None:
        super().__init__()
        self.fn = fn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fn(x)


class CifarBlock(nn.Module):
    """A basic block with F.relu and a shortcut chosen by ``option``:
    "A" zero-pads channels on both sides (the common code), "A-end" appends them,
    "A-front" puts them all before x's, "B" projects with a 1×1 conv and BatchNorm held
    in ``self.shortcut``."""

    def __init__(self, in_planes: int, planes: int, stride: int, option: str) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            extra = planes - in_planes
            if option == "A":
                self.shortcut = LambdaLayer(
                    lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, extra // 2, extra - extra // 2))
                )
            elif option == "A-end":
                self.shortcut = LambdaLayer(
                    lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, 0, extra))
                )
            elif option == "A-front":
                self.shortcut = LambdaLayer(
                    lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, extra, 0))
                )
            else:
                self.shortcut = nn.Sequential(
                    nn.Conv2d(in_planes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes)
                )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        return F.relu(out)


class CifarResNet(nn.Module):
    """ResNet-(6n+2) for CIFAR as the common code writes it."""

    def __init__(self, n: int = 3, option: str = "A", width: int = 16, classes: int = 10) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        planes = width
        stages = []
        for i, stride in enumerate((1, 2, 2)):
            out = width * 2**i
            blocks = []
            for j in range(n):
                blocks.append(CifarBlock(planes, out, stride if j == 0 else 1, option))
                planes = out
            stages.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = stages
        self.linear = nn.Linear(planes, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.avg_pool2d(out, out.size()[3])
        out = out.view(out.size(0), -1)
        return self.linear(out)


class PreActBlock(nn.Module):
    """He et al. 2016: BN-ReLU before each conv; the shortcut from the first activation
    when it projects, from x itself when it is an identity."""

    def __init__(self, in_planes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, "shortcut") else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class PreActNet(nn.Module):
    """A small pre-activation ResNet, identity shortcuts only (it keeps its width)."""

    def __init__(self, blocks: int = 3, width: int = 16) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.layer1 = nn.Sequential(*[PreActBlock(width, width) for _ in range(blocks)])
        self.bn = nn.BatchNorm2d(width)
        self.fc = nn.Linear(width, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.layer1(self.conv1(x))
        out = F.relu(self.bn(out))
        out = out.mean((2, 3))
        return self.fc(out)


def plain_sequential() -> nn.Sequential:
    """A plain CNN as one nn.Sequential."""
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1),
        nn.BatchNorm2d(8),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d((1, 1)),
        nn.Flatten(),
        nn.Dropout(0.2),
        nn.Linear(16, 10),
    )


class SqueezeExcite(nn.Module):
    """x · sigmoid(fc(pool(x))): a join by multiplication, and a sigmoid."""

    def __init__(self, channels: int = 8) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, channels, 3, padding=1)
        self.fc = nn.Conv2d(channels, channels, 1)
        self.act = nn.SiLU()
        self.head = nn.Linear(channels, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.conv(x))
        scale = torch.sigmoid(self.fc(F.adaptive_avg_pool2d(x, 1)))
        x = x * scale
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class SharedConv(nn.Module):
    """One conv called twice: weights the spec cannot share."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(torch.relu(self.conv(x)))


class KuangliuPreActBlock(nn.Module):
    """kuangliu/pytorch-cifar's PreActBlock: the shortcut, when it projects, is a 1×1
    conv alone on the first BN-ReLU's output; identity shortcuts take x itself."""

    expansion = 1

    def __init__(self, in_planes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(
            in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False
        )
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        if stride != 1 or in_planes != self.expansion * planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(
                    in_planes, self.expansion * planes, kernel_size=1, stride=stride, bias=False
                )
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, "shortcut") else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        out += shortcut
        return out


class KuangliuPreActResNet(nn.Module):
    """kuangliu/pytorch-cifar's PreActResNet (PreActResNet18: blocks (2, 2, 2, 2))."""

    def __init__(self, num_blocks=(2, 2, 2, 2), num_classes: int = 10) -> None:
        super().__init__()
        self.in_planes = 64
        self.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
        self.layer1 = self._make_layer(64, num_blocks[0], stride=1)
        self.layer2 = self._make_layer(128, num_blocks[1], stride=2)
        self.layer3 = self._make_layer(256, num_blocks[2], stride=2)
        self.layer4 = self._make_layer(512, num_blocks[3], stride=2)
        self.linear = nn.Linear(512, num_classes)

    def _make_layer(self, planes: int, num_blocks: int, stride: int) -> nn.Sequential:
        strides = [stride] + [1] * (num_blocks - 1)
        layers = []
        for s in strides:
            layers.append(KuangliuPreActBlock(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv1(x)
        out = self.layer1(out)
        out = self.layer2(out)
        out = self.layer3(out)
        out = self.layer4(out)
        out = F.avg_pool2d(out, 4)
        out = out.view(out.size(0), -1)
        return self.linear(out)


class NamedSequentials(nn.Module):
    """A plain CNN as torchvision's VGG writes it: ``features`` and ``classifier``
    Sequentials, ``torch.flatten`` between them; a nested Sequential inside."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1),
            nn.ReLU6(inplace=True),
            nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8), nn.SiLU()),
            nn.MaxPool2d(3, 2, ceil_mode=True),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.GELU(approximate="tanh"),
            nn.AvgPool2d(3, 2, padding=1, ceil_mode=True, count_include_pad=False),
        )
        self.pool = nn.AdaptiveAvgPool2d((3, 3))
        self.classifier = nn.Sequential(
            nn.Dropout(0.1), nn.Linear(16 * 9, 32), nn.GELU(), nn.Linear(32, 10)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


class FunctionalActivations(nn.Module):
    """The new kinds written as functions: F.relu6, F.silu, F.gelu, F.hardtanh(0, 6),
    F.max_pool2d with ceil_mode, F.avg_pool2d without counting padding,
    F.adaptive_avg_pool2d to 2×2."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu6(self.conv1(x))
        x = F.max_pool2d(F.silu(x), 3, 2, ceil_mode=True)
        x = F.gelu(self.conv2(x), approximate="tanh")
        x = F.avg_pool2d(F.hardtanh(x, 0.0, 6.0), 3, 2, 1, True, False)
        x = F.adaptive_avg_pool2d(x, 2)
        return self.fc(torch.flatten(x, 1))
