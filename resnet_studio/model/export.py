"""Save and load networks as ``.pt`` files that work without this program.

- checkpoint: ``{"format", "version", "spec" (project JSON text), "state_dict"}``,
  readable with ``torch.load(path, weights_only=True)``;
- TorchScript: a traced module for ``torch.jit.load``, with the project JSON
  stored beside it as the archive's extra file ``resnet_studio/project.json``;
- ONNX, when the optional ``onnx`` packages are installed.

Every file is written to a temporary name first and renamed, so a failed
export never leaves half a file. Loading never unpickles arbitrary objects.
"""

from __future__ import annotations

import copy
import io
import os
import pickle
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

import torch
from torch import nn

from resnet_studio.arch.project import (
    ProjectError,
    project_from_json,
    project_to_json,
    write_atomically,
)
from resnet_studio.arch.spec import Network
from resnet_studio.model.build import BuildError, build_model

CHECKPOINT_FORMAT = "resnet-studio-checkpoint"
CHECKPOINT_VERSION = 1
SPEC_ENTRY = "resnet_studio/project.json"  # extra file inside TorchScript archives
EXPORT_FORMATS = ("torchscript", "checkpoint", "onnx")


class ModelFileError(ValueError):
    """A model file that cannot be written or read; the message says what and where."""


def _write(path: str | os.PathLike[str], data: bytes) -> None:
    try:
        write_atomically(path, data)
    except ProjectError as err:
        raise ModelFileError(str(err)) from None


def example_input(network: Network, model: nn.Module, batch: int = 1) -> torch.Tensor:
    """A zero batch of the network's input shape in the model's dtype, for tracing."""
    dtype = next(model.parameters(), torch.zeros(())).dtype
    return torch.zeros(batch, *network.input_shape, dtype=dtype)


def checkpoint_dict(
    network: Network, model: nn.Module, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The checkpoint as a plain dict: only strings, numbers and tensors."""
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    return {
        "format": CHECKPOINT_FORMAT,
        "version": CHECKPOINT_VERSION,
        "spec": project_to_json(network),
        "state_dict": state,
        **(extra or {}),
    }


def save_checkpoint(
    path: str | os.PathLike[str],
    network: Network,
    model: nn.Module,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write a checkpoint ``.pt`` (spec + weights), atomically."""
    buffer = io.BytesIO()
    torch.save(checkpoint_dict(network, model, extra), buffer)
    _write(path, buffer.getvalue())


def _cpu_eval_copy(model: nn.Module) -> nn.Module:
    """A CPU copy in eval mode: exporting never moves or switches the caller's model,
    which may be training on a GPU in another thread."""
    return copy.deepcopy(model).cpu().eval()


def save_torchscript(path: str | os.PathLike[str], network: Network, model: nn.Module) -> None:
    """Write a traced TorchScript ``.pt`` in eval mode, with the spec inside."""
    model = _cpu_eval_copy(model)
    # TorchScript is deprecated upstream but is still what torch.jit.load runs.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        traced = torch.jit.trace(model, example_input(network, model))
        buffer = io.BytesIO()
        torch.jit.save(traced, buffer, _extra_files={SPEC_ENTRY: project_to_json(network)})
    _write(path, buffer.getvalue())


def save_onnx(path: str | os.PathLike[str], network: Network, model: nn.Module) -> None:
    """Write an ONNX model (batch size dynamic); needs the optional ``onnx`` packages."""
    try:
        import onnx  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError:
        raise ModelFileError(
            "ONNX export needs the optional onnx packages: pip install 'resnet-studio[onnx]'"
        ) from None
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    model = _cpu_eval_copy(model)
    try:
        batch = torch.export.Dim("batch", min=1)
        program = torch.onnx.export(
            model,
            (example_input(network, model, batch=2),),
            dynamic_shapes=({0: batch},),
            input_names=["input"],
            output_names=["logits"],
            dynamo=True,
            verbose=False,
        )
        program.save(str(tmp))
        os.replace(tmp, path)
    except OSError as err:
        raise ModelFileError(f"{path}: cannot write ({err.strerror})") from None
    finally:
        tmp.unlink(missing_ok=True)


def export_model(
    path: str | os.PathLike[str], fmt: str, network: Network, model: nn.Module | None = None
) -> None:
    """Export ``network`` (with ``model``'s weights, or freshly initialised ones) as ``fmt``."""
    if fmt not in EXPORT_FORMATS:
        raise ModelFileError(
            f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}"
        )
    if model is None:
        try:
            model = build_model(network)
        except BuildError as err:
            raise ModelFileError(str(err)) from None
    {"torchscript": save_torchscript, "checkpoint": save_checkpoint, "onnx": save_onnx}[fmt](
        path, network, model
    )


def _torchscript_spec(path: Path) -> str | None:
    """The project JSON stored in a TorchScript archive, read without running anything.

    None when ``path`` is not a TorchScript archive (a checkpoint is a zip too,
    but has no ``constants.pkl``).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            for name in names:
                if name.endswith(f"/extra/{SPEC_ENTRY}"):
                    return archive.read(name).decode("utf-8")
    except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError):
        return None  # not a (readable) zip: read_checkpoint says what is wrong with it
    except OSError as err:
        raise ModelFileError(f"{path}: cannot read ({err.strerror or err})") from None
    if _is_torchscript(names):
        raise ModelFileError(f"{path}: a TorchScript file without a ResNet Studio network inside")
    return None


def _is_torchscript(names: list[str]) -> bool:
    return any(name.endswith("/constants.pkl") for name in names)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0].strip() if text else type(err).__name__


def _unpickling_message(path: Path, err: pickle.UnpicklingError) -> str:
    """Say whether ``torch.load(weights_only=True)`` refused code or found no pickle at all."""
    detail = str(err).partition("WeightsUnpickler error:")[2].strip()
    first = detail.splitlines()[0].strip() if detail else ""
    if not detail or first.startswith("Unsupported operand") or "invalid load key" in str(err):
        return f"{path}: not a PyTorch file (its contents are not a pickle torch can read)"
    # "Unsupported global: GLOBAL posix.system was not an allowed global by default. ..."
    first = first.split(" was not an allowed")[0]
    return (
        f"{path}: refused to load: the file holds Python objects other than tensors and "
        f"plain data, which could run code ({first[:160]})"
    )


def read_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load a checkpoint dict safely (``weights_only=True``), checking its format."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise ModelFileError(f"{path}: empty file, not a PyTorch file")
    try:
        with zipfile.ZipFile(path) as archive:
            if _is_torchscript(archive.namelist()):
                raise ModelFileError(
                    f"{path}: a TorchScript file, not a checkpoint; load it with torch.jit.load"
                )
    except (zipfile.BadZipFile, OSError):
        pass  # torch.load below reports it
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


def read_network(path: str | os.PathLike[str]) -> Network:
    """The network stored in a checkpoint or TorchScript ``.pt``, without building it."""
    path = Path(path)
    text = _torchscript_spec(path) if path.is_file() else None
    if text is None:
        text = read_checkpoint(path)["spec"]
    try:
        return project_from_json(text, f"{path} (network inside)")
    except ProjectError as err:
        raise ModelFileError(str(err)) from None


def load_checkpoint(path: str | os.PathLike[str]) -> tuple[Network, nn.Module]:
    """The network and its trained module from a checkpoint ``.pt``."""
    data = read_checkpoint(path)
    try:
        network = project_from_json(data["spec"], f"{path} (network inside)")
        model = build_model(network)
    except (ProjectError, BuildError) as err:
        raise ModelFileError(str(err)) from None
    try:
        model.load_state_dict(data["state_dict"])
    except RuntimeError as err:
        raise ModelFileError(f"{path}: weights do not fit the network: {err}") from None
    return network, model
