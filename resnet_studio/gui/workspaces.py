"""The window's two layouts: Design and Training.

Design is the designer's layout: the canvas in the middle, the palette and the
inspector beside it, the layers table and the training views as tabs below.
Training gives the window to training and comparison: the runs table across the
top and the plots (Curves, Layer Statistics, Evaluation, Experiments) under it,
the canvas, palette, inspector and layers table put away. Each layout keeps its
own arrangement (dock positions, sizes, which tab is in front), saved with
QMainWindow.saveState under its own settings key, so a dock moved in one layout
stays where it was put when the user comes back to it.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QPushButton, QStatusBar

DESIGN, TRAINING = "design", "training"
WORKSPACES = (DESIGN, TRAINING)
CURRENT_KEY = "window/workspace"
RUNS_SHARE = 0.34  # of the window's height, the runs table's in the Training layout
OFFER_MS = 20_000  # how long the offer to switch stays in the status bar


def state_key(name: str) -> str:
    return f"window/state/{name}"


class Workspaces(QObject):
    """Switches ``window`` between the Design and Training layouts, each remembered."""

    changed = Signal(str)  # the layout now shown

    def __init__(
        self,
        window: QMainWindow,
        settings: QSettings,
        design_docks: list[QDockWidget],
        runs_dock: QDockWidget,
        plot_docks: list[QDockWidget],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.design_docks = design_docks
        self.runs_dock = runs_dock
        self.plot_docks = plot_docks
        self.current = DESIGN
        self.design_default = window.saveState()  # as built: Reset Layout's Design
        self.offer: QPushButton | None = None  # the offer to switch, while it is shown

    def saved_state(self, name: str) -> QByteArray | None:
        state = self.settings.value(state_key(name))
        return state if isinstance(state, QByteArray) and not state.isEmpty() else None

    def save(self) -> None:
        """Remember the arrangement of the layout shown, and which one it is."""
        self.settings.setValue(state_key(self.current), self.window.saveState())
        self.settings.setValue(CURRENT_KEY, self.current)

    def restore(self, name: str | None = None) -> None:
        """Show the ``name`` layout as it was left; by default the one the window closed in
        (at start-up)."""
        name = name or self.settings.value(CURRENT_KEY, DESIGN)
        self._show(name if name in WORKSPACES else DESIGN)

    def switch(self, name: str) -> None:
        """Show the ``name`` layout, as it was last left (or as built the first time)."""
        if name not in WORKSPACES:
            raise ValueError(f"no layout called {name!r}")
        if name == self.current:
            return
        self.save()
        self._show(name)

    def reset(self) -> None:
        """The layout shown, arranged as built."""
        self.settings.remove(state_key(self.current))
        self._arrange_default(self.current)

    def _show(self, name: str) -> None:
        self.current = name
        # The canvas is the central widget: hidden, the docks share its room.
        self.window.centralWidget().setVisible(name == DESIGN)
        state = self.saved_state(name)
        if state is None or not self.window.restoreState(state):
            self._arrange_default(name)
        self.withdraw_offer()
        self.settings.setValue(CURRENT_KEY, name)
        self.changed.emit(name)

    def _arrange_default(self, name: str) -> None:
        window = self.window
        if name == DESIGN:
            window.centralWidget().show()
            window.restoreState(self.design_default)
            for dock in [*self.design_docks, self.runs_dock, *self.plot_docks]:
                dock.show()
            return
        window.centralWidget().hide()
        for dock in self.design_docks:
            dock.hide()
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        for dock in [self.runs_dock, *self.plot_docks]:
            dock.setFloating(False)
            window.removeDockWidget(dock)  # out of the tabs they shared with the layers
        # One dock area, the runs table over the plots: it holds all the window's room.
        window.addDockWidget(bottom, self.runs_dock)
        first, *others = self.plot_docks
        window.splitDockWidget(self.runs_dock, first, Qt.Orientation.Vertical)
        for dock in others:
            window.tabifyDockWidget(first, dock)
        for dock in [self.runs_dock, *self.plot_docks]:
            dock.show()
        first.raise_()
        height = window.height()
        window.resizeDocks(
            [self.runs_dock, first],
            [int(height * RUNS_SHARE), int(height * (1 - RUNS_SHARE))],
            Qt.Orientation.Vertical,
        )

    # --- the offer to switch when training starts --------------------------------------

    def offer_training(self, status_bar: QStatusBar, text: str) -> None:
        """In the Design layout, a button in the status bar that switches to Training;
        it goes by itself after a while. Not a dialog: training has started either way."""
        if self.current == TRAINING:
            return
        self.withdraw_offer()
        self.offer = QPushButton(text)
        self.offer.setFlat(True)
        self.offer.setCursor(Qt.CursorShape.PointingHandCursor)
        self.offer.clicked.connect(lambda: self.switch(TRAINING))
        status_bar.addPermanentWidget(self.offer)
        QTimer.singleShot(OFFER_MS, self.offer, self.withdraw_offer)

    def withdraw_offer(self) -> None:
        if self.offer is not None:
            self.offer.hide()
            self.offer.deleteLater()
            self.offer = None
