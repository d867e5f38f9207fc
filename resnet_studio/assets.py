"""Files shipped with the program, found wherever it is installed.

The repository's top-level ``resources/`` folder is installed as the package
``resnet_studio.resources`` (see pyproject.toml); ``importlib.resources`` finds it
the same way in a wheel install, an editable checkout and a PyInstaller bundle
(packaging/resnet_studio.spec collects it). Torch-free and Qt-free.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# The reverse-DNS name desktops know the program by: the desktop file, the AppStream
# metainfo and the icon are installed under it, and Qt tells the window manager.
APP_ID = "org.resnetstudio.ResNetStudio"


def asset_path(*parts: str) -> Path:
    """The file ``resources/<parts...>`` as a path on disk.

    Every way the program is installed keeps the package as plain files (never in a
    zip), so the path can be handed to Qt as it is.
    """
    return Path(str(files("resnet_studio.resources").joinpath(*parts)))
