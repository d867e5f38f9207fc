"""Where ResNet Studio keeps per-user files (data sets, runs), with no Qt or torch."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR = "resnet-studio"


def user_data_dir() -> Path:
    """``$RESNET_STUDIO_HOME``, else the platform's per-user data folder + ``resnet-studio``."""
    env = os.environ.get("RESNET_STUDIO_HOME")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        # The XDG spec says to ignore relative paths.
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / APP_DIR
