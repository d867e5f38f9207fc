"""The window's side of the designer-only program: an action that needs PyTorch says so
in a message box, before it asks the user anything.

The actions stay enabled: a disabled menu entry explains nothing, a click does.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from resnet_studio.full_version import missing_full_version


def refused_without_torch(parent: QWidget, action: str) -> bool:
    """True, once a message box has said why, when ``action`` ("Training") needs torch
    and this program has none; call it first thing in the action."""
    message = missing_full_version(action)
    if message is None:
        return False
    title = QCoreApplication.translate("FullVersion", "Needs the Full Version")
    QMessageBox.information(parent, title, message)
    return True
