"""The plain twin: the same network with every shortcut removed."""

from __future__ import annotations

import dataclasses

from resnet_studio.arch.spec import CONTAINERS, Network, Node, Residual


def _strip(node: Node) -> Node:
    if not isinstance(node, CONTAINERS):
        return node
    changes: dict[str, object] = {"body": tuple(_strip(child) for child in node.body)}
    if isinstance(node, Residual):
        changes["shortcut"] = "none"
    return dataclasses.replace(node, **changes)


def twin_name(name: str) -> str:
    """``cifar-resnet56`` → ``cifar-plain56``; anything else gets ``-plain``."""
    if "resnet" in name:
        return name.replace("resnet", "plain")
    return f"{name}-plain"


def plain_twin(network: Network) -> Network:
    """``network`` without shortcuts: same layers, same names and the same node ids.

    Keeping the ids means a node of one network identifies its twin in the
    other (select in one, highlight in both), and parameter names of the
    layers they share are identical.
    """
    return Network(
        name=twin_name(network.name),
        input_shape=network.input_shape,
        classes=network.classes,
        body=tuple(_strip(n) for n in network.body),
    )
