"""Read the program's model files back, never running code from them.

Checkpoints are read with ``torch.load(weights_only=True)``; TorchScript
archives by reading their stored JSON and their weights' bytes from the zip
(:mod:`torchscript_weights`), never with ``torch.jit.load``; ONNX files with
the ``onnx`` package, which only parses protobuf.
"""

from __future__ import annotations

import io
import os
import pickle
import pickletools
import warnings
import zipfile
import zlib
from collections import deque
from pathlib import Path
from typing import IO, Any, NamedTuple

import torch
from torch import nn

from resnet_studio.arch.messages import Message, located, text_of
from resnet_studio.arch.project import ProjectError, project_from_json
from resnet_studio.arch.spec import Network
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.model.build import BuildError, build_model
from resnet_studio.model.export import onnx_missing_message
from resnet_studio.model.files import (
    CHECKPOINT_FORMAT,
    CHECKPOINT_VERSION,
    META_ENTRY,
    SPEC_ENTRY,
    ModelFileError,
    is_onnx,
    is_torchscript_archive,
    refused_message,
)
from resnet_studio.model.metadata import MetaError, ModelMeta, meta_from_dict, meta_from_json
from resnet_studio.model.torchscript_weights import (
    MAX_PICKLE_BYTES,
    read_entry,
    read_torchscript_tensors,
)
from resnet_studio.reading import MAX_PROJECT_BYTES

# The texts stored beside a TorchScript network, by entry: the project JSON is a
# project file; the metadata names up to a million classes (200 characters each).
MAX_ENTRY_BYTES = {SPEC_ENTRY: MAX_PROJECT_BYTES, META_ENTRY: 256 * 2**20}


class LoadedModel(NamedTuple):
    """A model file's network, its module with the stored weights, and its metadata.

    ``meta`` is None for files written before the program stored it.
    """

    network: Network
    model: nn.Module
    meta: ModelMeta | None


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0].strip() if text else type(err).__name__


# Globals torch.save writes for tensors and plain data, besides module-level torch names
# (dtypes, storages, Size): a refused file naming only these is damaged, not hostile.
_TENSOR_GLOBALS = frozenset(
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
    }
)


def _scan_pickle(file: IO[bytes], names: list[str]) -> None:
    """Add the globals one pickle names (``posix.system``) to ``names``, in order.

    Parsed with :mod:`pickletools`, so nothing is run. ``STACK_GLOBAL`` takes its
    module and name from the two strings pushed before it, or fetched from the memo.
    Raises (ValueError, mostly) where the bytes stop being a pickle.
    """
    pushed: deque[str | None] = deque([None, None], maxlen=2)
    memo: dict[Any, str | None] = {}
    for op, arg, _position in pickletools.genops(file):
        if op.name in ("GLOBAL", "INST"):
            names.append(str(arg).replace(" ", ".", 1))
        elif op.name == "STACK_GLOBAL":
            module, name = pushed
            names.append(
                f"{module}.{name}"
                if module and name
                else Message(
                    "load.stack_name",
                    QT_TRANSLATE_NOOP("messages", "(a name built on the stack)"),
                )
            )
        elif op.name.startswith("EXT"):
            names.append(
                Message(
                    "load.extension_code",
                    QT_TRANSLATE_NOOP("messages", "(extension code {code})"),
                    code=arg,
                )
            )
        # Memo opcodes store or fetch the stack's top; others may push a string.
        if op.name == "MEMOIZE":
            memo[len(memo)] = pushed[-1]
        elif op.name.endswith("PUT"):
            memo[arg] = pushed[-1]
        elif op.name.endswith("GET"):
            pushed.append(memo.get(arg))
        elif op.stack_after:
            text = isinstance(arg, str) and op.name not in ("GLOBAL", "INST")
            pushed.append(arg if text else None)


def _named_globals(path: Path) -> list[str]:
    """The globals the pickles in ``path`` name, as far as they parse as pickles."""
    names: list[str] = []
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if info.filename.endswith(".pkl"):
                        data = read_entry(path, archive, info, MAX_PICKLE_BYTES)
                        _scan_pickle(io.BytesIO(data), names)
        else:
            with path.open("rb") as f:
                # A legacy torch.save file is pickles in a row (magic number, protocol,
                # system info, data, storage keys), then raw bytes.
                for _ in range(5):
                    _scan_pickle(f, names)
    except Exception:  # noqa: BLE001 - damaged bytes fail anywhere (OverflowError for 2**63 bytes)
        pass  # the rest is no pickle: what was read so far is what torch saw
    return names


def _holds_only_weights(data: object) -> bool:
    """Whether ``data`` is a plain ``state_dict`` (tensors by name), bare or under
    ``"state_dict"``/``"model"`` as training code saves one: what the importer reads."""
    if isinstance(data, dict) and isinstance(data.get("state_dict", data.get("model")), dict):
        data = data.get("state_dict", data.get("model"))
    return (
        isinstance(data, dict)
        and bool(data)
        and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in data.items())
    )


def unpickling_message(path: Path) -> str:
    """Say whether ``torch.load(weights_only=True)`` refused code or found no pickle at all.

    torch words its refusal differently per payload (``Unsupported global: GLOBAL
    posix.system``, ``... whose module posix is blocked``, ``Unsupported operand``
    for a newer pickle protocol), so its text is not relied on: the file's pickles
    are scanned for the globals they name instead.
    """
    hostile = [
        name
        for name in _named_globals(path)
        if name not in _TENSOR_GLOBALS and not (name.startswith("torch.") and name.count(".") == 1)
    ]
    if hostile:
        return refused_message(path, hostile[0])
    return Message(
        "load.not_pytorch",
        QT_TRANSLATE_NOOP(
            "messages", "{path}: not a PyTorch file (its contents are not a pickle torch can read)"
        ),
        path=str(path),
    )


def _archive_entry(path: Path, entry: str) -> tuple[list[str] | None, str | None]:
    """(member names, the text of ``entry`` under ``extra/``) of a zip; (None, None) if no zip.

    The entry is read within its limit (:data:`MAX_ENTRY_BYTES`) after its zip
    directory record is checked (:func:`read_entry`); a doctored one is refused in
    one line naming the file and the entry.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            for info in archive.infolist():
                if info.filename.endswith(f"/extra/{entry}"):
                    data = read_entry(path, archive, info, MAX_ENTRY_BYTES[entry])
                    try:
                        return names, data.decode("utf-8")
                    except UnicodeDecodeError:
                        raise ModelFileError(
                            Message(
                                "load.entry_not_utf8",
                                QT_TRANSLATE_NOOP(
                                    "messages", "{path}: its entry {entry} is not UTF-8 text"
                                ),
                                path=str(path),
                                entry=info.filename,
                            )
                        ) from None
            return names, None
    except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError):
        # UnicodeDecodeError: a member name flagged UTF-8 that is not.
        return None, None  # not a (readable) zip: read_checkpoint says what is wrong with it
    except OSError as err:
        raise ModelFileError(
            Message(
                "load.cannot_read",
                QT_TRANSLATE_NOOP("messages", "{path}: cannot read ({reason})"),
                path=str(path),
                reason=err.strerror or str(err),
            )
        ) from None


def check_model_file(path: Path) -> None:
    """:class:`ModelFileError` unless ``path`` is a regular file with something in it."""
    if path.is_dir():
        raise ModelFileError(
            Message(
                "load.folder",
                QT_TRANSLATE_NOOP("messages", "{path}: a folder, not a model file"),
                path=str(path),
            )
        )
    if path.exists() and not path.is_file():
        raise ModelFileError(
            Message(
                "load.not_regular",
                QT_TRANSLATE_NOOP("messages", "{path}: not a regular file"),
                path=str(path),
            )
        )
    if not path.is_file():
        raise ModelFileError(
            Message(
                "load.no_such_file",
                QT_TRANSLATE_NOOP("messages", "{path}: no such file"),
                path=str(path),
            )
        )
    if path.stat().st_size == 0:
        raise ModelFileError(
            Message(
                "load.empty",
                QT_TRANSLATE_NOOP("messages", "{path}: empty file, not a PyTorch file"),
                path=str(path),
            )
        )


def _no_network_inside(path: Path) -> Message:
    return Message(
        "load.torchscript_no_network",
        QT_TRANSLATE_NOOP(
            "messages", "{path}: a TorchScript file without a ResNet Studio network inside"
        ),
        path=str(path),
    )


def read_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load a checkpoint dict safely (``weights_only=True``), checking its format."""
    path = Path(path)
    check_model_file(path)
    names, _ = _archive_entry(path, SPEC_ENTRY)
    if is_torchscript_archive(names):
        raise ModelFileError(
            Message(
                "load.torchscript_not_checkpoint",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: a TorchScript file, not a checkpoint; load it with torch.jit.load",
                ),
                path=str(path),
            )
        )
    try:
        # torch warns about the files it then refuses; the error says it all.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        # The type says torch's weights-only unpickler refused the contents; its text
        # differs per payload and torch version, so the file itself says why.
        raise ModelFileError(unpickling_message(path)) from None
    except Exception as err:  # a damaged or foreign file can fail anywhere inside torch.load
        raise ModelFileError(
            Message(
                "load.unreadable",
                QT_TRANSLATE_NOOP(
                    "messages", "{path}: not a readable PyTorch file ({kind}: {reason})"
                ),
                path=str(path),
                kind=type(err).__name__,
                reason=_first_line(err),
            )
        ) from None
    ours = isinstance(data, dict) and data.get("format") == CHECKPOINT_FORMAT
    if not ours and _holds_only_weights(data):
        raise ModelFileError(
            Message(
                "load.weights_only",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: not a ResNet Studio checkpoint but weights alone (a state_dict):"
                    " import it with File → Import… (Model file) or resnet-studio import, which"
                    " match it with the presets",
                ),
                path=str(path),
            )
        )
    if not ours:
        raise ModelFileError(
            Message(
                "load.not_ours",
                QT_TRANSLATE_NOOP(
                    "messages", '{path}: not a ResNet Studio checkpoint (no "format": "{format}")'
                ),
                path=str(path),
                format=CHECKPOINT_FORMAT,
            )
        )
    if data.get("version") != CHECKPOINT_VERSION:
        raise ModelFileError(
            Message(
                "load.version",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: checkpoint version {version} is not supported; "
                    "this version reads version {supported}",
                ),
                path=str(path),
                version=repr(data.get("version")),
                supported=CHECKPOINT_VERSION,
            )
        )
    if not isinstance(data.get("spec"), str) or not isinstance(data.get("state_dict"), dict):
        raise ModelFileError(
            Message(
                "load.lacks",
                QT_TRANSLATE_NOOP(
                    "messages", "{path}: checkpoint lacks its 'spec' or 'state_dict'"
                ),
                path=str(path),
            )
        )
    return data


def _parse_network(path: Path, text: str) -> Network:
    try:
        inside = Message(
            "load.network_inside",
            QT_TRANSLATE_NOOP("messages", "{path} (network inside)"),
            path=str(path),
        )
        return project_from_json(text, inside)
    except ProjectError as err:
        raise ModelFileError(text_of(err)) from None


def _parse_meta(path: Path, value: Any, network: Network) -> ModelMeta | None:
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return meta_from_json(value, network.classes, network.input_shape)
        return meta_from_dict(value, network.classes, network.input_shape)
    except MetaError as err:
        raise ModelFileError(located(str(path), text_of(err))) from None


def _onnx_texts(path: Path) -> dict[str, str]:
    """The ``metadata_props`` of an ONNX file (parsed as protobuf: no code runs)."""
    try:
        import onnx
    except ImportError:
        raise ModelFileError(
            Message(
                "load.onnx_missing",
                QT_TRANSLATE_NOOP("messages", "{path}: an ONNX file; {missing}"),
                path=str(path),
                missing=onnx_missing_message(),
            )
        ) from None
    try:
        proto = onnx.load(str(path), load_external_data=False)
    except Exception as err:  # noqa: BLE001 - protobuf errors have many types
        raise ModelFileError(
            Message(
                "load.onnx_unreadable",
                QT_TRANSLATE_NOOP("messages", "{path}: not a readable ONNX file ({reason})"),
                path=str(path),
                reason=_first_line(err),
            )
        ) from None
    texts = {}
    for prop in proto.metadata_props:
        # protobuf hands over a string field that is not valid UTF-8 as bytes.
        if not isinstance(prop.key, str) or not isinstance(prop.value, str):
            raise ModelFileError(
                Message(
                    "load.onnx_metadata",
                    QT_TRANSLATE_NOOP("messages", "{path}: its metadata is not UTF-8 text"),
                    path=str(path),
                )
            )
        texts[prop.key] = prop.value
    return texts


def read_network_and_meta(path: str | os.PathLike[str]) -> tuple[Network, ModelMeta | None]:
    """The network and metadata of a checkpoint, TorchScript or ONNX file, without weights."""
    path = Path(path)
    check_model_file(path)
    if is_onnx(path):
        texts = _onnx_texts(path)
        if SPEC_ENTRY not in texts:
            raise ModelFileError(
                Message(
                    "load.onnx_no_network",
                    QT_TRANSLATE_NOOP(
                        "messages", "{path}: an ONNX file without a ResNet Studio network inside"
                    ),
                    path=str(path),
                )
            )
        network = _parse_network(path, texts[SPEC_ENTRY])
        return network, _parse_meta(path, texts.get(META_ENTRY), network)
    names, spec = _archive_entry(path, SPEC_ENTRY)
    if spec is not None:
        network = _parse_network(path, spec)
        return network, _parse_meta(path, _archive_entry(path, META_ENTRY)[1], network)
    if is_torchscript_archive(names):
        raise ModelFileError(_no_network_inside(path))
    data = read_checkpoint(path)
    network = _parse_network(path, data["spec"])
    return network, _parse_meta(path, data.get("meta"), network)


def read_network(path: str | os.PathLike[str]) -> Network:
    """The network stored in a model file, without building it."""
    return read_network_and_meta(path)[0]


def read_meta(path: str | os.PathLike[str]) -> ModelMeta | None:
    """A model file's metadata; None for files written before it was stored."""
    return read_network_and_meta(path)[1]


def _built(path: Path, network: Network) -> nn.Module:
    try:
        return build_model(network)
    except BuildError as err:
        raise ModelFileError(located(str(path), text_of(err))) from None


def _load_weights(path: Path, model: nn.Module, state: dict[str, Any]) -> None:
    try:
        model.load_state_dict(state)
    except (RuntimeError, TypeError, ValueError) as err:
        raise ModelFileError(
            Message(
                "load.weights_do_not_fit",
                QT_TRANSLATE_NOOP("messages", "{path}: weights do not fit the network: {reason}"),
                path=str(path),
                reason=_first_line(err),
            )
        ) from None


def load_checkpoint(path: str | os.PathLike[str]) -> LoadedModel:
    """The network, its trained module and the metadata from a checkpoint ``.pt``."""
    path = Path(path)
    data = read_checkpoint(path)
    network = _parse_network(path, data["spec"])
    meta = _parse_meta(path, data.get("meta"), network)
    model = _built(path, network)
    _load_weights(path, model, data["state_dict"])
    return LoadedModel(network, model.eval(), meta)


def load_model_file(path: str | os.PathLike[str]) -> LoadedModel:
    """Network, weights and metadata of a checkpoint or TorchScript ``.pt`` (no code runs)."""
    path = Path(path)
    check_model_file(path)
    names, spec = _archive_entry(path, SPEC_ENTRY)
    if spec is None:
        if is_torchscript_archive(names):
            raise ModelFileError(_no_network_inside(path))
        return load_checkpoint(path)
    network, meta = read_network_and_meta(path)
    model = _built(path, network)
    expected = model.state_dict()
    # Read no more than the network's own weights (twice over, for other dtypes and the
    # export's input statistics): an archive cannot make us read more than it needs.
    need = sum(t.numel() * t.element_size() for t in expected.values())
    tensors = read_torchscript_tensors(path, max_bytes=2 * need + 2**20)
    missing = [key for key in expected if key not in tensors]
    if missing:
        raise ModelFileError(
            Message(
                "load.weights_missing",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: weights do not fit the network: {count} missing, e.g. {first}",
                ),
                path=str(path),
                count=len(missing),
                first=missing[0],
            )
        )
    _load_weights(path, model, {key: tensors[key] for key in expected})
    # The module returned is the bare network: its input is normalised outside it.
    bare = meta.with_normalization_inside(False) if meta is not None else None
    return LoadedModel(network, model.eval(), bare)
