"""New from preset: pick one of the paper's networks, its input shape, classes and (the
CIFAR families) width."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import (
    DEFAULT_PRESET,
    PRESETS,
    WIDTH_MAX,
    WIDTH_MIN,
    cifar_channels,
    preset_network,
)
from resnet_studio.arch.spec import MAX_CLASSES, MAX_SPATIAL, Network, SpecError
from resnet_studio.gui.core_text import shown_error


class PresetDialog(QDialog):
    """Choose a preset; :meth:`network` gives it with the chosen input and classes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New from Preset"))
        self.resize(640, 460)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Network"), self.tr("Default input")])
        self.tree.setRootIsDecorated(True)
        families: dict[str, QTreeWidgetItem] = {}
        for preset in PRESETS.values():
            family = families.get(preset.family)
            if family is None:
                family = QTreeWidgetItem([self.tr("{0} networks").format(preset.family)])
                family.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(family)
                families[preset.family] = family
            shape = "×".join(map(str, preset.input_shape))
            item = QTreeWidgetItem(
                [preset.label, self.tr("{0}, {1} classes").format(shape, preset.classes)]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, preset.key)
            family.addChild(item)
            if preset.key == DEFAULT_PRESET:
                self.tree.setCurrentItem(item)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.currentItemChanged.connect(self._preset_changed)
        self.tree.itemDoubleClicked.connect(lambda item, _: item.parent() and self.accept())

        self.channels = self._spin(1, 1024)
        self.height_ = self._spin(1, MAX_SPATIAL)
        self.width_ = self._spin(1, MAX_SPATIAL)
        self.classes = self._spin(1, MAX_CLASSES)
        shape_row = QHBoxLayout()
        for label, spin in (
            (self.tr("C"), self.channels),
            (self.tr("H"), self.height_),
            (self.tr("W"), self.width_),
        ):
            shape_row.addWidget(QLabel(label))
            shape_row.addWidget(spin)
        # Width: a multiplier of the CIFAR networks' 16/32/64 channels (cheaper or wider
        # nets for a quick study); the other presets have none, so it is disabled there.
        self.width_multiplier = QDoubleSpinBox()
        self.width_multiplier.setRange(WIDTH_MIN, WIDTH_MAX)
        self.width_multiplier.setSingleStep(0.25)
        self.width_multiplier.setDecimals(2)
        self.width_multiplier.setPrefix("×")
        self.width_multiplier.setValue(1.0)
        self.width_multiplier.setKeyboardTracking(False)
        self.width_multiplier.valueChanged.connect(self._update_details)
        self._cifar_width = 1.0  # kept while a preset without a width is selected
        self.channels_note = QLabel()
        width_row = QHBoxLayout()
        width_row.addWidget(self.width_multiplier)
        width_row.addWidget(self.channels_note, 1)
        form = QFormLayout()
        form.addRow(self.tr("Input shape:"), shape_row)
        form.addRow(self.tr("Classes:"), self.classes)
        form.addRow(self.tr("Channel width:"), width_row)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(form)
        layout.addWidget(self.details)
        layout.addWidget(self.buttons)
        self._preset_changed()

    def _spin(self, low: int, high: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self._update_details)
        return spin

    def selected_key(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _preset_changed(self, *_: object) -> None:
        key = self.selected_key()
        if key is None:
            self._update_details()
            return
        preset = PRESETS[key]
        for spin, value in zip(
            (self.channels, self.height_, self.width_, self.classes),
            (*preset.input_shape, preset.classes),
            strict=True,
        ):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self._enable_width(preset.width_scalable)
        self._update_details()

    def _enable_width(self, scalable: bool) -> None:
        """Offer the width for a CIFAR preset; another shows ×1 (what it gets), and the
        width chosen before comes back with the next CIFAR preset."""
        spin = self.width_multiplier
        if scalable == spin.isEnabled():
            return
        spin.blockSignals(True)
        if scalable:
            spin.setValue(self._cifar_width)
        else:
            self._cifar_width = spin.value()
            spin.setValue(1.0)
        spin.blockSignals(False)
        spin.setEnabled(scalable)

    def width(self) -> float:
        """The width multiplier for the chosen preset: 1 for one that has none."""
        key = self.selected_key()
        if key is None or not PRESETS[key].width_scalable:
            return 1.0
        return self.width_multiplier.value()

    def network(self) -> Network | None:
        """The chosen preset at the chosen input shape, classes and width (None if none
        chosen)."""
        key = self.selected_key()
        if key is None:
            return None
        shape = (self.channels.value(), self.height_.value(), self.width_.value())
        return preset_network(key, shape, self.classes.value(), self.width())

    def _update_width(self) -> None:
        key = self.selected_key()
        if key is not None and PRESETS[key].width_scalable:
            channels = "/".join(map(str, cifar_channels(self.width())))
            self.channels_note.setText(self.tr("{0} channels").format(channels))
        else:
            self.channels_note.setText(self.tr("CIFAR networks only"))

    def _update_details(self) -> None:
        self._update_width()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            network = self.network()
        except SpecError as err:
            network, message = None, shown_error(err)
        else:
            message = self.tr("Choose a network.")
        if network is None:
            self.details.setText(message)
            ok.setEnabled(False)
            return
        summary = infer(network)
        # The name too: a width shows in it (cifar-resnet20-w0.5), as runs will be named.
        text = self.tr("{0}: {1} weighted layers · {2:,} parameters · {3:,} multiply-adds").format(
            network.name, summary.depth, summary.total_params, summary.total_macs
        )
        if summary.problems:
            text += "\n" + self.tr("Problem at this input: {0}").format(summary.problems[0])
        self.details.setText(text)
        ok.setEnabled(True)
