"""The designer-only program: without torch the designer's commands work, and every
command that needs torch says so in one line (how to get the full version), never with
a traceback. Also the frozen bundle's wording, and its entry point.

The commands run in a fresh Python whose ``import torch`` fails (tests/torch_blocker.py),
on files made here with torch: a project, a finished run folder and its model file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from resnet_studio.full_version import (
    FullVersionError,
    full_version_message,
    require_full_version,
)
from resnet_studio.model.export import onnx_missing_message
from tests.cli_in_process import ERROR_PREFIX, assert_one_line_error, cli
from tests.torch_blocker import WITHOUT_TORCH

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300
FULL_VERSION = "needs the full version of ResNet Studio (with PyTorch)"
PIP = "install PyTorch with pip install torch torchvision"
BUNDLE = "download the full bundle"

# Runs each argv (JSON list of lists) through the CLI's main in this one process, as
# (exit status, stdout, stderr), a traceback counted in stderr.
_RUN_COMMANDS = r"""
import contextlib, io, json, traceback
if json.loads(sys.argv[2]):
    sys.frozen = True  # as PyInstaller sets it in a bundle

from resnet_studio.cli import main

results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit:
            code = exit.code
        except BaseException:
            traceback.print_exc()
            code = None
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""


def without_torch(
    cwd: Path, *commands: list[str], frozen: bool = False
) -> list[tuple[int, str, str]]:
    """(exit status, stdout, stderr) of each command, run where torch cannot be imported."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), RESNET_STUDIO_HOME=str(cwd / "home"))
    env["RESNET_STUDIO_RUNS"] = str(cwd / "runs")
    script = WITHOUT_TORCH + _RUN_COMMANDS
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(commands), json.dumps(frozen)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [tuple(r) for r in json.loads(result.stdout)]


def assert_needs_full_version(result: tuple[int, str, str], action: str, how: str = PIP) -> None:
    """Exit status 2 and one line: ``action`` needs the full version, and how to get it."""
    code, _out, err = result
    assert "Traceback" not in err, err
    assert_one_line_error(code, err, f"{ERROR_PREFIX}{action} {FULL_VERSION}: ", how)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A folder with a project (a.json), its plain twin's (b.json) and a finished run
    (runs/tiny, with model.pt), all made with torch."""
    from resnet_studio.arch.presets import preset_network
    from resnet_studio.arch.project import save_project
    from resnet_studio.arch.twin import plain_twin
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.launch import new_run
    from resnet_studio.training.recipe import Recipe
    from tests.training.conftest import tiny_network

    folder = tmp_path_factory.mktemp("designer")
    network = preset_network("cifar-resnet20")
    save_project(folder / "a.json", network)
    save_project(folder / "b.json", plain_twin(network))
    data = load_dataset("synthetic", subset=64, val_size=32)
    recipe = Recipe(epochs=1, batch_size=32, log_every=1, threads=1)
    handle = new_run(tiny_network(), data, recipe, folder / "runs" / "tiny", name="tiny")
    assert handle.run().status == "finished"
    (folder / "cat.png").write_bytes(b"")  # predict stops before reading it
    return folder


def test_the_designer_commands_work_without_torch(made: Path) -> None:
    presets, summary, new, diff, project, run, compare, run_diff = without_torch(
        made,
        ["presets"],
        ["summary", "--preset", "cifar-resnet20"],
        ["new", "--preset", "cifar-resnet56", "-o", "c.json"],
        ["diff", "a.json", "b.json"],
        ["summary", "a.json"],
        ["summary", "runs/tiny"],
        ["compare", "runs/tiny"],
        ["diff", "runs/tiny", "runs/tiny"],
    )
    assert presets[0] == 0 and "cifar-resnet20" in presets[1], presets
    assert summary[0] == 0 and "269,722" in summary[1], summary
    assert new[0] == 0 and (made / "c.json").is_file(), new
    assert diff[0] == 1 and "shortcut" in diff[1], diff  # they differ, as diff(1) says
    assert project[0] == 0 and "40,552,426" in project[1], project
    assert run[0] == 0 and "tiny" in run[1], run
    assert compare[0] == 0 and "finished" in compare[1], compare
    assert run_diff[0] == 0, run_diff
    for _code, _out, err in (presets, summary, new, diff, project, run, compare, run_diff):
        assert err == "", err


@pytest.mark.parametrize(
    ("argv", "action"),
    [
        (["train", "a.json"], "Training"),
        (["train", "--preset", "cifar-resnet20", "--iterations", "5"], "Training"),
        (["train", "--resume", "runs/tiny"], "Training"),
        (["export", "a.json", "--format", "checkpoint", "-o", "x.pt"], "Exporting a model"),
        (["export", "runs/tiny", "--format", "onnx", "-o", "x.onnx"], "Exporting a model"),
        (["predict", "runs/tiny", "cat.png"], "Classifying images"),
        (["evaluate", "runs/tiny"], "Evaluating a model"),
        (["responses", "runs/tiny"], "Measuring layer responses"),
        (["experiment", "run", "degradation-cifar", "--quick"], "Running an experiment"),
        (["experiment", "resume", "runs"], "Running an experiment"),
        (["summary", "runs/tiny/model.pt"], "Reading a model file"),
        (["diff", "runs/tiny/model.pt", "a.json"], "Reading a model file"),
        (
            ["import", "torchvision:resnet18", "--input", "3,32,32", "-o", "x.json"],
            "Importing a model",
        ),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_a_command_that_needs_torch_says_so_in_one_line(
    made: Path, argv: list[str], action: str
) -> None:
    (result,) = without_torch(made, argv)
    assert_needs_full_version(result, action)
    assert not (made / "x.pt").exists() and not (made / "x.onnx").exists()


def test_every_torch_command_is_refused_in_one_process(made: Path) -> None:
    """The same refusals, one after another, once the designer's modules are loaded."""
    results = without_torch(
        made,
        ["summary", "a.json"],
        ["train", "a.json"],
        ["export", "a.json", "--format", "torchscript", "-o", "x.pt"],
        ["evaluate", "runs/tiny"],
    )
    assert results[0][0] == 0
    for result, action in zip(
        results[1:], ("Training", "Exporting a model", "Evaluating a model"), strict=True
    ):
        assert_needs_full_version(result, action)


def test_a_bundle_without_torch_points_to_the_full_bundle(made: Path) -> None:
    train, export = without_torch(
        made,
        ["train", "a.json"],
        ["export", "a.json", "--format", "checkpoint", "-o", "x.pt"],
        frozen=True,
    )
    assert_needs_full_version(train, "Training", BUNDLE)
    assert_needs_full_version(export, "Exporting a model", BUNDLE)
    assert "pip" not in train[2] + export[2]


# --- the wording: a pip install or a frozen bundle ----------------------------------------


def test_the_message_names_the_action_and_pip_outside_a_bundle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    message = full_version_message("Training")
    assert message == f"Training {FULL_VERSION}: {PIP}"
    assert "\n" not in message


def test_the_readme_shows_the_message_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"\n{ERROR_PREFIX}{full_version_message('Training')}\n" in readme


def test_the_message_points_to_the_full_bundle_in_a_bundle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    message = full_version_message("Exporting a model")
    assert message.startswith(f"Exporting a model {FULL_VERSION}: ")
    assert BUNDLE in message and "designer-only bundle" in message
    assert "pip" not in message


def test_require_full_version_passes_with_torch_and_refuses_without(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require_full_version("Training")  # this test environment has torch
    monkeypatch.setitem(sys.modules, "torchvision", None)  # torch alone is not enough
    with pytest.raises(FullVersionError, match=re.escape(f"Training {FULL_VERSION}: ")):
        require_full_version("Training")


def test_the_onnx_message_fits_a_pip_install_and_a_bundle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert "pip install onnx onnxscript onnxruntime" in onnx_missing_message()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    message = onnx_missing_message()
    assert "pip" not in message
    assert "this bundle of ResNet Studio lacks" in message and "the full bundle has" in message


def test_onnx_export_in_a_bundle_without_onnx_points_to_the_full_bundle(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A full bundle (with torch) that lacks the onnx packages: one line, no pip."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setitem(sys.modules, "onnx", None)
    out = tmp_path / "x.onnx"
    code, _, err = cli(
        capsys, "export", "--preset", "cifar-resnet20", "--format", "onnx", "-o", out
    )
    line = assert_one_line_error(code, err, "the full bundle has them")
    assert "pip" not in line
    assert not out.exists()


# --- the entry point the bundles freeze ----------------------------------------------------

_RUN_MAIN = r"""
import json, multiprocessing, runpy, sys

run_name = sys.argv[1]
calls = []
# Whether the command line was loaded yet when freeze_support ran: it must come first.
multiprocessing.freeze_support = lambda: calls.append("resnet_studio.cli" in sys.modules)
sys.argv = ["resnet-studio", "presets"]
try:
    runpy.run_module("resnet_studio", run_name=run_name, alter_sys=True)
    code = "no exit"
except SystemExit as exit:
    code = exit.code
print("RESULT " + json.dumps([calls, code]))
"""


def run_entry_point(run_name: str) -> tuple[list[bool], object, str]:
    """Run ``resnet_studio/__main__.py`` as ``run_name``: (freeze_support calls, exit, out)."""
    result = subprocess.run(
        [sys.executable, "-c", _RUN_MAIN, run_name],
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out, _, last = result.stdout.rpartition("RESULT ")
    calls, code = json.loads(last)
    return calls, code, out


def test_the_entry_point_calls_freeze_support_first() -> None:
    calls, code, out = run_entry_point("__main__")
    assert calls == [False]  # once, before the command line was imported
    assert code == 0 and "cifar-resnet20" in out


def test_a_spawned_process_does_not_run_the_program_again() -> None:
    """multiprocessing's spawn imports the main module as __mp_main__: nothing may run."""
    calls, code, out = run_entry_point("__mp_main__")
    assert (calls, code, out) == ([], "no exit", "")
