"""The stride of a shortcut comes from both dimensions of the feature map, not the height only."""

from __future__ import annotations

import pytest

from resnet_studio.arch.inference import infer, shortcut_stride
from resnet_studio.arch.presets import preset_network


@pytest.mark.parametrize("shape", [(3, 2, 32), (3, 32, 2), (3, 1, 32), (3, 7, 40)])
def test_cifar_resnet20_on_a_flat_input_has_no_false_shortcut_error(shape) -> None:
    summary = infer(preset_network("cifar-resnet20", shape))
    assert summary.ok, summary.problems
    rows = {row.path: row for row in summary.rows}
    _, h, w = shape
    ceil4 = (-(-h // 4), -(-w // 4))  # two stride-2 stages: ceil(n / 2) twice
    assert rows["layer3.0.shortcut"].output_shape == (64, *ceil4)


@pytest.mark.parametrize(
    ("x", "fx", "stride"),
    [
        ((16, 1, 16), (32, 1, 8), 2),  # the height alone says 1
        ((16, 16, 1), (32, 8, 1), 2),
        ((16, 2, 32), (32, 1, 16), 2),
        ((16, 5, 7), (32, 3, 4), 2),
        ((16, 4, 9), (32, 2, 3), 3),  # a 3×3 conv /3, padding 1; the height alone says 2
        ((16, 1, 1), (32, 1, 1), 1),
        ((16, 5, 7), (32, 3, 5), None),  # no one stride gives both
        ((16, 8, 8), (32, 3, 4), None),
        ((16, 4, 4), (32, 5, 4), None),  # a shortcut cannot grow the map
    ],
)
def test_shortcut_stride_fits_both_dimensions(x, fx, stride) -> None:
    assert shortcut_stride(x, fx) == stride
