"""Application start-up."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from resnet_studio import __version__
from resnet_studio.gui.main_window import MainWindow


def run_app(argv: list[str] | None = None) -> int:
    """Create the QApplication, show the main window and run the event loop."""
    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    app.setApplicationName("ResNet Studio")
    app.setOrganizationName("ResNet Studio")
    app.setApplicationVersion(__version__)
    window = MainWindow()
    window.show()
    return app.exec()
