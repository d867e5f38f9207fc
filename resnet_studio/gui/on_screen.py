"""Whether a panel can be seen now, for the panels that redraw on a timer.

A dock tabbed behind another still answers ``isVisible()`` true: Qt moves it out
of sight, it does not hide it, and it gets no show event when its tab is chosen
again. What tells is the part of it left on screen (``visibleRegion``), and the
dock's ``visibilityChanged`` signal when its tab comes to the front.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QDockWidget, QWidget


def on_screen(widget: QWidget) -> bool:
    """Whether any of ``widget`` can be seen: shown, and not behind another tab."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


class ScreenWatch(QObject):
    """Calls ``came_back`` when the dock holding ``widget`` comes to the front (its tab
    chosen, or shown again), so that a panel that skipped its timer's redraws while
    out of sight catches up at once. Follows the widget into whichever dock holds it.
    """

    def __init__(self, widget: QWidget, came_back: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._came_back = came_back
        self._dock: QDockWidget | None = None
        widget.installEventFilter(self)
        self._find_dock()

    def _find_dock(self) -> None:
        dock = self._widget.parentWidget()
        while dock is not None and not isinstance(dock, QDockWidget):
            dock = dock.parentWidget()
        if dock is self._dock:
            return
        if self._dock is not None:
            with contextlib.suppress(RuntimeError):  # the old dock is gone already
                self._dock.visibilityChanged.disconnect(self._dock_visible)
        self._dock = dock
        if dock is not None:
            dock.visibilityChanged.connect(self._dock_visible)

    def _dock_visible(self, visible: bool) -> None:
        if visible:
            self._came_back()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.ParentChange, QEvent.Type.Show):
            self._find_dock()  # a panel is put in its dock after it is made
        return False
