"""Choosing the window's language: View → Language, remembered, loaded at start-up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTranslator

from resnet_studio.assets import asset_path
from resnet_studio.gui.app import configure_application
from resnet_studio.gui.language import (
    LANGUAGE_KEY,
    LanguageMenu,
    chosen_language,
    install_translators,
)
from resnet_studio.gui.main_window import MainWindow
from tests.gui.test_main_window import menu


@pytest.fixture
def installed(qapp) -> Iterator[list[QTranslator]]:
    """Translators a test installs; removed afterwards, so later tests see English."""
    found: list[QTranslator] = []
    yield found
    for translator in found:
        qapp.removeTranslator(translator)


def language_menu(window: MainWindow) -> LanguageMenu:
    (found,) = [a.menu() for a in menu(window, "View").actions() if a.menu()]
    assert isinstance(found, LanguageMenu)
    return found


def test_the_system_language_until_one_is_chosen() -> None:
    settings = QSettings()
    assert chosen_language(settings) == ""
    settings.setValue(LANGUAGE_KEY, "zh_CN")
    assert chosen_language(settings) == "zh_CN"
    settings.setValue(LANGUAGE_KEY, "tlh")  # edited by hand, or by a later version
    assert chosen_language(settings) == ""


def test_view_menu_lists_the_languages_and_says_when_a_choice_applies(window) -> None:
    entries = [a.text() for a in language_menu(window).actions() if not a.isSeparator()]
    assert entries == ["System default", "English", "简体中文", "Applies after a restart"]
    note = language_menu(window).actions()[-1]
    assert not note.isEnabled()


def test_choosing_a_language_is_remembered_and_noted(window, dialogs) -> None:
    chooser = language_menu(window)
    system, english, chinese = chooser.group.actions()
    assert system.isChecked()
    chinese.trigger()
    assert QSettings().value(LANGUAGE_KEY) == "zh_CN"
    ((_, title, text),) = dialogs.of("information")
    assert "简体中文" in text and "next time it starts" in text
    # Another window's menu shows the choice when it opens.
    other = MainWindow()
    language_menu(other).aboutToShow.emit()
    assert [a.isChecked() for a in language_menu(other).group.actions()] == [False, False, True]
    # Choosing the language already chosen says nothing more.
    chinese.trigger()
    assert len(dialogs.of("information")) == 1
    english.trigger()
    assert QSettings().value(LANGUAGE_KEY) == "en"


def test_english_loads_no_translation_of_the_program(qapp, installed) -> None:
    installed += install_translators(qapp, "en")
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"
    assert not [t for t in installed if "resnet_studio" in t.filePath()]


def test_chinese_loads_the_programs_translation_and_qts_own(qapp, installed) -> None:
    installed += install_translators(qapp, "zh_CN")
    files = sorted(t.filePath() for t in installed)
    assert [f.rsplit("/", 1)[-1] for f in files] == ["qtbase_zh_CN.qm", "resnet_studio_zh_CN.qm"]
    assert str(asset_path("translations")) in files[1]
    assert QCoreApplication.translate("MainWindow", "&File") != "&File"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel"  # Qt's buttons


def test_start_up_loads_the_chosen_language(qapp, monkeypatch) -> None:
    loaded = []
    monkeypatch.setattr(
        "resnet_studio.gui.app.install_translators",
        lambda app, language: loaded.append(language) or [],
    )
    # Where the program keeps its settings once configure_application has named it (in
    # the sandbox's folder: the sandbox makes INI the default format).
    named = QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ResNet Studio", "ResNet Studio"
    )
    named.setValue(LANGUAGE_KEY, "zh_CN")
    named.sync()
    configure_application(qapp)
    assert loaded == ["zh_CN"]
