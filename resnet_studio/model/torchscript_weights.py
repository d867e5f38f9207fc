"""Read the weights out of a TorchScript archive without running anything in it.

``torch.jit.load`` compiles and runs the archive's code, and
``torch.load(weights_only=True)`` refuses TorchScript archives. The weights
live in the archive's ``data.pkl``: a pickle of the module tree whose only
globals are the ``__torch__`` module classes, ``torch._utils._rebuild_tensor_v2``
and storage types. This unpickler maps exactly those to harmless stand-ins of
its own and refuses every other global, so reading calls no function named by
the file.
"""

from __future__ import annotations

import collections
import pickle
import zipfile
from pathlib import Path
from typing import Any

import torch

from resnet_studio.model.files import ModelFileError, refused_message

_STORAGE_DTYPES = {
    "FloatStorage": torch.float32,
    "DoubleStorage": torch.float64,
    "HalfStorage": torch.float16,
    "BFloat16Storage": torch.bfloat16,
    "LongStorage": torch.int64,
    "IntStorage": torch.int32,
    "ShortStorage": torch.int16,
    "CharStorage": torch.int8,
    "ByteStorage": torch.uint8,
    "BoolStorage": torch.bool,
}


class _RefusedGlobal(pickle.UnpicklingError):
    """The pickle names a global that is not part of a module's weights: it could run code."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class _ScriptModule:
    """Stands in for a ``__torch__`` class: keeps the attributes it is given."""

    def __setstate__(self, state: Any) -> None:
        self.__dict__["attributes"] = state if isinstance(state, dict) else {}


class _Storage:
    """Stands in for ``torch.XStorage``: only says which dtype the bytes are."""

    def __init__(self, dtype: torch.dtype) -> None:
        self.dtype = dtype


def _rebuild_tensor(
    storage: torch.Tensor,
    offset: int,
    size: tuple[int, ...],
    stride: tuple[int, ...],
    *_ignored: Any,
) -> torch.Tensor:
    if not isinstance(storage, torch.Tensor):
        raise pickle.UnpicklingError("a tensor without its storage")
    return storage.as_strided(tuple(size), tuple(stride), int(offset)).clone()


class _WeightsUnpickler(pickle.Unpickler):
    def __init__(self, file: Any, archive: zipfile.ZipFile, prefix: str) -> None:
        super().__init__(file)
        self.archive = archive
        self.prefix = prefix

    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("__torch__"):
            return _ScriptModule
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if module == "torch" and name in _STORAGE_DTYPES:
            return _Storage(_STORAGE_DTYPES[name])
        raise _RefusedGlobal(f"{module}.{name}")

    def persistent_load(self, pid: Any) -> torch.Tensor:
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise pickle.UnpicklingError("unsupported persistent id")
        _, storage, key, _location, numel = pid
        if not isinstance(storage, _Storage) or not isinstance(key, str) or type(numel) is not int:
            raise pickle.UnpicklingError("malformed storage")
        raw = bytearray(self.archive.read(f"{self.prefix}/data/{key}"))
        size = torch.empty((), dtype=storage.dtype).element_size()
        if len(raw) < numel * size:
            raise pickle.UnpicklingError(f"storage {key} is shorter than it says")
        if numel == 0:
            return torch.empty(0, dtype=storage.dtype)
        return torch.frombuffer(raw[: numel * size], dtype=storage.dtype)


def _flatten(root: _ScriptModule) -> dict[str, torch.Tensor]:
    """The tensors of ``root`` and its submodules by dotted path.

    A loop, not recursion, and each module read once: a hostile pickle can nest
    modules deeper than Python recurses, or make them contain themselves.
    """
    out: dict[str, torch.Tensor] = {}
    seen: set[int] = set()
    todo = [(root, "")]
    while todo:
        obj, prefix = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        for name, value in obj.__dict__.get("attributes", {}).items():
            if isinstance(value, torch.Tensor):
                out[f"{prefix}{name}"] = value
            elif isinstance(value, _ScriptModule):
                todo.append((value, f"{prefix}{name}."))
    return out


def read_torchscript_tensors(path: str | Path) -> dict[str, torch.Tensor]:
    """Every tensor attribute of the archive's modules, by dotted path (``layer1.0.conv1.weight``).

    Parameters and buffers of the network, plus any other tensor attributes
    (the export's non-persistent ``input_mean``): the caller keeps the keys it
    expects.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.count("/") == 1 and n.endswith("/data.pkl")]
            if not names:
                raise ModelFileError(f"{path}: a zip file, but not a TorchScript archive")
            prefix = names[0].rsplit("/", 1)[0]
            with archive.open(names[0]) as f:
                root = _WeightsUnpickler(f, archive, prefix).load()
    except ModelFileError:
        raise
    except _RefusedGlobal as err:  # the same message as for a checkpoint that names one
        raise ModelFileError(refused_message(path, err.name)) from None
    except OSError as err:
        raise ModelFileError(f"{path}: cannot read ({err.strerror or err})") from None
    except Exception as err:  # noqa: BLE001 - damaged bytes fail anywhere in unpickling
        # (AttributeError, MemoryError for a huge length, ...); only stand-ins were called.
        raise ModelFileError(
            f"{path}: damaged TorchScript archive ({type(err).__name__}: {err})".splitlines()[0]
        ) from None
    if not isinstance(root, _ScriptModule):
        raise ModelFileError(f"{path}: its data.pkl holds no module")
    return _flatten(root)
