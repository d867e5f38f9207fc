"""ResNet Studio as the designer-only bundle runs it: torch, torchvision and the optional
packages cannot be imported.

A ``None`` in ``sys.modules`` makes ``import torch`` raise ``ModuleNotFoundError``, as in
a bundle that leaves torch out, and ``importlib.util.find_spec`` answer None.
"""

from __future__ import annotations

import sys

import pytest

# What the designer-only bundle leaves out.
LEFT_OUT = ("torch", "torchvision", "torchinfo", "onnx", "onnxscript", "onnxruntime")

# The start of a ``python -c`` script: nothing after it can import what LEFT_OUT names.
WITHOUT_TORCH = f"""
import sys
for name in {LEFT_OUT!r}:
    sys.modules[name] = None
try:
    import torch  # noqa: F401
except ModuleNotFoundError:
    pass
else:
    sys.exit("the blocker does not work")
"""


def block_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make this process unable to import torch until the test ends.

    Submodules already loaded are blocked too: ``from torch.nn import Module`` would
    otherwise find ``torch.nn`` in ``sys.modules`` and never ask for ``torch``.
    """
    for name in list(sys.modules):
        if name.partition(".")[0] in LEFT_OUT:
            monkeypatch.setitem(sys.modules, name, None)
    for name in LEFT_OUT:
        monkeypatch.setitem(sys.modules, name, None)
