"""Where a new layer goes and what it receives there.

The window adds a palette entry or pastes after the selection
(:func:`insertion_point`); a drop on the canvas names its own place. Either
way the new layer is sized by :func:`channels_at`, the one answer to "how many
channels does the feature map have here", so a block added by double-click
and one dropped at the same place are the same block.
"""

from __future__ import annotations

from collections.abc import Sequence

from resnet_studio.arch.edit import children_of, find_node, locate
from resnet_studio.arch.inference import Shape, Summary
from resnet_studio.arch.spec import CONTAINERS, Network


def insertion_point(network: Network, selection: Sequence[str]) -> tuple[str | None, int]:
    """(container id or None for the top level, index) where an added layer goes: right
    after the last selected node, also when it is a block (a stage grows after itself);
    inside a selected block only while it is empty (a block just added is filled by
    double-clicks); at the end of the network when nothing is selected."""
    if not selection:
        return None, len(network.body)
    node = find_node(network, selection[-1])
    if isinstance(node, CONTAINERS) and not node.body:
        return node.id, 0
    where = locate(network, node.id)
    return where.parent_id, where.index + 1


def output_shape(summary: Summary, node_id: str) -> Shape | None:
    """The output shape of ``node_id``'s first row (its first repetition); None if unknown."""
    for row in summary.rows:
        if row.node_id == node_id and not row.is_shortcut:
            return row.output_shape
    return None


def shape_at(network: Network, summary: Summary, parent_id: str | None, index: int) -> Shape | None:
    """The shape of the feature map entering position ``index`` of ``parent_id``: what
    the node before it gives, or what enters the container when it is the first (in a
    Repeat, the first repetition's input); None where inference could not tell."""
    while True:
        body = children_of(network, parent_id)
        index = max(0, min(index, len(body)))
        if index > 0:
            return output_shape(summary, body[index - 1].id)
        if parent_id is None:
            return network.input_shape
        where = locate(network, parent_id)
        parent_id, index = where.parent_id, where.index


def channels_at(
    network: Network, summary: Summary, parent_id: str | None, index: int
) -> int | None:
    """Channels of the feature map at an insertion point; None if unknown or flat
    (after Flatten or Linear), when a new conv or block takes its default width."""
    shape = shape_at(network, summary, parent_id, index)
    return shape[0] if shape is not None and len(shape) == 3 else None
