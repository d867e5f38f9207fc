"""Edits of a network by node id: pure functions from one immutable tree to the next.

The window's undo commands call these; each returns a new :class:`Network`
and leaves the old one intact, so undo is just "put the old tree back".
Containers are addressed by id; ``None`` means the top level.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from resnet_studio.arch.messages import Message
from resnet_studio.arch.spec import (
    CONTAINERS,
    Group,
    Network,
    Node,
    Repeat,
    Residual,
    new_id,
    walk,
)
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP


class EditError(ValueError):
    """An edit that cannot be made (unknown id, moving a block into itself…)."""

    @property
    def message(self) -> str:
        """Why, as raised: a :class:`Message` where the window can translate it."""
        return self.args[0] if self.args else ""


@dataclass(frozen=True)
class Location:
    """Where a node sits: its container's id (None: top level) and index there."""

    parent_id: str | None
    index: int
    node: Node


def locate(network: Network, node_id: str) -> Location:
    """The location of ``node_id``; :class:`EditError` if it is not in the network."""

    def search(nodes: tuple[Node, ...], parent_id: str | None) -> Location | None:
        for i, node in enumerate(nodes):
            if node.id == node_id:
                return Location(parent_id, i, node)
            if isinstance(node, CONTAINERS):
                found = search(node.body, node.id)
                if found:
                    return found
        return None

    found = search(network.body, None)
    if found is None:
        raise EditError(
            Message(
                "edit.no_such_layer",
                QT_TRANSLATE_NOOP("messages", "no layer with id {id} in the network"),
                id=repr(node_id),
            )
        )
    return found


def find_node(network: Network, node_id: str) -> Node:
    """The node with ``node_id``."""
    return locate(network, node_id).node


def instances(network: Network, node_id: str) -> int:
    """How many times ``node_id`` runs: the product of the counts of the Repeats around it."""
    times = 1
    parent_id = locate(network, node_id).parent_id
    while parent_id is not None:
        where = locate(network, parent_id)
        if isinstance(where.node, Repeat):
            times *= where.node.count
        parent_id = where.parent_id
    return times


def children_of(network: Network, parent_id: str | None) -> tuple[Node, ...]:
    """The body of a container (or the top level)."""
    if parent_id is None:
        return network.body
    parent = find_node(network, parent_id)
    if not isinstance(parent, CONTAINERS):
        raise EditError(
            Message(
                "edit.not_a_container",
                QT_TRANSLATE_NOOP("messages", "{name} is a {kind}, not a container"),
                name=parent.name,
                kind=parent.kind,
            )
        )
    return parent.body


def _with_body(network: Network, parent_id: str | None, body: tuple[Node, ...]) -> Network:
    """``network`` with the body of ``parent_id`` replaced."""
    if parent_id is None:
        return dataclasses.replace(network, body=body)
    parent = find_node(network, parent_id)
    return replace_node(network, parent_id, dataclasses.replace(parent, body=body))


def replace_node(network: Network, node_id: str, new: Node) -> Network:
    """``network`` with the node ``node_id`` swapped for ``new``."""

    def swap(nodes: tuple[Node, ...]) -> tuple[Node, ...]:
        return tuple(
            new
            if node.id == node_id
            else dataclasses.replace(node, body=swap(node.body))
            if isinstance(node, CONTAINERS)
            else node
            for node in nodes
        )

    locate(network, node_id)  # fail clearly on an unknown id
    return dataclasses.replace(network, body=swap(network.body))


def unique_name(base: str, taken: Iterable[str]) -> str:
    """``base`` if free, else ``base`` with the next free number (``conv3``)."""
    taken = set(taken)
    if base not in taken:
        return base
    stem = re.sub(r"\d+$", "", base) or base
    n = 2
    while f"{stem}{n}" in taken:
        n += 1
    return f"{stem}{n}"


def fresh_copy(node: Node) -> Node:
    """A deep copy of ``node`` with new ids everywhere (for paste and duplicate)."""
    changes: dict[str, object] = {"id": new_id()}
    if isinstance(node, CONTAINERS):
        changes["body"] = tuple(fresh_copy(child) for child in node.body)
    return dataclasses.replace(node, **changes)


def insert_node(network: Network, parent_id: str | None, index: int, node: Node) -> Network:
    """Insert ``node`` at ``index`` of ``parent_id``, renamed if its name is taken there."""
    body = children_of(network, parent_id)
    index = max(0, min(index, len(body)))
    name = unique_name(node.name, (n.name for n in body))
    if name != node.name:
        node = dataclasses.replace(node, name=name)
    return _with_body(network, parent_id, body[:index] + (node,) + body[index:])


def insert_nodes(
    network: Network, parent_id: str | None, index: int, nodes: Iterable[Node]
) -> Network:
    """Insert ``nodes`` in order from ``index`` of ``parent_id`` (a paste); each is
    renamed if its name is taken there."""
    for offset, node in enumerate(nodes):
        network = insert_node(network, parent_id, index + offset, node)
    return network


def duplicate_nodes(network: Network, node_ids: Iterable[str]) -> tuple[Network, list[str]]:
    """A fresh copy of each node right after it; returns the network and the copies' ids."""
    copies = []
    for node_id in node_ids:
        where = locate(network, node_id)
        copy = fresh_copy(where.node)
        network = insert_node(network, where.parent_id, where.index + 1, copy)
        copies.append(copy.id)
    return network, copies


def remove_node(network: Network, node_id: str) -> Network:
    """``network`` without ``node_id`` (and its children)."""
    where = locate(network, node_id)
    body = children_of(network, where.parent_id)
    return _with_body(network, where.parent_id, body[: where.index] + body[where.index + 1 :])


def move_node(network: Network, node_id: str, parent_id: str | None, index: int) -> Network:
    """Move ``node_id`` to ``index`` of ``parent_id`` (index counted before the move)."""
    where = locate(network, node_id)
    if parent_id is not None and (
        parent_id == node_id or any(n.id == parent_id for n in walk((where.node,)))
    ):
        raise EditError(
            Message(
                "edit.move_into_itself",
                QT_TRANSLATE_NOOP("messages", "cannot move {name} into itself"),
                name=where.node.name,
            )
        )
    if where.parent_id == parent_id and where.index < index:
        index -= 1  # removing it first shifts the later positions up by one
    return insert_node(remove_node(network, node_id), parent_id, index, where.node)


def wrap_nodes(network: Network, node_ids: list[str], kind: str) -> tuple[Network, str]:
    """Put consecutive siblings into a new Residual, Repeat or Group; returns the new
    container's id."""
    if not node_ids:
        raise EditError(
            Message(
                "edit.nothing_to_wrap",
                QT_TRANSLATE_NOOP("messages", "select the layers to wrap first"),
            )
        )
    places = [locate(network, i) for i in node_ids]
    parent_id = places[0].parent_id
    indices = sorted(p.index for p in places)
    if any(p.parent_id != parent_id for p in places) or indices != list(
        range(indices[0], indices[0] + len(indices))
    ):
        raise EditError(
            Message(
                "edit.wrap_not_neighbours",
                QT_TRANSLATE_NOOP(
                    "messages", "only neighbouring layers in the same block can be wrapped together"
                ),
            )
        )
    body = children_of(network, parent_id)
    inner = body[indices[0] : indices[-1] + 1]
    taken = [n.name for n in body if n not in inner]
    if kind == "Residual":
        container: Node = Residual(name=unique_name("block", taken), body=inner)
    elif kind == "Repeat":
        container = Repeat(name=unique_name("stage", taken), body=inner, count=2)
    elif kind == "Group":
        container = Group(name=unique_name("group", taken), body=inner)
    else:
        raise EditError(
            Message(
                "edit.wrap_kind",
                QT_TRANSLATE_NOOP(
                    "messages", "cannot wrap in {kind}; use Residual, Repeat or Group"
                ),
                kind=repr(kind),
            )
        )
    new_body = body[: indices[0]] + (container,) + body[indices[-1] + 1 :]
    return _with_body(network, parent_id, new_body), container.id


def unwrap_node(network: Network, container_id: str) -> Network:
    """Replace a container by its body (names made unique among the new siblings)."""
    where = locate(network, container_id)
    if not isinstance(where.node, CONTAINERS):
        raise EditError(
            Message(
                "edit.not_a_block",
                QT_TRANSLATE_NOOP("messages", "{name} is not a Residual, Repeat or Group block"),
                name=where.node.name,
            )
        )
    body = children_of(network, where.parent_id)
    outside = body[: where.index] + body[where.index + 1 :]
    taken = [n.name for n in outside]
    lifted = []
    for child in where.node.body:
        name = unique_name(child.name, taken)
        taken.append(name)
        lifted.append(child if name == child.name else dataclasses.replace(child, name=name))
    new_body = body[: where.index] + tuple(lifted) + body[where.index + 1 :]
    return _with_body(network, where.parent_id, new_body)
