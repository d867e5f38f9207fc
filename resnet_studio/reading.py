"""The first step of reading any file the program accepts: bounded, and told in one line.

Before a byte is parsed, the path must be a regular file (not a FIFO, a device
or a folder, which would hang or never end) no larger than the limit for its
kind; JSON is checked for nesting depth and parsed with number limits, so a
hostile file fails fast with the program's own error instead of a
RecursionError, a MemoryError or a hang. Torch- and Qt-free: every layer uses it.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from resnet_studio.arch.messages import Message, located
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.json_reasons import json_reason

# Limits per kind of file (bytes). A project of the largest preset is ~0.3 MB.
MAX_PROJECT_BYTES = 16 * 2**20
MAX_RUN_INFO_BYTES = 16 * 2**20
MAX_JSON_DEPTH = 200  # nesting of JSON arrays and objects; a network's own limit is lower
MAX_NUMBER_DIGITS = 40  # no field of ours needs a longer number


class ReadError(ValueError):
    """A file that cannot be read as what it should be; one line naming it, raised
    with a :class:`Message` the window shows in its language."""

    @classmethod
    def of(cls, place: str, problem: Message) -> ReadError:
        """``place: problem``, keeping ``problem`` apart for :attr:`problem`."""
        return cls(located(place, problem))

    @property
    def problem(self) -> str:
        """What is wrong, without the file's name: for a caller that names the file
        itself (``run.json: unreadable (no such file)``)."""
        message = self.args[0] if self.args else ""
        if isinstance(message, Message) and message.id == "located":
            return message.fields["problem"]
        return str(message)


# What a file should be, for the messages ("a folder, not a project file"): words the
# window translates, so callers pass these (or a file's own name, such as run.json).
FILE = Message("reading.what.file", QT_TRANSLATE_NOOP("messages", "file"))
TEXT_FILE = Message("reading.what.text_file", QT_TRANSLATE_NOOP("messages", "text file"))


def _cannot_read(path: Path, err: OSError) -> ReadError:
    return ReadError.of(
        str(path),
        Message(
            "reading.cannot_read",
            QT_TRANSLATE_NOOP("messages", "cannot read ({reason})"),
            reason=err.strerror or str(err),
        ),
    )


def read_bytes(path: str | os.PathLike[str], max_bytes: int, what: str = FILE) -> bytes:
    """The contents of a regular file of at most ``max_bytes``; :class:`ReadError` otherwise."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ReadError.of(
            str(path),
            Message(
                "reading.no_such_file",
                QT_TRANSLATE_NOOP("messages", "no such file"),
            ),
        ) from None
    except OSError as err:
        raise _cannot_read(path, err) from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadError.of(
            str(path),
            Message(
                "reading.folder",
                QT_TRANSLATE_NOOP("messages", "a folder, not a {what}"),
                what=what,
            ),
        )
    if not stat.S_ISREG(info.st_mode):
        raise ReadError.of(
            str(path),
            Message(
                "reading.not_regular",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "not a regular file (a device, pipe or socket), not a {what}",
                ),
                what=what,
            ),
        )
    if info.st_size > max_bytes:
        raise ReadError.of(
            str(path),
            Message(
                "reading.too_large",
                QT_TRANSLATE_NOOP(
                    "messages", "{size:,} bytes, more than a {what} may be ({max:,} bytes)"
                ),
                size=info.st_size,
                what=what,
                max=max_bytes,
            ),
        )
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as err:
        raise _cannot_read(path, err) from None
    if len(data) > max_bytes:
        raise ReadError.of(
            str(path),
            Message(
                "reading.grew_too_large",
                QT_TRANSLATE_NOOP("messages", "more than a {what} may be ({max:,} bytes)"),
                what=what,
                max=max_bytes,
            ),
        )
    return data


def decode_text(data: bytes, source: str, what: str = TEXT_FILE) -> str:
    """UTF-8 text, or :class:`ReadError` saying the file is not a ``what``."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReadError.of(
            source,
            Message(
                "reading.not_utf8",
                QT_TRANSLATE_NOOP("messages", "not a {what} (not UTF-8 text)"),
                what=what,
            ),
        ) from None


# A JSON string, escapes included (the alternatives never overlap: no backtracking).
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")
# An escaped UTF-16 surrogate (\ud800-\udfff): the only way JSON text decoded from
# UTF-8 can hold one, so strings need no walk without it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects nest deeper than ``limit`` (brackets inside strings aside).

    Linear (regular expressions, then a pass over the brackets alone), so a hostile
    file is refused before the parser recurses into it.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(
            Message(
                "reading.long_number",
                QT_TRANSLATE_NOOP("messages", "a number of {digits:,} digits"),
                digits=len(text),
            )
        )
    return int(text)


def _bounded_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS * 2:
        raise ValueError(
            Message(
                "reading.long_float",
                QT_TRANSLATE_NOOP("messages", "a number of {length:,} characters"),
                length=len(text),
            )
        )
    return float(text)


def _no_constant(name: str) -> float:
    raise ValueError(
        Message(
            "reading.not_a_number",
            QT_TRANSLATE_NOOP("messages", "{name} is not a JSON number"),
            name=name,
        )
    )


def parse_json(text: str, source: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON strictly: depth and number sizes bounded, no NaN/Infinity, no lone
    surrogates in strings; :class:`ReadError` naming ``source`` otherwise."""
    if json_depth_exceeds(text, max_depth):
        raise ReadError.of(
            source,
            Message(
                "reading.nested",
                QT_TRANSLATE_NOOP("messages", "nested more than {max} levels deep"),
                max=max_depth,
            ),
        )
    try:
        data = json.loads(
            text,
            parse_int=_bounded_int,
            parse_float=_bounded_float,
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as err:
        raise ReadError.of(
            source,
            Message(
                "reading.not_json",
                QT_TRANSLATE_NOOP(
                    "messages", "not valid JSON (line {line}, column {column}: {reason})"
                ),
                line=err.lineno,
                column=err.colno,
                reason=json_reason(err.msg),  # Python's words, translated where known
            ),
        ) from None
    except (ValueError, RecursionError) as err:
        reason = err.args[0] if len(err.args) == 1 and isinstance(err.args[0], Message) else err
        raise ReadError.of(
            source,
            Message(
                "reading.not_json_because",
                QT_TRANSLATE_NOOP("messages", "not valid JSON ({reason})"),
                reason=reason if isinstance(reason, Message) else str(reason),
            ),
        ) from None
    if _SURROGATE_ESCAPE.search(text):
        _check_strings(data, source)
    return data


def _check_strings(data: Any, source: str) -> None:
    """Refuse lone UTF-16 surrogates (``"\\ud800"``): such text cannot be written back."""
    todo = [data]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ReadError.of(
                    source,
                    Message(
                        "reading.lone_surrogate",
                        QT_TRANSLATE_NOOP(
                            "messages",
                            "text with a lone surrogate ({text}), not valid Unicode",
                        ),
                        text=repr(item[:40]),
                    ),
                ) from None
        elif isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)


def read_json(
    path: str | os.PathLike[str], max_bytes: int, what: str, max_depth: int = MAX_JSON_DEPTH
) -> Any:
    """A bounded JSON file (see :func:`read_bytes` and :func:`parse_json`)."""
    source = str(path)
    return parse_json(
        decode_text(read_bytes(path, max_bytes, what), source, what), source, max_depth
    )
