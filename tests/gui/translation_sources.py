"""What ``pyside6-lupdate`` extracts from the sources, read back as (context, source) pairs.

Runs the lupdate that ships with PySide6 (as ``pyside6-lupdate`` does), so the tests
need no tool on ``PATH``: ``.venv/bin/python -m pytest`` finds it without activating
the environment.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
ZH_CN_TS = TRANSLATIONS / "resnet_studio_zh_CN.ts"
ZH_CN_QM = TRANSLATIONS / "resnet_studio_zh_CN.qm"


def qt_tool(name: str, *args: str) -> subprocess.CompletedProcess:
    """Run PySide6's ``lupdate`` or ``lrelease`` with ``args`` in the repository root."""
    launch = f"from PySide6.scripts.pyside_tool import {name}; {name}()"
    return subprocess.run(
        [sys.executable, "-c", launch, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


def extract(ts: Path) -> Path:
    """Extract every translatable text of the package into a new ``ts`` file, as the
    command in resources/translations/README.md does."""
    qt_tool("lupdate", "-extensions", "py", "-locations", "none", "resnet_studio", "-ts", str(ts))
    return ts


@dataclass(frozen=True)
class Message:
    """One text of a ``.ts`` file and its translation (empty when there is none yet)."""

    context: str
    source: str
    translation: str
    unfinished: bool


def messages(ts: Path) -> list[Message]:
    """The messages of ``ts``, leaving out those lupdate marked vanished or obsolete."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            element = message.find("translation")
            kind = element.get("type", "") if element is not None else "unfinished"
            if kind in ("vanished", "obsolete"):
                continue
            forms = element.findall("numerusform") if element is not None else []
            text = forms[0].text if forms else (element.text if element is not None else "")
            found.append(
                Message(name, message.findtext("source") or "", text or "", kind == "unfinished")
            )
    return found
