"""Making an experiment folder from a spec, as ``experiment run`` and the window both do.

The spec's data set is resolved against the data root (a quick study's CIFAR-10
images are CIFAR-10 itself or the ``cifar10-subset`` folder there), loaded
once, and every network of the grid is fitted to it before anything is
written: a missing data set or a network that cannot run on it is refused
with nothing left behind. Torch-free at import; loading the data needs torch.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from resnet_studio.arch.spec import Network
from resnet_studio.training.dataset_info import FOLDER_PREFIX
from resnet_studio.training.experiment import (
    QUICK_DATASET,
    Experiment,
    ExperimentSpec,
    create_experiment,
    experiment_networks,
    quick_dataset,
)

if TYPE_CHECKING:  # torch loads lazily
    from resnet_studio.training.datasets import DataBundle


def resolve_dataset(
    spec: ExperimentSpec, root: Path, download: bool = False
) -> tuple[str, int | None]:
    """(data set as ``train`` takes it, subset) for ``spec`` with data under ``root``.

    A quick study's images are found in the root (:func:`quick_dataset`), or,
    when they may be downloaded, are the whole of CIFAR-10; an image folder's
    path is made absolute, so that the cells find it from any working folder.
    Raises :class:`~resnet_studio.training.experiment.ExperimentError` when a quick
    study's images are not there.
    """
    dataset, subset = spec.dataset, spec.subset
    if dataset == QUICK_DATASET:
        return quick_dataset(root) if not download else ("cifar10", None)
    if dataset.startswith(FOLDER_PREFIX):
        folder = Path(dataset[len(FOLDER_PREFIX) :]).expanduser()
        dataset = f"{FOLDER_PREFIX}{os.path.abspath(folder)}"
    return dataset, subset


def load_and_fit(
    spec: ExperimentSpec,
    dataset: str,
    root: Path,
    subset: int | None,
    download: bool = False,
) -> tuple[dict[str, Network], DataBundle]:
    """Load the data set once and fit every network of the grid to it, the way
    ``train`` fits a preset (a user's project file is refused instead of changed).

    Raises the data set's :class:`~resnet_studio.training.datasets.DatasetError`,
    or :class:`ExperimentError` naming the network that cannot run on the data.
    """
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.orchestration import fit_network_to_data

    data = load_dataset(dataset, root, download=download, subset=subset)
    adaptable = not spec.projects

    def fit(network: Network) -> Network:
        return fit_network_to_data(network, data, adaptable)[0]

    return experiment_networks(spec, fit), data


def new_experiment_folder(root: Path, name: str) -> Path:
    """A folder under ``root`` that does not exist yet: ``20250101-120000-NAME``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = root / f"{stamp}-{name}"
    n = 2
    while path.exists():
        path = root / f"{stamp}-{name}-{n}"
        n += 1
    return path


def new_experiment(
    spec: ExperimentSpec,
    data_root: Path,
    runs_root: Path,
    *,
    device: str = "auto",
    parallel: int | None = None,
) -> Experiment:
    """Resolve and load the data, fit the networks and make the experiment folder under
    ``runs_root``; the experiment, ready to run. Raises :class:`ExperimentError` or
    :class:`~resnet_studio.training.datasets.DatasetError` with nothing written."""
    root = Path(os.path.abspath(Path(data_root).expanduser()))
    dataset, subset = resolve_dataset(spec, root)
    networks, _data = load_and_fit(spec, dataset, root, subset)
    return create_experiment(
        new_experiment_folder(Path(runs_root), spec.name),
        spec,
        networks,
        data_root=root,
        dataset=dataset,
        subset=subset,
        device=device,
        parallel=parallel,
    )
