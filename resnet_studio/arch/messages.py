"""The core's messages to users: a stable id, an English template and named fields.

The Qt-free core (shape problems, field errors, refused edits) says what is wrong
in English; the window shows the same message in the user's language. So a message
keeps its template and its fields apart: :class:`Message` *is* the English text (a
``str``, so the command line, logs and every ``==`` see exactly what they saw
before), and also carries ``template`` and ``fields`` for the window to translate
the words and put the same fields back (``resnet_studio.gui.core_text.shown``).

Templates are marked with ``QT_TRANSLATE_NOOP("messages", ...)`` where they are
written, so lupdate extracts them under the context ``messages``. Field values
that are names, kinds, paths or shapes are passed already formatted (shapes as
``16×32×32``); numbers keep their format spec in the template (``{count:,}``), so
both languages group thousands the same way.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP


class Message(str):
    """A message to the user: the English text, plus ``id``, ``template`` and ``fields``.

    A ``str`` subclass rather than a separate object, because problems, table rows
    and errors already hold and compare their message as a string; being one keeps
    them unchanged while the window can still translate it. Immutable.
    """

    id: str
    template: str
    fields: Mapping[str, Any]

    def __new__(cls, id: str, template: str, /, **fields: Any) -> Message:
        self = super().__new__(cls, template.format(**fields))
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "fields", MappingProxyType(dict(fields)))
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Message is immutable; cannot set {name}")

    def __reduce__(self):  # pickle and copy: rebuild from the parts, not the English
        return _rebuild, (self.id, self.template, dict(self.fields))

    def __repr__(self) -> str:
        return f"Message({self.id!r}, {str.__repr__(self)})"


def _rebuild(id: str, template: str, fields: dict[str, Any]) -> Message:
    return Message(id, template, **fields)


def message_of(error: BaseException) -> str:
    """The message ``error`` was raised with: a :class:`Message` where the core made one
    (in ``error.message``, or as its one argument), else its plain text."""
    message = getattr(error, "message", None)
    if isinstance(message, Message):
        return message
    if len(error.args) == 1 and isinstance(error.args[0], Message):
        return error.args[0]
    return message if isinstance(message, str) else str(error)


def text_of(error: BaseException) -> str:
    """Exactly ``str(error)``: the :class:`Message` it was raised with when that is the
    whole of it (the window can translate it), else the plain text."""
    message = message_of(error)
    return message if isinstance(message, Message) and message == str(error) else str(error)


def located(where: str, problem: str) -> Message:
    """``where: problem``: a problem (a field's, a file's) said of a place (a field's
    path, a file, a cell), the problem's own translation kept inside."""
    return Message(
        "located", QT_TRANSLATE_NOOP("messages", "{where}: {problem}"), where=where, problem=problem
    )


def joined(parts: list[str], comma: bool = False) -> str:
    """``a; b; c`` (or ``a, b, c``): parts said one after another, each one's own
    translation kept; the one part itself when there is one, "" for none."""
    result = ""
    for part in reversed(parts):
        if not result:
            result = part
        elif comma:
            result = Message(
                "joined.comma",
                QT_TRANSLATE_NOOP("messages", "{first}, {rest}"),
                first=part,
                rest=result,
            )
        else:
            result = Message(
                "joined.semicolon",
                QT_TRANSLATE_NOOP("messages", "{first}; {rest}"),
                first=part,
                rest=result,
            )
    return result


# --- a message kept in a file (why a run failed, in run.json) ---------------------------

# What a kept message may hold: it is read back from a file anyone can edit, so its
# template formats only plain fields, without widths that could fill the memory.
_MAX_TEMPLATE = 2000
_MAX_FIELDS = 20
_MAX_NESTING = 4
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,40}")
_FORMAT_SPEC = re.compile(r",?(?:\.\d)?[dfg%]?")


def message_to_plain(message: Message) -> dict[str, Any]:
    """``message`` as JSON-ready data: its id, template and fields (a field that is a
    message itself nested the same way), for :func:`message_from_plain`."""
    fields: dict[str, Any] = {}
    for key, value in message.fields.items():
        if isinstance(value, Message):
            fields[key] = message_to_plain(value)
        elif isinstance(value, float) and not math.isfinite(value):
            fields[key] = str(value)  # JSON has no NaN: "nan" reads the same in "{loss}"
        elif value is None or isinstance(value, bool | int | float | str):
            fields[key] = value
        else:
            fields[key] = str(value)
    return {"id": message.id, "template": message.template, "fields": fields}


def message_from_plain(data: Any, english: str) -> Message | None:
    """The message :func:`message_to_plain` kept, when it is well formed and still says
    exactly ``english`` (the text kept beside it); None otherwise, and the caller shows
    ``english`` as it is. Never raises: ``data`` comes from a file."""
    message = _rebuilt(data, 0)
    return message if message is not None and message == english else None


def _rebuilt(data: Any, depth: int) -> Message | None:
    if depth > _MAX_NESTING or not isinstance(data, dict):
        return None
    if set(data) != {"id", "template", "fields"}:
        return None
    id, template, kept = data["id"], data["template"], data["fields"]
    if not (isinstance(id, str) and isinstance(template, str) and isinstance(kept, dict)):
        return None
    if len(template) > _MAX_TEMPLATE or len(kept) > _MAX_FIELDS or not _plain_template(template):
        return None
    fields: dict[str, Any] = {}
    for key, value in kept.items():
        if isinstance(value, dict):
            value = _rebuilt(value, depth + 1)
            if value is None:
                return None
        elif not (value is None or isinstance(value, bool | int | float | str)):
            return None
        fields[key] = value
    try:
        return Message(id, template, **fields)
    except (KeyError, IndexError, ValueError, TypeError):
        return None


def _plain_template(template: str) -> bool:
    """Whether ``template`` formats only named fields (no attributes, no indexing, no
    widths): what every template of ours is."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return False
    return all(
        name is None
        or (
            _FIELD_NAME.fullmatch(name)
            and conversion in (None, "r")
            and _FORMAT_SPEC.fullmatch(spec or "")
        )
        for _text, name, spec, conversion in parts
    )
