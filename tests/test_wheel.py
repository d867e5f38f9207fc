"""The built distributions carry the whole program and what it reads at run time.

Builds the sdist and, from it, the wheel as a packager would (``python -m build``),
then checks the wheel's files and metadata and runs ``twine check`` on both.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "org.resnetstudio.ResNetStudio"
LEFT_BEHIND = (".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".*cache")


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> list[Path]:
    # From a copy without earlier build output: setuptools would reuse a stale build/
    # folder or egg-info file list, and pass with files the configuration leaves out.
    source = tmp_path_factory.mktemp("source") / "resnet-studio"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFT_BEHIND))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        text=True,
    )
    return sorted(out.iterdir())


def wheel_of(dists: list[Path]) -> Path:
    (wheel,) = [path for path in dists if path.suffix == ".whl"]
    return wheel


def test_wheel_carries_every_module_of_the_source_tree(dists):
    names = set(zipfile.ZipFile(wheel_of(dists)).namelist())
    modules = {str(path.relative_to(ROOT)) for path in (ROOT / "resnet_studio").rglob("*.py")}
    assert modules <= names, sorted(modules - names)


def test_wheel_carries_the_icon_in_every_size_and_no_screenshots(dists):
    names = set(zipfile.ZipFile(wheel_of(dists)).namelist())
    icons = "resnet_studio/resources/icons/hicolor"
    assert "resnet_studio/resources/__init__.py" in names
    assert f"{icons}/scalable/apps/{APP_ID}.svg" in names
    for side in (16, 24, 32, 48, 64, 128, 256, 512):
        assert f"{icons}/{side}x{side}/apps/{APP_ID}.png" in names
    # The README's screenshots are for readers of the repository, not the program.
    assert not [name for name in names if "screenshots" in name]


def test_wheel_carries_the_compiled_translations_not_their_sources(dists):
    names = set(zipfile.ZipFile(wheel_of(dists)).namelist())
    translations = "resnet_studio/resources/translations"
    assert f"{translations}/resnet_studio_zh_CN.qm" in names
    assert not [name for name in names if name.endswith((".ts", "glossary.md"))]


def test_wheel_metadata_names_python_and_keeps_test_tools_out(dists):
    with zipfile.ZipFile(wheel_of(dists)) as wheel:
        (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(wheel.read(meta).decode())
    assert metadata["Requires-Python"] == ">=3.11"
    requires = metadata.get_all("Requires-Dist")
    runtime = [r for r in requires if "extra ==" not in r]
    assert any(r.startswith("torch>=") for r in runtime)
    assert not [r for r in runtime if r.startswith(("torchinfo", "pytest", "build", "twine"))]
    assert any(r.startswith("torchinfo") and 'extra == "test"' in r for r in requires)


def test_twine_check_passes(dists):
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dists)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2
