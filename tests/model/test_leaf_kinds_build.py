"""ReLU6, SiLU, GELU, AdaptiveAvgPool2d and the pools' ceil mode, against torch itself.

The shapes inference gives for every small pool (ceil mode on and off) are the
shapes torch gives; a network of the new kinds builds into torch's own modules,
with the same names, the same ``state_dict`` keys and the same outputs as the
same modules put together by hand; and it survives a TorchScript export.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F  # noqa: N812 - torch's own spelling
import torchinfo
from torch import nn

from resnet_studio.arch.inference import infer
from resnet_studio.arch.spec import (
    GELU,
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Flatten,
    Linear,
    MaxPool2d,
    Network,
    ReLU6,
    SiLU,
)
from resnet_studio.model.build import build_model
from resnet_studio.model.export import export_model
from tests.model.test_torchinfo_agreement import assert_agrees_with_torchinfo

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:FutureWarning")


def every_new_kind() -> Network:
    """Every new kind and field, off its default, on an input where ceil mode matters."""
    return Network(
        name="leaves",
        input_shape=(3, 11, 13),
        classes=5,
        body=(
            Conv2d(name="conv", out_channels=8, bias=True),
            BatchNorm2d(name="bn"),
            ReLU6(name="relu6"),
            MaxPool2d(name="maxpool", kernel=3, stride=2, padding=1, ceil_mode=True),
            SiLU(name="silu"),
            AvgPool2d(
                name="avgpool",
                kernel=3,
                stride=2,
                padding=1,
                ceil_mode=True,
                count_include_pad=False,
            ),
            GELU(name="gelu", approximate="tanh"),
            GELU(name="gelu_exact"),
            AdaptiveAvgPool2d(name="adaptive", output_size=7),  # larger than its 3×4 input
            Flatten(name="flatten"),
            Linear(name="fc"),
        ),
    )


def by_hand() -> nn.Sequential:
    """The same network written with torch alone, as a user's code would write it."""
    return nn.Sequential(
        OrderedDict(
            conv=nn.Conv2d(3, 8, 3, padding=1, bias=True),
            bn=nn.BatchNorm2d(8),
            relu6=nn.ReLU6(),
            maxpool=nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
            silu=nn.SiLU(),
            avgpool=nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
            gelu=nn.GELU(approximate="tanh"),
            gelu_exact=nn.GELU(),
            adaptive=nn.AdaptiveAvgPool2d(7),
            flatten=nn.Flatten(),
            fc=nn.Linear(8 * 7 * 7, 5),
        )
    )


def _torch_pool_side(pool: str, size: int, kernel: int, stride: int, padding: int, ceil: bool):
    """The output side torch gives, or None where torch refuses the pool."""
    x = torch.zeros(1, 1, size, size)
    try:
        if pool == "max":
            out = F.max_pool2d(x, kernel, stride, padding, ceil_mode=ceil)
        else:
            out = F.avg_pool2d(x, kernel, stride, padding, ceil_mode=ceil)
    except RuntimeError:
        return None
    return out.shape[-1]


@pytest.mark.parametrize("pool", ["max", "avg"])
def test_every_small_pool_has_torchs_shape(pool: str) -> None:
    """Every window, stride, padding and side up to 12, ceil mode on and off."""
    cls = MaxPool2d if pool == "max" else AvgPool2d
    dropped = 0  # cases where ceil mode's extra window starts in the padding
    for size in range(1, 13):
        for kernel in range(1, 6):
            for stride in range(1, 5):
                for padding in range(kernel // 2 + 1):
                    for ceil in (False, True):
                        node = cls(
                            name="p", kernel=kernel, stride=stride, padding=padding, ceil_mode=ceil
                        )
                        [row] = infer(Network(input_shape=(1, size, size), body=(node,))).rows
                        ours = row.output_shape[-1] if row.output_shape else None
                        want = _torch_pool_side(pool, size, kernel, stride, padding, ceil)
                        assert ours == want, (size, kernel, stride, padding, ceil, row.error)
                        assert (row.error is None) == (want is not None)
                        rounded_up = -(-(size + 2 * padding - kernel) // stride) + 1
                        if ceil and want is not None and want < rounded_up:
                            dropped += 1
    assert dropped > 20  # the grid holds many of the cases PyTorch drops a window in


def test_new_kinds_agree_with_torchinfo() -> None:
    summary = assert_agrees_with_torchinfo(every_new_kind())
    assert summary.output_shape == (5,)


def test_build_gives_torchs_modules_names_and_outputs() -> None:
    network = every_new_kind()
    ours = build_model(network, seed=0).eval()
    theirs = by_hand().eval()
    assert [(name, repr(m)) for name, m in ours.named_children()] == [
        (name, repr(m)) for name, m in theirs.named_children()
    ]
    theirs.load_state_dict(ours.state_dict(), strict=True)  # the same keys and shapes
    x = torch.randn(4, *network.input_shape, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        assert torch.equal(ours(x), theirs(x))
    stats = torchinfo.summary(theirs, (1, *network.input_shape), device="cpu", verbose=0)
    summary = infer(network)
    assert (summary.total_params, summary.total_macs) == (stats.total_params, stats.total_mult_adds)


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_computes_the_chosen_formula(approximate: str) -> None:
    network = Network(
        input_shape=(1, 1, 8),
        classes=8,
        body=(GELU(name="gelu", approximate=approximate), Flatten(name="flatten")),
    )
    x = torch.linspace(-3, 3, 8).reshape(1, 1, 1, 8)
    with torch.no_grad():
        got = build_model(network)(x)
    assert torch.equal(got, F.gelu(x, approximate=approximate).flatten(1))


def test_avgpool_count_include_pad_changes_the_border_means() -> None:
    def border_mean(count_include_pad: bool) -> float:
        pool = AvgPool2d(
            name="p", kernel=3, stride=1, padding=1, count_include_pad=count_include_pad
        )
        body = (pool, Flatten(name="flatten"))
        model = build_model(Network(input_shape=(1, 3, 3), classes=9, body=body))
        with torch.no_grad():
            return model(torch.ones(1, 1, 3, 3))[0, 0].item()

    # The corner window holds 4 ones and 5 padding zeros.
    assert border_mean(True) == pytest.approx(4 / 9)
    assert border_mean(False) == 1.0


def test_torchscript_export_runs_the_new_kinds(tmp_path: Path) -> None:
    network = every_new_kind()
    model = build_model(network, seed=0).eval()
    path = tmp_path / "leaves.pt"
    export_model(path, "torchscript", network, model)
    loaded = torch.jit.load(str(path))
    x = torch.rand(2, *network.input_shape, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        assert torch.allclose(loaded(x), model(x), atol=1e-6)
