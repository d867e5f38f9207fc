"""Read the weights out of a TorchScript archive without running anything in it.

``torch.jit.load`` compiles and runs the archive's code, and
``torch.load(weights_only=True)`` refuses TorchScript archives. The weights
live in the archive's ``data.pkl``: a pickle of the module tree whose only
globals are the ``__torch__`` module classes, ``torch._utils._rebuild_tensor_v2``
and storage types. This unpickler maps exactly those to harmless stand-ins of
its own and refuses every other global, so reading calls no function named by
the file.

Every archive member is read through :func:`read_entry`, which checks what the
zip directory says of it (encrypted, an unknown compression, a declared size
over the limit) before reading a byte, and reads no more than the limit; the
weights read in all are bounded by the memory available, so a doctored archive
(a zip bomb, a bad CRC) is refused in one line that names the file and entry.
"""

from __future__ import annotations

import collections
import io
import pickle
import zipfile
import zlib
from pathlib import Path
from typing import Any

import torch

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.model.files import ModelFileError, refused_message
from resnet_studio.model.resources import available_memory, format_bytes

# data.pkl holds the module tree and the tensors' shapes, not their values:
# ResNet-1202's is about 1 MiB.
MAX_PICKLE_BYTES = 256 * 2**20
# Weights read from one archive when the system does not say how much memory is free.
DEFAULT_WEIGHT_BUDGET = 16 * 2**30

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


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0].strip() if text else type(err).__name__


def read_entry(
    path: str | Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int
) -> bytes:
    """The bytes of one member of ``archive``, at most ``limit`` of them.

    What the zip directory says is checked first, so nothing is decompressed or
    allocated for an entry that is encrypted, compressed in a way not read here, or
    declared larger than ``limit``; a damaged entry (bad CRC, cut short) is a
    :class:`ModelFileError` naming the file and the entry, never a traceback.
    """
    name = info.filename
    if info.flag_bits & 0x1:
        raise ModelFileError(
            Message(
                "ts.encrypted",
                QT_TRANSLATE_NOOP(
                    "messages", "{path}: its entry {entry} is encrypted, which no model file is"
                ),
                path=str(path),
                entry=name,
            )
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ModelFileError(
            Message(
                "ts.compression",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: its entry {entry} uses compression method {method}; "
                    "model files store their entries as they are (or deflated)",
                ),
                path=str(path),
                entry=name,
                method=info.compress_type,
            )
        )
    if info.file_size > limit:
        raise ModelFileError(
            Message(
                "ts.entry_too_large",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: its entry {entry} says it holds {size}, more than the {limit} it may",
                ),
                path=str(path),
                entry=name,
                size=format_bytes(info.file_size),
                limit=format_bytes(limit),
            )
        )
    try:
        with archive.open(info) as f:
            data = f.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as err:
        raise ModelFileError(
            Message(
                "ts.entry_damaged",
                QT_TRANSLATE_NOOP("messages", "{path}: its entry {entry} is damaged ({reason})"),
                path=str(path),
                entry=name,
                reason=_first_line(err),
            )
        ) from None
    if len(data) > limit:  # zipfile stops at the declared size; this is a second guard
        raise ModelFileError(
            Message(
                "ts.entry_longer",
                QT_TRANSLATE_NOOP("messages", "{path}: its entry {entry} holds more than it says"),
                path=str(path),
                entry=name,
            )
        )
    return data


def _numel(size: tuple[int, ...]) -> int:
    n = 1
    for v in size:
        n *= v
    return n


class _WeightsUnpickler(pickle.Unpickler):
    def __init__(
        self, file: Any, archive: zipfile.ZipFile, prefix: str, path: Path, budget: int
    ) -> None:
        super().__init__(file)
        self.archive = archive
        self.prefix = prefix
        self.path = path
        self.budget = budget  # bytes of weights left to read
        self.storages: dict[str, torch.Tensor] = {}

    def spend(self, nbytes: int) -> None:
        """Count ``nbytes`` of weights against the budget, refusing past it."""
        if nbytes > self.budget:
            raise ModelFileError(
                Message(
                    "ts.memory",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "{path}: its weights need more than the {memory} of memory "
                        "available to read them",
                    ),
                    path=str(self.path),
                    memory=format_bytes(self.budget + nbytes),
                )
            )
        self.budget -= nbytes

    def rebuild_tensor(
        self,
        storage: torch.Tensor,
        offset: int,
        size: tuple[int, ...],
        stride: tuple[int, ...],
        *_ignored: Any,
    ) -> torch.Tensor:
        if not isinstance(storage, torch.Tensor):
            raise pickle.UnpicklingError("a tensor without its storage")
        size, stride = tuple(size), tuple(stride)
        if not all(type(v) is int and v >= 0 for v in (*size, *stride, offset)):
            raise pickle.UnpicklingError("a tensor of negative or non-integer size")
        if _numel(size) > storage.numel():  # a saved weight never repeats its storage's values
            raise pickle.UnpicklingError(
                f"a tensor of {_numel(size):,} values from a storage of {storage.numel():,}"
            )
        self.spend(_numel(size) * storage.element_size())
        return storage.as_strided(size, stride, offset).clone()

    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("__torch__"):
            return _ScriptModule
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return self.rebuild_tensor
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
        if numel < 0:
            raise pickle.UnpicklingError(f"storage {key} of {numel} values")
        if key in self.storages:  # tensors share a storage: read once
            return self.storages[key]
        nbytes = numel * torch.empty((), dtype=storage.dtype).element_size()
        name = f"{self.prefix}/data/{key}"
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise pickle.UnpicklingError(f"storage {key} is missing") from None
        if info.file_size < nbytes:
            raise pickle.UnpicklingError(f"storage {key} is shorter than it says")
        self.spend(nbytes)
        # torch writes a storage's bytes and nothing more: a larger entry is doctored.
        raw = bytearray(read_entry(self.path, self.archive, info, nbytes))
        tensor = (
            torch.empty(0, dtype=storage.dtype)
            if numel == 0
            else torch.frombuffer(raw, dtype=storage.dtype)
        )
        self.storages[key] = tensor
        return tensor


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


def _weight_budget() -> int:
    """Bytes of weights one archive may make us read: half the memory available (each
    is read, then copied into its tensor)."""
    available = available_memory()
    return DEFAULT_WEIGHT_BUDGET if available is None else available // 2


def read_torchscript_tensors(
    path: str | Path, max_bytes: int | None = None
) -> dict[str, torch.Tensor]:
    """Every tensor attribute of the archive's modules, by dotted path (``layer1.0.conv1.weight``).

    Parameters and buffers of the network, plus any other tensor attributes
    (the export's non-persistent ``input_mean``): the caller keeps the keys it
    expects. At most ``max_bytes`` of weights are read (by default, half the
    memory available); an archive that needs more is refused.
    """
    path = Path(path)
    budget = _weight_budget() if max_bytes is None else max_bytes
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.count("/") == 1 and n.endswith("/data.pkl")]
            if not names:
                raise ModelFileError(
                    Message(
                        "ts.not_torchscript",
                        QT_TRANSLATE_NOOP(
                            "messages", "{path}: a zip file, but not a TorchScript archive"
                        ),
                        path=str(path),
                    )
                )
            prefix = names[0].rsplit("/", 1)[0]
            data = read_entry(path, archive, archive.getinfo(names[0]), MAX_PICKLE_BYTES)
            root = _WeightsUnpickler(io.BytesIO(data), archive, prefix, path, budget).load()
    except ModelFileError:
        raise
    except _RefusedGlobal as err:  # the same message as for a checkpoint that names one
        raise ModelFileError(refused_message(path, err.name)) from None
    except OSError as err:
        raise ModelFileError(
            Message(
                "ts.cannot_read",
                QT_TRANSLATE_NOOP("messages", "{path}: cannot read ({reason})"),
                path=str(path),
                reason=err.strerror or str(err),
            )
        ) from None
    except Exception as err:  # noqa: BLE001 - damaged bytes fail anywhere in unpickling
        # (AttributeError, MemoryError for a huge length, ...); only stand-ins were called.
        raise ModelFileError(
            Message(
                "ts.damaged",
                QT_TRANSLATE_NOOP(
                    "messages", "{path}: damaged TorchScript archive ({kind}: {reason})"
                ),
                path=str(path),
                kind=type(err).__name__,
                reason=(str(err).splitlines() or [""])[0],
            )
        ) from None
    if not isinstance(root, _ScriptModule):
        raise ModelFileError(
            Message(
                "ts.no_module",
                QT_TRANSLATE_NOOP("messages", "{path}: its data.pkl holds no module"),
                path=str(path),
            )
        )
    return _flatten(root)
