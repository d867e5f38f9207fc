"""Small networks and data that keep engine tests to seconds."""

from __future__ import annotations

import pytest

from resnet_studio.arch.blocks import basic_block, conv3x3
from resnet_studio.arch.spec import BatchNorm2d, Flatten, GlobalAvgPool, Linear, Network, ReLU


def tiny_network(shortcut: str = "auto") -> Network:
    """conv(8, stride 2) → BN → ReLU → one basic block → pool → fc: 3×32×32, 10 classes."""
    return Network(
        name="tiny",
        input_shape=(3, 32, 32),
        classes=10,
        body=(
            conv3x3("conv1", 8, stride=2),
            BatchNorm2d(name="bn1"),
            ReLU(name="relu"),
            basic_block(8, shortcut=shortcut, name="block"),
            GlobalAvgPool(name="avgpool"),
            Flatten(name="flatten"),
            Linear(name="fc"),
        ),
    )


@pytest.fixture(scope="session")
def tiny_data():
    """256 training and 128 validation images of the built-in synthetic set."""
    from resnet_studio.training.datasets import load_dataset

    return load_dataset("synthetic", subset=256, val_size=128)
