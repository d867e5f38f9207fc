"""The start page: what a first launch offers, and what the next ones remember.

The page only reports the choice (:attr:`WelcomeDialog.chosen`); the window acts on
it. Its two check boxes are settings: show the page at start-up (on until turned
off), and reopen the last project at start-up instead (off until turned on).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QCommandLinkButton,
    QDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

SHOW_KEY = "start/show_welcome"
REOPEN_KEY = "start/reopen_last"
# What the page can ask the window to do.
PRESET, OPEN, IMPORT, REOPEN, SCRATCH, COMPARISON = (
    "preset",
    "open",
    "import",
    "reopen",
    "scratch",
    "comparison",
)


def setting(settings: QSettings, key: str, default: bool) -> bool:
    """A yes/no setting, whatever type the platform's store gives back."""
    value = settings.value(key, default)
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1")


def project_to_reopen(settings: QSettings, recent: list[str]) -> Path | None:
    """The last project, when the user asked to reopen it at start-up and it still exists."""
    if not setting(settings, REOPEN_KEY, False) or not recent:
        return None
    path = Path(recent[0])
    return path if path.is_file() else None


class WelcomeDialog(QDialog):
    """Start from a preset, open or reopen a project, import a model, build from scratch,
    or run the paper's comparison."""

    chosen = Signal(str, str)  # one of the choices above, and the path to reopen ("")

    def __init__(
        self, settings: QSettings, recent: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Welcome to ResNet Studio"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Build plain and residual networks, train them side by side and see why "
                "residual learning lets deep networks train."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.buttons: dict[str, QCommandLinkButton] = {}
        self._add(
            PRESET,
            self.tr("Start from a paper network"),
            self.tr("ResNet-18 to 152, CIFAR ResNet-20 to 1202, their plain twins, VGG-19"),
        )
        self._add(
            OPEN,
            self.tr("Open a project…"),
            self.tr("A network saved as a project, or a trained .pt model"),
        )
        self._add(
            IMPORT,
            self.tr("Import a PyTorch model…"),
            self.tr("A torchvision model, a class in your own .py file, or a model file"),
        )
        self.reopen_path = recent[0] if recent else ""
        if self.reopen_path:
            self._add(
                REOPEN,
                self.tr("Reopen {0}").format(Path(self.reopen_path).name),
                self.reopen_path,
            )
        self._add(
            SCRATCH,
            self.tr("Build from scratch"),
            self.tr("An empty network: drag layers in from the palette"),
        )
        self._add(
            COMPARISON,
            self.tr("Run the paper's comparison"),
            self.tr(
                "Plain and residual networks at 20 to 56 layers on CIFAR-10: deeper plain "
                "nets train worse, residual ones do not"
            ),
        )
        self.buttons[PRESET].setDefault(True)
        self.show_box = QCheckBox(self.tr("Show this page at start-up"))
        self.show_box.setChecked(setting(settings, SHOW_KEY, True))
        self.reopen_box = QCheckBox(self.tr("At start-up, reopen the last project instead"))
        self.reopen_box.setChecked(setting(settings, REOPEN_KEY, False))
        layout.addSpacing(8)
        layout.addWidget(self.show_box)
        layout.addWidget(self.reopen_box)
        self.show_box.toggled.connect(lambda on: settings.setValue(SHOW_KEY, on))
        self.reopen_box.toggled.connect(lambda on: settings.setValue(REOPEN_KEY, on))

    def _add(self, choice: str, text: str, description: str) -> None:
        button = QCommandLinkButton(text, description)
        button.clicked.connect(lambda: self._choose(choice))
        self.buttons[choice] = button
        self.layout().addWidget(button)

    def _choose(self, choice: str) -> None:
        self.accept()
        self.chosen.emit(choice, self.reopen_path if choice == REOPEN else "")
