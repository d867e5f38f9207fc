"""The CLI starts without Qt or torch and reports its version."""

from __future__ import annotations

import subprocess
import sys

import resnet_studio


def test_version_flag() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "resnet_studio", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert resnet_studio.__version__ in result.stdout


def test_cli_import_is_light() -> None:
    code = (
        "import sys, resnet_studio.cli\n"
        "heavy = sorted(m for m in ('torch', 'torchvision', 'PySide6', 'pyqtgraph')"
        " if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"resnet_studio.cli imported: {result.stdout.strip()}"


def test_build_parser_has_no_command_by_default() -> None:
    from resnet_studio.cli import build_parser

    args = build_parser().parse_args([])
    assert args.command is None


def test_no_display_gives_one_clear_line_instead_of_a_qt_abort() -> None:
    import os
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        return
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "resnet_studio"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no display" in result.stderr
