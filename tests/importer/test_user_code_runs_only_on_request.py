"""A user's ``.py`` runs only when the import command names a class in it: no other
command, file reader or import source executes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_studio.arch.project import ProjectError, load_project
from resnet_studio.importer.errors import SourceError
from resnet_studio.importer.sources import open_source
from resnet_studio.model.files import ModelFileError
from resnet_studio.model.load import load_model_file, read_network
from tests.cli_in_process import cli

EVIL = """
from pathlib import Path
from torch import nn

Path(__file__).with_suffix(".ran").write_text("this file ran")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()

    def forward(self, x):
        return self.flatten(self.pool(self.conv(x)))
"""


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    path = tmp_path / "evil.py"
    path.write_text(EVIL)
    return path


def _ran(path: Path) -> bool:
    return path.with_suffix(".ran").exists()


def test_no_command_but_import_with_a_class_runs_the_file(capsys, tmp_path, evil) -> None:
    out = tmp_path / "out"
    commands = [
        ["summary", evil],
        ["summary", evil, "--input", "3,8,8"],
        ["export", evil, "--format", "checkpoint", "-o", f"{out}.pt"],
        ["export", evil, "--format", "torchscript", "-o", f"{out}.pt"],
        ["diff", evil, evil],
        ["evaluate", evil, "--dataset", "cifar10"],
        ["predict", evil, evil],
        ["train", evil, "--epochs", "1"],
        ["import", evil, "--input", "3,8,8", "-o", f"{out}.json"],
        ["import", f"{evil}:", "--input", "3,8,8", "-o", f"{out}.json"],
        ["import", "torchvision:resnet18", "--weights", evil, "--input", "3,8,8",
         "-o", f"{out}.json"],
    ]  # fmt: skip
    for argv in commands:
        code, _, err = cli(capsys, *argv)
        assert code == 2, (argv, err)
        assert not _ran(evil), argv
    code, _, err = cli(capsys, "import", f"{evil}:Net", "--input", "3,8,8", "-o", f"{out}.json")
    assert code == 0, err
    assert _ran(evil), "the explicit import runs it (the check above is not blind)"


def test_file_readers_and_other_sources_never_run_it(evil) -> None:
    with pytest.raises(ProjectError):
        load_project(evil)
    for reader in (read_network, load_model_file):
        with pytest.raises(ModelFileError):
            reader(evil)
    with pytest.raises(SourceError):
        open_source(str(evil))
    with pytest.raises(SourceError):
        open_source("torchvision:resnet18", weights=evil)
    assert not _ran(evil)
    open_source(f"{evil}:Net")
    assert _ran(evil)
