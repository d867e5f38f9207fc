"""The Linux desktop integration in packaging/linux: the desktop entry, the AppStream
metainfo and install.sh.

The files are parsed with the standard library, so these checks run where
``desktop-file-validate`` and ``appstreamcli`` are not installed; where they are,
the tools run too and must report nothing.
"""

from __future__ import annotations

import re
import shutil
import stat
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from resnet_studio import __version__
from resnet_studio.assets import APP_ID
from tests.linux_desktop import (
    DESKTOP_FILE,
    INSTALL_SCRIPT,
    METAINFO_FILE,
    ROOT,
    read_desktop_entry,
)

ICONS = ROOT / "resources" / "icons" / "hicolor"
ICON_SIZES = ("16x16", "24x24", "32x32", "48x48", "64x64", "128x128", "256x256", "512x512")
SCREENSHOTS = ROOT / "resources" / "screenshots"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# What `appstreamcli validate --pedantic` may still say: the id keeps the capitals that
# Qt's desktop file name and every installed file name already use (assets.APP_ID).
ACCEPTED_APPSTREAM_NOTES = {"cid-contains-uppercase-letter"}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def console_script() -> str:
    """The command pyproject.toml installs for the program (``resnet-studio``)."""
    scripts = pyproject()["project"]["scripts"]
    (name,) = [name for name, target in scripts.items() if target == "resnet_studio.cli:main"]
    return name


def metainfo() -> ET.Element:
    return ET.parse(METAINFO_FILE).getroot()


def text_of(root: ET.Element, tag: str, lang: str | None = None) -> str:
    """The text of the child ``tag`` in language ``lang`` (None: the untranslated one)."""
    found = [el for el in root.findall(tag) if el.get(XML_LANG) == lang]
    assert len(found) == 1, f"expected one <{tag}> for language {lang}, found {len(found)}"
    return (found[0].text or "").strip()


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def release_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# The desktop entry.


def test_desktop_entry_has_the_keys_a_menu_needs():
    entry = read_desktop_entry()
    assert entry["Type"] == "Application"
    for key in ("Name", "GenericName", "Comment", "Exec", "Categories", "Keywords"):
        assert entry.get(key, "").strip(), f"{key} is missing or empty"
    assert entry["Terminal"] == "false"
    # Lists end with ';' (the spec's form; some menus drop the last item otherwise).
    assert entry["Categories"].endswith(";") and entry["Keywords"].endswith(";")
    assert entry["Comment"] != entry["Name"] != entry["GenericName"]


def test_desktop_entry_icon_is_the_app_id_and_installed_in_every_size():
    assert read_desktop_entry()["Icon"] == APP_ID
    for size in ICON_SIZES:
        assert (ICONS / size / "apps" / f"{APP_ID}.png").is_file(), size
    assert (ICONS / "scalable" / "apps" / f"{APP_ID}.svg").is_file()


def test_desktop_entry_starts_the_console_script_without_a_file_argument():
    entry = read_desktop_entry()
    # No %f/%F/%u/%U: the program opens no file named on its command line, so the
    # entry claims no file types either.
    assert entry["Exec"] == console_script()
    assert entry["TryExec"] == console_script()
    assert "MimeType" not in entry


def test_desktop_entry_is_named_in_chinese():
    entry = read_desktop_entry()
    for key in ("Name", "GenericName", "Comment", "Keywords"):
        assert entry.get(f"{key}[zh_CN]", "").strip(), f"{key}[zh_CN] is missing"
    # In the words the notes' readers use for the paper's idea.
    assert "残差网络" in entry["GenericName[zh_CN]"]
    assert "残差网络" in entry["Comment[zh_CN]"]


# The AppStream metainfo.


def test_metainfo_names_the_component_and_its_launcher():
    root = metainfo()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert text_of(root, "id") == APP_ID
    assert text_of(root, "metadata_license") in {"CC0-1.0", "FSFAP"}
    (launchable,) = root.findall("launchable")
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE.name == f"{APP_ID}.desktop"
    assert [el.text for el in root.findall("provides/binary")] == [console_script()]
    assert root.find("content_rating").get("type") == "oars-1.1"


def test_metainfo_tells_what_the_program_is_in_english_and_chinese():
    root = metainfo()
    assert text_of(root, "name") == read_desktop_entry()["Name"]
    assert text_of(root, "summary")
    assert text_of(root, "name", "zh_CN")
    assert "残差网络" in text_of(root, "summary", "zh_CN")
    paragraphs = root.findall("description/p")
    assert len(paragraphs) >= 3
    assert all(len((p.text or "").split()) >= 10 for p in paragraphs)


def test_metainfo_links_are_the_repository_pyproject_names():
    urls = pyproject()["project"]["urls"]
    root = metainfo()
    links = {el.get("type"): el.text for el in root.findall("url")}
    assert links["homepage"] == urls["Homepage"]
    assert links["bugtracker"] == urls["Issues"]
    assert links.get("vcs-browser", urls["Source"]) == urls["Source"]


def test_metainfo_screenshots_exist_in_the_repository_with_captions():
    homepage = pyproject()["project"]["urls"]["Homepage"]
    owner_repo = homepage.removeprefix("https://github.com/")
    raw = f"https://raw.githubusercontent.com/{owner_repo}/main/"
    screenshots = metainfo().findall("screenshots/screenshot")
    assert [shot.get("type") for shot in screenshots].count("default") == 1
    named = set()
    for shot in screenshots:
        assert (shot.findtext("caption") or "").strip(), "a screenshot without a caption"
        (image,) = shot.findall("image")
        url = image.text.strip()
        assert url.startswith(raw), f"{url} is not a file of {homepage}"
        path = ROOT / url.removeprefix(raw)
        assert path.parent == SCREENSHOTS and path.is_file(), f"{url}: no such screenshot"
        assert (int(image.get("width")), int(image.get("height"))) == png_size(path), url
        named.add(path.name.split("-")[0])
    assert {"designer", "training", "experiments"} <= named


def test_metainfo_latest_release_is_this_version_with_notes():
    releases = metainfo().findall("releases/release")
    versions = [release.get("version") for release in releases]
    # Newest first, as AppStream expects: a version bump needs its release notes here.
    assert versions == sorted(versions, key=release_key, reverse=True)
    latest = releases[0]
    assert latest.get("version") == __version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", latest.get("date", ""))
    assert len(latest.findall("description/ul/li")) >= 3


# The tools, where installed.


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="no desktop-file-validate")
def test_desktop_file_validate_reports_nothing():
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP_FILE)], capture_output=True, text=True
    )
    # Hints (e.g. two main categories) print but exit 0: require silence.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def appstream_notes(output: str) -> set[str]:
    """The issue tags in appstreamcli's report (``W: id:line: tag ...``)."""
    return set(re.findall(r"^\s*[EWIP]: \S+ (\S+)", output, flags=re.MULTILINE))


def test_appstream_notes_are_read_from_the_report():
    report = "  P: org.x.Y:5: cid-contains-uppercase-letter org.x.Y\n  W: org.x.Y:9: bad-tag\n"
    assert appstream_notes(report) == {"cid-contains-uppercase-letter", "bad-tag"}


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="no appstreamcli")
def test_appstreamcli_validate_reports_no_error_warning_or_info():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--pedantic", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert appstream_notes(output) <= ACCEPTED_APPSTREAM_NOTES, output


# install.sh


def fake_program(folder: Path) -> Path:
    """An executable standing in for the installed ``resnet-studio``."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "resnet-studio"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    return program


def run_install(*args: str | Path, env=None, script=INSTALL_SCRIPT, cwd=None):
    return subprocess.run(
        ["bash", str(script), *map(str, args)], capture_output=True, text=True, env=env, cwd=cwd
    )


def icon_files() -> list[Path]:
    return sorted(path.relative_to(ICONS) for path in ICONS.glob(f"*/apps/{APP_ID}.*"))


def assert_installed(share: Path, program: Path) -> None:
    entry = read_desktop_entry(share / "applications" / DESKTOP_FILE.name)
    source = read_desktop_entry()
    assert (entry["Exec"], entry["TryExec"]) == (str(program), str(program))
    del entry["Exec"], entry["TryExec"], source["Exec"], source["TryExec"]
    assert entry == source
    metainfo_copy = share / "metainfo" / METAINFO_FILE.name
    assert metainfo_copy.read_bytes() == METAINFO_FILE.read_bytes()
    assert len(icon_files()) == len(ICON_SIZES) + 1
    for icon in icon_files():
        copy = share / "icons" / "hicolor" / icon
        assert copy.read_bytes() == (ICONS / icon).read_bytes(), icon
        assert stat.S_IMODE(copy.stat().st_mode) == 0o644, icon


needs_bash = pytest.mark.skipif(not shutil.which("bash"), reason="no bash")


@needs_bash
def test_install_sh_installs_under_a_prefix_and_uninstalls(tmp_path):
    program = fake_program(tmp_path / "venv" / "bin")
    prefix = tmp_path / "usr"
    result = run_install(program, "--prefix", prefix)
    assert result.returncode == 0, result.stderr
    assert_installed(prefix / "share", program)
    if shutil.which("appstreamcli"):
        tree = subprocess.run(
            ["appstreamcli", "validate-tree", "--no-net", str(prefix)],
            capture_output=True,
            text=True,
        )
        assert tree.returncode == 0, tree.stdout + tree.stderr

    result = run_install("--uninstall", "--prefix", prefix)
    assert result.returncode == 0, result.stderr
    left = [path for path in prefix.rglob("*") if path.is_file()]
    # update-desktop-database's cache may stay; nothing of ours does.
    assert [path.name for path in left if APP_ID in path.name] == []


@needs_bash
def test_install_sh_defaults_to_the_users_data_folder_and_the_program_on_path(tmp_path):
    program = fake_program(tmp_path / "bin with space")
    share = tmp_path / "data"
    env = {"PATH": f"{program.parent}:/usr/bin:/bin", "XDG_DATA_HOME": str(share)}
    result = run_install(env=env)
    assert result.returncode == 0, result.stderr
    # A path with a space is quoted in Exec (the desktop spec's rule); TryExec is a plain path.
    entry = read_desktop_entry(share / "applications" / DESKTOP_FILE.name)
    assert entry["Exec"] == f'"{program}"'
    assert entry["TryExec"] == str(program)


@needs_bash
def test_install_sh_from_a_bundle_starts_the_bundles_program(tmp_path):
    # The bundle build copies packaging/linux/* and the icons into the bundle's linux/.
    bundle = tmp_path / "resnet-studio"
    shutil.copytree(DESKTOP_FILE.parent, bundle / "linux")
    shutil.copytree(ICONS, bundle / "linux" / "hicolor")
    program = fake_program(bundle)
    share = tmp_path / "data"
    env = {"PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(share)}
    result = run_install(env=env, script=bundle / "linux" / "install.sh")
    assert result.returncode == 0, result.stderr
    assert_installed(share, program)


@needs_bash
@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda tmp: ["missing/resnet-studio"], "no folder missing"),
        (lambda tmp: [tmp / "resnet-studio"], "resnet-studio: no such file"),
        (lambda tmp: [ROOT / "pyproject.toml"], "is not an executable program"),
        (lambda tmp: ["no-such-program"], "no program 'no-such-program' on PATH"),
        (lambda tmp: [fake_program(tmp / "a$b")], "the menu entry cannot name it"),
        (lambda tmp: ["--frobnicate"], "unknown option --frobnicate"),
    ],
)
def test_install_sh_refuses_bad_input_in_one_line_and_installs_nothing(
    tmp_path, make_args, message
):
    share = tmp_path / "data"
    env = {"PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(share)}
    result = run_install(*make_args(tmp_path), env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("install.sh: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not share.exists()
