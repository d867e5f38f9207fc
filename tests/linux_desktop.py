"""Where the Linux desktop integration files live, and a reader for the desktop entry."""

from __future__ import annotations

import configparser
from pathlib import Path

from resnet_studio.assets import APP_ID

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO_FILE = LINUX / f"{APP_ID}.metainfo.xml"
INSTALL_SCRIPT = LINUX / "install.sh"


def read_desktop_entry(path: Path = DESKTOP_FILE) -> dict[str, str]:
    """The ``[Desktop Entry]`` group as keys (``Name[zh_CN]`` as written) to values.

    Interpolation off: ``%f`` and friends are the desktop spec's, not configparser's.
    Strict: a key written twice is an error, as it is for desktop-file-validate.
    """
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",), strict=True)
    parser.optionxform = str  # keys are case-sensitive (Name, not name)
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return dict(parser["Desktop Entry"])
