"""Application start-up: the window first, torch later."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QSettings, QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from resnet_studio import __version__
from resnet_studio.assets import APP_ID, asset_path
from resnet_studio.gui.evaluation_jobs import cancel_all as cancel_all_evaluations
from resnet_studio.gui.experiment_runner import stop_all_experiments
from resnet_studio.gui.language import chosen_language, install_translators
from resnet_studio.gui.main_window import MainWindow
from resnet_studio.gui.recovery import find_recoverable
from resnet_studio.gui.training import stop_all_training
from resnet_studio.gui.welcome import SHOW_KEY, project_to_reopen, setting

# A plain name that pyside6-lupdate extracts from: translate("Context", "text").
translate = QCoreApplication.translate


def offer_recovery(window: MainWindow) -> bool:
    """After a crash, offer each window's unsaved work back (once); whether there was any."""
    found_any = False
    for found in find_recoverable():
        found_any = True
        answer = QMessageBox.question(
            window,
            translate("MainWindow", "Recover unsaved work?"),
            translate(
                "MainWindow", "ResNet Studio closed without saving changes to {0}. Restore them?"
            ).format(found.saved_path or found.network.name),
        )
        found.path.unlink(missing_ok=True)
        if answer == QMessageBox.StandardButton.Yes:
            target = window if window.document.undo_stack.count() == 0 else MainWindow()
            target.document.set_network(found.network, translate("MainWindow", "Recovered work"))
            target.show()
    return found_any


def program_icon() -> QIcon:
    """The program's icon at every size it is drawn in (resources/icons/hicolor)."""
    icon = QIcon()
    for folder in sorted(asset_path("icons", "hicolor").iterdir()):
        png = folder / "apps" / f"{APP_ID}.png"
        if png.is_file():  # "16x16" … "512x512"; "scalable" holds the SVG source
            side = int(folder.name.split("x")[0])
            icon.addFile(str(png), QSize(side, side))
    return icon


def configure_application(app: QApplication) -> None:
    """Name, version, icon and language; the desktop file name lets desktops group the
    windows under the installed launcher (and Wayland match them to it)."""
    app.setApplicationName("ResNet Studio")
    app.setOrganizationName("ResNet Studio")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(program_icon())
    # After the names, which say where QSettings keeps the choice; before any window.
    install_translators(app, chosen_language(QSettings()))


def run_app(argv: list[str] | None = None) -> int:
    """Create the QApplication, show the main window and run the event loop."""
    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    configure_application(app)
    # However the program ends, no run thread may outlive the event loop.
    app.aboutToQuit.connect(stop_all_training)
    app.aboutToQuit.connect(cancel_all_evaluations)
    app.aboutToQuit.connect(stop_all_experiments)
    window = MainWindow()
    window.show()
    QTimer.singleShot(0, lambda: start(window))
    return app.exec()


def start(window: MainWindow) -> None:
    """What the window opens on: unsaved work after a crash, else the last project when
    the user asked for it, else the start page (until turned off) over the default."""
    if offer_recovery(window):
        return
    reopen = project_to_reopen(window.settings, window.recent_files())
    if reopen is not None:
        window.open_path(reopen)
    elif setting(window.settings, SHOW_KEY, True):
        window.show_welcome()
