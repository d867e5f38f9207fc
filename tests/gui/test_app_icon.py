"""The program's icon and desktop identity, as the installed program finds them."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from resnet_studio.assets import APP_ID
from resnet_studio.gui.app import configure_application, program_icon
from tests.linux_desktop import read_desktop_entry

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def test_icon_has_every_size_from_16_to_512(qapp):
    icon = program_icon()
    assert {size.width() for size in icon.availableSizes()} == set(SIZES)
    for side in SIZES:
        image = icon.pixmap(QSize(side, side)).toImage()
        assert (image.width(), image.height()) == (side, side)
        # Drawn, not blank: the corners are transparent, the middle is not.
        assert image.pixelColor(0, 0).alpha() == 0
        assert image.pixelColor(side // 2, side // 2).alpha() == 255


def test_application_sets_window_icon_and_desktop_file_name(qapp):
    configure_application(qapp)
    assert QApplication.desktopFileName() == APP_ID
    assert not qapp.windowIcon().isNull()
    assert qapp.windowIcon().availableSizes()


def test_desktop_entry_startup_wm_class_is_the_class_qt_gives_the_windows(qapp):
    configure_application(qapp)
    name = QApplication.applicationName()
    # Qt's xcb plugin sets WM_CLASS to (program file name, application name with its first
    # letter upper-cased): ("resnet-studio", "ResNet Studio"), as xprop shows under Xvfb.
    # Desktops match the launcher's StartupWMClass against that class.
    assert read_desktop_entry()["StartupWMClass"] == name[:1].upper() + name[1:]
