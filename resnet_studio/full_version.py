"""The full program (with PyTorch) or the designer-only one, and the one message that says
an action needs the full version and how to get it.

The designer-only bundle leaves out torch and torchvision: the layers table, projects,
presets and the window need neither. Every action that builds, trains, runs or reads a
network's weights asks :func:`require_full_version` (the command line) or
:func:`missing_full_version` (the window) first, so a user meets one line, not a
``ModuleNotFoundError`` traceback. Torch-free, like everything the designer imports.
"""

from __future__ import annotations

import importlib.util
import sys

# What every such action needs, and what the designer-only bundle leaves out.
TORCH_PACKAGES = ("torch", "torchvision")


class FullVersionError(Exception):
    """An action that needs PyTorch, asked of a program without it; ``main`` prints it as
    one line and exits with 2, as it does a mistake on the command line."""


def is_bundle() -> bool:
    """True in a frozen build (PyInstaller sets ``sys.frozen``): pip cannot add to it."""
    return bool(getattr(sys, "frozen", False))


def full_version_message(action: str) -> str:
    """``action`` ("Training") needs the full version: one line, with how to get it here."""
    if is_bundle():
        how = "this is the designer-only bundle; download the full bundle"
    else:
        how = "install PyTorch with pip install torch torchvision"
    return f"{action} needs the full version of ResNet Studio (with PyTorch): {how}"


def has_torch() -> bool:
    """Whether torch and torchvision are installed.

    Asked of the import system without importing them: that takes seconds, and the
    window asks on its own thread, which must not wait.
    """
    return all(_findable(name) for name in TORCH_PACKAGES)


def _findable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a finder that refuses it; a module without a spec
        return False


def missing_full_version(action: str) -> str | None:
    """The message for ``action`` when torch is missing, else None (the window's check)."""
    return None if has_torch() else full_version_message(action)


def require_full_version(action: str) -> None:
    """Raise :class:`FullVersionError` for ``action`` when torch is missing (the command
    line's check, first thing in each command that needs torch)."""
    message = missing_full_version(action)
    if message is not None:
        raise FullVersionError(message)
