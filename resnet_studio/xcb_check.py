"""Before the window opens on X11: are the libraries of Qt's X11 (xcb) plugin here?

When one is missing, Qt aborts the process (a core dump) with a message that
blames ``libxcb-cursor0`` whatever is missing: on a clean Debian 12 the
culprits are ``libxcb-icccm4`` and ``libxcb-keysyms1``. This module asks the
dynamic loader itself, as Qt's plugin loader will, and names what is missing
and the command that installs it. It imports neither Qt nor torch, and costs
a fraction of a millisecond (``bench/startup.py`` prints it).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Mapping

# Every library that PySide6's xcb plugin links against, beyond Qt's own and the
# C/C++ runtime, with the Debian/Ubuntu package holding it: the NEEDED entries of
# Qt/plugins/platforms/libqxcb.so and Qt/lib/libQt6XcbQpa.so.6 (``readelf -d``,
# PySide6 6.11), mapped with ``dpkg -S`` on Debian 12. tests/test_xcb_check.py
# checks the list against the installed plugin.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libGL.so.1": "libgl1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}


def uses_xcb(env: Mapping[str, str]) -> bool:
    """True where Qt will load its xcb plugin: on Linux with an X display, the
    platform unset (outside a Wayland session, where Qt picks Wayland) or ``xcb``."""
    if not sys.platform.startswith("linux") or not env.get("DISPLAY"):
        return False
    platform = env.get("QT_QPA_PLATFORM", "")
    if not platform:
        return not (env.get("XDG_SESSION_TYPE") == "wayland" and env.get("WAYLAND_DISPLAY"))
    return platform.partition(":")[0] == "xcb"  # "xcb:option=…"; a ";" list has fallbacks


def loads(soname: str) -> bool:
    """Whether the dynamic loader finds and loads ``soname`` (Qt loads it next anyway)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries() -> list[str]:
    """The sonames of :data:`XCB_LIBRARIES` that the loader cannot load here."""
    return [soname for soname in XCB_LIBRARIES if not loads(soname)]


def problem(env: Mapping[str, str]) -> str | None:
    """One line naming the missing libraries and the command that installs them;
    None when the window can open (or Qt will not use xcb)."""
    if not uses_xcb(env):
        return None
    missing = missing_libraries()
    if not missing:
        return None
    packages = list(dict.fromkeys(XCB_LIBRARIES[soname] for soname in missing))
    return (
        f"the window cannot open: Qt's X11 plugin needs libraries missing here "
        f"({', '.join(missing)}); install them with 'sudo apt install {' '.join(packages)}' "
        "(Debian/Ubuntu package names)"
    )
