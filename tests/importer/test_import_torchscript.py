"""TorchScript archives (``torch.jit.save`` of a scripted or traced module) import as
the same network, weights and report as the module itself: read as a graph, no Python
run."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

from resnet_studio.arch.project import project_to_json
from resnet_studio.importer.api import import_module, import_path
from resnet_studio.importer.errors import SourceError
from tests.importer.helpers import assert_exact
from tests.importer.user_models import CifarResNet

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:FutureWarning")


def _tree(network) -> object:
    """The network as its project JSON without the layers' ids (fresh per import)."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "id"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(json.loads(project_to_json(network)))


def _archive(module: nn.Module, how: str, shape: tuple[int, ...], path: Path) -> Path:
    """``module`` scripted or traced, saved with torch.jit.save."""
    module.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TorchScript is deprecated upstream
        if how == "script":
            compiled = torch.jit.script(module)
        else:
            compiled = torch.jit.trace(module, torch.randn(1, *shape))
        torch.jit.save(compiled, path)
    return path


class ZeroPadShortcut(nn.Module):
    """Option A written as a module, so that TorchScript can compile it (a lambda cannot
    be scripted): subsample, then zero channels after the input's."""

    def __init__(self, extra: int) -> None:
        super().__init__()
        self.extra = extra

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, 0, self.extra))


def _cifar_option_a(n: int = 1) -> nn.Module:
    net = CifarResNet(n, "B")
    for stage, extra in ((net.layer2, 16), (net.layer3, 32)):
        stage[0].shortcut = ZeroPadShortcut(extra)
    return net


@pytest.mark.parametrize("how", ["script", "trace"])
def test_torchvision_resnet18_archive_imports_exactly(tmp_path, how) -> None:
    torch.manual_seed(0)
    source = torchvision.models.resnet18()
    path = _archive(source, how, (3, 64, 64), tmp_path / f"r18_{how}.pt")
    result = import_path(path, (3, 64, 64))
    assert_exact(result, source)
    assert result.network.name == f"r18_{how}"
    # The same network as importing the module itself.
    via_module = import_module(source, (3, 64, 64), name=f"r18_{how}")
    assert _tree(result.network) == _tree(via_module.network)


@pytest.mark.parametrize(
    ("how", "make"),
    [
        ("script", lambda: CifarResNet(2, "B")),
        ("trace", lambda: CifarResNet(2, "B")),
        ("script", _cifar_option_a),
        ("trace", lambda: CifarResNet(1, "A-end")),  # a lambda shortcut: traced only
    ],
)
def test_cifar_resnet_archives_import_exactly(tmp_path, how, make) -> None:
    torch.manual_seed(1)
    source = make()
    path = _archive(source, how, (3, 32, 32), tmp_path / "cifar.pt")
    result = import_path(path, (3, 32, 32), name="cifar")
    model = assert_exact(result, source, same_keys=False)
    assert result.network.name == "cifar"
    assert sum(p.numel() for p in model.parameters()) == sum(p.numel() for p in source.parameters())
    via_module = import_module(source, (3, 32, 32), name="cifar")
    assert _tree(result.network) == _tree(via_module.network)
    assert list(result.state_dict) == list(via_module.state_dict)


class Unsupported(nn.Module):
    """Parts the spec has no kind for: a Tanh module, a sigmoid gate that multiplies,
    and branches joined by concatenation."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.act = nn.Tanh()
        self.gate = nn.Conv2d(8, 8, 1)
        self.head = nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.conv(x))
        x = x * torch.sigmoid(self.gate(x))
        x = torch.cat([x, x.flip(1)], 1)
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


@pytest.mark.parametrize("how", ["script", "trace"])
def test_every_operation_that_cannot_be_expressed_is_reported(tmp_path, how) -> None:
    source = Unsupported()
    path = _archive(source, how, (3, 16, 16), tmp_path / "u.pt")
    result = import_path(path, (3, 16, 16))
    report = result.report
    assert result.network is None and result.state_dict is None and not report.exact
    problems = {u.source: (u.op, u.reason) for u in report.unsupported}
    assert problems["act"] == ("nn.Tanh", "nn.Tanh has no kind in the designer")
    assert problems["sigmoid"][1] == "aten::sigmoid has no kind in the designer"
    assert "multiplies two tensors" in problems["mul"][1]
    assert "concatenates tensors" in problems["cat"][1]
    assert problems["flip"][1] == "aten::flip has no kind in the designer"
    # As many as importing the module itself finds.
    assert len(report.unsupported) == len(import_module(source, (3, 16, 16)).report.unsupported)
    assert report.lines()[0].endswith(
        f"not imported: {len(report.unsupported)} operations cannot be expressed"
    )


def test_a_traced_layer_is_rebuilt_from_the_operation_it_ran(tmp_path) -> None:
    """A traced conv keeps no settings: padding_mode is read back from the graph (a
    reflection pad, then the convolution) and named as the problem."""
    source = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect"),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
    )
    path = _archive(source, "trace", (3, 8, 8), tmp_path / "reflect.pt")
    [problem] = import_path(path, (3, 8, 8)).report.unsupported
    assert problem.source == "0" and "padding_mode 'reflect'" in problem.reason


@pytest.mark.parametrize("how", ["script", "trace"])
def test_in_place_layers_are_checked_on_what_they_took(tmp_path, how) -> None:
    """An in-place LeakyReLU overwrites its input; its rebuilt layer is checked against the
    input as it was, so it is kept (and the import is exact)."""
    torch.manual_seed(2)
    source = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.LeakyReLU(0.2, inplace=True),
        nn.MaxPool2d(2, ceil_mode=False),
        nn.ReLU(inplace=True),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(0.3),
        nn.Linear(4, 5),
    )
    path = _archive(source, how, (3, 8, 8), tmp_path / "inplace.pt")
    result = import_path(path, (3, 8, 8))
    assert_exact(result, source)
    assert [type(op.module) for op in _module_ops(path)] == [type(m) for m in source]


def _module_ops(path: Path) -> list:
    from resnet_studio.importer.fx_frontend import example_batch
    from resnet_studio.importer.script_frontend import read_script

    read = read_script(torch.jit.load(path), example_batch((3, 8, 8)))
    return [op for op in read.graph.ops if op.kind == "module"]


class ValueBranch(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if bool(x.mean() > 0):
            x = torch.relu(x)
        return self.conv(x).mean((2, 3))


def test_forward_that_reads_tensor_values_is_refused_in_one_line(tmp_path) -> None:
    path = _archive(ValueBranch(), "script", (3, 8, 8), tmp_path / "branch.pt")
    with pytest.raises(SourceError, match=r"reads the values of its tensors \(aten::Bool"):
        import_path(path, (3, 8, 8))


def test_archive_needs_the_input_shape_and_must_run_on_it(tmp_path) -> None:
    path = _archive(CifarResNet(1, "B"), "script", (3, 32, 32), tmp_path / "c.pt")
    with pytest.raises(SourceError, match="give it as --input C,H,W"):
        import_path(path)
    with pytest.raises(SourceError, match="the model fails on an input of shape 2×1×32×32"):
        import_path(path, (1, 32, 32))
