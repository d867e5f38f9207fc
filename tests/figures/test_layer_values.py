"""Fig. 7's data: per-layer values of one epoch, in network order or ranked."""

from __future__ import annotations

import math

import pytest

from resnet_studio.figures.layers import RESPONSE_STD, layer_values, stats_epochs
from resnet_studio.training.events import EpochEnd, LayerStat


def epoch(n: int, stats: tuple[LayerStat, ...]) -> EpochEnd:
    return EpochEnd(n, n, 1.0, 0.5, 1.0, 0.5, 0.1, 1.0, 10.0, stats)


STATS = (
    LayerStat("conv1", grad_norm=0.1, response_std=0.5),
    LayerStat("fc", grad_norm=0.2),  # no response std: not a 3×3 layer
    LayerStat("block.conv1", grad_norm=0.3, response_std=2.0),
    LayerStat("block.conv2", grad_norm=0.4, response_std=math.nan),
    LayerStat("block2.conv1", grad_norm=0.5, response_std=1.0),
)


def test_network_order_leaves_out_layers_without_a_value() -> None:
    paths, x, y = layer_values(epoch(1, STATS), RESPONSE_STD)
    assert paths == ["conv1", "block.conv1", "block.conv2", "block2.conv1"]
    assert x.tolist() == [1, 2, 3, 4]
    assert y[[0, 1, 3]].tolist() == [0.5, 2.0, 1.0] and math.isnan(y[2])


def test_ranked_is_largest_first_with_nan_last_and_paths_following() -> None:
    paths, _x, y = layer_values(epoch(1, STATS), RESPONSE_STD, ranked=True)
    assert paths == ["block.conv1", "block2.conv1", "conv1", "block.conv2"]
    assert y[:3].tolist() == [2.0, 1.0, 0.5] and math.isnan(y[3])


def test_epochs_with_statistics_and_a_wrong_metric() -> None:
    class History:
        epochs = [epoch(1, ()), epoch(2, STATS)]
        steps = []

    assert [e.epoch for e in stats_epochs(History())] == [2]
    with pytest.raises(ValueError, match="layer metric"):
        layer_values(epoch(1, STATS), "weight")
