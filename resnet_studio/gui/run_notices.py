"""Telling the user that a run has ended: a line for the status bar, and a desktop
notification where the platform has a system tray to show one.

Runs take minutes to hours, so the user is often elsewhere when one ends. A run
the user stopped is said in the status bar only: they know, they pressed Stop.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from resnet_studio.gui.core_text import shown
from resnet_studio.gui.runs_model import RunEntry, RunsModel, status_word
from resnet_studio.training.history import STOPPED
from resnet_studio.training.run_summary import format_percent

NOTIFIED = frozenset({"finished", "failed", "diverged"})  # worth a desktop notification
MESSAGE_MS = 10_000


# A plain name that pyside6-lupdate extracts from: translate("Context", "text").
translate = QCoreApplication.translate


def ended_message(entry: RunEntry) -> str:
    """One line on how ``entry`` ended: its errors, or why it failed."""
    if entry.status == "finished":
        summary = entry.summary
        text = translate("RunNotices", "{0} finished: validation error {1}").format(
            entry.name, format_percent(summary.final_val)
        )
        if entry.test_error is not None:
            text += translate("RunNotices", ", test error {0}").format(
                format_percent(entry.test_error)
            )
        return text
    if entry.status == STOPPED:
        return translate("RunNotices", "{0} stopped at epoch {1}; Resume continues it").format(
            entry.name, entry.epochs_done
        )
    if entry.reason:
        return translate("RunNotices", "{0} {1}: {2}").format(
            entry.name, status_word(entry.status), shown(entry.reason)
        )
    return translate("RunNotices", "{0} {1}").format(entry.name, status_word(entry.status))


def tray_available() -> bool:
    """Whether the desktop shows tray icons (and so their notifications)."""
    return QSystemTrayIcon.isSystemTrayAvailable()


class DesktopNotices(QObject):
    """A desktop notification when a run of ``model`` finishes, fails or diverges;
    nothing where the platform has no system tray."""

    def __init__(self, model: RunsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray: QSystemTrayIcon | None = None
        model.run_ended.connect(self.run_ended)

    def run_ended(self, entry: RunEntry) -> None:
        if entry.status not in NOTIFIED or not tray_available():
            return
        tray = self._tray_icon()
        icon = (
            QSystemTrayIcon.MessageIcon.Information
            if entry.status == "finished"
            else QSystemTrayIcon.MessageIcon.Warning
        )
        tray.showMessage(
            translate("RunNotices", "ResNet Studio"), ended_message(entry), icon, MESSAGE_MS
        )

    def _tray_icon(self) -> QSystemTrayIcon:
        """The application's tray icon, made on first use (a message needs one shown)."""
        if self._tray is None:
            icon = QApplication.windowIcon()
            if icon.isNull():  # the application has none of its own
                icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)
            self._tray = QSystemTrayIcon(QIcon(icon), self)
            self._tray.setToolTip(translate("RunNotices", "ResNet Studio"))
            self._tray.show()
        return self._tray
