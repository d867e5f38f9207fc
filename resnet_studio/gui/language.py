"""The window's language: the user's choice, kept in QSettings, and the translators it loads.

The choice is read once, at start-up: Qt translates a text when a widget is made,
so a new choice shows after a restart (the Language menu says so). The program's
own texts come from ``resources/translations/resnet_studio_<lang>.qm`` (compiled
from the ``.ts`` beside it, see resources/translations/README.md); Qt's standard
dialogs and buttons from Qt's own ``qtbase_<lang>.qm``. A language without a file
simply stays English.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from resnet_studio.assets import asset_path

LANGUAGE_KEY = "ui/language"
SYSTEM = ""  # follow the system's language
# What the menu offers: setting value → name. Each language is named in itself, so a
# user who cannot read the current one still finds their own.
LANGUAGES: dict[str, str] = {
    SYSTEM: QT_TRANSLATE_NOOP("Language", "System default"),
    "en": "English",
    "zh_CN": "简体中文",
}


# A plain name that pyside6-lupdate extracts from: translate("Context", "text").
translate = QCoreApplication.translate


def chosen_language(settings: QSettings) -> str:
    """The language the user chose (a key of :data:`LANGUAGES`); the system's when unset
    or unknown (a settings file edited by hand, or written by a later version)."""
    value = settings.value(LANGUAGE_KEY, SYSTEM)
    return value if isinstance(value, str) and value in LANGUAGES else SYSTEM


def locale_for(language: str) -> QLocale:
    """The locale whose translations to load for ``language``."""
    return QLocale.system() if language == SYSTEM else QLocale(language)


def install_translators(
    app: QCoreApplication,
    language: str,
    own_folder: Path | None = None,
    qt_folder: str | None = None,
) -> list[QTranslator]:
    """Load and install the program's and Qt's translations for ``language``; the
    translators installed (none for English, or where no file matches).

    Files are picked by the locale's UI languages (``zh_CN`` finds
    ``resnet_studio_zh_CN.qm``), as :meth:`QTranslator.load` does."""
    locale = locale_for(language)
    folders = (
        ("resnet_studio", str(own_folder or asset_path("translations"))),
        ("qtbase", qt_folder or QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
    )
    installed = []
    for name, folder in folders:
        translator = QTranslator(app)  # the application keeps it alive
        if translator.load(locale, name, "_", folder) and app.installTranslator(translator):
            installed.append(translator)
        else:
            translator.deleteLater()
    return installed


class LanguageMenu(QMenu):
    """View → Language: the languages, the chosen one checked; a choice is saved and
    applies after a restart."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(translate("Language", "&Language"), parent)
        self.settings = settings
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        for language, name in LANGUAGES.items():
            action = QAction(translate("Language", name) if language == SYSTEM else name, self)
            action.setCheckable(True)
            action.setData(language)
            self.group.addAction(action)
            self.addAction(action)
        self.addSeparator()
        note = self.addAction(translate("Language", "Applies after a restart"))
        note.setEnabled(False)
        self.aboutToShow.connect(self._check_chosen)  # another window may have changed it
        self.group.triggered.connect(self._choose)
        self._check_chosen()

    def _check_chosen(self) -> None:
        chosen = chosen_language(self.settings)
        for action in self.group.actions():
            action.setChecked(action.data() == chosen)

    def _choose(self, action: QAction) -> None:
        language = action.data()
        if language == chosen_language(self.settings):
            return
        self.settings.setValue(LANGUAGE_KEY, language)
        QMessageBox.information(
            self.parentWidget(),
            translate("Language", "Language"),
            translate("Language", "ResNet Studio will use {0} the next time it starts.").format(
                action.text()
            ),
        )
