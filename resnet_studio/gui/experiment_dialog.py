"""The New Experiment dialog: one of the paper's studies, or a grid of CIFAR ResNets.

A built-in study is picked by name at its quick or full size; its seeds,
length and data set can be changed as ``experiment run`` allows. A grid of
one's own is depths × plain/residual × one width × seeds. What cannot run is
refused here with the reason (the spec's own checks, data missing from the
data root, a network that cannot run on the data's images) before anything is
loaded; loading the data and making the folder then happen in the background,
and a failure there is shown too, with the dialog left open.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.gui.core_text import shown, shown_error
from resnet_studio.gui.experiment_runner import ExperimentsController
from resnet_studio.gui.tasks import run_in_background
from resnet_studio.gui.train_dialog import ERROR_STYLE, FOLDER, DataFields, _real, _spin
from resnet_studio.training.dataset_info import DATASETS, default_data_root
from resnet_studio.training.experiment import (
    BUILT_INS,
    QUICK_DATASET,
    QUICK_FOLDER,
    QUICK_SUBSET,
    Experiment,
    ExperimentError,
    ExperimentSpec,
    built_in,
    cell_network,
    family_depths,
)
from resnet_studio.training.orchestration import DataMismatchError, fit_network_to_data
from resnet_studio.training.recipe import Recipe

# A plain name that pyside6-lupdate extracts from: translate("Context", "text").
translate = QCoreApplication.translate

SETTINGS_KEY = "experiment/last"  # the dialog's values from last time, as JSON
# The paper's CIFAR depths to tick (1202, days of training on a CPU, is left to spec files).
GRID_DEPTHS = tuple(d for d in family_depths("cifar") if d <= 110)
DEFAULT_GRID_DEPTHS = (20, 56)
DEFAULT_BATCH = Recipe().batch_size


class NewExperimentDialog(DataFields, QDialog):
    """Collects an :class:`ExperimentSpec` and starts it on ``controller``."""

    experiment_started = Signal(object)  # the Experiment, once its folder is made

    def __init__(self, controller: ExperimentsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = QSettings()
        self.setWindowTitle(self.tr("New Experiment"))
        self._fits: dict[str, str] = {}  # (networks, data set) -> why not ("" if they fit)
        self._auto_parallel: dict[tuple[int, str], tuple[int, int]] = {}
        self._filling = False  # while a study fills the fields: no check per field
        self._loading = False  # the data loads and the folder is made: wait for it

        grid = QGridLayout(self)
        grid.addWidget(self._study_group(), 0, 0, 1, 2)
        grid.addWidget(self._runs_group(), 1, 0)
        grid.addWidget(self._running_group(), 2, 0)
        grid.addWidget(self._data_group(), 1, 1, 2, 1)
        self.check_label = QLabel()
        self.check_label.setWordWrap(True)
        self.check_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Room for three lines: the dialog does not jump as the reasons change.
        self.check_label.setMinimumHeight(3 * self.check_label.fontMetrics().lineSpacing() + 6)
        self.check_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.check_label, 3, 0, 1, 2)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText(self.tr("Start Experiment"))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        grid.addWidget(self.buttons, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self._restore()
        self._mode_changed()
        for signal in (
            self.builtin_radio.toggled,
            self.seeds.valueChanged,
            self.iterations.valueChanged,
            self.batch_size.valueChanged,
            self.width.valueChanged,
            self.name.textChanged,
            self.dataset.currentIndexChanged,
            self.folder.textChanged,
            self.data_root.textChanged,
            self.subset.valueChanged,
            self.device.currentIndexChanged,
            self.parallel.valueChanged,
            *(box.toggled for box in self.depth_boxes.values()),
            *(box.toggled for box in self.variant_boxes.values()),
        ):
            signal.connect(self.update_checks)
        self.builtin_radio.toggled.connect(self._mode_changed)
        self.study.currentIndexChanged.connect(self._study_changed)
        self.study_size.currentIndexChanged.connect(self._study_changed)
        self.dataset.currentIndexChanged.connect(self._dataset_changed)
        self._dataset_changed()
        self._find_devices()

    # --- building ---------------------------------------------------------------------

    def _study_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Study"))
        layout = QVBoxLayout(box)
        self.builtin_radio = QRadioButton(self.tr("A study from the paper:"))
        self.grid_radio = QRadioButton(self.tr("Your own grid of CIFAR ResNets:"))
        group = QButtonGroup(box)
        group.addButton(self.builtin_radio)
        group.addButton(self.grid_radio)

        row = QHBoxLayout()
        row.addWidget(self.builtin_radio)
        self.study = QComboBox()
        for entry in BUILT_INS.values():
            self.study.addItem(entry.name, entry.name)
        row.addWidget(self.study, 1)
        self.study_size = QComboBox()
        self.study_size.addItem(self.tr("Quick (a CPU, within the hour)"), True)
        self.study_size.addItem(self.tr("Full (the paper's size, for GPUs)"), False)
        row.addWidget(self.study_size, 1)
        layout.addLayout(row)
        self.study_label = QLabel()
        self.study_label.setWordWrap(True)
        self.study_label.setContentsMargins(24, 0, 0, 6)
        # Room for three lines, so that the form below is not squeezed as it wraps.
        self.study_label.setMinimumHeight(3 * self.study_label.fontMetrics().lineSpacing() + 6)
        self.study_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.study_label)

        layout.addWidget(self.grid_radio)
        self.grid_box = QWidget()
        form = QFormLayout(self.grid_box)
        form.setContentsMargins(24, 0, 0, 0)
        depths = QHBoxLayout()
        self.depth_boxes = {}
        for depth in GRID_DEPTHS:
            check = QCheckBox(str(depth))
            check.setChecked(depth in DEFAULT_GRID_DEPTHS)
            self.depth_boxes[depth] = check
            depths.addWidget(check)
        depths.addStretch(1)
        form.addRow(self.tr("Depths:"), depths)
        variants = QHBoxLayout()
        self.variant_boxes = {
            "plain": QCheckBox(self.tr("plain")),
            "residual": QCheckBox(self.tr("residual (ResNet)")),
        }
        for check in self.variant_boxes.values():
            check.setChecked(True)
            variants.addWidget(check)
        variants.addStretch(1)
        form.addRow(self.tr("Networks:"), variants)
        self.width = _real(0.25, 4.0, 1.0, 2, 0.25)
        self.width.setPrefix("×")
        self.width.setToolTip(
            self.tr("Channels times this: ×1 is the paper's 16/32/64, ×0.5 is 8/16/32")
        )
        form.addRow(self.tr("Width:"), self.width)
        self.name = QLineEdit("my-grid")
        self.name.setToolTip(self.tr("Names the experiment's folder"))
        form.addRow(self.tr("Name:"), self.name)
        layout.addWidget(self.grid_box)
        return box

    def _runs_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Runs"))
        form = QFormLayout(box)
        self.seeds = _spin(1, 100, 1)
        self.seeds.setToolTip(self.tr("Each network trains once per seed: seeds 0, 1, …"))
        form.addRow(self.tr("Seeds:"), self.seeds)
        self.iterations = _spin(1, 10_000_000, 441)
        self.iterations.setToolTip(
            self.tr("Training length; the learning rate drops ÷10 at 50% and 75% of it")
        )
        form.addRow(self.tr("Iterations:"), self.iterations)
        self.batch_size = _spin(1, 65_536, DEFAULT_BATCH)
        form.addRow(self.tr("Batch size:"), self.batch_size)
        return box

    def _running_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Running"))
        form = QFormLayout(box)
        self.device = QComboBox()
        self.device.addItem(self.tr("Auto (GPU if there is one)"), "auto")
        self.device.addItem(self.tr("CPU"), "cpu")
        form.addRow(self.tr("Device:"), self.device)
        self.parallel = _spin(0, 256, 0, special=self.tr("Auto"))
        self.parallel.setToolTip(
            self.tr("Runs trained at once; Auto: as many as the cores or the GPU's memory allow")
        )
        self.parallel_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.parallel)
        row.addWidget(self.parallel_label, 1)
        form.addRow(self.tr("At once:"), row)
        return box

    def _data_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Data"))
        form = QFormLayout(box)
        self.dataset = QComboBox()
        self.dataset.addItem(self.tr("CIFAR-10 images (quick studies)"), QUICK_DATASET)
        for info in DATASETS.values():
            self.dataset.addItem(translate("datasets", info.label), info.name)
        self.dataset.addItem(self.tr("Image folder…"), FOLDER)
        self.dataset.setToolTip(
            self.tr(
                "CIFAR-10 images: CIFAR-10's first {0:,} training images when it is in the "
                "data root, else the {1}/ folder there"
            ).format(QUICK_SUBSET, QUICK_FOLDER)
        )
        form.addRow(self.tr("Data set:"), self.dataset)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(self.tr("a folder with one subfolder per class"))
        self.folder_row = self._with_browse(self.folder, self._browse_folder)
        form.addRow(self.tr("Folder:"), self.folder_row)
        self.data_root = QLineEdit()
        self.data_root.setPlaceholderText(str(default_data_root()))
        self.data_root.setToolTip(self.tr("Where data sets are kept"))
        self.root_row = self._with_browse(self.data_root, self._browse_root)
        form.addRow(self.tr("Data root:"), self.root_row)
        self.subset = _spin(0, 10_000_000, 0, special=self.tr("all images"))
        self.subset.setToolTip(self.tr("Train on the first N training images only"))
        form.addRow(self.tr("Subset:"), self.subset)
        self.data_label = QLabel()
        self.data_label.setWordWrap(True)
        form.addRow("", self.data_label)
        self.data_form = form
        return box

    # --- the fields -------------------------------------------------------------------

    def _mode_changed(self) -> None:
        builtin = self.builtin_radio.isChecked()
        for widget in (self.study, self.study_size, self.study_label):
            widget.setEnabled(builtin)
        self.grid_box.setEnabled(not builtin)
        if builtin:
            self._study_changed()
        self.update_checks()

    def _study_changed(self) -> None:
        """Fill seeds, length and data set with the chosen study's own."""
        spec = self._study_spec()
        entry = BUILT_INS[self.study.currentData()]
        description = translate("experiments", spec.description)
        self.study_label.setText(
            f"{description[:1].upper()}{description[1:]}. "
            + self.tr("{0} runs.").format(len(spec.cells()))
            + (
                self.tr(" Quick: half-width networks on CIFAR-10 images.")
                if self.study_size.currentData() and spec.widths != (1.0,)
                else ""
            )
        )
        self.study_label.setToolTip(translate("experiments", entry.description))
        self._filling = True
        try:
            self.seeds.setValue(len(spec.seeds))
            self.iterations.setValue(int(spec.recipe.get("iterations", 1)))
            self.batch_size.setValue(int(spec.recipe.get("batch_size", DEFAULT_BATCH)))
            index = self.dataset.findData(spec.dataset)
            if index >= 0:
                self.dataset.setCurrentIndex(index)
            self.subset.setValue(spec.subset or 0)
        finally:
            self._filling = False
        self.update_checks()

    def select_study(self, name: str) -> None:
        """Choose the paper's study ``name`` (a key of BUILT_INS)."""
        self.builtin_radio.setChecked(True)
        self.study.setCurrentIndex(self.study.findData(name))

    def _study_spec(self) -> ExperimentSpec:
        return built_in(self.study.currentData(), bool(self.study_size.currentData()))

    def spec(self) -> ExperimentSpec:
        """The experiment as chosen; :class:`ExperimentError` names a field that is wrong."""
        recipe = {"iterations": self.iterations.value()}
        if self.batch_size.value() != DEFAULT_BATCH:
            recipe["batch_size"] = self.batch_size.value()
        seeds = tuple(range(self.seeds.value()))
        dataset, subset = self.dataset_name(), self.subset.value() or None
        if self.builtin_radio.isChecked():
            study = self._study_spec()
            kept = {k: v for k, v in study.recipe.items() if k not in ("epochs", "iterations")}
            spec = dataclasses.replace(
                study,
                seeds=seeds,
                recipe={**kept, **recipe},
                dataset=dataset,
                subset=subset,
            )
        else:
            depths = tuple(d for d, box in self.depth_boxes.items() if box.isChecked())
            variants = tuple(v for v, box in self.variant_boxes.items() if box.isChecked())
            if not depths:
                raise ExperimentError(self.tr("Depths: tick at least one depth"))
            if not variants:
                raise ExperimentError(self.tr("Networks: tick plain, residual or both"))
            spec = ExperimentSpec(
                name=self.name.text().strip(),
                family="cifar",
                depths=depths,
                variants=variants,
                widths=(round(self.width.value(), 2),),
                seeds=seeds,
                dataset=dataset,
                subset=subset,
                recipe=recipe,
            )
        spec.check()
        return spec

    def _dataset_changed(self) -> None:
        key = self.dataset.currentData()
        self.data_form.setRowVisible(self.folder_row, key == FOLDER)
        info = DATASETS.get(key)
        self.data_form.setRowVisible(
            self.root_row, key == QUICK_DATASET or bool(info and info.downloadable)
        )
        # The quick studies' images come with their size: 8,000 of CIFAR-10 or the folder.
        self.data_form.setRowVisible(self.subset, key != QUICK_DATASET)
        self.update_checks()

    # --- checks -------------------------------------------------------------------------

    def problems(self) -> list[str]:
        """Why the experiment cannot start now; empty when it can."""
        try:
            spec = self.spec()
        except ExperimentError as err:
            return [shown_error(err)]
        found = []
        problem = self._data_problem()
        if problem:
            found.append(problem)
        problem = self._fit_problem(spec)
        if problem:
            found.append(problem)
        return found

    def _data_problem(self) -> str:
        key, root = self.dataset.currentData(), self.root()
        if key == FOLDER:
            text = self.folder.text().strip()
            if not text:
                return self.tr("Folder: choose the folder that holds your images")
            if not Path(text).expanduser().is_dir():
                return self.tr("Folder: {0} is not a folder").format(text)
            return ""
        if key == QUICK_DATASET:
            if DATASETS["cifar10"].present_in(root) or (root / QUICK_FOLDER / "train").is_dir():
                return ""
            return self.tr(
                "Data root: neither {0} nor {1}/train/ is in {2}; choose the folder that "
                "holds one of them"
            ).format(DATASETS["cifar10"].expected, QUICK_FOLDER, root)
        info = DATASETS[key]
        if info.downloadable and not info.present_in(root):
            return self.tr(
                "Data root: {0} is not in {1}; choose the folder that holds {2}, or "
                "download it from the Train dialog"
            ).format(translate("datasets", info.label), root, info.expected)
        return ""

    def _fit_problem(self, spec: ExperimentSpec) -> str:
        """Why some network of the grid cannot run on the data set's images ("" if all can);
        known before loading for the built-in data sets (an image folder is checked as it
        loads)."""
        key = self.dataset.currentData()
        info = DATASETS.get("cifar10" if key == QUICK_DATASET else key)
        if info is None:
            return ""
        cells = spec.cells()
        networks = {cell.network: cell for cell in cells}
        memo = json.dumps([sorted(networks), spec.family, info.name])
        if memo not in self._fits:  # checks run on every keystroke: fit once
            self._fits[memo] = ""
            for cell in networks.values():
                try:
                    label = translate("datasets", info.label)
                    fit_network_to_data(cell_network(spec, cell, {}), info, True, label)
                except DataMismatchError as err:
                    self._fits[memo] = f"{cell.network}: {shown(err.problem)}"
                    break
        return self._fits[memo]

    def update_checks(self) -> None:
        """Refresh the reasons Start is disabled, or what Start will do."""
        if self._filling:
            return
        problems = self.problems()
        self.start_button.setEnabled(not problems)
        self._show_parallel()
        if problems:
            self.check_label.setStyleSheet(ERROR_STYLE)
            self.check_label.setText("\n".join(problems))
            return
        self.check_label.setStyleSheet("")
        self.check_label.setText(self._plan())
        self._show_data_note()

    def _show_data_note(self) -> None:
        key, root = self.dataset.currentData(), self.root()
        if key == QUICK_DATASET:
            if DATASETS["cifar10"].present_in(root):
                text = self.tr("CIFAR-10's first {0:,} training images").format(QUICK_SUBSET)
            else:
                text = self.tr("The images in {0}").format(root / QUICK_FOLDER)
        elif key == "synthetic":
            text = self.tr("Built in: 10 classes of shapes, made in memory")
        else:
            text = ""
        self.data_label.setText(text)

    def _plan(self) -> str:
        spec = self.spec()
        cells = spec.cells()
        networks = len({c.network for c in cells})
        text = self.tr("{0} runs ({1} networks × {2} seeds), {3:,} iterations each").format(
            len(cells), networks, len(spec.seeds), self.iterations.value()
        )
        text += self.tr(", in a new folder under {0}.").format(self.controller.root())
        if self.builtin_radio.isChecked() and self.study_size.currentData():
            text += " " + self.tr("The quick size finishes within an hour on a 2-core CPU.")
        return text

    # --- K at a time --------------------------------------------------------------------

    def _show_parallel(self) -> None:
        """Say what Auto means for this grid and device (worked out in the background:
        it may look at the GPU's free memory, which loads torch)."""
        if self.parallel.value():
            self.parallel_label.setText(self.tr("runs at a time"))
            return
        try:
            count = len(self.spec().cells())
        except ExperimentError:
            self.parallel_label.setText("")
            return
        key = (count, self.device.currentData())
        if key in self._auto_parallel:
            k, threads = self._auto_parallel[key]
            self.parallel_label.setText(
                self.tr("{0} at a time, {1} thread(s) each").format(k, threads)
            )
            return
        self.parallel_label.setText("…")

        def work() -> tuple[tuple[int, str], tuple[int, int]]:
            from resnet_studio.training.scheduler import plan_parallel

            return key, plan_parallel(*key)

        run_in_background(work, self._parallel_found, lambda *_: None)

    def _parallel_found(self, result: tuple[tuple[int, str], tuple[int, int]]) -> None:
        key, chosen = result
        self._auto_parallel[key] = chosen
        self._show_parallel()

    def parallel_choice(self) -> int | None:
        """K as chosen, or None for the scheduler's own choice."""
        return self.parallel.value() or None

    # --- devices, files and settings ----------------------------------------------------

    def _values(self) -> dict:
        return {
            "builtin": self.builtin_radio.isChecked(),
            "study": self.study.currentData(),
            "quick": bool(self.study_size.currentData()),
            "depths": [d for d, box in self.depth_boxes.items() if box.isChecked()],
            "variants": [v for v, box in self.variant_boxes.items() if box.isChecked()],
            "width": self.width.value(),
            "name": self.name.text(),
            "seeds": self.seeds.value(),
            "iterations": self.iterations.value(),
            "batch_size": self.batch_size.value(),
            "dataset": self.dataset.currentData(),
            "folder": self.folder.text(),
            "data_root": self.data_root.text(),
            "subset": self.subset.value(),
            "device": self.device.currentData(),
            "parallel": self.parallel.value(),
        }

    def _restore(self) -> None:
        """Last time's choices; the paper's degradation study, quick, the first time."""
        try:
            values = json.loads(str(self.settings.value(SETTINGS_KEY, "{}")))
            if not isinstance(values, dict):
                raise ValueError
        except ValueError:
            values = {}  # damaged settings: the defaults
        self._saved_device = str(values.get("device", "auto"))

        def number(key: str, default: float) -> float:
            value = values.get(key, default)
            return value if isinstance(value, int | float) else default

        self.study.setCurrentIndex(max(0, self.study.findData(values.get("study"))))
        self.study_size.setCurrentIndex(0 if values.get("quick", True) else 1)
        depths = values.get("depths", list(DEFAULT_GRID_DEPTHS))
        for depth, box in self.depth_boxes.items():
            box.setChecked(isinstance(depths, list) and depth in depths)
        variants = values.get("variants", ["plain", "residual"])
        for variant, box in self.variant_boxes.items():
            box.setChecked(isinstance(variants, list) and variant in variants)
        self.width.setValue(number("width", 1.0))
        self.name.setText(str(values.get("name", "my-grid")))
        self.data_root.setText(str(values.get("data_root", "")))
        self.folder.setText(str(values.get("folder", "")))
        if values.get("builtin", True):
            self.builtin_radio.setChecked(True)
            self._study_changed()  # the study's own seeds, length and data
        else:
            self.grid_radio.setChecked(True)
            self.seeds.setValue(int(number("seeds", 1)))
            self.iterations.setValue(int(number("iterations", 441)))
            self.batch_size.setValue(int(number("batch_size", DEFAULT_BATCH)))
            self.dataset.setCurrentIndex(max(0, self.dataset.findData(values.get("dataset"))))
            self.subset.setValue(int(number("subset", 0)))
        self.parallel.setValue(int(number("parallel", 0)))

    # --- starting -----------------------------------------------------------------------

    def start(self) -> None:
        """Load the data, make the folder and start; stay open with the reason if that fails."""
        if self.problems():
            return
        spec = self.spec()
        self.settings.setValue(SETTINGS_KEY, json.dumps(self._values()))
        self.start_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)
        self._loading = True
        self.check_label.setStyleSheet("")
        self.check_label.setText(self.tr("Loading {0}…").format(self.dataset.currentText()))
        self.controller.create(
            spec,
            self.root(),
            device=self.device.currentData(),
            parallel=self.parallel_choice(),
            on_started=self._started,
            on_failed=self._failed,
        )

    def reject(self) -> None:
        if not self._loading:  # the experiment starts once loaded: the dialog says so
            super().reject()

    def _started(self, experiment: Experiment) -> None:
        self._loading = False
        self.experiment_started.emit(experiment)
        self.accept()

    def _failed(self, reason: str) -> None:
        self._loading = False
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(True)
        self.start_button.setEnabled(True)
        self.check_label.setStyleSheet(ERROR_STYLE)
        self.check_label.setText(reason)
