"""The designer window: canvas in the middle, palette, inspector and layers table in docks.

Thin by design: every edit goes through :class:`NetworkDocument` (one undo
command each); the views redraw from it. Work that needs torch (export, the
device label) runs in the background, so the window never waits for torch.
"""

from __future__ import annotations

import gc
from operator import attrgetter
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from resnet_studio import __version__
from resnet_studio.arch.clipboard import copy_text, paste_nodes
from resnet_studio.arch.edit import EditError
from resnet_studio.arch.presets import DEFAULT_PRESET, preset_network
from resnet_studio.arch.project import ProjectError
from resnet_studio.arch.spec import Network, SpecError
from resnet_studio.arch.twin import plain_twin
from resnet_studio.formatting import format_count
from resnet_studio.full_version import missing_full_version
from resnet_studio.gui.actions import (
    ACTIONS,
    MENUS,
    TOOLBAR,
    Separator,
    Slot,
    bindings,
    commands,
    plain_text,
    typed_keys,
)
from resnet_studio.gui.canvas import CanvasView
from resnet_studio.gui.core_text import shown_error, shown_problem
from resnet_studio.gui.document import NetworkDocument, TrainedWeights
from resnet_studio.gui.experiment_dialog import NewExperimentDialog
from resnet_studio.gui.experiment_runner import experiments_controller
from resnet_studio.gui.field_editors import redo_shortcuts
from resnet_studio.gui.full_version_box import refused_without_torch
from resnet_studio.gui.guide import GuideDialog
from resnet_studio.gui.import_dialog import ImportDialog
from resnet_studio.gui.inspector import InspectorWidget, NetworkSettingsWidget
from resnet_studio.gui.language import LanguageMenu
from resnet_studio.gui.layers_table import LayersView
from resnet_studio.gui.lazy_panel import LazyPanel
from resnet_studio.gui.palette import PaletteWidget
from resnet_studio.gui.preset_dialog import PresetDialog
from resnet_studio.gui.recovery import RecoveryFile
from resnet_studio.gui.run_notices import ended_message
from resnet_studio.gui.runs_panel import RunsPanel, ask_export_path, format_duration
from resnet_studio.gui.shortcuts_dialog import ShortcutsDialog
from resnet_studio.gui.tasks import run_in_background
from resnet_studio.gui.train_dialog import TrainDialog
from resnet_studio.gui.training import training_controller
from resnet_studio.gui.welcome import (
    COMPARISON,
    IMPORT,
    OPEN,
    PRESET,
    REOPEN,
    SCRATCH,
    WelcomeDialog,
)
from resnet_studio.gui.workspaces import DESIGN, TRAINING, Workspaces
from resnet_studio.model.files import FORMAT_SUFFIXES

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


class MainWindow(QMainWindow):
    """One network being designed."""

    def __init__(self, network: Network | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _windows.append(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.settings = QSettings()
        self.document = NetworkDocument(network or preset_network(DEFAULT_PRESET), self)
        self.recovery = RecoveryFile()
        self._quitting = False  # File → Quit asked already: close without asking again
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
        self.document.path_changed.connect(self._update_export_action)
        self.document.undo_stack.cleanChanged.connect(self._update_title)
        self.autosave_timer = QTimer(self, interval=AUTOSAVE_MS, timeout=self._autosave)
        self.autosave_timer.start()

        self._update_title()
        self._update_export_action()
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

    def _build_actions(self) -> None:
        """One QAction per row of the action table, kept as ``<name>_action``."""
        keys = bindings()
        for spec in commands():
            text = self.tr(spec.text)
            action = QAction(text, self)
            action.setObjectName(spec.name)
            # Fixed: the toolbar keeps it while Undo's menu text names the command.
            action.setIconText(plain_text(text).rstrip("…"))
            action.setShortcuts(keys[spec.name])
            action.setToolTip(self.tr(spec.tip) if spec.tip else action.iconText())
            action.setStatusTip(self.tr(spec.tip))
            handler = attrgetter(spec.handler)(self)
            action.triggered.connect(lambda _=False, h=handler, a=spec.args: h(*a))
            setattr(self, f"{spec.name}_action", action)
        # The two layouts: one is shown, its entry checked.
        layouts = QActionGroup(self)
        for action in (self.design_layout_action, self.training_layout_action):
            action.setCheckable(True)
            layouts.addAction(action)
        stack = self.document.undo_stack
        for signal in (
            stack.canUndoChanged,
            stack.canRedoChanged,
            stack.undoTextChanged,
            stack.redoTextChanged,
        ):
            signal.connect(self._update_undo_actions)
        self._update_undo_actions()
        self.redo_action.setShortcuts(redo_shortcuts())  # the platform's, and Ctrl+Y

    def _build_menus(self) -> None:
        """The menus and the toolbar, in the action table's order."""
        places = {name: self.menuBar().addMenu(self.tr(title)) for name, title in MENUS.items()}
        self.toolbar = self.addToolBar(self.tr("Main"))
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        places[TOOLBAR] = self.toolbar
        for row in ACTIONS:
            for where in row.where:
                place = places[where]
                if isinstance(row, Separator):
                    place.addSeparator()
                elif isinstance(row, Slot):
                    self._fill_slot(row.name, place)
                else:
                    place.addAction(getattr(self, f"{row.name}_action"))

    def _fill_slot(self, name: str, menu: QMenu) -> None:
        if name == "recent":
            self.recent_menu = menu.addMenu(self.tr("Open &Recent"))
            self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        elif name == "docks":
            for dock in self._docks():
                menu.addAction(dock.toggleViewAction())
        elif name == "language":
            self.language_menu = LanguageMenu(self.settings, self)
            menu.addMenu(self.language_menu)

    def _update_undo_actions(self, *_: object) -> None:
        """Undo and Redo name their command in the menu and the tooltip; the toolbar's
        labels stay as they are, so the buttons after them never move."""
        stack = self.document.undo_stack
        for action, can, command, bare, named in (
            (self.undo_action, stack.canUndo(), stack.undoText(), "&Undo", "&Undo {0}"),
            (self.redo_action, stack.canRedo(), stack.redoText(), "&Redo", "&Redo {0}"),
        ):
            action.setEnabled(can)
            text = self.tr(named).format(command) if command else self.tr(bare)
            action.setText(text)
            action.setToolTip(plain_text(text))

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
        self.workspaces = Workspaces(
            self,
            self.settings,
            [self.palette_dock, self.inspector_dock, self.layers_dock],
            self.runs_dock,
            [self.curves_dock, self.stats_dock, self.evaluation_dock, self.experiments_dock],
        )
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.workspaces.changed.connect(self._layout_changed)
        # The first window opens in the layout the program closed in; the ones opened
        # later (New, a preset, a plain twin) show a network, so they open in Design.
        self.workspaces.restore(None if len(_windows) == 1 else DESIGN)

    def show_layout(self, name: str) -> None:
        """View → Design Layout (Ctrl+1) or Training Layout (Ctrl+2)."""
        self.workspaces.switch(name)

    def _layout_changed(self, name: str) -> None:
        self.design_layout_action.setChecked(name == DESIGN)
        self.training_layout_action.setChecked(name == TRAINING)

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
        """View → Reset Layout: the layout shown, arranged as it was built."""
        self.workspaces.reset()

    # --- status -----------------------------------------------------------------------

    def _update_title(self, *_: object) -> None:
        path = self.document.path
        name = path.name if path else self.document.network.name
        trained = self.document.trained
        if path is None and trained is not None:
            name = self.tr("{0} (from {1})").format(name, trained.source.name)
        self.setWindowTitle(self.tr("{0}[*] — ResNet Studio").format(name))
        self.setWindowModified(self.document.modified)

    def _update_export_action(self, *_: object) -> None:
        """Say which weights File → Export writes: untrained ones for a network designed
        here, the opened ones for a network opened from a model file."""
        if self.document.trained is None:
            text = self.tr("Export &Untrained Network…")
            tip = self.tr(
                "Write the network with freshly initialised weights as TorchScript, a "
                "checkpoint or ONNX"
            )
        else:
            text = self.tr("Export Network with &Trained Weights…")
            tip = self.tr(
                "Write the network with the weights opened from {0}, while they fit it"
            ).format(self.document.trained.source.name)
        self.export_network_action.setText(text)
        self.export_network_action.setToolTip(tip)
        self.export_network_action.setStatusTip(tip)

    def _update_status(self) -> None:
        summary = self.document.summary
        text = self.tr("{0:,} parameters · {1} multiply-adds · depth {2}").format(
            summary.total_params, format_count(summary.total_macs), summary.depth
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
            self.wrap_group_action,
        ):
            action.setEnabled(has)
        self.unwrap_action.setEnabled(self.document.selected_container() is not None)

    def _detect_device(self) -> None:
        """Import torch in the background and show where training would run (or, without
        torch, that training needs the full version)."""
        missing = missing_full_version("Training")
        if missing is not None:  # the designer-only program: say so, and how to get torch
            self.device_label.setText(self.tr("device: needs the full version"))
            self.device_label.setToolTip(missing)
            return

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

    def _device_unavailable(self, reason: str, _traceback: str) -> None:
        self.device_label.setText(self.tr("device: unavailable"))
        # A torch that is there but does not load: the reason, for the user to act on.
        self.device_label.setToolTip(
            self.tr("Cannot tell where training would run: {0}").format(reason)
        )

    # --- edits ------------------------------------------------------------------------

    def _cannot(self, what: str, error: Exception) -> None:
        """An edit the network refuses (too deep, too many layers, not neighbours): say why."""
        message = shown_error(error)
        QMessageBox.information(self, what, message)

    def append_layer(self, key: str) -> None:
        try:
            self.document.add(key)
        except (EditError, SpecError) as err:
            self._cannot(self.tr("Cannot add"), err)

    def delete_selection(self) -> None:
        if self.document.selection:
            self.document.remove(self.document.selection)

    def copy(self) -> None:
        nodes = [self.document.node(i) for i in self.document.selection]
        if nodes:
            QGuiApplication.clipboard().setText(copy_text(nodes))

    def cut(self) -> None:
        self.copy()
        self.delete_selection()

    def paste(self) -> None:
        try:
            nodes = paste_nodes(QGuiApplication.clipboard().text())
            if nodes:  # none: someone else's text
                self.document.paste(nodes)
        except (EditError, SpecError) as err:
            self._cannot(self.tr("Cannot paste"), err)

    def duplicate(self) -> None:
        try:
            self.document.duplicate()
        except (EditError, SpecError) as err:
            self._cannot(self.tr("Cannot duplicate"), err)

    def wrap(self, kind: str) -> None:
        try:
            self.document.wrap(kind)
        except (EditError, SpecError) as err:
            self._cannot(self.tr("Cannot wrap"), err)

    def unwrap(self) -> None:
        try:
            self.document.unwrap()
        except (EditError, SpecError) as err:
            self._cannot(self.tr("Cannot unwrap"), err)

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
        if network is not None:
            self._show_network(network, self.tr("New from preset"))

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
            return self.open_model(path)
        target = self if self._is_pristine() else MainWindow()
        try:
            target.document.load(path)
        except ProjectError as err:
            if target is not self:
                target.close()
            QMessageBox.warning(self, self.tr("Cannot open project"), shown_error(err))
            return False
        target._remember(path)
        target.show()
        target.canvas.fit_to_view()
        return True

    def open_model(self, path: Path) -> bool:
        """Open a checkpoint or TorchScript file's network with its trained weights (in
        the background: True means it started).

        Nothing in the file runs: the network comes from its JSON and the weights
        are read as tensors (see model.load).
        """
        if refused_without_torch(self, "Opening a model file"):
            return False
        self.statusBar().showMessage(self.tr("Opening {0}…").format(path.name))

        def work() -> tuple:
            from resnet_studio.model.load import load_model_file

            loaded = load_model_file(path)
            state = {k: v.detach().cpu() for k, v in loaded.model.state_dict().items()}
            return loaded.network, TrainedWeights(state, loaded.meta, path, loaded.network)

        run_in_background(work, self._model_opened, self._model_failed)
        return True

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

    def import_model(self) -> None:
        """File → Import…: a PyTorch model with its weights, after its report."""
        if refused_without_torch(self, "Importing a model"):
            return
        dialog = ImportDialog(self.settings, self.document.network, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_requested.connect(self.open_imported)
        dialog.open()

    def open_imported(self, result, source: str) -> None:
        """Open an import's network with its weights, as a model file opens: here when
        this window is untouched, else in a new one. Export writes these weights, and
        Train can start from them."""
        from resnet_studio.model.metadata import untrained_meta

        network = result.network
        state = {k: v.detach().cpu() for k, v in result.state_dict.items()}
        # Imported weights carry no record of the data or normalisation they learnt from.
        meta = untrained_meta(network.input_shape, network.classes)
        target = self if self._is_pristine() else MainWindow()
        target.document.open_trained(network, TrainedWeights(state, meta, Path(source)))
        target.show()
        target.canvas.fit_to_view()
        how = self.tr("exactly") if result.report.exact else self.tr("not exactly: see its report")
        target.statusBar().showMessage(
            self.tr("Imported {0} ({1}); exporting from this window keeps its weights").format(
                source, how
            ),
            10_000,
        )

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
            QMessageBox.warning(self, self.tr("Cannot save project"), shown_error(err))
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

    def export_network(self) -> None:
        """Ask where, and as TorchScript, a checkpoint or ONNX; then export (see
        :meth:`export_model_to`). A network designed here has freshly initialised weights:
        the dialog's title, the suggested file name and the file itself say so."""
        if refused_without_torch(self, "Exporting a model"):
            return
        if not self.document.summary.ok:
            QMessageBox.warning(
                self,
                self.tr("Cannot export"),
                self.tr("The network has problems; fix them first:\n{0}").format(
                    shown_problem(self.document.summary.problems[0])
                ),
            )
            return
        name = self.document.network.name
        if self.document.trained is None:
            title = self.tr("Export Untrained Network (freshly initialised weights)")
            name = self.tr("{0}-untrained").format(name)
        else:
            title = self.tr("Export Network with Trained Weights")
        chosen = ask_export_path(self, title, Path(self._last_dir()) / f"{name}.pt")
        if chosen is not None:
            self.export_model_to(*chosen)

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
                QMessageBox.warning(self, self.tr("Cannot write file"), shown_error(err))

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
                QMessageBox.warning(self, self.tr("Cannot write file"), shown_error(err))

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
        """Open the Train dialog for the network being designed (offering to start from
        the weights it was opened with, while they fit it)."""
        if refused_without_torch(self, "Training"):
            return
        dialog = TrainDialog(
            self.document.network, self.training, self, weights=self.document.trained
        )
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

    def new_experiment(self, study: str | None = None) -> None:
        """Open the New Experiment dialog (on one of the paper's ``study`` when named); the
        experiment it starts is shown here."""
        if refused_without_torch(self, "Running an experiment"):
            return
        dialog = NewExperimentDialog(experiments_controller(), self)
        if study is not None:
            dialog.select_study(study)
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
        self._stop(self.tr("Stopping experiments…"), controller.stop_all)
        return True

    def _runs_started(self, _names: list[str]) -> None:
        # Every window shows the runs; the one the user works in brings the curves forward,
        # tall enough to read while the canvas stays usable.
        if self.isActiveWindow() or len(_windows) == 1:
            self.curves_dock.show()
            self.curves_dock.raise_()
            if self.workspaces.current == DESIGN:
                self._make_room(self.curves_dock)
                self.workspaces.offer_training(
                    self.statusBar(), self.tr("Show the Training layout (Ctrl+2)")
                )

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
        self._stop(self.tr("Stopping runs…"), self.training.stop_all)
        return True

    def _stop(self, message: str, stop) -> None:
        """Run ``stop`` (which waits for threads to end) with a wait cursor and ``message``."""
        self.statusBar().showMessage(message)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            stop()
        finally:
            QGuiApplication.restoreOverrideCursor()

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

    def show_guide(self) -> None:
        """Help → About Residual Learning; its links open what they name, here."""
        guide = GuideDialog(self)
        guide.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        guide.link_activated.connect(self._follow_guide_link)
        guide.show()

    def _follow_guide_link(self, kind: str, name: str) -> None:
        if kind == "experiment":
            self.new_experiment(study=name)
        else:
            network = preset_network(name)
            network = plain_twin(network) if kind == "twin" else network
            self._show_network(network, self.tr("Open {0}").format(network.name))

    def _show_network(self, network: Network, undo_text: str) -> None:
        """``network`` in this window when it is untouched (one undo step), else in a new
        window."""
        if self._is_pristine():
            self.document.set_network(network, undo_text)
            self.raise_()
        else:
            MainWindow(network).show()

    def show_welcome(self) -> None:
        """The start page (Help → Welcome Page; at start-up until turned off)."""
        page = WelcomeDialog(self.settings, self.recent_files(), self)
        page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # After the page has closed: what it starts may open a dialog of its own.
        page.chosen.connect(
            lambda choice, path: QTimer.singleShot(0, lambda: self.start_with(choice, path))
        )
        page.open()

    def start_with(self, choice: str, path: str = "") -> None:
        """Do what the start page's ``choice`` says."""
        if choice == PRESET:
            self.new_from_preset()
        elif choice == OPEN:
            self.open_dialog()
        elif choice == IMPORT:
            self.import_model()
        elif choice == REOPEN:
            self.open_path(Path(path))
        elif choice == SCRATCH:
            self._show_network(Network(name="network"), self.tr("Build from scratch"))
        elif choice == COMPARISON:
            self.new_experiment(study="degradation-cifar")

    def show_shortcuts(self) -> None:
        """Help → Keyboard Shortcuts: the keys of every command, from the action table."""
        rows = []
        for spec in commands():
            keys = typed_keys(getattr(self, f"{spec.name}_action").shortcuts())
            if keys:
                menu = plain_text(self.tr(MENUS[spec.where[0]]))
                rows.append((menu, plain_text(self.tr(spec.text)).rstrip("…"), keys))
        dialog = ShortcutsDialog(rows, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def quit_application(self) -> None:
        """File → Quit: close every window and end the program. Asks once, here, when any
        window has unsaved changes or runs or experiments are still going."""
        windows = open_windows()
        unsaved = [w for w in windows if w.document.modified]
        training = self.training.training()
        experiments = experiments_controller().running()
        if unsaved or training or experiments:
            buttons = (
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel
                if unsaved
                else QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
            )
            answer = QMessageBox.question(
                self,
                self.tr("Quit ResNet Studio"),
                self._quit_question(unsaved, len(training), experiments),
                buttons,
                QMessageBox.StandardButton.Save if unsaved else QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not all(w.save() for w in unsaved):
                return  # a save was cancelled or failed: nothing is closed
        if training:
            self._stop(self.tr("Stopping runs…"), self.training.stop_all)
        if experiments:
            self._stop(self.tr("Stopping experiments…"), experiments_controller().stop_all)
        for window in windows:
            window._quitting = True  # asked already: closing asks nothing more
            window.close()

    def _quit_question(self, unsaved: list[MainWindow], training: int, experiments: list) -> str:
        parts = []
        if unsaved:
            names = ", ".join(w.document.network.name for w in unsaved)
            parts.append(self.tr("Save the changes to {0} before quitting?").format(names))
        if training:
            parts.append(
                self.tr("1 run is still training.")
                if training == 1
                else self.tr("{0} runs are still training.").format(training)
            )
            parts[-1] += " " + self.tr(
                "Quitting stops each run with a checkpoint you can resume from."
            )
        if experiments:
            names = ", ".join(e.spec.name for e in experiments)
            parts.append(
                (
                    self.tr("Experiment {0} is running.")
                    if len(experiments) == 1
                    else self.tr("Experiments {0} are running.")
                ).format(names)
                + " "
                + self.tr(
                    "Quitting stops each running cell with a checkpoint; Resume in the "
                    "Experiments tab continues where it stopped."
                )
            )
        if not unsaved:
            parts.append(self.tr("Quit anyway?"))
        return "\n\n".join(parts)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self._quitting and not self._confirm_close():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.workspaces.save()
        self.autosave_timer.stop()
        self.recovery.discard()
        if self in _windows:
            _windows.remove(self)
        event.accept()

    def _confirm_close(self) -> bool:
        """Close Window: ask to save unsaved changes; the last window also asks to stop
        what trains or runs (other windows keep it going)."""
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
                return False
        return self._confirm_stop_training() and self._confirm_stop_experiments()


def open_windows() -> list[MainWindow]:
    """The windows currently open (for tests and the app's start-up)."""
    return list(_windows)
