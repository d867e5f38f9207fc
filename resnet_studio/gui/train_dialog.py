"""The Train dialog: data set, the paper's recipe, device and run settings.

It checks what it can before anything loads — the network's problems, its
input shape against the data set's, files missing from the data root — and
says why Start is disabled. Loading the data happens when Start is pressed,
in the background; a failure (a damaged file, a folder of odd images) is
shown here and the dialog stays open with everything the user typed.

An image folder's files are checked in the background as soon as it is chosen
(PIL opens and verifies each, without decoding it, for at most
:data:`IMAGE_CHECK_SECONDS`); unreadable ones are counted and the first is
named, and Start waits until they are removed or “Skip unreadable images” is
ticked, which leaves them out of the run.

A network opened with weights (a model file) is offered to start from them
(fine-tuning) while they fit it: unchanged since it was opened, or checked on
PyTorch's meta device in the background (shapes only). The network fitted to a
built-in data set is checked too, so weights that no longer fit say so, by key,
before Start; weights for another number of classes start with a new classifier,
weights for 3 (or 1) input channels have their first filters adapted to 1 (or 3),
and the plan says so. The plain twin always starts from scratch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.arch.inference import format_shape, infer
from resnet_studio.arch.spec import Network
from resnet_studio.arch.twin import plain_twin
from resnet_studio.gui.core_text import shown, shown_problem
from resnet_studio.gui.tasks import run_in_background
from resnet_studio.gui.training import TrainingController
from resnet_studio.training.dataset_info import (
    DATASETS,
    FOLDER_PREFIX,
    DatasetInfo,
    default_data_root,
)
from resnet_studio.training.orchestration import (
    DataMismatchError,
    InitialWeights,
    TrainRequest,
    fit_network_to_data,
    run_names,
)
from resnet_studio.training.recipe import OPTIMIZERS, SCHEDULES, Recipe, RecipeError

if TYPE_CHECKING:  # torch loads lazily: only a window holding weights has it
    from resnet_studio.gui.document import TrainedWeights
    from resnet_studio.model.weights import WeightsFit

# A plain name that pyside6-lupdate extracts from: translate("Context", "text").
translate = QCoreApplication.translate

SETTINGS_KEY = "train/last"  # the dialog's values from last time, as JSON
FOLDER = "folder"  # the data set combo's entry for the user's own image folder
PAPER = Recipe()  # the paper's CIFAR recipe: the defaults shown
IMAGE_CHECK_SECONDS = 10.0  # how long a folder's images are checked, at most
OK_STYLE = "color: #2e7d32;"
WARN_STYLE = "color: #b26a00;"
ERROR_STYLE = "color: #c62828;"
# folder, unreadable (path, reason) list, images checked, images in all, and
# (image shape, classes) as loading will set them, or None when that cannot be told
ImageCheck = tuple[str, list[tuple[str, str]], int, int, tuple[tuple[int, int, int], int] | None]
CHECKING = "checking"  # the fit of a network to the weights, while it is being checked
UNBUILDABLE = "unbuildable"  # a network with problems: nothing to check (Start says why)


def _spin(low: int, high: int, value: int, suffix: str = "", special: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setGroupSeparatorShown(True)
    if suffix:
        box.setSuffix(suffix)
    if special:
        box.setSpecialValueText(special)  # shown at the minimum, e.g. "all images"
    return box


class _Number(QDoubleSpinBox):
    """A spin box that shows 0.1 and 0.0001, not 0.100000 and 0.000100."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        text = f"{value:.{self.decimals()}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text


def _real(low: float, high: float, value: float, decimals: int, step: float) -> QDoubleSpinBox:
    box = _Number()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setValue(value)
    return box


class DataFields:
    """What the Train and New Experiment dialogs share: the data set, folder, data root
    and device fields' reading, their Browse… buttons, and the GPUs listed in the
    background. The dialog makes the widgets ``dataset``, ``folder``, ``data_root`` and
    ``device`` and sets ``_saved_device``."""

    def _with_browse(self, edit: QLineEdit, slot) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(slot)
        layout.addWidget(browse)
        return row

    def dataset_name(self) -> str:
        """``synthetic``, ``mnist``, … or ``folder:PATH``."""
        key = self.dataset.currentData()
        return f"{FOLDER_PREFIX}{self.folder.text().strip()}" if key == FOLDER else key

    def root(self) -> Path:
        text = self.data_root.text().strip()
        return Path(text).expanduser() if text else default_data_root()

    def _browse_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Folder of Images"), self.folder.text() or str(Path.home())
        )
        if path:
            self.folder.setText(path)

    def _browse_root(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Data Root"), str(self.root() if self.root().is_dir() else Path.home())
        )
        if path:
            self.data_root.setText(path)

    def _find_devices(self) -> None:
        """List the GPUs (torch loads in the background; Auto and CPU are there at once)."""

        def work():
            from resnet_studio.training.recipe import available_devices

            return available_devices()

        run_in_background(work, self._add_devices, lambda *_: None)
        self._select_device(self._saved_device)

    def _add_devices(self, devices: list[tuple[str, str]]) -> None:
        for device, label in devices:
            if self.device.findData(device) < 0:
                self.device.addItem(label, device)
        self._select_device(self._saved_device)

    def _select_device(self, device: str) -> None:
        index = self.device.findData(device)
        if index >= 0:
            self.device.setCurrentIndex(index)


class TrainDialog(DataFields, QDialog):
    """Collects a :class:`TrainRequest` for ``network`` and starts it on ``controller``."""

    def __init__(
        self,
        network: Network,
        controller: TrainingController,
        parent: QWidget | None = None,
        weights: TrainedWeights | None = None,
    ) -> None:
        super().__init__(parent)
        self.network = network
        self.controller = controller
        self.weights = weights  # offered to start from while they fit (see the module doc)
        # network -> how the weights fit it, CHECKING or UNBUILDABLE
        self._weights_fit: dict[Network, WeightsFit | str] = {}
        if weights is not None and weights.network is not None:
            from resnet_studio.model.weights import WeightsFit, WeightsMismatch  # with torch

            self._weights_fit[weights.network] = WeightsFit(WeightsMismatch())  # opened together
        self.settings = QSettings()
        self.setWindowTitle(self.tr("Train {0}").format(network.name))
        self.summary = infer(network)
        # (data set, fit to it) -> why the network cannot train on it ("" if it can)
        self._fitted: dict[tuple[str, bool], str] = {}
        # The last image check: (folder, unreadable (path, reason) list, checked, total,
        # and what the folder holds, (image shape, classes), or None if it cannot be told).
        self.image_check: ImageCheck | None = None
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._grow_to_fit)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(400)  # after typing pauses: not one check per keystroke
        self._check_timer.timeout.connect(self.check_images)
        self.has_shortcuts = plain_twin(network).body != network.body

        grid = QGridLayout(self)
        grid.addWidget(self._data_group(), 0, 0)
        grid.addWidget(self._run_group(), 1, 0)
        grid.addWidget(self._recipe_group(), 0, 1, 2, 1)
        self.check_label = QLabel()
        self.check_label.setWordWrap(True)
        self.check_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.check_label, 2, 0, 1, 2)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText(self.tr("Start Training"))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        grid.addWidget(self.buttons, 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self._show_weights_option()
        self._restore()
        for signal in (
            self.dataset.currentIndexChanged,
            self.folder.textChanged,
            self.data_root.textChanged,
            self.fit.toggled,
            self.twin.toggled,
            self.name.textChanged,
            self.skip_bad.toggled,
            self.from_weights.toggled,
        ):
            signal.connect(self.update_checks)
        self.folder.textChanged.connect(self._check_timer.start)
        self.dataset.currentIndexChanged.connect(self._check_timer.start)
        self._check_timer.start()  # the folder restored from last time
        self.dataset.currentIndexChanged.connect(self._dataset_changed)
        self._dataset_changed()
        self._find_devices()

    # --- building ---------------------------------------------------------------------

    def _data_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Data"))
        form = QFormLayout(box)
        self.dataset = QComboBox()
        for info in DATASETS.values():
            self.dataset.addItem(translate("datasets", info.label), info.name)
        self.dataset.addItem(self.tr("Image folder…"), FOLDER)
        self.dataset.setToolTip(
            self.tr("Synthetic shapes need no download; an image folder has a subfolder per class")
        )
        form.addRow(self.tr("Data set:"), self.dataset)

        self.folder = QLineEdit()
        self.folder.setPlaceholderText(self.tr("a folder with one subfolder per class"))
        self.folder_row = self._with_browse(self.folder, self._browse_folder)
        form.addRow(self.tr("Folder:"), self.folder_row)
        self.data_root = QLineEdit()
        self.data_root.setPlaceholderText(str(default_data_root()))
        self.data_root.setToolTip(self.tr("Where torchvision data sets are kept"))
        self.root_row = self._with_browse(self.data_root, self._browse_root)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setToolTip(self.tr("Fetch the data set with torchvision (internet)"))
        self.download_button.clicked.connect(self.download)
        self.root_row.layout().addWidget(self.download_button)
        form.addRow(self.tr("Data root:"), self.root_row)
        self.data_label = QLabel()
        self.data_label.setWordWrap(True)
        # Room for three lines, so a long path never clips when the data set changes.
        self.data_label.setMinimumHeight(3 * self.data_label.fontMetrics().lineSpacing() + 6)
        self.data_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        form.addRow("", self.data_label)
        self.skip_bad = QCheckBox(self.tr("Skip unreadable images"))
        self.skip_bad.setToolTip(
            self.tr(
                "Leave out image files that cannot be read (empty, cut short or damaged) "
                "instead of stopping at the first one"
            )
        )
        self.images_label = QLabel()
        self.images_label.setWordWrap(True)
        self.images_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.images_row = QWidget()
        images_layout = QVBoxLayout(self.images_row)
        images_layout.setContentsMargins(0, 0, 0, 0)
        images_layout.addWidget(self.skip_bad)
        images_layout.addWidget(self.images_label)
        form.addRow("", self.images_row)
        self.subset = _spin(0, 10_000_000, 0, special=self.tr("all images"))
        self.subset.setToolTip(self.tr("Train on the first N training images only (quick looks)"))
        form.addRow(self.tr("Subset:"), self.subset)
        self.fit = QCheckBox(self.tr("Fit the network's input and classes to the data"))
        self.fit.setChecked(True)
        self.fit.setToolTip(
            self.tr("Change the input shape and the classifier to the data set's; layers stay")
        )
        form.addRow("", self.fit)
        self.form_rows = form
        return box

    def _run_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Run"))
        form = QFormLayout(box)
        self.name = QLineEdit(self.network.name)
        form.addRow(self.tr("Name:"), self.name)
        self.device = QComboBox()
        self.device.addItem(self.tr("Auto (GPU if there is one)"), "auto")
        self.device.addItem(self.tr("CPU"), "cpu")
        form.addRow(self.tr("Device:"), self.device)
        source = self.weights.source.name if self.weights is not None else ""
        self.from_weights = QCheckBox(self.tr("Start from the weights of {0}").format(source))
        self.from_weights.setChecked(True)
        self.from_weights.setToolTip(
            self.tr(
                "Train from the weights opened from {0} instead of a fresh initialisation "
                "(fine-tuning); the plain twin always starts from scratch"
            ).format(source)
        )
        form.addRow("", self.from_weights)
        self.run_rows = form
        self.twin = QCheckBox(self.tr("Train plain twin too"))
        self.twin.setToolTip(
            self.tr(
                "Also train the same network without shortcuts, with the same seed, data order "
                "and recipe: the paper's plain-vs-residual comparison"
            )
        )
        if not self.has_shortcuts:
            self.twin.setEnabled(False)
            self.twin.setToolTip(self.tr("This network has no shortcuts: its plain twin is itself"))
        form.addRow("", self.twin)
        self.layer_stats = QCheckBox(self.tr("Record layer statistics (Fig. 7)"))
        self.layer_stats.setChecked(True)
        self.layer_stats.setToolTip(
            self.tr("Per-layer gradient norms and response std at the end of each epoch")
        )
        form.addRow("", self.layer_stats)
        return box

    def _recipe_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Recipe (the paper's CIFAR defaults)"))
        form = QFormLayout(box)
        self.epochs = _spin(1, 100_000, PAPER.epochs)
        form.addRow(self.tr("Epochs:"), self.epochs)
        self.batch_size = _spin(1, 65_536, PAPER.batch_size)
        form.addRow(self.tr("Batch size:"), self.batch_size)
        self.optimizer = QComboBox()
        for name in OPTIMIZERS:
            self.optimizer.addItem({"sgd": "SGD", "adam": "Adam", "adamw": "AdamW"}[name], name)
        form.addRow(self.tr("Optimizer:"), self.optimizer)
        self.lr = _real(1e-6, 10.0, PAPER.lr, 6, 0.01)
        form.addRow(self.tr("Learning rate:"), self.lr)
        self.momentum = _real(0.0, 0.999, PAPER.momentum, 3, 0.05)
        self.nesterov = QCheckBox(self.tr("Nesterov"))
        momentum_row = QWidget()
        row = QHBoxLayout(momentum_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.momentum, 1)
        row.addWidget(self.nesterov)
        form.addRow(self.tr("Momentum:"), momentum_row)
        self.weight_decay = _real(0.0, 0.5, PAPER.weight_decay, 6, 1e-4)
        form.addRow(self.tr("Weight decay:"), self.weight_decay)
        self.schedule = QComboBox()
        labels = {
            "step": self.tr("Step: ÷10 at 50% and 75%"),
            "cosine": self.tr("Cosine"),
            "constant": self.tr("Constant"),
        }
        for name in SCHEDULES:
            self.schedule.addItem(labels[name], name)
        form.addRow(self.tr("Schedule:"), self.schedule)
        self.warmup = _spin(0, 1_000_000, PAPER.warmup_iterations, special=self.tr("none"))
        self.warmup.setToolTip(
            self.tr("Iterations at lr 0.01 first (the paper warms ResNet-110 up for 400)")
        )
        form.addRow(self.tr("Warm-up iterations:"), self.warmup)
        self.label_smoothing = _real(0.0, 0.99, PAPER.label_smoothing, 2, 0.05)
        form.addRow(self.tr("Label smoothing:"), self.label_smoothing)
        self.seed = _spin(0, 2**31 - 1, PAPER.seed)
        form.addRow(self.tr("Seed:"), self.seed)
        defaults = QPushButton(self.tr("Paper Defaults"))
        defaults.clicked.connect(self.reset_recipe)
        form.addRow("", defaults)
        return box

    # --- values -----------------------------------------------------------------------

    def reset_recipe(self) -> None:
        """Put the paper's CIFAR recipe back into every recipe field."""
        self._set_recipe(PAPER)

    def _set_recipe(self, recipe: Recipe) -> None:
        self.epochs.setValue(recipe.epochs)
        self.batch_size.setValue(recipe.batch_size)
        self.optimizer.setCurrentIndex(max(0, self.optimizer.findData(recipe.optimizer)))
        self.lr.setValue(recipe.lr)
        self.momentum.setValue(recipe.momentum)
        self.nesterov.setChecked(recipe.nesterov)
        self.weight_decay.setValue(recipe.weight_decay)
        self.schedule.setCurrentIndex(max(0, self.schedule.findData(recipe.schedule)))
        self.warmup.setValue(recipe.warmup_iterations)
        self.label_smoothing.setValue(recipe.label_smoothing)
        self.seed.setValue(recipe.seed)

    def recipe(self) -> Recipe:
        """The recipe as entered (the widgets' ranges keep every value valid)."""
        return Recipe(
            optimizer=self.optimizer.currentData(),
            lr=self.lr.value(),
            momentum=self.momentum.value(),
            nesterov=self.nesterov.isChecked(),
            weight_decay=self.weight_decay.value(),
            batch_size=self.batch_size.value(),
            epochs=self.epochs.value(),
            schedule=self.schedule.currentData(),
            warmup_iterations=self.warmup.value(),
            label_smoothing=self.label_smoothing.value(),
            seed=self.seed.value(),
            device=self.device.currentData(),
            layer_stats=self.layer_stats.isChecked(),
        )

    def starts_from_weights(self) -> bool:
        """Whether the run starts from the opened weights: offered and ticked."""
        return (
            self.weights is not None
            and self.from_weights.isEnabled()
            and self.from_weights.isChecked()
        )

    def request(self) -> TrainRequest:
        weights = self.weights if self.starts_from_weights() else None
        return TrainRequest(
            network=self.network,
            dataset=self.dataset_name(),
            data_root=str(self.root()),
            subset=self.subset.value() or None,
            recipe=self.recipe(),
            name=self.name.text().strip(),
            with_twin=self.twin.isEnabled() and self.twin.isChecked(),
            fit_to_data=self.fit.isChecked(),
            skip_bad_images=self.dataset.currentData() == FOLDER and self.skip_bad.isChecked(),
            initial_weights=(
                InitialWeights(weights.state, str(weights.source)) if weights is not None else None
            ),
        )

    def _values(self) -> dict:
        recipe = self.recipe().to_dict()
        return {
            "dataset": self.dataset.currentData(),
            "folder": self.folder.text(),
            "data_root": self.data_root.text(),
            "subset": self.subset.value(),
            "fit": self.fit.isChecked(),
            "twin": self.twin.isChecked(),
            "skip_bad_images": self.skip_bad.isChecked(),
            "recipe": recipe,
        }

    def _restore(self) -> None:
        """Last time's choices (the network's name and shape are always this network's)."""
        try:
            values = json.loads(str(self.settings.value(SETTINGS_KEY, "{}")))
            recipe = Recipe.from_dict(values.get("recipe", {}))
        except (ValueError, TypeError, RecipeError):
            values, recipe = {}, PAPER  # damaged settings: start from the defaults
        self._set_recipe(recipe)
        self.layer_stats.setChecked(recipe.layer_stats or "recipe" not in values)
        self.dataset.setCurrentIndex(max(0, self.dataset.findData(values.get("dataset"))))
        self.folder.setText(str(values.get("folder", "")))
        self.data_root.setText(str(values.get("data_root", "")))
        self.subset.setValue(int(values.get("subset", 0) or 0))
        self.fit.setChecked(bool(values.get("fit", True)))
        self.twin.setChecked(bool(values.get("twin", False)))
        self.skip_bad.setChecked(bool(values.get("skip_bad_images", False)))
        self._saved_device = recipe.device

    # --- checks -------------------------------------------------------------------------

    def _dataset_changed(self) -> None:
        key = self.dataset.currentData()
        info = DATASETS.get(key)
        self.form_rows.setRowVisible(self.folder_row, key == FOLDER)
        self.form_rows.setRowVisible(self.images_row, key == FOLDER)
        self.form_rows.setRowVisible(self.root_row, bool(info and info.downloadable))
        self.update_checks()

    def problems(self) -> list[str]:
        """Why training cannot start now; empty when it can."""
        found = []
        if not self.summary.ok:
            found.append(
                self.tr("The network has problems (see the layers table): {0}").format(
                    shown_problem(self.summary.problems[0])
                )
            )
        if not self.name.text().strip():
            found.append(self.tr("Name: give the run a name"))
        key = self.dataset.currentData()
        if key == FOLDER:
            text = self.folder.text().strip()
            if not text:
                found.append(self.tr("Folder: choose the folder that holds your images"))
            elif not Path(text).expanduser().is_dir():
                found.append(self.tr("Folder: {0} is not a folder").format(text))
            elif self._unreadable() and not self.skip_bad.isChecked():
                bad = self._unreadable()
                found.append(
                    (
                        self.tr(
                            "Folder: 1 image cannot be read, {1} ({2}): remove it or tick "
                            "“Skip unreadable images”"
                        )
                        if len(bad) == 1
                        else self.tr(
                            "Folder: {0} images cannot be read, the first {1} ({2}): remove "
                            "them or tick “Skip unreadable images”"
                        )
                    ).format(f"{len(bad):,}", *bad[0])
                )
        info = self._data_info()
        if info is not None:
            problem = self._fit_problem(info, self.fit.isChecked())
            if problem:
                found.append(problem)
            elif self.starts_from_weights():
                found.extend(self._weights_problem(info))
        return found

    # --- the weights to start from ------------------------------------------------------

    def _fit_of(self, network: Network) -> WeightsFit | str:
        """How the weights fit ``network``, UNBUILDABLE, or CHECKING while a check runs in
        the background (started here when not known)."""
        if network not in self._weights_fit:
            self._weights_fit[network] = CHECKING
            state = self.weights.state

            def work() -> tuple[Network, WeightsFit | str]:
                from resnet_studio.model.build import BuildError
                from resnet_studio.model.weights import network_fit

                try:
                    return network, network_fit(network, state)
                except BuildError:
                    return network, UNBUILDABLE

            run_in_background(work, self._weights_checked, lambda *_: None)
        return self._weights_fit[network]

    def _weights_checked(self, result: tuple[Network, WeightsFit | str]) -> None:
        network, fit = result
        self._weights_fit[network] = fit
        self._show_weights_option()
        self.update_checks()

    def _show_weights_option(self) -> None:
        """Offer the weights while they fit the network as designed, a new classifier
        allowed (disabled while that is checked); say nothing when they do not."""
        fit = self._fit_of(self.network) if self.weights is not None else UNBUILDABLE
        fits = not isinstance(fit, str) and fit.usable
        self.run_rows.setRowVisible(self.from_weights, fits or fit == CHECKING)
        self.from_weights.setEnabled(fits)

    def _weights_problem(self, info: DatasetInfo) -> list[str]:
        """Why the weights do not fit the network fitted to ``info`` (once checked)."""
        fitted, _ = fit_network_to_data(self.network, info, True)
        fit = self._fit_of(fitted)
        if isinstance(fit, str) or fit.usable:
            return []  # they fit, or it is being checked (and starting checks it again)
        return [
            self.tr(
                "The weights of {0} do not fit the network fitted to {1}: {2}; untick “Start "
                "from the weights…” to train from scratch"
            ).format(
                self.weights.source.name,
                translate("datasets", info.label),
                shown(fit.mismatch.message()),
            )
        ]

    def _fit_problem(self, info: DatasetInfo, adaptable: bool) -> str:
        """Why the network cannot train on ``info`` as it will be started ("" if it can):
        the check that starting makes (training.orchestration), known before loading."""
        key = (info.name, adaptable)
        if key not in self._fitted:  # checks run on every keystroke: fit once
            try:
                label = translate("datasets", info.label)  # named as the combo names it
                fit_network_to_data(self.network, info, adaptable, label)
                self._fitted[key] = ""
            except DataMismatchError as err:
                problem = shown(err.problem)
                self._fitted[key] = (
                    problem
                    + self.tr(": tick “Fit the network…” or change the input shape and classes")
                    if not adaptable
                    else problem
                )
        return self._fitted[key]

    def _unreadable(self) -> list[tuple[str, str]]:
        """The unreadable images the last check found in the folder now chosen."""
        if self.image_check is None or self.image_check[0] != self._folder_key():
            return []
        return self.image_check[1]

    def _folder_key(self) -> str:
        return str(Path(self.folder.text().strip()).expanduser())

    def check_images(self) -> None:
        """Check the chosen folder's images in the background (bounded time)."""
        folder = self._folder_key()
        if self.dataset.currentData() != FOLDER or not self.folder.text().strip():
            return
        if not Path(folder).is_dir() or (self.image_check and self.image_check[0] == folder):
            return
        self.images_label.setStyleSheet("")
        self.images_label.setText(self.tr("Checking the images in {0}…").format(folder))

        def work() -> ImageCheck:
            from resnet_studio.training.datasets import (
                find_unreadable,
                folder_format,
                folder_image_paths,
            )

            paths = folder_image_paths(folder)
            bad, checked = find_unreadable(paths, seconds=IMAGE_CHECK_SECONDS)
            return folder, bad, checked, len(paths), folder_format(folder)

        run_in_background(work, self._images_checked, lambda *_: None)

    def _images_checked(self, result: ImageCheck) -> None:
        if result[0] != self._folder_key():
            return  # the folder changed meanwhile; its own check follows
        self.image_check = result
        self.update_checks()

    def _show_image_status(self) -> None:
        if self.image_check is None or self.image_check[0] != self._folder_key():
            return
        _, bad, checked, total, _ = self.image_check
        some = (
            self.tr("all {0} images").format(f"{total:,}")
            if checked == total
            else self.tr("the first {0} of {1} images (checked for {2:g} s)").format(
                f"{checked:,}", f"{total:,}", IMAGE_CHECK_SECONDS
            )
        )
        if not bad:
            self.images_label.setStyleSheet(OK_STYLE)
            self.images_label.setText(self.tr("Checked {0}: every one can be read").format(some))
            return
        text = self.tr("Checked {0}: {1} cannot be read, the first {2} ({3})").format(
            some, f"{len(bad):,}", *bad[0]
        )
        if self.skip_bad.isChecked():
            text += self.tr("; they will be left out")
        self.images_label.setStyleSheet(WARN_STYLE if self.skip_bad.isChecked() else ERROR_STYLE)
        self.images_label.setText(text)

    def update_checks(self) -> None:
        """Refresh the data status and the reasons Start is disabled."""
        self._fit_timer.start()  # once Qt has laid the new texts out
        self._show_data_status()
        self._show_image_status()
        problems = self.problems()
        self.start_button.setEnabled(not problems)
        if problems:
            self.check_label.setStyleSheet(ERROR_STYLE)
            self.check_label.setText("\n".join(problems))
            return
        self.check_label.setStyleSheet("")
        self.check_label.setText(self._plan())

    def _grow_to_fit(self) -> None:
        """Grow the dialog to the height its wrapped texts need at its width. Qt sizes a
        window once; a longer reason or plan, or the folder's rows shown, would otherwise
        squeeze the rows into each other."""
        layout = self.layout()
        width = self.width()
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else self.sizeHint().height()
        )
        if self.height() < needed:
            self.resize(width, needed)

    def _plan(self) -> str:
        """What Start will do, in a sentence or two."""
        info = self._data_info()
        name = self.name.text().strip()
        twin = self.twin.isEnabled() and self.twin.isChecked()
        unique = self.controller.unique_name(name, twin)  # what the runs table will call it
        text = self.tr("Trains {0} in the background; the window stays usable.").format(
            self.tr(" and ").join(run_names(unique, twin))
        )
        if unique != name:
            text += " " + self.tr("Numbered: the runs table has runs of that name already.")
        if self.starts_from_weights():
            text += " " + self.tr("{0} starts from the weights of {1}.").format(
                unique, self.weights.source.name
            )
            fit = self._fit_of(self._network_to_train(info))
            if not isinstance(fit, str) and fit.first_conv is not None:
                text += " " + (
                    self.tr(
                        "The weights are for {0}-channel images: the filters of {1} are summed "
                        "over the colours for 1 channel."
                    )
                    if fit.channels == 1
                    else self.tr(
                        "The weights are for {0}-channel images: the filters of {1} are spread "
                        "evenly over the colours for {2} channels."
                    )
                ).format(fit.weights_channels, fit.first_conv, fit.channels)
            if not isinstance(fit, str) and fit.new_classifier is not None:
                text += " " + self.tr(
                    "The weights are for {0} classes: its classifier ({1}) starts fresh for "
                    "{2}, the other layers start from the weights."
                ).format(f"{fit.weights_classes:,}", fit.new_classifier, f"{fit.classes:,}")
            if twin:
                text += " " + self.tr("Its plain twin starts from scratch.")
        if info is not None and (
            info.input_shape != self.network.input_shape or info.classes != self.network.classes
        ):
            text += " " + self.tr("The network is fitted to {0}: {1} images, {2} classes.").format(
                translate("datasets", info.label), format_shape(info.input_shape), info.classes
            )
        return text

    def _data_info(self) -> DatasetInfo | None:
        """What the chosen data set looks like: a built-in one's known shape and classes,
        a folder's once its check has read them; None while that is not known."""
        key = self.dataset.currentData()
        if key != FOLDER:
            return DATASETS.get(key)
        if self.image_check is None or self.image_check[0] != self._folder_key():
            return None
        found = self.image_check[4]
        if found is None:
            return None  # no class folders, an unreadable first image: Start says why
        folder = Path(self.image_check[0])
        # Named as the runs table names it: the folder's own name.
        return DatasetInfo(f"{FOLDER_PREFIX}{folder}", f"{FOLDER_PREFIX}{folder.name}", *found)

    def _network_to_train(self, info: DatasetInfo | None) -> Network:
        """The network Start trains: fitted to a built-in data set when asked."""
        if info is None or not self.fit.isChecked():
            return self.network
        try:
            return fit_network_to_data(self.network, info, True)[0]
        except DataMismatchError:
            return self.network  # Start is disabled, and says why

    def _show_data_status(self) -> None:
        info = DATASETS.get(self.dataset.currentData())
        self.download_button.setEnabled(bool(info and info.downloadable))
        if info is None:
            self.data_label.setText(
                self.tr(
                    "Class subfolders; with train/, val/ and test/ inside if you have them "
                    "(test/ is kept for the final evaluation)"
                )
            )
            self.data_label.setStyleSheet("")
        elif not info.downloadable:
            self.data_label.setText(
                self.tr("Built in: 10 classes of shapes on noisy backgrounds, made in memory")
            )
            self.data_label.setStyleSheet("")
        elif info.present_in(self.root()):
            self.data_label.setText(self.tr("Found in {0}").format(self.root()))
            self.data_label.setToolTip("")
            self.data_label.setStyleSheet(OK_STYLE)
        else:
            # The root itself is in the field above: the line stays short enough to read.
            missing = self.tr(
                "Not in this data root: press Download, or choose the folder that holds {0}"
            )
            self.data_label.setText(missing.format(info.expected))
            self.data_label.setToolTip(str(self.root()))
            self.data_label.setStyleSheet(WARN_STYLE)

    # --- actions ----------------------------------------------------------------------

    def download(self) -> None:
        """Fetch the chosen torchvision data set into the data root, in the background."""
        name, root = self.dataset.currentData(), self.root()

        def work() -> str:
            from resnet_studio.training.datasets import load_dataset

            load_dataset(name, root, download=True)
            return name

        self.download_button.setEnabled(False)
        self.data_label.setStyleSheet("")
        self.data_label.setText(self.tr("Downloading {0} into {1}…").format(name, root))
        run_in_background(work, self._downloaded, self._download_failed)

    def _downloaded(self, _name: str) -> None:
        self.update_checks()

    def _download_failed(self, reason: str, _traceback: str) -> None:
        self.download_button.setEnabled(True)
        self.data_label.setStyleSheet(ERROR_STYLE)
        self.data_label.setText(reason)

    def start(self) -> None:
        """Load the data and start the run(s); stay open with the reason if that fails."""
        if self.problems():
            return
        self.settings.setValue(SETTINGS_KEY, json.dumps(self._values()))
        self.start_button.setEnabled(False)
        self.check_label.setStyleSheet("")
        self.check_label.setText(self.tr("Loading {0}…").format(self.dataset_name()))
        self.controller.start(self.request(), self._started, self._failed)

    def _started(self, _names: list[str]) -> None:
        self.accept()

    def _failed(self, reason: str) -> None:
        self.start_button.setEnabled(True)
        self.check_label.setStyleSheet(ERROR_STYLE)
        self.check_label.setText(reason)
