"""The open network: the single source of truth that every view reads.

Edits arrive as :class:`QUndoCommand` objects that swap one immutable
:class:`Network` for another; the document then re-runs the analytic
inference once and emits :attr:`NetworkDocument.changed`. Views never keep
their own copy of the truth: they redraw from :attr:`network` and
:attr:`summary`. "Unsaved" is ``not undo_stack.isClean()``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from resnet_studio.arch import edit, placement
from resnet_studio.arch.catalogue import make_node
from resnet_studio.arch.inference import Summary, infer
from resnet_studio.arch.project import load_project, save_project
from resnet_studio.arch.spec import CONTAINERS, Network, Node

if TYPE_CHECKING:
    from resnet_studio.model.metadata import ModelMeta


@dataclass(frozen=True)
class TrainedWeights:
    """Weights opened from a model file: exported with the network, and offered to Train
    to start from, while they fit it."""

    state: dict[str, Any]  # the state_dict, CPU tensors
    meta: ModelMeta | None  # None for a file written before metadata was stored
    source: Path
    # The network they were opened with: while the document's is equal, they fit it
    # without a check. None: unknown (checked when needed).
    network: Network | None = None


# Field edits of the same node and field within one command id merge into one
# undo step (a spin box scrolled through ten values is one edit).
_FIELD_EDIT_ID = 1001


def _contains(network: Network, node_id: str) -> bool:
    try:
        edit.locate(network, node_id)
    except edit.EditError:
        return False
    return True


class NetworkEdit(QUndoCommand):
    """Replace the whole network by an edited one; undo puts the old one back."""

    def __init__(
        self,
        document: NetworkDocument,
        before: Network,
        after: Network,
        text: str,
        select: list[str] | None = None,
    ) -> None:
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after
        self.select = select

    def redo(self) -> None:
        self.document._set_network(self.after)
        if self.select is not None:
            self.document.select(self.select)

    def undo(self) -> None:
        self.document._set_network(self.before)


class FieldEdit(NetworkEdit):
    """Change one field of one node; consecutive changes of the same field merge."""

    def __init__(
        self,
        document: NetworkDocument,
        before: Network,
        after: Network,
        text: str,
        node_id: str,
        field: str,
    ) -> None:
        super().__init__(document, before, after, text)
        self.key = (node_id, field)

    def id(self) -> int:
        return _FIELD_EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, FieldEdit) or other.key != self.key:
            return False
        self.after = other.after
        self.setObsolete(self.after == self.before)  # back where it started: drop the step
        return True


class NetworkDocument(QObject):
    """One network being edited, with its undo stack, selection and file."""

    changed = Signal()  # network (and summary) replaced
    selection_changed = Signal(list)  # node ids
    path_changed = Signal(object)  # Path | None

    def __init__(self, network: Network, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._network = network
        self._summary = infer(network)
        self._selection: list[str] = []
        self._path: Path | None = None
        self.trained: TrainedWeights | None = None

    # --- state ---------------------------------------------------------------------

    @property
    def network(self) -> Network:
        return self._network

    @property
    def summary(self) -> Summary:
        return self._summary

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def selection(self) -> list[str]:
        return list(self._selection)

    def _set_network(self, network: Network) -> None:
        self._network = network
        self._summary = infer(network)
        # Drop deleted nodes from the selection before anyone hears of the change,
        # so no view ever sees a selection that points at nothing.
        alive = [i for i in self._selection if self._exists(i)]
        pruned = alive != self._selection
        self._selection = alive
        self.changed.emit()
        if pruned:
            self.selection_changed.emit(list(alive))

    def _exists(self, node_id: str) -> bool:
        return _contains(self._network, node_id)

    def select(self, node_ids: list[str]) -> None:
        """Select nodes by id (views follow through :attr:`selection_changed`)."""
        node_ids = [i for i in dict.fromkeys(node_ids) if self._exists(i)]
        if node_ids != self._selection:
            self._selection = node_ids
            self.selection_changed.emit(list(node_ids))

    def node(self, node_id: str) -> Node:
        return edit.find_node(self._network, node_id)

    def selected_container(self) -> Node | None:
        """The selected container (Residual, Repeat or Group) when exactly one is selected
        (what Unwrap takes)."""
        if len(self._selection) != 1 or not self._exists(self._selection[0]):
            return None  # removed by the change being announced; the pruned selection follows
        node = self.node(self._selection[0])
        return node if isinstance(node, CONTAINERS) else None

    def insertion_point(self) -> tuple[str | None, int]:
        """Where an added or pasted layer goes: after the selection (inside a selected
        container, at its end), else at the end of the network."""
        return placement.insertion_point(self._network, self._selection)

    def channels_at(self, parent_id: str | None, index: int) -> int | None:
        """Channels of the feature map at an insertion point (None if unknown or flat)."""
        return placement.channels_at(self._network, self._summary, parent_id, index)

    # --- edits (each one undoable step) --------------------------------------------------

    def apply(self, after: Network, text: str, select: list[str] | None = None) -> None:
        """Push an edit that replaces the network with ``after``."""
        if after != self._network:
            self.undo_stack.push(NetworkEdit(self, self._network, after, text, select))

    def set_field(self, node_id: str, field: str, value: object) -> None:
        """Change one field of one node (raises SpecError for an invalid value)."""
        node = self.node(node_id)
        if getattr(node, field) == value:
            return
        new_node = dataclasses.replace(node, **{field: value})
        after = edit.replace_node(self._network, node_id, new_node)
        text = self.tr("Change {0} of {1}").format(field.replace("_", " "), node.name)
        self.undo_stack.push(FieldEdit(self, self._network, after, text, node_id, field))

    def insert(self, parent_id: str | None, index: int, node: Node) -> None:
        after = edit.insert_node(self._network, parent_id, index, node)
        self.apply(after, self.tr("Add {0}").format(node.kind), select=[node.id])

    def add(self, key: str, parent_id: str | None = None, index: int | None = None) -> None:
        """Add palette entry ``key`` at ``index`` of ``parent_id`` (by default at the
        insertion point), sized to the channels there. Raises KeyError for an unknown
        key, EditError or SpecError for an edit the network refuses."""
        if index is None:
            parent_id, index = self.insertion_point()
        self.insert(parent_id, index, make_node(key, self.channels_at(parent_id, index)))

    def paste(self, nodes: list[Node]) -> None:
        """Insert ``nodes`` (fresh copies) at the insertion point as one step, selected."""
        parent_id, index = self.insertion_point()
        after = edit.insert_nodes(self._network, parent_id, index, nodes)
        self.apply(after, self.tr("Paste"), select=[n.id for n in nodes])

    def duplicate(self) -> None:
        """A fresh copy of each selected node right after it, as one step; the copies
        become the selection."""
        after, copies = edit.duplicate_nodes(self._network, self._selection)
        self.apply(after, self.tr("Duplicate"), select=copies)

    def wrap(self, kind: str) -> None:
        """Put the selected neighbours into a new container, which is selected."""
        after, container = edit.wrap_nodes(self._network, self._selection, kind)
        self.apply(after, self.tr("Wrap in {0}").format(kind), select=[container])

    def unwrap(self) -> None:
        """Replace the selected container by its body."""
        if len(self._selection) == 1:
            after = edit.unwrap_node(self._network, self._selection[0])
            self.apply(after, self.tr("Unwrap"))

    def remove(self, node_ids: list[str]) -> None:
        after = self._network
        for node_id in node_ids:
            if _contains(after, node_id):  # a child goes with its deleted container
                after = edit.remove_node(after, node_id)
        self.apply(
            after,
            (
                self.tr("Delete 1 layer")
                if len(node_ids) == 1
                else self.tr("Delete {0} layers").format(len(node_ids))
            ),
        )

    def move(self, node_id: str, parent_id: str | None, index: int) -> None:
        after = edit.move_node(self._network, node_id, parent_id, index)
        self.apply(after, self.tr("Move {0}").format(self.node(node_id).name), select=[node_id])

    def set_network(self, network: Network, text: str) -> None:
        """Replace the whole network as one undoable step (preset, twin, input shape…)."""
        self.apply(network, text)

    # --- files -------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the project atomically and mark the document clean."""
        save_project(path, self._network)
        self._path = Path(path)
        self.undo_stack.setClean()
        self.path_changed.emit(self._path)

    def load(self, path: Path) -> None:
        """Open a project; on any error the current network stays as it was."""
        network = load_project(path)  # raises ProjectError before anything changes
        self._replace(network, Path(path), None)

    def open_trained(self, network: Network, weights: TrainedWeights) -> None:
        """Show a model file's network with its weights (it has no project file yet)."""
        self._replace(network, None, weights)

    def _replace(self, network: Network, path: Path | None, weights: TrainedWeights | None) -> None:
        self.undo_stack.clear()
        self._path = path
        self.trained = weights
        self._set_network(network)
        self.select([])
        self.path_changed.emit(self._path)
