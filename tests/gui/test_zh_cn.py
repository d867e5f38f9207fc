"""The Simplified Chinese translation: every text of the window is in it, translated, and
the shipped ``.qm`` holds exactly what the ``.ts`` says. A new text in the code fails
here until it is extracted and translated (resources/translations/README.md).

The ``.qm`` is checked by content, not by file times (git keeps none): loaded as the
program loads it, it must give each translation of the ``.ts`` and nothing for a
text still unfinished. See resources/translations/README.md for the commands.
"""

from __future__ import annotations

import string

import pytest
from PySide6.QtCore import QTranslator

from tests.gui.translation_sources import ZH_CN_QM, ZH_CN_TS, extract, messages


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str, str]]:
    ts = extract(tmp_path_factory.mktemp("lupdate") / "all.ts")
    return {(m.context, m.source) for m in messages(ts)}


def fields(text: str) -> list[str]:
    """The ``{0}``-style fields of ``text``, with their format specs (a translation may
    put them in another order)."""
    return sorted(
        f"{name}:{spec}!{conv}"
        for _, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    )


def test_every_text_of_the_window_is_in_the_ts(extracted) -> None:
    in_ts = {(m.context, m.source) for m in messages(ZH_CN_TS)}
    missing = sorted(extracted - in_ts)
    assert not missing, (
        f"{len(missing)} texts are not in {ZH_CN_TS.name}, e.g. {missing[:5]}: run pyside6-lupdate "
        "as resources/translations/README.md says, then translate them"
    )


def test_every_text_is_translated(extracted) -> None:
    unfinished = sorted(
        (m.context, m.source) for m in messages(ZH_CN_TS) if m.unfinished or not m.translation
    )
    assert not unfinished, f"{len(unfinished)} texts are unfinished, e.g. {unfinished[:5]}"


def test_translations_keep_the_fields_and_the_mnemonic() -> None:
    wrong = [
        (m.source, m.translation)
        for m in messages(ZH_CN_TS)
        if not m.unfinished
        and (
            fields(m.translation) != fields(m.source)
            or m.translation.count("&") != m.source.count("&")
        )
    ]
    assert not wrong, wrong


def test_the_qm_holds_exactly_the_translations_of_the_ts() -> None:
    translator = QTranslator()
    assert translator.load(str(ZH_CN_QM)), f"{ZH_CN_QM} does not load"
    stale = []
    for m in messages(ZH_CN_TS):
        expected = "" if m.unfinished else m.translation
        got = translator.translate(m.context, m.source) or ""
        if got != expected:
            stale.append((m.context, m.source, got, expected))
    assert not stale, (
        f"{len(stale)} texts differ between {ZH_CN_QM.name} and {ZH_CN_TS.name} "
        f"(run pyside6-lrelease), e.g. {stale[:3]}"
    )
