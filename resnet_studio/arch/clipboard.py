"""Layers on the clipboard: the text that Copy writes and Paste reads.

Plain JSON text tagged with :data:`CLIPBOARD_KEY`, so that any other text on
the clipboard is recognised as someone else's and left alone. The window
puts the text on the system clipboard as plain text: a ``QMimeData`` made in
Python would be freed by Qt after Python has shut down, crashing the program
on exit. Reading is bounded like a project file: clipboard text can come from
anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from resnet_studio.arch.edit import EditError, fresh_copy
from resnet_studio.arch.messages import Message, located
from resnet_studio.arch.project import MAX_PROJECT_JSON_DEPTH, node_from_dict, node_to_dict
from resnet_studio.arch.spec import Node, SpecError
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.reading import MAX_PROJECT_BYTES, ReadError, parse_json

CLIPBOARD_KEY = "resnet-studio-layers"  # marks clipboard text as layers copied here


def copy_text(nodes: Iterable[Node]) -> str:
    """The clipboard text for ``nodes`` (in order)."""
    return json.dumps({CLIPBOARD_KEY: [node_to_dict(node) for node in nodes]}, indent=1)


def paste_nodes(text: str) -> list[Node]:
    """The layers in clipboard ``text``, each a fresh copy with new ids; ``[]`` when the
    text is not layers copied here. :class:`EditError` naming the problem when it is
    ours but damaged (edited by hand, cut short)."""
    if CLIPBOARD_KEY not in text:
        return []  # someone else's text: not even parsed
    if len(text) > MAX_PROJECT_BYTES:
        raise EditError(
            Message(
                "clipboard.too_long",
                QT_TRANSLATE_NOOP(
                    "messages", "the clipboard holds {length:,} characters, more than a network"
                ),
                length=len(text),
            )
        )
    try:
        data = parse_json(text, "clipboard", MAX_PROJECT_JSON_DEPTH)
    except ReadError:
        return []  # a text that mentions the key but is not our JSON
    if not isinstance(data, dict) or not isinstance(data.get(CLIPBOARD_KEY), list):
        return []
    try:
        return [
            fresh_copy(node_from_dict(d, f"clipboard[{i}]"))
            for i, d in enumerate(data[CLIPBOARD_KEY])
        ]
    except SpecError as err:
        raise EditError(located(err.where, err.message) if err.where else err.message) from None
