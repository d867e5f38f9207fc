"""Hypothesis strategies that damage valid files: as JSON, as text, as bytes.

Each mutation starts from a valid file the program wrote, so most mutants are
still almost valid: they reach deep into the readers, where a forgotten type
check or limit lies, instead of failing at the first byte.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

# Values that have broken readers before, or would: wrong types, bools that pass
# as ints, huge and special numbers, odd text, deep nesting.
NASTY_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2**31,
    2**63,
    2**64 + 1,
    -(2**63) - 1,
    1e308,
    -0.0,
    0.5,
    "",
    " ",
    "x",
    "a\n",
    "name with spaces",
    "_modules",
    "__class__",
    "\u00e9\u4e2d",
    "../../etc/passwd",
    "folder:/dev/zero",
    "x" * 5000,
    [],
    {},
    [[[[[[[[]]]]]]]],
    {"kind": "Conv2d"},
    [1, 2, 3],
]
# Written into the JSON text as they are: not valid Python values, or too big for json.dumps.
NASTY_TOKENS = ["NaN", "Infinity", "-Infinity", "9" * 5000, "1e99999", '"\\ud800"', "[" * 300]


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in ``doc`` (a tuple of keys and indices), the root included."""
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _get(doc: Any, path: tuple) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _set(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    _get(doc, path[:-1])[path[-1]] = value
    return doc


@st.composite
def mutated_json(draw: st.DrawFn, doc: Any) -> str:
    """The JSON text of ``doc`` with one to three mutations, structural or textual."""
    doc = json.loads(json.dumps(doc))  # a private copy
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = paths[draw(st.integers(0, len(paths) - 1))]
        target = _get(doc, path)
        kind = draw(
            st.sampled_from(["value", "delete", "add", "wrap", "duplicate", "nest", "text"])
        )
        if kind == "value":
            doc = _set(doc, path, _nasty(draw))
        elif kind == "delete" and path:
            parent = _get(doc, path[:-1])
            del parent[path[-1]]
        elif kind == "add" and isinstance(target, dict):
            key = draw(st.sampled_from(["extra", "kind", "body", "name", "version", "", "\u00e9"]))
            target[key] = _nasty(draw)
        elif kind == "wrap":
            doc = _set(doc, path, draw(st.sampled_from([[target], {"x": target}, str(target)])))
        elif kind == "duplicate" and isinstance(target, list) and target:
            target.extend(target[: draw(st.integers(1, 3))])
        elif kind == "nest":
            nested = target
            for _ in range(draw(st.sampled_from([2, 50, 250]))):
                nested = {"kind": "Repeat", "name": "r", "count": 2, "body": [nested]}
            doc = _set(doc, path, nested)
    text = json.dumps(doc, indent=1)
    if draw(st.booleans()):
        text = draw(mutated_text(text))
    return text


def _nasty(draw: st.DrawFn) -> Any:
    # A copy: a later mutation of the document must not change NASTY_VALUES itself,
    # or the cases hypothesis replays would differ from the ones it drew.
    return copy.deepcopy(draw(st.sampled_from(NASTY_VALUES)))


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> str:
    """``text`` with a token replaced by a nasty one, or cut, or with characters changed."""
    kind = draw(st.sampled_from(["token", "cut", "chars"]))
    if kind == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if kind == "token":
        # Replace a number or a string value with a nasty token.
        spots = [i for i, c in enumerate(text) if c in '0123456789"']
        if not spots:
            return text
        start = spots[draw(st.integers(0, len(spots) - 1))]
        end = start + 1
        while end < len(text) and text[end] not in ",}]\n":
            end += 1
        return text[:start] + draw(st.sampled_from(NASTY_TOKENS)) + text[end:]
    chars = list(text)
    for _ in range(draw(st.integers(1, 5))):
        if not chars:
            break
        i = draw(st.integers(0, len(chars) - 1))
        chars[i] = draw(st.sampled_from(list('{}[]",:0a\\\n \x00')))
    return "".join(chars)


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with bytes flipped, a range zeroed or repeated, or the end cut off."""
    data = bytearray(data)
    kind = draw(st.sampled_from(["flip", "zero", "repeat", "cut", "insert"]))
    n = len(data)
    at = draw(st.integers(0, max(n - 1, 0)))
    if kind == "flip":
        for _ in range(draw(st.integers(1, 16))):
            i = draw(st.integers(0, max(n - 1, 0)))
            data[i] ^= draw(st.integers(1, 255))
    elif kind == "zero":
        length = draw(st.integers(1, 4096))
        data[at : at + length] = bytes(len(data[at : at + length]))
    elif kind == "repeat":
        length = draw(st.integers(1, 4096))
        data[at:at] = data[at : at + length]
    elif kind == "cut":
        del data[at:]
    else:
        data[at:at] = draw(st.binary(min_size=1, max_size=64))
    return bytes(data)
