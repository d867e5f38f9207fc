"""The designer window: canvas in the middle, palette, inspector and layers table in docks.

Thin by design: every edit goes through :class:`NetworkDocument` (one undo
command each); the views redraw from it. Work that needs torch (export, the
device label) runs in the background, so the window never waits for torch.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from resnet_studio import __version__
from resnet_studio.arch import edit
from resnet_studio.arch.catalogue import make_node
from resnet_studio.arch.presets import DEFAULT_PRESET, preset_network
from resnet_studio.arch.project import ProjectError, node_from_dict, node_to_dict
from resnet_studio.arch.spec import CONTAINERS, Network, SpecError
from resnet_studio.arch.twin import plain_twin
from resnet_studio.gui.canvas import CanvasView
from resnet_studio.gui.document import NetworkDocument, TrainedWeights
from resnet_studio.gui.experiment_dialog import NewExperimentDialog
from resnet_studio.gui.experiment_runner import experiments_controller
from resnet_studio.gui.inspector import InspectorWidget, NetworkSettingsWidget
from resnet_studio.gui.layers_table import LayersView
from resnet_studio.gui.lazy_panel import LazyPanel
from resnet_studio.gui.palette import PaletteWidget
from resnet_studio.gui.preset_dialog import PresetDialog
from resnet_studio.gui.recovery import RecoveryFile
from resnet_studio.gui.run_notices import ended_message
from resnet_studio.gui.runs_panel import RunsPanel, format_duration
from resnet_studio.gui.tasks import run_in_background
from resnet_studio.gui.train_dialog import TrainDialog
from resnet_studio.gui.training import training_controller
from resnet_studio.model.files import FORMAT_SUFFIXES

CLIPBOARD_KEY = "resnet-studio-layers"  # marks clipboard text as layers copied here
PROJECT_FILTER = "ResNet Studio project (*.json)"
OPEN_FILTERS = (
    "Projects and trained models (*.json *.pt *.pth)",
    "ResNet Studio project (*.json)",
    "Trained model (*.pt *.pth)",
)
MAX_RECENT = 8
AUTOSAVE_MS = 30_000

_windows: list[MainWindow] = []  # every open window, so new ones are not garbage-collected


def freeze_startup_objects() -> None:
    """Exclude everything loaded so far (Qt, torch) from future garbage collections.

    Once torch is imported a full collection walks millions of objects that will
    live as long as the program, which stalled an edit now and then by 100-200 ms.
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


_frozen = False


def format_macs(macs: int) -> str:
    """40,552,426 → ``40.6 M``."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if macs >= size:
            return f"{macs / size:.1f} {unit}"
    return str(macs)


class MainWindow(QMainWindow):
    """One network being designed."""

    def __init__(self, network: Network | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _windows.append(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.settings = QSettings()
        self.document = NetworkDocument(network or preset_network(DEFAULT_PRESET), self)
        self.recovery = RecoveryFile()
        self.resize(1280, 800)

        self.canvas = CanvasView(self.document)
        self.setCentralWidget(self.canvas)
        self.palette = PaletteWidget(self.document)
        self.inspector = InspectorWidget(self.document)
        self.network_settings = NetworkSettingsWidget(self.document)
        self.layers = LayersView(self.document)
        self.layers.totals_label.hide()  # the status bar shows the totals, once is enough
        self.training = training_controller()
        self.runs_panel = RunsPanel(self.training)
        self._stats_runs: list = []  # the runs the Layer Statistics tab shows once built
        self._selected_runs: list = []  # the runs the Evaluation tab shows once built
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()

        self.palette.append_requested.connect(self.append_layer)
        self.runs_panel.train_requested.connect(self.train)
        self.runs_panel.selection_changed.connect(self._show_layer_stats)
        self.runs_panel.selection_changed.connect(self._show_evaluation)
        self.runs_panel.evaluate_requested.connect(self.show_evaluation_tab)
        self.training.runs_started.connect(self._runs_started)
        self.training.model.run_ended.connect(self._run_ended)
        self.canvas.activated.connect(lambda _: self.inspector.setFocus())
        self.document.changed.connect(self._update_status)
        self.document.changed.connect(self._update_title)  # a rename changes the title
        self.document.selection_changed.connect(self._update_actions)
        self.document.path_changed.connect(self._update_title)
        self.document.undo_stack.cleanChanged.connect(self._update_title)
        self.autosave_timer = QTimer(self, interval=AUTOSAVE_MS, timeout=self._autosave)
        self.autosave_timer.start()

        self._update_title()
        self._update_status()
        self._update_actions()
        self._restore_layout()
        QTimer.singleShot(1000, self._detect_device)  # after the window is up
        if self.training.model.rowCount() == 0:
            QTimer.singleShot(0, self.training.reload)  # past runs and their curves

    # --- layout ----------------------------------------------------------------------

    def _dock(
        self, title: str, name: str, widget: QWidget | None, area: Qt.DockWidgetArea
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState() needs stable names
        if widget is not None:
            dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        # Side docks run the full height; the layers table sits under the canvas only.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.palette_dock = self._dock(
            self.tr("Palette"), "palette", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.inspector, 1)
        network_box = QGroupBox(self.tr("Network"))
        QVBoxLayout(network_box).addWidget(self.network_settings)
        side_layout.addWidget(network_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(side)
        self.inspector_dock = self._dock(
            self.tr("Inspector"), "inspector", scroll, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.layers_dock = self._dock(
            self.tr("Layers"), "layers", self.layers, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        # Training shares the bottom with the layers table, as tabs: side by side they
        # would squeeze the palette and inspector at 1280 pixels. Docks can be dragged apart.
        self.runs_dock = self._dock(
            self.tr("Runs"), "runs", self.runs_panel, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.curves_dock = self._dock(
            self.tr("Curves"), "curves", None, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.stats_dock = self._dock(
            self.tr("Layer Statistics"), "layer-stats", None, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.evaluation_dock = self._dock(
            self.tr("Evaluation"), "evaluation", None, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.curves_holder = LazyPanel(self._make_curves, self.curves_dock)
        self.stats_holder = LazyPanel(self._make_layer_stats, self.stats_dock)
        self.evaluation_holder = LazyPanel(self._make_evaluation, self.evaluation_dock)
        self.experiments_dock = self._dock(
            self.tr("Experiments"), "experiments", None, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.experiments_holder = LazyPanel(self._make_experiments, self.experiments_dock)
        self.experiments_dock.visibilityChanged.connect(self._experiments_visible)
        # After the holder's own handler: the panel exists when it hears it is shown.
        self.evaluation_dock.visibilityChanged.connect(self._evaluation_visible)
        for dock in (
            self.runs_dock,
            self.curves_dock,
            self.stats_dock,
            self.evaluation_dock,
            self.experiments_dock,
        ):
            self.tabifyDockWidget(self.layers_dock, dock)
        self.layers_dock.raise_()
        self.resizeDocks(
            [self.palette_dock, self.inspector_dock], [220, 320], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.layers_dock], [260], Qt.Orientation.Vertical)

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, QKeySequence.StandardKey):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        sk = QKeySequence.StandardKey
        self.new_action = self._action(
            self.tr("&New"), self.new_network, sk.New, self.tr("Start from an empty network")
        )
        self.preset_action = self._action(
            self.tr("New from &Preset…"),
            self.new_from_preset,
            "Ctrl+Shift+N",
            self.tr("Start from a paper network"),
        )
        self.open_action = self._action(self.tr("&Open…"), self.open_dialog, sk.Open)
        self.save_action = self._action(self.tr("&Save"), self.save, sk.Save)
        self.save_as_action = self._action(self.tr("Save &As…"), self.save_as, sk.SaveAs)
        self.quit_action = self._action(
            self.tr("&Quit"), self.close, sk.Quit, self.tr("Quit ResNet Studio")
        )
        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts(sk.Undo)
        self.redo_action = stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts(sk.Redo)
        self.cut_action = self._action(self.tr("Cu&t"), self.cut, sk.Cut)
        self.copy_action = self._action(self.tr("&Copy"), self.copy, sk.Copy)
        self.paste_action = self._action(self.tr("&Paste"), self.paste, sk.Paste)
        self.duplicate_action = self._action(self.tr("D&uplicate"), self.duplicate, "Ctrl+D")
        self.delete_action = self._action(self.tr("&Delete"), self.delete_selection, sk.Delete)
        self.twin_action = self._action(
            self.tr("Make &Plain Twin"),
            self.make_plain_twin,
            "Ctrl+T",
            self.tr("Open the same network without shortcuts in a new window"),
        )
        self.wrap_residual_action = self._action(
            self.tr("Wrap in &Residual"), lambda: self.wrap("Residual"), "Ctrl+R"
        )
        self.wrap_repeat_action = self._action(
            self.tr("Wrap in Re&peat"), lambda: self.wrap("Repeat"), "Ctrl+Shift+R"
        )
        self.unwrap_action = self._action(self.tr("&Unwrap"), self.unwrap, "Ctrl+Shift+U")
        self.input_action = self._action(
            self.tr("&Input Shape and Classes…"), self.focus_network_settings
        )
        self.zoom_in_action = self._action(self.tr("Zoom &In"), self.canvas.zoom_in, sk.ZoomIn)
        self.zoom_out_action = self._action(self.tr("Zoom &Out"), self.canvas.zoom_out, sk.ZoomOut)
        self.fit_action = self._action(self.tr("&Fit to Window"), self.canvas.fit_to_view, "Ctrl+0")
        self.reset_layout_action = self._action(self.tr("&Reset Layout"), self.reset_layout)
        self.export_actions = [
            self._action(
                self.tr("As &TorchScript (.pt)…"), lambda: self.export_model("torchscript")
            ),
            self._action(self.tr("As &Checkpoint (.pt)…"), lambda: self.export_model("checkpoint")),
            self._action(self.tr("As &ONNX (.onnx)…"), lambda: self.export_model("onnx")),
        ]
        self.export_csv_action = self._action(self.tr("Layers Table as &CSV…"), self.export_csv)
        self.export_image_action = self._action(self.tr("Canvas as &Image…"), self.export_image)
        self.about_action = self._action(self.tr("&About ResNet Studio"), self.show_about)
        self.train_action = self._action(
            self.tr("&Train…"),
            self.train,
            "F5",
            self.tr("Train this network (and its plain twin) in the background"),
        )
        self.stop_all_action = self._action(
            self.tr("&Stop All Runs"), self.stop_all_runs, tip=self.tr("Stop every training run")
        )
        self.new_experiment_action = self._action(
            self.tr("New &Experiment…"),
            self.new_experiment,
            "Ctrl+Shift+E",
            self.tr("Run one of the paper's studies, or a grid of your own, as one action"),
        )
        self.open_experiment_action = self._action(
            self.tr("&Open Experiment…"),
            self.open_experiment,
            tip=self.tr("Show an experiment folder from elsewhere"),
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.new_action, self.preset_action, self.open_action])
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action])
        export_menu = file_menu.addMenu(self.tr("&Export"))
        export_menu.addActions(self.export_actions)
        export_menu.addSeparator()
        export_menu.addActions([self.export_csv_action, self.export_image_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions(
            [
                self.cut_action,
                self.copy_action,
                self.paste_action,
                self.duplicate_action,
                self.delete_action,
            ]
        )

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action])
        view_menu.addSeparator()
        for dock in self._docks():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(self.reset_layout_action)

        network_menu = bar.addMenu(self.tr("&Network"))
        network_menu.addActions([self.preset_action, self.twin_action])
        network_menu.addSeparator()
        network_menu.addActions(
            [self.wrap_residual_action, self.wrap_repeat_action, self.unwrap_action]
        )
        network_menu.addSeparator()
        network_menu.addAction(self.input_action)

        training_menu = bar.addMenu(self.tr("&Training"))
        training_menu.addActions([self.train_action, self.stop_all_action])
        training_menu.addSeparator()
        training_menu.addActions([self.new_experiment_action, self.open_experiment_action])

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions(
            [self.new_action, self.preset_action, self.open_action, self.save_action]
        )
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addActions([self.twin_action, self.fit_action])
        toolbar.addSeparator()
        toolbar.addAction(self.train_action)

    def _build_status_bar(self) -> None:
        self.totals_label = QLabel()
        self.device_label = QLabel(self.tr("device: …"))
        self.device_label.setToolTip(self.tr("Where training will run"))
        self.training_label = QLabel()
        self.training_label.setToolTip(self.tr("Runs training now (see the Runs tab)"))
        self.statusBar().addWidget(self.totals_label, 1)
        self.statusBar().addPermanentWidget(self.training_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self.training_timer = QTimer(self, interval=1000, timeout=self._update_training_label)
        self.training_timer.start()

    def _restore_layout(self) -> None:
        self._default_state = self.saveState()
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _docks(self) -> list[QDockWidget]:
        return [
            self.palette_dock,
            self.inspector_dock,
            self.layers_dock,
            self.runs_dock,
            self.curves_dock,
            self.stats_dock,
            self.evaluation_dock,
            self.experiments_dock,
        ]

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self._docks():
            dock.show()

    # --- status -----------------------------------------------------------------------

    def _update_title(self, *_: object) -> None:
        path = self.document.path
        name = path.name if path else self.document.network.name
        trained = self.document.trained
        if path is None and trained is not None:
            name = self.tr("{0} (from {1})").format(name, trained.source.name)
        self.setWindowTitle(self.tr("{0}[*] — ResNet Studio").format(name))
        self.setWindowModified(self.document.modified)

    def _update_status(self) -> None:
        summary = self.document.summary
        text = self.tr("{0:,} parameters · {1} multiply-adds · depth {2}").format(
            summary.total_params, format_macs(summary.total_macs), summary.depth
        )
        if summary.problems:
            text += "  ·  " + (
                self.tr("1 problem")
                if len(summary.problems) == 1
                else self.tr("{0} problems").format(len(summary.problems))
            )
        self.totals_label.setText(text)
        self.totals_label.setToolTip(self.tr("{0:,} multiply-adds").format(summary.total_macs))
        self._update_actions()

    def _update_actions(self, *_: object) -> None:
        selected = self.document.selection
        has = bool(selected)
        for action in (
            self.cut_action,
            self.copy_action,
            self.duplicate_action,
            self.delete_action,
            self.wrap_residual_action,
            self.wrap_repeat_action,
        ):
            action.setEnabled(has)
        node = None
        if len(selected) == 1:
            try:
                node = self.document.node(selected[0])
            except edit.EditError:  # removed by this change; the pruned selection follows
                pass
        self.unwrap_action.setEnabled(isinstance(node, CONTAINERS))

    def _detect_device(self) -> None:
        """Import torch in the background and show where training would run."""

        def probe() -> str:
            import torch

            if torch.cuda.is_available():
                return f"CUDA ({torch.cuda.get_device_name(0)})"
            mps = getattr(torch.backends, "mps", None)
            return "MPS" if mps and mps.is_available() else "CPU"

        # Bound methods, not lambdas: Qt drops the call if the window is gone by then.
        run_in_background(probe, self._show_device, self._device_unavailable)

    def _show_device(self, device: str) -> None:
        self.device_label.setText(self.tr("device: {0}").format(device))
        freeze_startup_objects()

    def _device_unavailable(self, _reason: str, _traceback: str) -> None:
        self.device_label.setText(self.tr("device: unavailable"))

    # --- edits ------------------------------------------------------------------------

    def _insertion_point(self) -> tuple[str | None, int]:
        """After the selection (inside it when a container is selected), else at the end."""
        network = self.document.network
        selected = self.document.selection
        if selected:
            node = self.document.node(selected[-1])
            if isinstance(node, CONTAINERS):
                return node.id, len(node.body)
            where = edit.locate(network, node.id)
            return where.parent_id, where.index + 1
        return None, len(network.body)

    def _channels_at(self, parent_id: str | None, index: int) -> int | None:
        """Channels of the feature map entering position ``index`` of ``parent_id``."""
        body = edit.children_of(self.document.network, parent_id)
        rows = self.document.summary.rows
        ids = [body[index - 1].id] if index > 0 else ([parent_id] if parent_id else [])
        if not ids:
            return self.document.network.input_shape[0]
        for row in rows:
            if row.node_id == ids[0] and row.output_shape and not row.is_shortcut:
                if index == 0:  # entering a container: its input is unknown here; use its output
                    return row.output_shape[0]
                return row.output_shape[0] if len(row.output_shape) == 3 else None
        return None

    def _cannot(self, what: str, error: Exception) -> None:
        """An edit the network's limits refuse (too deep, too many layers): say why."""
        message = error.message if isinstance(error, SpecError) else str(error)
        QMessageBox.information(self, what, message)

    def append_layer(self, key: str) -> None:
        parent_id, index = self._insertion_point()
        node = make_node(key, self._channels_at(parent_id, index))
        try:
            self.document.insert(parent_id, index, node)
        except (edit.EditError, SpecError) as err:
            self._cannot(self.tr("Cannot add"), err)

    def delete_selection(self) -> None:
        if self.document.selection:
            self.document.remove(self.document.selection)

    def copy(self) -> None:
        nodes = [node_to_dict(self.document.node(i)) for i in self.document.selection]
        if nodes:
            # Plain text, tagged as ours: a QMimeData made in Python would be freed
            # by Qt after Python has shut down, crashing the program on exit.
            text = json.dumps({CLIPBOARD_KEY: nodes}, indent=1)
            QGuiApplication.clipboard().setText(text)

    def cut(self) -> None:
        self.copy()
        self.delete_selection()

    def paste(self) -> None:
        try:
            data = json.loads(QGuiApplication.clipboard().text())
        except ValueError:
            return  # not ours: someone else's text
        if not isinstance(data, dict) or not isinstance(data.get(CLIPBOARD_KEY), list):
            return
        try:
            nodes = [edit.fresh_copy(node_from_dict(d)) for d in data[CLIPBOARD_KEY]]
        except SpecError as err:
            self.statusBar().showMessage(self.tr("Cannot paste: {0}").format(err), 5000)
            return
        parent_id, index = self._insertion_point()
        network = self.document.network
        try:
            for offset, node in enumerate(nodes):
                network = edit.insert_node(network, parent_id, index + offset, node)
        except (edit.EditError, SpecError) as err:
            self._cannot(self.tr("Cannot paste"), err)
            return
        self.document.apply(network, self.tr("Paste"), select=[n.id for n in nodes])

    def duplicate(self) -> None:
        network = self.document.network
        copies = []
        try:
            for node_id in self.document.selection:
                where = edit.locate(network, node_id)
                copy = edit.fresh_copy(where.node)
                network = edit.insert_node(network, where.parent_id, where.index + 1, copy)
                copies.append(copy.id)
        except (edit.EditError, SpecError) as err:
            self._cannot(self.tr("Cannot duplicate"), err)
            return
        self.document.apply(network, self.tr("Duplicate"), select=copies)

    def wrap(self, kind: str) -> None:
        try:
            network, container = edit.wrap_nodes(
                self.document.network, self.document.selection, kind
            )
        except (edit.EditError, SpecError) as err:
            self._cannot(self.tr("Cannot wrap"), err)
            return
        self.document.apply(network, self.tr("Wrap in {0}").format(kind), select=[container])

    def unwrap(self) -> None:
        selected = self.document.selection
        if len(selected) == 1:
            try:
                network = edit.unwrap_node(self.document.network, selected[0])
            except edit.EditError as err:
                QMessageBox.information(self, self.tr("Cannot unwrap"), str(err))
                return
            self.document.apply(network, self.tr("Unwrap"))

    def focus_network_settings(self) -> None:
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        self.network_settings.setFocus()

    # --- documents and files ------------------------------------------------------------

    def new_network(self) -> None:
        MainWindow(Network(name="network")).show()

    def new_from_preset(self) -> None:
        dialog = PresetDialog(self)
        network = dialog.network() if dialog.exec() else None
        dialog.deleteLater()
        if network is None:
            return
        if self._is_pristine():
            self.document.set_network(network, self.tr("New from preset"))
        else:
            MainWindow(network).show()

    def _is_pristine(self) -> bool:
        return self.document.path is None and self.document.undo_stack.count() == 0

    def make_plain_twin(self) -> None:
        window = MainWindow(plain_twin(self.document.network))
        window.show()

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open"),
            self._last_dir(),
            ";;".join(self.tr(f) for f in OPEN_FILTERS),
        )
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        """Open ``path`` here when this window is untouched, else in a new window.

        A ``.pt`` model file loads in the background (it needs torch): True then
        means it was started; a failure is told in a message box.
        """
        if path.suffix.lower() in FORMAT_SUFFIXES["checkpoint"]:  # and TorchScript
            self.open_model(path)
            return True
        target = self if self._is_pristine() else MainWindow()
        try:
            target.document.load(path)
        except ProjectError as err:
            if target is not self:
                target.close()
            QMessageBox.warning(self, self.tr("Cannot open project"), str(err))
            return False
        target._remember(path)
        target.show()
        target.canvas.fit_to_view()
        return True

    def open_model(self, path: Path) -> None:
        """Open a checkpoint or TorchScript file's network with its trained weights.

        Nothing in the file runs: the network comes from its JSON and the weights
        are read as tensors (see model.load).
        """
        self.statusBar().showMessage(self.tr("Opening {0}…").format(path.name))

        def work() -> tuple:
            from resnet_studio.model.load import load_model_file

            loaded = load_model_file(path)
            state = {k: v.detach().cpu() for k, v in loaded.model.state_dict().items()}
            return loaded.network, TrainedWeights(state, loaded.meta, path)

        run_in_background(work, self._model_opened, self._model_failed)

    def _model_opened(self, result: tuple) -> None:
        network, weights = result
        self.statusBar().clearMessage()
        target = self if self._is_pristine() else MainWindow()
        target.document.open_trained(network, weights)
        target._remember(weights.source)
        target.show()
        target.canvas.fit_to_view()
        if weights.meta is not None and weights.meta.trained:
            note = self.tr("trained on {0}").format(weights.meta.dataset or "?")
        elif weights.meta is not None:
            note = self.tr("untrained weights")
        else:
            note = self.tr("weights without a record of their input normalisation")
        target.statusBar().showMessage(
            self.tr("Opened {0} ({1}); exporting from this window keeps its weights").format(
                weights.source.name, note
            ),
            10_000,
        )

    def _model_failed(self, reason: str, _traceback: str) -> None:
        self.statusBar().clearMessage()
        QMessageBox.warning(self, self.tr("Cannot open model"), reason)

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        suggested = str(Path(self._last_dir()) / f"{self.document.network.name}.json")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save Project"), suggested, self.tr(PROJECT_FILTER)
        )
        return bool(path) and self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except ProjectError as err:
            QMessageBox.warning(self, self.tr("Cannot save project"), str(err))
            return False
        self._remember(path)
        self.recovery.discard()
        self.statusBar().showMessage(self.tr("Saved {0}").format(path), 4000)
        return True

    def _last_dir(self) -> str:
        return str(self.settings.value("files/last_dir", str(Path.home())))

    def _remember(self, path: Path) -> None:
        recent = [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("files/recent", [str(path), *recent][:MAX_RECENT])
        self.settings.setValue("files/last_dir", str(path.parent))

    def recent_files(self) -> list[str]:
        value = self.settings.value("files/recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(Path(p)))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)

    # --- export ----------------------------------------------------------------------------

    def export_model(self, fmt: str) -> None:
        if not self.document.summary.ok:
            QMessageBox.warning(
                self,
                self.tr("Cannot export"),
                self.tr("The network has problems; fix them first:\n{0}").format(
                    self.document.summary.problems[0]
                ),
            )
            return
        suffix = ".onnx" if fmt == "onnx" else ".pt"
        suggested = str(Path(self._last_dir()) / f"{self.document.network.name}{suffix}")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export Model"), suggested, f"*{suffix}"
        )
        if path:
            self.export_model_to(Path(path), fmt)

    def export_model_to(self, path: Path, fmt: str) -> None:
        """Export in the background; the status bar says when it is done and with which
        weights: those opened from a model file while they fit the network, else
        freshly initialised (untrained) ones."""
        network = self.document.network
        trained = self.document.trained
        self.statusBar().showMessage(self.tr("Exporting {0}…").format(path.name))
        # Every text made here: the window may be closed while the work runs.
        untrained = self.tr("untrained: freshly initialised weights, no preprocessing")
        done_untrained = self.tr("Exported {0} ({1})")
        done_no_longer = self.tr(
            "Exported {0} ({1}): the network no longer fits the weights opened from {2}"
        )
        done_trained = self.tr("Exported {0} with the trained weights from {1}")
        no_meta = self.tr(
            "{0} does not record the input normalisation its weights were trained with; "
            "export from its run folder instead"
        )

        def work() -> str:
            from resnet_studio.model.build import build_model
            from resnet_studio.model.export import export_model

            if trained is None:
                export_model(path, fmt, network)
                return done_untrained.format(path, untrained)
            model = build_model(network)
            try:
                model.load_state_dict(trained.state)
                fits = trained.meta is None or (
                    trained.meta.input_shape == network.input_shape
                    and len(trained.meta.categories) == network.classes
                )
            except RuntimeError:
                fits = False
            if not fits:
                export_model(path, fmt, network)
                return done_no_longer.format(path, untrained, trained.source.name)
            if trained.meta is None:
                raise ValueError(no_meta.format(trained.source.name))
            export_model(path, fmt, network, model, trained.meta)
            return done_trained.format(path, trained.source.name)

        # Bound methods, not lambdas: Qt drops the call if the window is closed meanwhile.
        run_in_background(work, self._exported, self._export_failed)

    def _exported(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)

    def _export_failed(self, reason: str, _traceback: str) -> None:
        self.statusBar().clearMessage()
        QMessageBox.warning(self, self.tr("Export failed"), reason)

    def export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export Layers Table"),
            str(Path(self._last_dir()) / f"{self.document.network.name}.csv"),
            "*.csv",
        )
        if path:
            try:
                self.layers.to_csv(Path(path))
            except OSError as err:
                QMessageBox.warning(self, self.tr("Cannot write file"), str(err))

    def export_image(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export Canvas"),
            str(Path(self._last_dir()) / f"{self.document.network.name}.png"),
            self.tr("Images (*.png *.svg)"),
        )
        if path:
            try:
                self.canvas.export_image(Path(path))
            except (OSError, ValueError) as err:
                QMessageBox.warning(self, self.tr("Cannot write file"), str(err))

    # --- training -------------------------------------------------------------------------

    def _make_curves(self) -> QWidget:
        from resnet_studio.gui.live_plots import CurvesPanel  # pyqtgraph: only when shown

        return CurvesPanel(self.training.model)

    def _make_layer_stats(self) -> QWidget:
        from resnet_studio.gui.layer_stats import LayerStatsPanel  # pyqtgraph: only when shown

        panel = LayerStatsPanel(self.training.model)  # with none selected: the current run
        panel.show_runs(self._stats_runs)
        return panel

    @property
    def curves(self):
        """The Curves tab's panel (built now if it was not yet)."""
        return self.curves_holder.panel()

    @property
    def layer_stats(self):
        """The Layer Statistics tab's panel (built now if it was not yet)."""
        return self.stats_holder.panel()

    def _show_layer_stats(self, entries: list) -> None:
        self._stats_runs = entries
        if self.stats_holder.built:
            self.layer_stats.show_runs(entries)

    def _make_evaluation(self) -> QWidget:
        from resnet_studio.gui.evaluation_panel import EvaluationPanel

        panel = EvaluationPanel(self.training.model)
        panel.show_runs(self._selected_runs)
        return panel

    @property
    def evaluation(self):
        """The Evaluation tab's panel (built now if it was not yet)."""
        return self.evaluation_holder.panel()

    def _show_evaluation(self, entries: list) -> None:
        self._selected_runs = entries
        if self.evaluation_holder.built:
            self.evaluation.show_runs(entries)

    def show_evaluation_tab(self) -> None:
        self.evaluation_dock.show()
        self.evaluation_dock.raise_()

    def _evaluation_visible(self, visible: bool) -> None:
        if self.evaluation_holder.built:
            self.evaluation.set_on_screen(visible)
            if visible:  # a heat map with readable counts needs more room than curves
                self._make_room(self.evaluation_dock, 0.55)

    def _make_room(self, dock: QDockWidget, share: float = 0.42) -> None:
        """Give a bottom tab ``share`` of the window's height to be read, unless it floats."""
        if dock.height() < self.height() * (share - 0.02) and not dock.isFloating():
            self.resizeDocks([dock], [int(self.height() * share)], Qt.Orientation.Vertical)

    def train(self) -> None:
        """Open the Train dialog for the network being designed."""
        dialog = TrainDialog(self.document.network, self.training, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- experiments ----------------------------------------------------------------------

    def _make_experiments(self) -> QWidget:
        from resnet_studio.gui.experiment_panel import ExperimentsPanel  # pyqtgraph: when shown

        panel = ExperimentsPanel(experiments_controller())
        panel.new_requested.connect(self.new_experiment)
        panel.run_requested.connect(self.show_run)
        return panel

    @property
    def experiments(self):
        """The Experiments tab's panel (built now if it was not yet)."""
        return self.experiments_holder.panel()

    def _experiments_visible(self, visible: bool) -> None:
        if visible:  # a grid, a table and three figures: more room than the runs table
            self._make_room(self.experiments_dock, 0.6)

    def show_experiments_tab(self) -> None:
        self.experiments_dock.show()
        self.experiments_dock.raise_()
        self._make_room(self.experiments_dock, 0.6)

    def new_experiment(self) -> None:
        """Open the New Experiment dialog; the experiment it starts is shown here."""
        dialog = NewExperimentDialog(experiments_controller(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.experiment_started.connect(self._experiment_started)
        dialog.open()

    def _experiment_started(self, experiment) -> None:
        self.show_experiments_tab()
        self.experiments.select(experiment.path)

    def open_experiment(self) -> None:
        self.show_experiments_tab()
        self.experiments.open_dialog()

    def show_run(self, path: Path) -> None:
        """Show the run in ``path`` (an experiment's cell) in the Runs tab, selected."""
        from resnet_studio.training.runs import RUN_FILE

        if not (path / RUN_FILE).exists():
            self.statusBar().showMessage(self.tr("{0} has not started yet").format(path.name), 5000)
            return

        def work():
            from resnet_studio.training.runs import read_run

            return read_run(path, damaged_ok=True)

        run_in_background(work, self._run_read, self._run_read_failed)

    def _run_read(self, record) -> None:
        row = self.training.model.add_past(record)
        self.runs_dock.show()
        self.runs_dock.raise_()
        self.runs_panel.table.clearSelection()
        self.runs_panel.select_row(row)

    def _run_read_failed(self, reason: str, _traceback: str) -> None:
        QMessageBox.warning(self, self.tr("Cannot open run"), reason)

    def _confirm_stop_experiments(self) -> bool:
        """Closing the last window stops the experiments: ask first, then stop their cells
        (each saves a checkpoint; Resume continues the experiment)."""
        controller = experiments_controller()
        running = controller.running()
        if not running or len(_windows) > 1:
            return True
        names = ", ".join(e.spec.name for e in running)
        answer = QMessageBox.question(
            self,
            self.tr("Experiments are running"),
            self.tr(
                "{0} still running. Stop and quit? Each running cell saves a checkpoint; "
                "Resume in the Experiments tab continues where it stopped."
            ).format(
                self.tr("Experiment {0} is").format(names)
                if len(running) == 1
                else self.tr("Experiments {0} are").format(names)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.statusBar().showMessage(self.tr("Stopping experiments…"))
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            controller.stop_all()
        finally:
            QGuiApplication.restoreOverrideCursor()
        return True

    def _runs_started(self, _names: list[str]) -> None:
        # Every window shows the runs; the one the user works in brings the curves forward,
        # tall enough to read while the canvas stays usable.
        if self.isActiveWindow() or len(_windows) == 1:
            self.curves_dock.show()
            self.curves_dock.raise_()
            self._make_room(self.curves_dock)

    def _run_ended(self, entry) -> None:
        self.statusBar().showMessage(ended_message(entry), 30_000)

    def _update_training_label(self) -> None:
        """``2 runs training · 3:12 left`` while anything trains, else nothing."""
        training = self.training.training()
        if not training:
            self.training_label.setText("")
            return
        etas = [e for e in (entry.eta_seconds() for entry in training) if e is not None]
        text = (
            self.tr("1 run training")
            if len(training) == 1
            else self.tr("{0} runs training").format(len(training))
        )
        if etas:
            text += self.tr(" · {0} left").format(format_duration(max(etas)))
        self.training_label.setText(text)

    def stop_all_runs(self) -> None:
        training = self.training.training()
        for row in range(self.training.model.rowCount()):
            if self.training.model.record(row) in training:
                self.training.stop(row)

    def _confirm_stop_training(self) -> bool:
        """Closing the last window stops training: ask first, then stop each run cleanly."""
        training = self.training.training()
        if not training or len(_windows) > 1:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Runs are training"),
            self.tr(
                "{0} still training. Stop and quit? Each run saves a checkpoint "
                "you can resume from."
            ).format(
                self.tr("1 run is")
                if len(training) == 1
                else self.tr("{0} runs are").format(len(training))
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.statusBar().showMessage(self.tr("Stopping runs…"))
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.training.stop_all()
        finally:
            QGuiApplication.restoreOverrideCursor()
        return True

    # --- recovery and closing ---------------------------------------------------------------

    def _autosave(self) -> None:
        if self.document.modified:
            self.recovery.write(self.document.network, self.document.path)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About ResNet Studio"),
            self.tr(
                "ResNet Studio {0}\n\nDesign, train and compare residual networks "
                "(He et al., 2015)."
            ).format(__version__),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.document.modified:
            answer = QMessageBox.question(
                self,
                self.tr("Unsaved changes"),
                self.tr("Save the changes to {0} before closing?").format(
                    self.document.network.name
                ),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel or (
                answer == QMessageBox.StandardButton.Save and not self.save()
            ):
                event.ignore()
                return
        if not self._confirm_stop_training() or not self._confirm_stop_experiments():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.autosave_timer.stop()
        self.recovery.discard()
        if self in _windows:
            _windows.remove(self)
        event.accept()


def open_windows() -> list[MainWindow]:
    """The windows currently open (for tests and the app's start-up)."""
    return list(_windows)
