"""A dock's content that is built the first time its tab is shown or it is asked for.

The plot tabs need pyqtgraph, which takes about 0.4 s to import: the designer
window must not wait for it, and a tab nobody opens need never load it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDockWidget, QVBoxLayout, QWidget


class LazyPanel(QWidget):
    """Holds the widget ``build()`` makes, on the first :meth:`panel` call.

    Pass the dock it lives in: the panel is built when the dock becomes visible
    to the user (a tabbed dock: when its tab is chosen). Its widget's own show
    event would not do: Qt shows every tabbed dock's widget as the window opens.
    """

    def __init__(self, build: Callable[[], QWidget], dock: QDockWidget) -> None:
        super().__init__()
        self._build = build
        self._panel: QWidget | None = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        dock.setWidget(self)
        dock.visibilityChanged.connect(self._dock_visible)

    @property
    def built(self) -> bool:
        return self._panel is not None

    def panel(self) -> QWidget:
        if self._panel is None:
            self._panel = self._build()
            self.layout().addWidget(self._panel)
            self._panel.show()  # a child added to a shown widget stays hidden otherwise
        return self._panel

    def _dock_visible(self, visible: bool) -> None:
        if visible:
            self.panel()
