"""The main window opens with its title and menus."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from resnet_studio.gui.main_window import MainWindow


def test_main_window_opens(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    assert window.windowTitle() == "ResNet Studio"
    assert window.statusBar().currentMessage() == "Ready"


def test_file_menu_has_quit_with_standard_shortcut(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)

    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert "File" in menus and "Help" in menus
    quit_actions = [a for a in menus["File"].actions() if a.text().replace("&", "") == "Quit"]
    assert len(quit_actions) == 1
    assert quit_actions[0].shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)


def test_quit_closes_window(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.quit_action.trigger()
    assert not window.isVisible()
