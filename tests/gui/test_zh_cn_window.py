"""The window in Simplified Chinese shows no English word beyond names: every menu, dock
and dialog as it opens, read the way a user reads it (labels, buttons, tooltips,
table headers, list entries).

Names stay as they are (tests/gui/chinese_words.py holds the allow-list). The canvas,
context menus and message boxes are checked in test_zh_cn_window_details.py; a run's
curves and the core's messages by the tests of those parts.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMenu,
)

from resnet_studio.gui.main_window import MainWindow
from tests.gui.chinese_words import english_words


def test_window_menus_and_docks_are_in_chinese(chinese, qtbot) -> None:
    window = MainWindow()
    window.show()
    qtbot.waitExposed(window)
    found = english_words("window", window)
    for menu in window.findChildren(QMenu):
        menu.aboutToShow.emit()  # fills the recent files and the language choice
        found += english_words(f"menu {menu.title()}", menu)
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "opens", ["train", "new_experiment", "show_guide", "show_welcome", "show_shortcuts"]
)
def test_dialogs_are_in_chinese(chinese, qtbot, opens) -> None:
    window = MainWindow()
    window.show()
    qtbot.waitExposed(window)
    before = set(QApplication.topLevelWidgets())
    getattr(window, opens)()
    dialogs = [
        w for w in QApplication.topLevelWidgets() if w not in before and isinstance(w, QDialog)
    ]
    assert dialogs, f"{opens} opened no dialog"
    found = [line for dialog in dialogs for line in english_words(opens, dialog)]
    for dialog in dialogs:
        dialog.close()
    assert not found, "\n".join(found)


def test_preset_dialog_is_in_chinese(chinese, qtbot, monkeypatch) -> None:
    found = []

    def read_instead_of_waiting(dialog: QDialog) -> int:
        found.extend(english_words("preset", dialog))
        return 0  # cancelled

    monkeypatch.setattr(QDialog, "exec", read_instead_of_waiting)
    window = MainWindow()
    window.new_from_preset()
    assert not found, "\n".join(found)
