"""Read the program's model files back, never running code from them.

Checkpoints are read with ``torch.load(weights_only=True)``; TorchScript
archives by reading their stored JSON and their weights' bytes from the zip
(:mod:`torchscript_weights`), never with ``torch.jit.load``; ONNX files with
the ``onnx`` package, which only parses protobuf.
"""

from __future__ import annotations

import os
import pickle
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any, NamedTuple

import torch
from torch import nn

from resnet_studio.arch.project import ProjectError, project_from_json
from resnet_studio.arch.spec import Network
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
)
from resnet_studio.model.metadata import MetaError, ModelMeta, meta_from_dict, meta_from_json
from resnet_studio.model.torchscript_weights import read_torchscript_tensors


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


def _unpickling_message(path: Path, err: pickle.UnpicklingError) -> str:
    """Say whether ``torch.load(weights_only=True)`` refused code or found no pickle at all.

    torch words the refusal differently per payload (``Unsupported global:
    GLOBAL posix.system``, ``... getattr``, a class path), so only the type of
    the exception is relied on; the text is quoted as the detail.
    """
    detail = str(err).partition("WeightsUnpickler error:")[2].strip()
    first = detail.splitlines()[0].strip() if detail else ""
    if not detail or first.startswith("Unsupported operand") or "invalid load key" in str(err):
        return f"{path}: not a PyTorch file (its contents are not a pickle torch can read)"
    first = first.split(" was not an allowed")[0]
    return (
        f"{path}: refused to load: the file holds Python objects other than tensors and "
        f"plain data, which could run code ({first[:160]})"
    )


def _archive_entry(path: Path, entry: str) -> tuple[list[str] | None, str | None]:
    """(member names, the text of ``entry`` under ``extra/``) of a zip; (None, None) if no zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            for name in names:
                if name.endswith(f"/extra/{entry}"):
                    return names, archive.read(name).decode("utf-8")
            return names, None
    except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError):
        return None, None  # not a (readable) zip: read_checkpoint says what is wrong with it
    except OSError as err:
        raise ModelFileError(f"{path}: cannot read ({err.strerror or err})") from None


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise ModelFileError(f"{path}: a folder, not a model file")
    if not path.is_file():
        what = "not a regular file" if path.exists() else "no such file"
        raise ModelFileError(f"{path}: {what}")
    if path.stat().st_size == 0:
        raise ModelFileError(f"{path}: empty file, not a PyTorch file")


def read_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load a checkpoint dict safely (``weights_only=True``), checking its format."""
    path = Path(path)
    _check_file(path)
    names, _ = _archive_entry(path, SPEC_ENTRY)
    if is_torchscript_archive(names):
        raise ModelFileError(
            f"{path}: a TorchScript file, not a checkpoint; load it with torch.jit.load"
        )
    try:
        # torch warns about the files it then refuses; the error says it all.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        raise ModelFileError(_unpickling_message(path, err)) from None
    except Exception as err:  # a damaged or foreign file can fail anywhere inside torch.load
        raise ModelFileError(
            f"{path}: not a readable PyTorch file ({type(err).__name__}: {_first_line(err)})"
        ) from None
    if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
        raise ModelFileError(
            f'{path}: not a ResNet Studio checkpoint (no "format": "{CHECKPOINT_FORMAT}")'
        )
    if data.get("version") != CHECKPOINT_VERSION:
        raise ModelFileError(
            f"{path}: checkpoint version {data.get('version')!r} is not supported; "
            f"this version reads version {CHECKPOINT_VERSION}"
        )
    if not isinstance(data.get("spec"), str) or not isinstance(data.get("state_dict"), dict):
        raise ModelFileError(f"{path}: checkpoint lacks its 'spec' or 'state_dict'")
    return data


def _parse_network(path: Path, text: str) -> Network:
    try:
        return project_from_json(text, f"{path} (network inside)")
    except ProjectError as err:
        raise ModelFileError(str(err)) from None


def _parse_meta(path: Path, value: Any, network: Network) -> ModelMeta | None:
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return meta_from_json(value, network.classes)
        return meta_from_dict(value, network.classes)
    except MetaError as err:
        raise ModelFileError(f"{path}: {err}") from None


def _onnx_texts(path: Path) -> dict[str, str]:
    """The ``metadata_props`` of an ONNX file (parsed as protobuf: no code runs)."""
    try:
        import onnx
    except ImportError:
        raise ModelFileError(f"{path}: an ONNX file; {onnx_missing_message()}") from None
    try:
        proto = onnx.load(str(path), load_external_data=False)
    except Exception as err:  # noqa: BLE001 - protobuf errors have many types
        raise ModelFileError(f"{path}: not a readable ONNX file ({_first_line(err)})") from None
    return {p.key: p.value for p in proto.metadata_props}


def read_network_and_meta(path: str | os.PathLike[str]) -> tuple[Network, ModelMeta | None]:
    """The network and metadata of a checkpoint, TorchScript or ONNX file, without weights."""
    path = Path(path)
    _check_file(path)
    if is_onnx(path):
        texts = _onnx_texts(path)
        if SPEC_ENTRY not in texts:
            raise ModelFileError(f"{path}: an ONNX file without a ResNet Studio network inside")
        network = _parse_network(path, texts[SPEC_ENTRY])
        return network, _parse_meta(path, texts.get(META_ENTRY), network)
    names, spec = _archive_entry(path, SPEC_ENTRY)
    if spec is not None:
        network = _parse_network(path, spec)
        return network, _parse_meta(path, _archive_entry(path, META_ENTRY)[1], network)
    if is_torchscript_archive(names):
        raise ModelFileError(f"{path}: a TorchScript file without a ResNet Studio network inside")
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
        raise ModelFileError(f"{path}: {err}") from None


def _load_weights(path: Path, model: nn.Module, state: dict[str, Any]) -> None:
    try:
        model.load_state_dict(state)
    except (RuntimeError, TypeError, ValueError) as err:
        raise ModelFileError(
            f"{path}: weights do not fit the network: {_first_line(err)}"
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
    _check_file(path)
    names, spec = _archive_entry(path, SPEC_ENTRY)
    if spec is None:
        if is_torchscript_archive(names):
            raise ModelFileError(
                f"{path}: a TorchScript file without a ResNet Studio network inside"
            )
        return load_checkpoint(path)
    network, meta = read_network_and_meta(path)
    model = _built(path, network)
    tensors = read_torchscript_tensors(path)
    expected = model.state_dict()
    missing = [key for key in expected if key not in tensors]
    if missing:
        raise ModelFileError(
            f"{path}: weights do not fit the network: {len(missing)} missing, e.g. {missing[0]}"
        )
    _load_weights(path, model, {key: tensors[key] for key in expected})
    return LoadedModel(network, model.eval(), meta)
