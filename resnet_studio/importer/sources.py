"""Where a model to import comes from, as the user names it:

- ``torchvision:NAME``: a torchvision classification model, built with
  ``weights=None`` (nothing is downloaded); its weights from a local file when
  given (a ``state_dict`` saved with ``torch.save``, read with ``weights_only``);
- ``path/to/file.py:NAME``: a class (or function) in the user's own file, called
  with the constructor arguments given as JSON. This runs the file's code, so
  only :func:`open_source` with such a name does it: nothing else in the
  program executes a ``.py`` file.

A model *file* is read by :func:`read_model_file`, by its contents: a TorchScript
archive or a weights-only ``state_dict``; neither runs Python.
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
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.importer.errors import SourceError
from resnet_studio.model.files import (
    CHECKPOINT_FORMAT,
    SPEC_ENTRY,
    is_onnx,
    is_torchscript_archive,
    zip_names,
)
from resnet_studio.model.load import unpickling_message
from resnet_studio.model.resources import available_memory, format_bytes

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


@dataclass
class WeightsFile:
    """A weights-only ``state_dict`` read from a file, keyed as the model names them:
    ``wrapper`` is the entry they were inside (a training checkpoint's ``"state_dict"``),
    ``prefix`` what was removed from every key (DataParallel's ``"module."``)."""

    state: dict[str, torch.Tensor]
    wrapper: str | None = None
    prefix: str | None = None


# What a path is when it is no file to read (words the window translates).
_FOLDER = Message("import-kind-folder", QT_TRANSLATE_NOOP("messages", "a folder"))
_NOT_REGULAR = Message("import-kind-irregular", QT_TRANSLATE_NOOP("messages", "not a regular file"))
_MISSING = Message("import-kind-missing", QT_TRANSLATE_NOOP("messages", "no such file"))

# Entries a training script's checkpoint keeps the model's weights under.
WEIGHTS_WRAPPERS = ("state_dict", "model", "model_state_dict")
DATA_PARALLEL_PREFIX = "module."


def _is_tensor_dict(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in value.items())
    )


def unwrap_weights(data: Any, where: str) -> WeightsFile:
    """The ``state_dict`` in what ``torch.load`` gave: bare, or inside one of
    :data:`WEIGHTS_WRAPPERS`; DataParallel's prefix removed. ``where`` starts the
    message of :class:`SourceError` when it is none."""
    wrapper = None
    if isinstance(data, dict) and not _is_tensor_dict(data):
        wrapper = next((w for w in WEIGHTS_WRAPPERS if _is_tensor_dict(data.get(w))), None)
        if wrapper is not None:
            data = data[wrapper]
    if not _is_tensor_dict(data):
        raise SourceError(
            Message(
                "import-not-state-dict",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{where}: not a state_dict (a dict of tensors, bare or under "
                    '"state_dict" or "model")',
                ),
                where=where,
            )
        )
    prefix = None
    if all(key.startswith(DATA_PARALLEL_PREFIX) for key in data):
        prefix = DATA_PARALLEL_PREFIX
        data = {key[len(prefix) :]: value for key, value in data.items()}
    return WeightsFile(dict(data), wrapper, prefix)


def _torch_load(path: Path, where: str) -> Any:
    """``torch.load(weights_only=True)``: tensors and plain data only, never code."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        # The type, not torch's wording (it differs per payload), says it was refused;
        # the file's own pickles say which global it named.
        refused = unpickling_message(path)
        raise SourceError(where + refused[len(str(path)) :]) from None
    except Exception as err:  # noqa: BLE001 - a damaged file fails anywhere in torch.load
        raise SourceError(
            Message(
                "import-not-pytorch",
                QT_TRANSLATE_NOOP("messages", "{where}: not a readable PyTorch file ({why})"),
                where=where,
                why=_first_line(err),
            )
        ) from None


def _load_weights(module: nn.Module, path: Path) -> None:
    """Load a ``state_dict`` file into ``module``, strictly, never running code from it."""
    where = f"--weights {path}"
    if not path.is_file():
        raise SourceError(f"{where}: {'not a regular file' if path.exists() else 'no such file'}")
    state = unwrap_weights(_torch_load(path, where), where).state
    try:
        module.load_state_dict(state, strict=True)
    except RuntimeError as err:
        lines = [line.strip() for line in str(err).splitlines() if line.strip()]
        raise SourceError(
            f"{where}: do not fit the model: {' '.join(lines[1:3]) or lines[0]}"
        ) from None


def _ours(path: Path) -> SourceError:
    return SourceError(
        Message(
            "import-own-file",
            QT_TRANSLATE_NOOP(
                "messages",
                "{path}: a ResNet Studio file; open it with File → Open, or read it with "
                "resnet-studio summary",
            ),
            path=str(path),
        )
    )


def read_model_file(path: str | os.PathLike) -> torch.jit.ScriptModule | WeightsFile:
    """What a model file holds, decided by its contents, never running Python from it:
    a TorchScript archive (loaded with ``torch.jit.load``, which compiles TorchScript,
    not Python) or a weights-only ``state_dict`` (``torch.load(weights_only=True)``).
    :class:`SourceError` in one line for anything else: a ``.py`` (only
    ``FILE.py:NAME`` runs a file), the program's own files, a pickle that names code."""
    path = Path(path)
    if path.suffix.lower() == ".py":
        raise SourceError(
            Message(
                "import-py-file",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: a Python file is imported as FILE.py:NAME (the class or function "
                    "to call), which runs the file; only do that if you trust it",
                ),
                path=str(path),
            )
        )
    if not path.is_file():
        raise SourceError(
            Message(
                "import-no-file",
                QT_TRANSLATE_NOOP("messages", "{path}: {why}"),
                path=str(path),
                why=_FOLDER if path.is_dir() else _NOT_REGULAR if path.exists() else _MISSING,
            )
        )
    if path.suffix.lower() == ".json" or is_onnx(path):
        raise _ours(path) if path.suffix.lower() == ".json" else _not_a_model(path)
    names = zip_names(path)
    if is_torchscript_archive(names):
        if any(name.endswith(f"/extra/{SPEC_ENTRY}") for name in names or ()):
            raise _ours(path)
        _check_unpacked_size(path)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # TorchScript is deprecated upstream
                return torch.jit.load(path, map_location="cpu")
        except Exception as err:  # noqa: BLE001 - a damaged archive fails anywhere
            raise SourceError(
                Message(
                    "import-bad-torchscript",
                    QT_TRANSLATE_NOOP(
                        "messages", "{path}: a TorchScript archive that cannot be loaded ({why})"
                    ),
                    path=str(path),
                    why=_first_line(err),
                )
            ) from None
    data = _torch_load(path, str(path))
    if isinstance(data, dict) and data.get("format") == CHECKPOINT_FORMAT:
        raise _ours(path)
    return unwrap_weights(data, str(path))


def _check_unpacked_size(path: Path) -> None:
    """Refuse an archive whose members unpack to more than the memory free now (a zip
    bomb), before ``torch.jit.load`` unpacks them."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    free = available_memory()
    if free is not None and unpacked > free:
        raise SourceError(
            Message(
                "import-archive-too-large",
                QT_TRANSLATE_NOOP(
                    "messages", "{path}: unpacks to {size}, more than the {free} of memory free"
                ),
                path=str(path),
                size=format_bytes(unpacked),
                free=format_bytes(free),
            )
        )


def _not_a_model(path: Path) -> SourceError:
    return SourceError(
        Message(
            "import-not-model",
            QT_TRANSLATE_NOOP(
                "messages",
                "{path}: import reads TorchScript archives and state_dict files (.pt, .pth)",
            ),
            path=str(path),
        )
    )


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
    if path.suffix.lower() in (".pt", ".pth", ".zip"):
        why = "import a model file as FILE (the import command and File → Import read it)"
    elif path.suffix.lower() == ".py":
        why = "name the class after a colon: FILE.py:ClassName"
    else:
        why = "expected torchvision:NAME or FILE.py:ClassName"
    return f"{text}: {why}"
