"""What each data set looks like, known without loading it (and without torch).

The Train dialog checks a network against a data set's image shape before
anything is loaded, and tells whether the files are already on disk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.userdirs import user_data_dir

FOLDER_PREFIX = "folder:"


@dataclass(frozen=True)
class DatasetInfo:
    """A built-in data set: its label, image shape, classes and files on disk."""

    name: str
    label: str
    input_shape: tuple[int, int, int]
    classes: int
    expected: str = ""  # what torchvision needs inside the data root; "" when built in
    expected_test: str = ""  # the test split's file, where it is not inside ``expected``

    @property
    def downloadable(self) -> bool:
        return bool(self.expected)

    def present_in(self, root: Path) -> bool:
        """Whether the files seem to be in ``root`` (loading checks them properly)."""
        return all(
            not entry or (root / entry.rstrip("/")).exists()
            for entry in (self.expected, self.expected_test)
        )


DATASETS: dict[str, DatasetInfo] = {
    info.name: info
    for info in (
        # The other labels are names, the same in every language.
        DatasetInfo(
            "synthetic",
            QT_TRANSLATE_NOOP("datasets", "Synthetic shapes (built in)"),
            (3, 32, 32),
            10,
        ),
        DatasetInfo("mnist", "MNIST", (1, 28, 28), 10, "MNIST/raw/"),
        DatasetInfo("fashion-mnist", "Fashion-MNIST", (1, 28, 28), 10, "FashionMNIST/raw/"),
        DatasetInfo("cifar10", "CIFAR-10", (3, 32, 32), 10, "cifar-10-batches-py/"),
        DatasetInfo("cifar100", "CIFAR-100", (3, 32, 32), 100, "cifar-100-python/"),
        DatasetInfo("svhn", "SVHN", (3, 32, 32), 10, "train_32x32.mat", "test_32x32.mat"),
    )
}
BUILTIN_DATASETS = tuple(DATASETS)


def default_data_root() -> Path:
    """Where data sets live unless told otherwise: ``$RESNET_STUDIO_DATA`` if set,
    else ``data`` in the per-user data folder (see :mod:`resnet_studio.userdirs`)."""
    env = os.environ.get("RESNET_STUDIO_DATA")
    return Path(env).expanduser() if env else user_data_dir() / "data"
