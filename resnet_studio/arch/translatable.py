"""Marking the core's fixed texts for translation, without Qt.

``pyside6-lupdate`` finds translatable texts by the name of the call around them.
:func:`QT_TRANSLATE_NOOP` here has the name and the meaning of Qt's own: it returns
the English text unchanged and tells lupdate the context the window translates it
in (``catalogue``, ``kinds``, ``spec``, ``fixes``; ``datasets`` and ``experiments``
for the training package's). The command line shows the
English; the window calls ``QCoreApplication.translate(context, text)`` where it
shows the text.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate knows this name
    """``text``, unchanged; lupdate extracts it under ``context``."""
    return text
