"""Project files: a network as versioned JSON, read with validation, written atomically.

The format is plain JSON (never pickle), so opening a file from someone else
cannot run code. Reading checks every field and fails with a message that
names it (``network.body[3].body[0].kernel: must be from 1 to 64, got 0``).
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import fields
from pathlib import Path
from typing import Any

from resnet_studio.arch.spec import NODE_TYPES, Network, Node, SpecError
from resnet_studio.writing import WriteError, write_atomically

FORMAT = "resnet-studio-project"
VERSION = 1


class ProjectError(ValueError):
    """A project file that cannot be read or written; the message says what and where."""


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


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown field {key!r}{hint}"


def _body(data: dict[str, Any], where: str) -> tuple[Node, ...]:
    body = data.get("body", [])
    if not isinstance(body, list):
        raise SpecError(f"{where}.body", "expected a list of layers")
    return tuple(node_from_dict(item, f"{where}.body[{i}]") for i, item in enumerate(body))


def node_from_dict(data: Any, where: str = "node") -> Node:
    """Parse one node; any problem raises :class:`SpecError` naming its location."""
    if not isinstance(data, dict):
        raise SpecError(where, f"expected an object with a 'kind', got {type(data).__name__}")
    kind = data.get("kind")
    cls = NODE_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        close = difflib.get_close_matches(str(kind), NODE_TYPES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SpecError(f"{where}.kind", f"unknown layer kind {kind!r}{hint}")
    allowed = ["kind", *(f.name for f in fields(cls))]
    for key in data:
        if key not in allowed:
            raise SpecError(f"{where}.{key}", _unknown_key(key, allowed))
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "body":
            value = _body(data, where)
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


def network_from_dict(data: Any, where: str = "network") -> Network:
    """Parse a network dict; problems raise :class:`SpecError` naming the field."""
    if not isinstance(data, dict):
        raise SpecError(where, "expected an object")
    allowed = ["name", "input_shape", "classes", "body"]
    for key in data:
        if key not in allowed:
            raise SpecError(f"{where}.{key}", _unknown_key(key, allowed))
    shape = data.get("input_shape", [3, 32, 32])
    if not isinstance(shape, list) or len(shape) != 3:
        raise SpecError(f"{where}.input_shape", f"expected [C, H, W], got {shape!r}")
    body = _body(data, where)
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


def project_from_json(text: str, source: str = "project") -> Network:
    """Parse the text of a project file; errors name ``source`` and the bad field."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise ProjectError(
            f"{source}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    except RecursionError:
        raise ProjectError(f"{source}: nested too deeply to be a network") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ProjectError(f'{source}: not a ResNet Studio project (no "format": "{FORMAT}")')
    version = doc.get("version")
    if version != VERSION:
        raise ProjectError(
            f"{source}: project format version {version!r} is not supported; "
            f"this version of ResNet Studio reads version {VERSION}"
        )
    try:
        return network_from_dict(doc.get("network"))
    except SpecError as err:
        raise ProjectError(f"{source}: {err}") from None
    except RecursionError:
        raise ProjectError(f"{source}: nested too deeply to be a network") from None


def load_project(path: str | os.PathLike[str]) -> Network:
    """Read and validate a project file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ProjectError(f"{path}: not a text file") from None
    except OSError as err:
        raise ProjectError(f"{path}: cannot read ({err.strerror})") from None
    return project_from_json(text, str(path))


def save_project(path: str | os.PathLike[str], network: Network) -> None:
    """Write ``network`` as a project file, atomically."""
    try:
        write_atomically(path, project_to_json(network).encode("utf-8"))
    except WriteError as err:
        raise ProjectError(str(err)) from None
