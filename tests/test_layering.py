"""The one-way import rule of DESIGN.md §2: gui → training → model → arch.

Each package (and every submodule) is imported in a fresh interpreter with
its forbidden dependencies blocked by a ``sys.meta_path`` finder.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

FORBIDDEN = {
    "resnet_studio.arch": ("torch", "torchvision", "PySide6", "pyqtgraph"),
    "resnet_studio.model": ("PySide6", "pyqtgraph"),
    "resnet_studio.training": ("PySide6", "pyqtgraph"),
}

_CHECK = r"""
import importlib, json, pkgutil, sys, traceback

package, forbidden = sys.argv[1], set(json.loads(sys.argv[2]))


class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in forbidden:
            raise ImportError(f"layering: {name!r} is forbidden here")
        return None


sys.meta_path.insert(0, Blocker())
failures = []


def record(name):
    failures.append(f"{name}:\n{traceback.format_exc()}")


try:
    pkg = importlib.import_module(package)
except Exception:
    record(package)
else:
    for info in pkgutil.walk_packages(pkg.__path__, package + ".", onerror=record):
        try:
            importlib.import_module(info.name)
        except Exception:
            record(info.name)

print("\n".join(failures))
sys.exit(1 if failures else 0)
"""


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upper_layers(package: str) -> None:
    if importlib.util.find_spec(package) is None:
        pytest.skip(f"{package} does not exist yet")
    forbidden = FORBIDDEN[package]
    result = subprocess.run(
        [sys.executable, "-c", _CHECK, package, json.dumps(forbidden)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        f"{package} (or a submodule) imports one of {forbidden}:\n{result.stdout}\n{result.stderr}"
    )
