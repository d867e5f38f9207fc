"""The start-up check for the libraries of Qt's X11 plugin: one line and status 2, not a
Qt abort that blames libxcb-cursor0 whatever is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from resnet_studio import xcb_check
from tests.cli_in_process import assert_one_line_error, cli

X11 = {"DISPLAY": ":0"}
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux's")


@pytest.fixture
def x11_session(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """An X11 desktop with Qt's platform unset; the window, if reached, is not opened but
    recorded in the returned list."""
    for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    opened: list[str] = []
    import resnet_studio.gui.app

    monkeypatch.setattr(resnet_studio.gui.app, "run_app", lambda: opened.append("window") or 0)
    return opened


def hide(monkeypatch: pytest.MonkeyPatch, *sonames: str) -> None:
    """Make the probe miss ``sonames``, as on a system without their packages."""
    real = xcb_check.loads
    monkeypatch.setattr(xcb_check, "loads", lambda soname: soname not in sonames and real(soname))


@linux_only
def test_missing_libraries_are_named_with_the_command_that_installs_them(
    x11_session: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # What a clean Debian 12 lacks (Qt's own message names only libxcb-cursor0).
    hide(monkeypatch, "libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    code, _out, err = cli(capsys)
    line = assert_one_line_error(code, err, "libxcb-icccm.so.4, libxcb-keysyms.so.1")
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1'" in line
    assert "cursor" not in line
    assert x11_session == []  # Qt never got to abort


@linux_only
def test_one_package_is_named_once_for_two_of_its_libraries(
    x11_session: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hide(monkeypatch, "libglib-2.0.so.0", "libgthread-2.0.so.0", "libxcb-cursor.so.0")
    code, _out, err = cli(capsys)
    line = assert_one_line_error(code, err, "libglib-2.0.so.0, libgthread-2.0.so.0")
    assert "sudo apt install libxcb-cursor0 libglib2.0-0'" in line


@linux_only
def test_the_window_opens_when_every_library_loads(
    x11_session: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    probed: list[str] = []
    monkeypatch.setattr(xcb_check, "loads", lambda soname: probed.append(soname) or True)
    code, _out, err = cli(capsys)
    assert (code, err, x11_session) == (0, "", ["window"])
    assert probed == list(xcb_check.XCB_LIBRARIES)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (X11, True),
        ({**X11, "QT_QPA_PLATFORM": "xcb"}, True),
        ({**X11, "QT_QPA_PLATFORM": "xcb:nograb"}, True),
        ({**X11, "QT_QPA_PLATFORM": "offscreen"}, False),
        ({**X11, "QT_QPA_PLATFORM": "wayland;xcb"}, False),  # a list: Qt falls back itself
        ({}, False),  # no X display
        ({"QT_QPA_PLATFORM": "xcb"}, False),
        # A Wayland desktop: Qt picks its Wayland plugin (DISPLAY is XWayland's).
        ({**X11, "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, False),
        ({**X11, "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "x11"}, True),
        ({**X11, "XDG_SESSION_TYPE": "wayland", "QT_QPA_PLATFORM": "xcb"}, True),
    ],
)
@linux_only
def test_checked_only_where_qt_loads_its_x11_plugin(env: dict[str, str], expected: bool) -> None:
    assert xcb_check.uses_xcb(env) is expected


@linux_only
def test_no_check_on_other_platforms(
    x11_session: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    hide(monkeypatch, *xcb_check.XCB_LIBRARIES)
    code, _out, err = cli(capsys)
    assert (code, err, x11_session) == (0, "", ["window"])


@linux_only
def test_the_real_loader_reports_a_library_that_is_not_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    absent = "libresnet-studio-absent.so.0"
    monkeypatch.setitem(xcb_check.XCB_LIBRARIES, absent, "resnet-studio-absent0")
    assert xcb_check.loads(absent) is False
    line = xcb_check.problem(X11)
    assert line is not None and f"({absent})" in line and "install resnet-studio-absent0'" in line


def _plugin_files() -> list[Path]:
    qt = Path(__import__("PySide6").__file__).parent / "Qt"
    files = [qt / "plugins" / "platforms" / "libqxcb.so", *(qt / "lib").glob("libQt6XcbQpa.so*")]
    return [f for f in files if f.is_file()]


def _needed(readelf: str, files: list[Path]) -> set[str]:
    """The libraries ``files`` link against (their NEEDED entries)."""
    needed = set()
    for path in files:
        dynamic = subprocess.run([readelf, "-d", str(path)], capture_output=True, text=True)
        needed |= {line.split("[")[1].rstrip("]") for line in dynamic.stdout.splitlines()
                   if "(NEEDED)" in line}  # fmt: skip
    return needed


@linux_only
def test_the_list_is_what_the_installed_plugin_links_against() -> None:
    readelf, files = shutil.which("readelf"), _plugin_files()
    if readelf is None or len(files) < 2:
        pytest.skip("needs readelf and PySide6's xcb plugin")
    needed = _needed(readelf, files)
    runtime = {"libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libc.so.6"}
    system = {n for n in needed if not n.startswith("libQt6")} - runtime
    assert system == set(xcb_check.XCB_LIBRARIES)


@linux_only
def test_the_probe_agrees_with_ldd_on_this_machine() -> None:
    ldd, files = shutil.which("ldd"), _plugin_files()
    if ldd is None or not files:
        pytest.skip("needs ldd and PySide6's xcb plugin")
    report = subprocess.run([ldd, str(files[0])], capture_output=True, text=True).stdout
    not_found = {line.split()[0] for line in report.splitlines() if "not found" in line}
    assert set(xcb_check.missing_libraries()) == not_found & set(xcb_check.XCB_LIBRARIES)


def _readme_apt_packages() -> list[str]:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    command = readme[readme.index("sudo apt install libxcb-cursor0") :].split("```")[0]
    return command.replace("\\", " ").split()[3:]


def test_the_readme_installs_every_package_the_check_names() -> None:
    packages = _readme_apt_packages()
    check = list(dict.fromkeys(xcb_check.XCB_LIBRARIES.values()))
    assert packages[: len(check)] == check


# What the window loads on an X11 desktop: Qt's libraries and the plugins it picks.
QT_ON_X11 = [
    "lib/libQt6Core.so.6",
    "lib/libQt6Gui.so.6",
    "lib/libQt6Widgets.so.6",
    "lib/libQt6DBus.so.6",
    "lib/libQt6XcbQpa.so.6",
    "plugins/platforms/libqxcb.so",
    "plugins/xcbglintegrations/*.so",
    "plugins/imageformats/*.so",
    "plugins/iconengines/*.so",
    "plugins/platforminputcontexts/*.so",
    "plugins/platformthemes/libqxdgdesktopportal.so",
]


@linux_only
def test_the_readme_installs_every_system_library_qt_needs_on_x11() -> None:
    """Not only the xcb plugin's: Qt's own libraries need fontconfig, EGL, D-Bus…"""
    readelf, dpkg = shutil.which("readelf"), shutil.which("dpkg")
    qt = Path(__import__("PySide6").__file__).parent / "Qt"
    files = [path for pattern in QT_ON_X11 for path in qt.glob(pattern)]
    if readelf is None or dpkg is None or not files:
        pytest.skip("needs readelf, dpkg (Debian or Ubuntu) and PySide6's Qt libraries")
    needed = _needed(readelf, files)
    system = {n for n in needed if not n.startswith(("libQt6", "libicu"))}
    packages = set()
    for soname in system:
        owner = subprocess.run([dpkg, "-S", f"*/{soname}"], capture_output=True, text=True)
        if owner.returncode == 0:  # not installed here: the xcb check's list names it
            packages.add(owner.stdout.split(":")[0])
    packages -= {"libc6", "libgcc-s1", "libstdc++6"}  # part of every system
    assert packages <= set(_readme_apt_packages()), sorted(packages - set(_readme_apt_packages()))
