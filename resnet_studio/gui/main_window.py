"""The main window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from resnet_studio import __version__


class MainWindow(QMainWindow):
    """Top-level window: menus, status bar and (for now) a placeholder centre."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("ResNet Studio"))
        self.resize(1280, 800)

        placeholder = QLabel(
            self.tr(
                "Welcome to ResNet Studio.\n\nThe network designer arrives in the next release."
            )
        )
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setObjectName("placeholder")
        self.setCentralWidget(placeholder)

        self._build_menus()
        self.statusBar().showMessage(self.tr("Ready"))

    def _build_menus(self) -> None:
        """Create the File and Help menus."""
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcuts(QKeySequence.StandardKey.Quit)
        self.quit_action.setStatusTip(self.tr("Quit ResNet Studio"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = QAction(self.tr("&About ResNet Studio"), self)
        self.about_action.triggered.connect(self._show_about)
        help_menu.addAction(self.about_action)

    def _show_about(self) -> None:
        """Show the About box."""
        QMessageBox.about(
            self,
            self.tr("About ResNet Studio"),
            self.tr("ResNet Studio {version}\n\nDesign and train residual networks.").format(
                version=__version__
            ),
        )
