"""The spec's name rules, checked against torch itself.

A layer's name becomes a child of an ``nn.Module``: of the network's
``nn.Sequential``, of a :class:`ResidualBlock`, of a repetition's ``nn.Sequential``
and, in a trained export, of :class:`Normalized`. ``add_module`` refuses a name the
module already has as an attribute (``_modules``, ``forward``, ``__class__``), and
an attribute set after the children (``body_names``) would clash with one. The
arch layer cannot import torch, so it keeps its own list; these tests derive the
names from the installed torch and from the modules the builder makes, and
check that the spec refuses every one of them, and that every name it accepts
survives a TorchScript and an ONNX export.
"""

from __future__ import annotations

import builtins
import keyword
from pathlib import Path

import pytest
import torch
from torch import nn

from resnet_studio.arch.spec import (
    NAME_PATTERN,
    BatchNorm2d,
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Identity,
    Linear,
    Network,
    Node,
    ReLU,
    Repeat,
    Residual,
    SpecError,
)
from resnet_studio.model.build import ResidualBlock, ZeroPadShortcut, build_model
from resnet_studio.model.export import export_model
from resnet_studio.model.load import load_model_file
from resnet_studio.model.preprocessing import Normalized

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:FutureWarning")

ORDINARY = ["conv1", "bn1", "relu", "layer1", "fc", "block_2", "0", "x", "Conv", "weight", "bias"]


def holders() -> dict[str, nn.Module]:
    """Every kind of module the builder puts a user's layer in, as built."""
    return {
        "network": nn.Sequential(),
        "repetition": nn.Sequential(),
        "base": nn.Module(),
        **{
            f"residual ({mode})": ResidualBlock([], mode, module, True)
            for mode, module in [
                ("identity", None),
                ("none", None),
                ("zero-pad", ZeroPadShortcut(2, 4)),
                ("projection", nn.Sequential(nn.Conv2d(4, 8, 1), nn.BatchNorm2d(8))),
            ]
        },
        "trained export": Normalized(nn.Sequential(), (0.5,), (0.25,)),
    }


def torch_names() -> dict[str, set[str]]:
    """Attribute names of each holder that fit the name pattern (its children aside)."""
    return {
        where: {
            name
            for name in dir(module)
            if NAME_PATTERN.fullmatch(name) and name not in module._modules
        }
        for where, module in holders().items()
    }


def accepted(name: str) -> bool:
    try:
        ReLU(name=name)
    except SpecError:
        return False
    return True


def test_every_name_torch_holds_itself_is_refused_and_ordinary_names_are_not() -> None:
    found = torch_names()
    names = set().union(*found.values())  # the derivation sees torch's names and the builder's
    assert {"_modules", "__dict__", "_parameters", "__class__", "forward", "training"} <= names
    assert {"body_names", "mode", "shortcut_name", "post_relu", "input_mean"} <= names
    clashes = {
        where: sorted(name for name in names if accepted(name)) for where, names in found.items()
    }
    assert not any(clashes.values()), clashes
    assert all(accepted(name) for name in ORDINARY)
    # A residual's own children (its shortcut) are refused inside it, and only there.
    for mode in ("zero-pad", "projection"):
        for name in holders()[f"residual ({mode})"]._modules:
            with pytest.raises(SpecError, match="reserved for the shortcut"):
                Residual(name="block", body=(ReLU(name=name),))
            assert accepted(name)


def test_a_name_torch_refuses_would_break_the_build() -> None:
    """Why the rule matters: torch cannot hold these as children."""
    for name in ("_modules", "__dict__", "_parameters", "__class__", "forward"):
        with pytest.raises((KeyError, TypeError, AttributeError)):
            nn.Sequential().add_module(name, nn.ReLU())
        assert not accepted(name)


# Python's words and builtins, and the names TorchScript's code and type system use.
SCRIPT_WORDS = sorted(
    {
        *keyword.kwlist,
        *keyword.softkwlist,
        *dir(builtins),
        *"torch ops math typing annotate unchecked_cast uninitialized CONSTANTS fork wait".split(),
        *"Tensor List Tuple Dict Optional Any Union Final Future Await RRef Device".split(),
        *"device dtype inf nan self input output".split(),
    }
)


def _holding(names: list[str]) -> Network:
    """A network with a layer of each name at the top, in a residual and in a repetition."""

    def identities(taken: set[str]) -> tuple[Node, ...]:
        return tuple(Identity(name=n) for n in names if n not in taken)

    top = ("conv", "block", "stage", "pool", "flat", "fc")
    return Network(
        input_shape=(3, 8, 8),
        classes=2,
        body=(
            *identities(set(top)),
            Conv2d(name="conv", out_channels=4),
            Residual(name="block", body=(*identities(set()), BatchNorm2d(name="bn_last"))),
            Repeat(name="stage", count=2, body=(*identities(set()), ReLU(name="relu_last"))),
            GlobalAvgPool(name="pool"),
            Flatten(name="flat"),
            Linear(name="fc"),
        ),
    )


def test_every_word_the_spec_accepts_survives_torchscript_and_onnx(tmp_path: Path) -> None:
    names = [n for n in SCRIPT_WORDS if NAME_PATTERN.fullmatch(n) and accepted(n)]
    assert "match" in names and "print" in names  # soft keywords and builtins stay usable
    assert not {"None", "True", "if", "class", "torch", "Ellipsis"} & set(names)
    network = _holding(names)
    x = torch.rand(2, 3, 8, 8)
    with torch.no_grad():
        expected = build_model(network, seed=0).eval()(x)
    script = tmp_path / "words.pt"
    export_model(script, "torchscript", network)
    assert torch.jit.load(str(script))(x).shape == expected.shape
    loaded = load_model_file(script)
    assert set(loaded.model.state_dict()) == set(build_model(network).state_dict())
    pytest.importorskip("onnxscript")
    export_model(tmp_path / "words.onnx", "onnx", network)
