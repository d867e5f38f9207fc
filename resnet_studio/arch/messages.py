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


def located(where: str, problem: str) -> Message:
    """``where: problem``: a problem (a field's, a file's) said of a place (a field's
    path, a file, a cell), the problem's own translation kept inside."""
    return Message(
        "located", QT_TRANSLATE_NOOP("messages", "{where}: {problem}"), where=where, problem=problem
    )
