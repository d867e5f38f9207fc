"""Application start-up: the window first, torch later."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from resnet_studio import __version__
from resnet_studio.gui.evaluation_jobs import cancel_all as cancel_all_evaluations
from resnet_studio.gui.experiment_runner import stop_all_experiments
from resnet_studio.gui.main_window import MainWindow
from resnet_studio.gui.recovery import find_recoverable
from resnet_studio.gui.training import stop_all_training


def offer_recovery(window: MainWindow) -> None:
    """After a crash, offer each window's unsaved work back (once)."""
    for found in find_recoverable():
        answer = QMessageBox.question(
            window,
            window.tr("Recover unsaved work?"),
            window.tr("ResNet Studio closed without saving changes to {0}. Restore them?").format(
                found.saved_path or found.network.name
            ),
        )
        found.path.unlink(missing_ok=True)
        if answer == QMessageBox.StandardButton.Yes:
            target = window if window.document.undo_stack.count() == 0 else MainWindow()
            target.document.set_network(found.network, window.tr("Recovered work"))
            target.show()


def run_app(argv: list[str] | None = None) -> int:
    """Create the QApplication, show the main window and run the event loop."""
    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    app.setApplicationName("ResNet Studio")
    app.setOrganizationName("ResNet Studio")
    app.setApplicationVersion(__version__)
    # However the program ends, no run thread may outlive the event loop.
    app.aboutToQuit.connect(stop_all_training)
    app.aboutToQuit.connect(cancel_all_evaluations)
    app.aboutToQuit.connect(stop_all_experiments)
    window = MainWindow()
    window.show()
    QTimer.singleShot(0, lambda: offer_recovery(window))
    return app.exec()
