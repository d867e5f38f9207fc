"""Build a one-folder bundle of ResNet Studio with PyInstaller: one command each.

    python3 packaging/pyinstaller/build.py full       # the whole program, with torch
    python3 packaging/pyinstaller/build.py designer   # the designer only, without torch

From a clean clone: creates (once) a build environment, ``packaging/build/venv``,
with the program installed from this checkout as a wheel would install it (not
editable), its ONNX extra and PyInstaller; then freezes it with
``resnet_studio.spec`` into ``packaging/dist/<kind>/resnet-studio`` and writes the
build time and size beside it (``build-info.json``, printed by smoke_test.py).

Torch comes from the package index pip is configured with; for the smaller
CPU-only build pass ``--torch-index-url https://download.pytorch.org/whl/cpu``
(torch and torchvision must come from the same build). Runs the same on Linux,
Windows and macOS: a bundle is built on, and for, the system it runs on.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUILD = ROOT / "packaging" / "build"
DIST = ROOT / "packaging" / "dist"
PYINSTALLER = "pyinstaller>=6.10"


def venv_python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def pip(python: Path, *args: str) -> None:
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *args], check=True)


def build_environment(torch_index_url: str | None, fresh: bool) -> Path:
    """The virtual environment the bundles are frozen from (made once, then reused)."""
    env = BUILD / "venv"
    if fresh and env.exists():
        shutil.rmtree(env)
    python = venv_python(env)
    if not python.exists():
        print(f"creating the build environment {env} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
        if torch_index_url:  # torch and torchvision from one build, or `train` fails
            pip(python, "torch", "torchvision", "--index-url", torch_index_url)
    # setuptools packs whatever an earlier build left in build/lib into the wheel.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    pip(python, f"{ROOT}[onnx]", PYINSTALLER)  # new dependencies, when pyproject.toml changed
    # This checkout's program, again at every build (pip skips a version it has), and
    # not editable: the bundle must hold what a wheel holds, resources included.
    pip(python, "--no-deps", "--force-reinstall", str(ROOT))
    return python


def add_desktop_files(folder: Path) -> None:
    """The menu entry, metainfo and icons with their installer (packaging/linux), so
    ``resnet-studio/linux/install.sh`` puts the bundle in the desktop's menu."""
    shutil.copytree(ROOT / "packaging" / "linux", folder, dirs_exist_ok=True)
    shutil.copytree(
        ROOT / "resources" / "icons" / "hicolor", folder / "hicolor", dirs_exist_ok=True
    )


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files under ``folder``."""
    files = [path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]
    return sum(path.stat().st_size for path in files), len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["full", "designer"])
    parser.add_argument("--torch-index-url", help="where pip gets torch and torchvision")
    parser.add_argument("--fresh", action="store_true", help="recreate the build environment")
    args = parser.parse_args(argv)

    started = time.monotonic()
    python = build_environment(args.torch_index_url, args.fresh)
    out = DIST / args.kind
    work = BUILD / f"work-{args.kind}"
    frozen_at = time.monotonic()
    subprocess.run(
        [
            str(python),
            "-m",
            "PyInstaller",
            str(HERE / "resnet_studio.spec"),
            "--noconfirm",
            "--clean",
            "--distpath",
            str(out),
            "--workpath",
            str(work),
        ],
        check=True,
        env={**os.environ, "RESNET_STUDIO_BUNDLE": args.kind},
        # Not from the checkout: `python -m` puts the working folder first on sys.path,
        # and PyInstaller would then freeze the source tree instead of the install.
        cwd=BUILD,
    )
    bundle = out / "resnet-studio"
    if sys.platform.startswith("linux"):
        add_desktop_files(bundle / "linux")
    finished = time.monotonic()
    size, count = folder_size(bundle)
    info = {
        "kind": args.kind,
        "build_seconds": round(finished - started, 1),
        "freeze_seconds": round(finished - frozen_at, 1),
        "bytes": size,
        "files": count,
        "platform": sys.platform,
    }
    (out / "build-info.json").write_text(json.dumps(info, indent=2) + "\n")
    print(
        f"built {bundle}: {size / 2**20:.0f} MiB in {count} files; "
        f"{info['build_seconds']:.0f} s in all, {info['freeze_seconds']:.0f} s freezing"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
