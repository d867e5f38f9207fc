"""Where ``evaluate`` and ``predict`` get a trained model: a model file or a run folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resnet_studio.cli_commands.common import CommandError

if TYPE_CHECKING:  # torch loads only once the options are checked
    from resnet_studio.model.predictor import Predictor


@dataclass
class ModelSource:
    """A runnable model and what is known of where it came from."""

    predictor: Predictor
    label: str  # the path as the user typed it
    run_info: dict[str, Any] | None  # run.json, when the source is a run folder
    weights: str  # "the finished model", "the last checkpoint (epoch 3)" or the file kind


def open_model_source(
    text: str, device: str | None = None, data_root: str | None = None
) -> ModelSource:
    """Open ``text``: a run folder, a checkpoint or TorchScript ``.pt``, or an ``.onnx`` file."""
    path = Path(text)
    from resnet_studio.training.run_weights import is_run_folder

    if path.is_dir():
        if not is_run_folder(path):
            raise CommandError(f"{path}: a folder, but not a run folder (no run.json)")
        from resnet_studio.model.predictor import module_predictor
        from resnet_studio.training.run_weights import run_weights
        from resnet_studio.training.runs import read_run

        weights = run_weights(path, data_root)
        predictor = module_predictor(weights.network, weights.model, weights.meta, device)
        return ModelSource(predictor, text, read_run(path).info, weights.source)
    from resnet_studio.model.predictor import open_predictor

    predictor = open_predictor(path, device)
    return ModelSource(predictor, text, None, f"the {predictor.kind} file")


def add_device_option(parser) -> None:
    parser.add_argument(
        "--device", metavar="D", help="auto (default), cpu, cuda, cuda:N, mps (ONNX runs on CPU)"
    )


def checked_device(text: str | None) -> str:
    """The device to run on (``auto``: CUDA, MPS, else CPU); one this machine lacks is refused."""
    from resnet_studio.training.recipe import RecipeError, pick_device

    try:
        return str(pick_device(text or "auto"))
    except RecipeError as err:
        raise CommandError(f"--device: {str(err).removeprefix('device: ')}") from None
