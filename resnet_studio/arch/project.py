"""Project files: a network as versioned JSON, read with validation, written atomically.

The format is plain JSON (never pickle), so opening a file from someone else
cannot run code. Reading checks every field and fails with a message that
names it (``network.body[3].body[0].kernel: must be from 1 to 64, got 0``).
Files are read through :mod:`resnet_studio.reading`: regular files of bounded
size, JSON of bounded depth and number sizes, so a damaged or hostile file is
refused in one line instead of hanging, recursing or exhausting memory.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import fields
from pathlib import Path
from typing import Any

from resnet_studio.arch.messages import Message
from resnet_studio.arch.spec import (
    MAX_NESTING,
    NODE_TYPES,
    Network,
    Node,
    Repeat,
    SpecError,
    nesting_message,
    short_repr,
)
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.json_reasons import json_reason
from resnet_studio.reading import (
    MAX_NUMBER_DIGITS,
    MAX_PROJECT_BYTES,
    ReadError,
    json_depth_exceeds,
    read_bytes,
)
from resnet_studio.writing import WriteError, write_atomically

FORMAT = "resnet-studio-project"
VERSION = 2  # the version written; every version from 1 up to it is read
# What each version after 1 added (a kind, or a kind's field), by the version that
# added it: an older file never holds it, so one that does is refused as damaged.
INTRODUCED_IN = {
    "Group": 2,
    "Residual.pad_placement": 2,
    "Residual.preactivation": 2,
    "ReLU6": 2,
    "SiLU": 2,
    "GELU": 2,
    "AdaptiveAvgPool2d": 2,
    "MaxPool2d.ceil_mode": 2,
    "AvgPool2d.ceil_mode": 2,
    "AvgPool2d.count_include_pad": 2,
}


class ProjectError(ValueError):
    """A project file that cannot be read or written; the message says what and where.

    ``message`` is the same text, as a :class:`Message` where the window can translate
    it (the command line prints the English)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


# --- nodes and networks <-> plain dicts ---------------------------------------------


def node_to_dict(node: Node) -> dict[str, Any]:
    """A node as a JSON-ready dict: kind, id, name, then its fields in order."""
    data: dict[str, Any] = {"kind": node.kind, "id": node.id, "name": node.name}
    for f in fields(node):
        if f.name in ("id", "name"):
            continue
        value = getattr(node, f.name)
        data[f.name] = [node_to_dict(c) for c in value] if f.name == "body" else value
    return data


def network_to_dict(network: Network) -> dict[str, Any]:
    """A network as a JSON-ready dict."""
    return {
        "name": network.name,
        "input_shape": list(network.input_shape),
        "classes": network.classes,
        "body": [node_to_dict(n) for n in network.body],
    }


def _field(where: str, key: str) -> str:
    """``where.key``, or ``where['odd key']`` for a key that is no short plain word."""
    if key.isidentifier() and key.isascii() and len(key) <= 64:
        return f"{where}.{key}"
    return f"{where}[{short_repr(key)}]"


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key[:100], allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown field {short_repr(key)}{hint}"


def _body(data: dict[str, Any], where: str, parts: int, version: int) -> tuple[Node, ...]:
    """The nodes of ``data["body"]``, whose paths have ``parts`` parts."""
    body = data.get("body", [])
    if not isinstance(body, list):
        raise SpecError(f"{where}.body", "expected a list of layers")
    return tuple(
        node_from_dict(item, f"{where}.body[{i}]", parts, version) for i, item in enumerate(body)
    )


def _check_introduced(what: str, where: str, version: int) -> None:
    """Refuse ``what`` (``Group``, ``Residual.preactivation``) in a file older than it."""
    needed = INTRODUCED_IN.get(what, 1)
    if needed > version:
        raise SpecError(
            where,
            Message(
                "project.newer_than_file",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{what} is new in project format version {needed}, but the file says"
                    " version {version}",
                ),
                what=what,
                needed=needed,
                version=version,
            ),
        )


def node_from_dict(data: Any, where: str = "node", parts: int = 1, version: int = VERSION) -> Node:
    """Parse one node; any problem raises :class:`SpecError` naming its location.

    ``parts`` is how many parts the node's path has; deeper than
    :data:`~resnet_studio.arch.spec.MAX_NESTING` is refused before its body is read.
    ``version`` is the project format the node was written in (kinds and fields
    added later are refused).
    """
    if not isinstance(data, dict):
        raise SpecError(where, f"expected an object with a 'kind', got {type(data).__name__}")
    if parts > MAX_NESTING:
        raise SpecError(where, nesting_message(parts))
    kind = data.get("kind")
    cls = NODE_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        close = difflib.get_close_matches(str(kind)[:100], NODE_TYPES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SpecError(f"{where}.kind", f"unknown layer kind {short_repr(kind)}{hint}")
    _check_introduced(kind, f"{where}.kind", version)
    allowed = ["kind", *(f.name for f in fields(cls))]
    for key in data:
        if key not in allowed:
            raise SpecError(_field(where, key), _unknown_key(key, allowed))
        _check_introduced(f"{kind}.{key}", _field(where, key), version)
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "body":
            # As the modules nest: a Repeat of several layers adds a numbered group.
            several = cls is Repeat and not (isinstance(value, list) and len(value) == 1)
            value = _body(data, where, parts + (2 if several else 1), version)
        elif f.metadata.get("type") == "float" and type(value) is int:
            value = float(value)
        kwargs[f.name] = value
    if "name" not in kwargs:
        raise SpecError(f"{where}.name", "missing; every layer needs a name")
    try:
        return cls(**kwargs)
    except SpecError as err:
        raise err.inside(where) from None
    except TypeError as err:  # a required field is missing
        raise SpecError(where, f"{kind}: {err}") from None


def network_from_dict(data: Any, where: str = "network", version: int = VERSION) -> Network:
    """Parse a network dict written in project format ``version``; problems raise
    :class:`SpecError` naming the field."""
    if not isinstance(data, dict):
        raise SpecError(where, "expected an object")
    allowed = ["name", "input_shape", "classes", "body"]
    for key in data:
        if key not in allowed:
            raise SpecError(_field(where, key), _unknown_key(key, allowed))
    shape = data.get("input_shape", [3, 32, 32])
    if not isinstance(shape, list) or len(shape) != 3:
        raise SpecError(f"{where}.input_shape", f"expected [C, H, W], got {short_repr(shape)}")
    body = _body(data, where, 1, version)
    try:
        return Network(
            name=data.get("name", "network"),
            input_shape=tuple(shape),
            classes=data.get("classes", 10),
            body=body,
        )
    except SpecError as err:
        raise err.inside(where) from None


# --- files ------------------------------------------------------------------------


def project_to_json(network: Network) -> str:
    """The text of a project file for ``network``."""
    doc = {"format": FORMAT, "version": VERSION, "network": network_to_dict(network)}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


class _BadNumber:
    """Stands in for a number no field takes (5,000 digits, NaN), so the field that
    holds it is named when it is refused, as any other wrong value is."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        if self.text[-1:].isdigit():
            return f"a number of {len(self.text):,} characters"
        return self.text  # NaN, Infinity, -Infinity: not JSON numbers


def _int(text: str) -> int | _BadNumber:
    return _BadNumber(text) if len(text.lstrip("-")) > MAX_NUMBER_DIGITS else int(text)


def _float(text: str) -> float | _BadNumber:
    return _BadNumber(text) if len(text) > 2 * MAX_NUMBER_DIGITS else float(text)


# JSON nesting of the deepest valid project: the document, "network" and its
# "body", then an object and its "body" list per path part, and a field's list.
MAX_PROJECT_JSON_DEPTH = 3 + 2 * MAX_NESTING + 1


def project_from_json(text: str, source: str = "project") -> Network:
    """Parse the text of a project file; errors name ``source`` and the bad field."""
    if json_depth_exceeds(text, MAX_PROJECT_JSON_DEPTH):
        raise ProjectError(
            Message(
                "project.nested_too_deeply",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{source}: nested too deeply to be a network"
                    " (layers nest at most {max} levels)",
                ),
                source=source,
                max=MAX_NESTING,
            )
        )
    try:
        # Numbers are bounded here and refused by the field that holds them; every
        # string that is kept is checked by its field too (lone surrogates included).
        doc = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_BadNumber)
    except json.JSONDecodeError as err:
        raise ProjectError(
            Message(
                "project.not_json",
                QT_TRANSLATE_NOOP(
                    "messages", "{source}: not valid JSON (line {line}, column {column}: {reason})"
                ),
                source=source,
                line=err.lineno,
                column=err.colno,
                reason=json_reason(err.msg),
            )
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ProjectError(
            Message(
                "project.no_format",
                QT_TRANSLATE_NOOP(
                    "messages", '{source}: not a ResNet Studio project (no "format": "{format}")'
                ),
                source=source,
                format=FORMAT,
            )
        )
    version = doc.get("version")
    # true == 1 in Python: not a version
    if type(version) is not int or not 1 <= version <= VERSION:
        raise ProjectError(
            Message(
                "project.version",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{source}: project format version {version} is not supported; "
                    "this version of ResNet Studio reads version {supported}",
                ),
                source=source,
                version=short_repr(version),
                supported=f"1–{VERSION}",
            )
        )
    try:
        return network_from_dict(doc.get("network"), version=version)
    except SpecError as err:
        raise ProjectError(_in_file(source, str(err), err.where, err.message)) from None
    except RecursionError:  # cannot happen within the depth checked above; never a traceback
        raise ProjectError(
            Message(
                "project.nested",
                QT_TRANSLATE_NOOP("messages", "{source}: nested too deeply to be a network"),
                source=source,
            )
        ) from None


def _in_file(source: str, text: str, where: str, problem: str) -> str:
    """A field's error (``body[2].kernel: …``) located in the file it was read from."""
    if not isinstance(problem, Message):
        return f"{source}: {text}"
    if not where:
        return Message(
            "project.field",
            QT_TRANSLATE_NOOP("messages", "{source}: {problem}"),
            source=source,
            problem=problem,
        )
    return Message(
        "project.field_at",
        QT_TRANSLATE_NOOP("messages", "{source}: {where}: {problem}"),
        source=source,
        where=where,
        problem=problem,
    )


PROJECT_FILE = Message("reading.what.project_file", QT_TRANSLATE_NOOP("messages", "project file"))


def load_project(path: str | os.PathLike[str]) -> Network:
    """Read and validate a project file (a regular file of at most 16 MiB of UTF-8 JSON)."""
    path = Path(path)
    if path.is_dir():
        raise ProjectError(
            Message(
                "project.folder",
                QT_TRANSLATE_NOOP("messages", "{path}: cannot read (a folder, not a project file)"),
                path=str(path),
            )
        )
    try:
        data = read_bytes(path, MAX_PROJECT_BYTES, PROJECT_FILE)
    except ReadError as err:
        raise ProjectError(err.args[0]) from None  # its Message, for the window
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ProjectError(
            Message(
                "project.not_text",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: not a text file (byte {byte:,} is not UTF-8), not a project file",
                ),
                path=str(path),
                byte=err.start,
            )
        ) from None
    return project_from_json(text, str(path))


def save_project(path: str | os.PathLike[str], network: Network) -> None:
    """Write ``network`` as a project file, atomically."""
    try:
        write_atomically(path, project_to_json(network).encode("utf-8"))
    except WriteError as err:
        raise ProjectError(err.args[0]) from None
