"""Where a model to import comes from, as the user names it:

- ``torchvision:NAME``: a torchvision classification model, built with
  ``weights=None`` (nothing is downloaded); its weights from a local file when
  given (a ``state_dict`` saved with ``torch.save``, read with ``weights_only``);
- ``path/to/file.py:NAME``: a class (or function) in the user's own file, called
  with the constructor arguments given as JSON. This runs the file's code, so
  only :func:`open_source` with such a name does it: nothing else in the
  program executes a ``.py`` file.

TorchScript archives and weights-only ``state_dict`` files matched against the
presets are not sources yet.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib.util
import json
import os
import pickle
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from resnet_studio.importer.errors import SourceError

TORCHVISION_PREFIX = "torchvision:"


@dataclass
class Source:
    """A model ready to import, and how to name it."""

    module: nn.Module
    label: str  # as the user wrote it
    name: str  # the network's name


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0].strip() if text else type(err).__name__


def parse_arguments(text: str | None) -> dict[str, Any]:
    """Constructor arguments from JSON text (an object); {} for None."""
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except ValueError as err:
        raise SourceError(f"--args: not valid JSON ({err})") from None
    if not isinstance(value, dict):
        raise SourceError(
            f'--args: expected a JSON object such as {{"num_classes": 10}}, got {text!r}'
        )
    return value


def torchvision_names() -> list[str]:
    """The classification models torchvision can build."""
    import torchvision

    return sorted(torchvision.models.list_models(module=torchvision.models))


def _torchvision(name: str, kwargs: dict[str, Any]) -> nn.Module:
    import torchvision

    names = torchvision_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise SourceError(f"torchvision has no classification model {name!r}{hint}")
    if "weights" in kwargs:
        raise SourceError("--args: give weights as a local file with --weights; none is downloaded")
    try:
        return torchvision.models.get_model(name, weights=None, **kwargs)
    except (TypeError, ValueError) as err:
        raise SourceError(f"torchvision:{name}: {_first_line(err)}") from None


def _user_module(path: Path, attribute: str, kwargs: dict[str, Any]) -> nn.Module:
    """Run ``path`` and call its ``attribute`` with ``kwargs``: the user's own code."""
    if not path.is_file():
        raise SourceError(f"{path}: {'not a regular file' if path.exists() else 'no such file'}")
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    module_name = f"resnet_studio_user_{path.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise SourceError(f"{path}: cannot be read as a Python file")
    code = importlib.util.module_from_spec(spec)
    # Registered first, as an import does: dataclasses and pickling look the module up.
    sys.modules[module_name] = code
    try:
        spec.loader.exec_module(code)
    except Exception as err:  # noqa: BLE001 - the user's file can fail any way
        sys.modules.pop(module_name, None)
        raise SourceError(
            f"{path}: running it failed ({type(err).__name__}: {_first_line(err)})"
        ) from None
    factory = getattr(code, attribute, None)
    if factory is None or not callable(factory):
        found = sorted(
            n for n, v in vars(code).items() if isinstance(v, type) and issubclass(v, nn.Module)
        )
        hint = f" (it defines {', '.join(found)})" if found else ""
        raise SourceError(f"{path}: has no class or function {attribute!r}{hint}")
    try:
        module = factory(**kwargs)
    except Exception as err:  # noqa: BLE001
        raise SourceError(
            f"{path}:{attribute}: could not be made with {kwargs or 'no arguments'} "
            f"({type(err).__name__}: {_first_line(err)})"
        ) from None
    if not isinstance(module, nn.Module):
        raise SourceError(
            f"{path}:{attribute}: gives a {type(module).__name__}, not a torch.nn.Module"
        )
    return module


def _load_weights(module: nn.Module, path: Path) -> None:
    """Load a ``state_dict`` file into ``module``, strictly, never running code from it."""
    if not path.is_file():
        raise SourceError(
            f"--weights {path}: {'not a regular file' if path.exists() else 'no such file'}"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        raise SourceError(
            f"--weights {path}: refused: holds Python objects other than tensors, which could "
            "run code"
        ) from None
    except Exception as err:  # noqa: BLE001 - a damaged file fails anywhere in torch.load
        raise SourceError(
            f"--weights {path}: not a readable PyTorch file ({_first_line(err)})"
        ) from None
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]  # a training checkpoint that wraps it
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise SourceError(f"--weights {path}: not a state_dict (a dict of tensors)")
    try:
        module.load_state_dict(state, strict=True)
    except RuntimeError as err:
        lines = [line.strip() for line in str(err).splitlines() if line.strip()]
        raise SourceError(
            f"--weights {path}: do not fit the model: {' '.join(lines[1:3]) or lines[0]}"
        ) from None


def open_source(
    text: str, arguments: dict[str, Any] | None = None, weights: str | os.PathLike | None = None
) -> Source:
    """The model ``text`` names (see the module's docstring); :class:`SourceError` if it
    cannot be made. A ``.py`` source runs that file."""
    kwargs = arguments or {}
    if text.startswith(TORCHVISION_PREFIX):
        name = text[len(TORCHVISION_PREFIX) :]
        module, network_name = _torchvision(name, kwargs), name
    else:
        file, sep, attribute = text.rpartition(":")
        if not sep or not file.endswith(".py") or not attribute.isidentifier():
            raise SourceError(_not_a_source(text))
        module, network_name = _user_module(Path(file), attribute, kwargs), attribute
    if weights is not None:
        _load_weights(module, Path(weights))
    return Source(module, text, network_name)


def _not_a_source(text: str) -> str:
    path = Path(text)
    if path.suffix.lower() in (".pt", ".pth"):
        why = "TorchScript archives and state_dict files cannot be imported yet"
    elif path.suffix.lower() == ".py":
        why = "name the class after a colon: FILE.py:ClassName"
    else:
        why = "expected torchvision:NAME or FILE.py:ClassName"
    return f"{text}: {why}"
