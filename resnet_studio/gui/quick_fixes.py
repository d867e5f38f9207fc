"""The quick fixes of :mod:`resnet_studio.arch.fixes` in the window: titles, actions, one step each.

The canvas, the inspector and the problems list offer the same fixes through
these helpers, so a fix reads and acts the same wherever it is taken.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QToolButton, QWidget

from resnet_studio.arch import edit
from resnet_studio.arch.fixes import Fix
from resnet_studio.arch.spec import SpecError
from resnet_studio.gui.document import NetworkDocument

# A plain name that pyside6-lupdate extracts from: translate("Context", "text").
translate = QCoreApplication.translate


def fix_title(fix: Fix) -> str:
    """The fix's short title, translated (``Insert Flatten before fc``)."""
    return translate("fixes", fix.text).format(*fix.args)


def fix_tooltip(fix: Fix) -> str:
    """Title and explanation, for a tooltip."""
    if not fix.detail:
        return fix_title(fix)
    detail = translate("fixes", fix.detail).format(*fix.args)
    return f"{fix_title(fix)}: {detail}"


def apply_fix(document: NetworkDocument, fix: Fix, parent: QWidget | None = None) -> None:
    """Make ``fix`` as one undoable step; say why where the network's limits refuse it."""
    try:
        after = fix.apply(document.network)
    except (SpecError, edit.EditError) as error:
        message = error.message if isinstance(error, SpecError) else str(error)
        QMessageBox.information(parent, translate("fixes", "Cannot fix"), message)
        return
    text = translate("fixes", "Fix: {0}").format(fix_title(fix))
    document.apply(after, text, select=list(fix.selects))


def fill_fix_menu(
    menu: QMenu, document: NetworkDocument, fixes: list[Fix], parent: QWidget | None = None
) -> None:
    """Replace the entries of ``menu`` by one action per fix."""
    menu.clear()
    for fix in fixes:
        action = QAction(fix_title(fix), menu)
        action.setToolTip(fix_tooltip(fix))
        action.setStatusTip(fix_tooltip(fix))
        action.triggered.connect(lambda _=False, f=fix: apply_fix(document, f, parent))
        menu.addAction(action)
    menu.setToolTipsVisible(True)


def fix_button(document: NetworkDocument, fixes: list[Fix], parent: QWidget) -> QToolButton:
    """A "Fix…" button that opens the menu of ``fixes`` (one click to open, one to fix)."""
    button = QToolButton(parent)
    button.setText(translate("fixes", "Fix…"))
    button.setToolTip("\n".join(fix_tooltip(fix) for fix in fixes))
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")  # "…" says it
    menu = QMenu(button)
    fill_fix_menu(menu, document, fixes, parent)
    button.setMenu(menu)
    return button
