"""The README's Quick start is what CI runs: two commands, the second exactly .ci/run's."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Quick start") :]
    block = section.split("```")[1]
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_in_a_virtual_environment():
    install_and_open, install_and_test = quick_start_commands()
    for command in (install_and_open, install_and_test):
        # Debian and Ubuntu refuse pip outside a venv (PEP 668).
        assert command.startswith("python3 -m venv .venv && .venv/bin/python -m pip install")
    assert install_and_open.endswith("&& .venv/bin/resnet-studio")
    assert '".[test]"' in install_and_test and install_and_test.endswith("-m pytest")


def test_ci_runs_the_quick_start_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    last = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")][-1]
    assert last == quick_start_commands()[1]
