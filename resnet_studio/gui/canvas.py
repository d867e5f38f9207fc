"""The network canvas: the spec drawn as a vertical chain, like Fig. 3 of He et al. 2015.

:class:`CanvasView` redraws the whole scene from the document on every
``changed`` signal. The scene mirrors the *spec*, not the expanded network:
a Repeat shows its body once with a ×N badge, so even ResNet-1202 is a few
dozen items. Edits go through the document (drops insert or move nodes);
the view keeps only presentation state: zoom, scroll and which Repeats and Groups are
collapsed.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QPoint,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QMouseEvent,
    QPainter,
    QPixmap,
    QShowEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView, QMenu, QWidget

from resnet_studio.arch import edit
from resnet_studio.arch.catalogue import LAYER_MIME
from resnet_studio.arch.spec import SpecError
from resnet_studio.gui import canvas_items as ci
from resnet_studio.gui.canvas_layout import Builder, Layout, Zone, ancestors
from resnet_studio.gui.document import NetworkDocument
from resnet_studio.gui.quick_fixes import fill_fix_menu
from resnet_studio.writing import check_target, write_atomically

NODE_MIME = "application/vnd.resnet-studio.node"
MIN_ZOOM = 0.05
MAX_ZOOM = 4.0


class CanvasView(QGraphicsView):
    """The network drawn as a chain of layer cards and block frames.

    Signals: :attr:`activated` (node id) on a double-click. Selection goes
    through the document both ways; edits (drops, moves) through its
    undoable methods.
    """

    activated = Signal(str)

    def __init__(self, document: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._collapsed: set[str] = set()
        self._layout = Layout()
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._syncing = False
        self._press: tuple[str, QPointF] | None = None  # node id, viewport position
        self._pan_from: QPointF | None = None
        self._fitted = False  # fit once, on first show
        self._zoomed = False  # a zoom was chosen before that
        # The quick fixes of the card clicked (its "Fix…" button or a right-click).
        self.fix_menu = QMenu(self)

        scene = QGraphicsScene(self)
        self.setScene(scene)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.ContainsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setBackgroundBrush(ci.BACKGROUND)
        self.setAcceptDrops(True)
        self.setMinimumSize(200, 200)

        scene.selectionChanged.connect(self._on_scene_selection)
        document.changed.connect(self.rebuild)
        document.selection_changed.connect(self._on_document_selection)
        self.rebuild()

    # --- building -----------------------------------------------------------------------

    @property
    def document(self) -> NetworkDocument:
        return self._document

    def rebuild(self) -> None:
        """Redraw everything from the document (cheap: one item per spec node)."""
        self._syncing = True
        try:
            scene = self.scene()
            scene.clear()
            self._indicator = ci.DropIndicator()
            scene.addItem(self._indicator)
            network = self._document.network
            self._ancestors = ancestors(network)
            self._collapsed &= set(self._ancestors)  # forget deleted containers
            self._layout = Builder(scene, self._document, self._collapsed).build()
            self._layout.zones.sort(key=lambda z: z.depth)
            selected = set(self._document.selection)
            for node_id, item in self._layout.items.items():
                item.setSelected(node_id in selected)
            scene.setSceneRect(self._content_rect().adjusted(-40, -20, 40, 40))
        finally:
            self._syncing = False

    def _content_rect(self) -> QRectF:
        rect = QRectF()
        for item in self.scene().items():
            if item is not self._indicator:
                rect = rect.united(item.sceneBoundingRect())
        return rect.adjusted(-16, -16, 16, 16)

    def item_for(self, node_id: str) -> ci.NodeItem | None:
        """The card or frame drawn for ``node_id`` (None if hidden in a collapsed container)."""
        return self._layout.items.get(node_id)

    def node_items(self) -> list[ci.NodeItem]:
        """Every card and frame, in layout order (top to bottom)."""
        return list(self._layout.items.values())

    # --- collapsing Repeats and Groups ----------------------------------------------------

    def is_collapsed(self, node_id: str) -> bool:
        return node_id in self._collapsed

    def set_collapsed(self, node_id: str, collapsed: bool) -> None:
        """Collapse a Repeat or Group to its header and a summary line, or expand it;
        kept across rebuilds."""
        if collapsed == (node_id in self._collapsed):
            return
        if collapsed:
            self._collapsed.add(node_id)
        else:
            self._collapsed.discard(node_id)
        self.rebuild()

    def toggle_collapsed(self, node_id: str) -> None:
        self.set_collapsed(node_id, node_id not in self._collapsed)

    # --- selection ------------------------------------------------------------------------

    def _on_scene_selection(self) -> None:
        if self._syncing:
            return
        ids = [i for i, item in self._layout.items.items() if item.isSelected()]
        self._syncing = True
        try:
            self._document.select(ids)
        finally:
            self._syncing = False

    def _on_document_selection(self, ids: list[str]) -> None:
        if self._syncing:
            return
        if ids and ids[0] not in self._layout.items:
            # Reveal a node hidden inside collapsed Repeats or Groups.
            hidden = [a for a in self._ancestors.get(ids[0], ()) if a in self._collapsed]
            if hidden:
                self._collapsed.difference_update(hidden)
                self.rebuild()  # applies the document's selection too
                self.reveal(ids[0])
                return
        self._syncing = True
        try:
            for node_id, item in self._layout.items.items():
                item.setSelected(node_id in ids)
        finally:
            self._syncing = False
        if ids and ids[0] in self._layout.items:
            self.reveal(ids[0])

    def reveal(self, node_id: str) -> None:
        """Scroll so the card (or block header) of ``node_id`` is visible."""
        item = self._layout.items.get(node_id)
        if item is None:
            return
        rect = item.header_rect() if isinstance(item, ci.ContainerItem) else item.rect
        self.ensureVisible(rect, 40, 40)

    # --- drops ----------------------------------------------------------------------------

    def drop_target(self, scene_pos: QPointF) -> tuple[str | None, int]:
        """(container id or None for the top level, index) for a drop at ``scene_pos``."""
        zone = self._zone_at(scene_pos)
        index = sum(1 for c in zone.centres if c < scene_pos.y())
        return zone.parent_id, index

    def _zone_at(self, scene_pos: QPointF) -> Zone:
        best = None
        for zone in self._layout.zones:  # sorted shallow to deep: the last hit wins
            if zone.rect is None:
                best = best or zone
            elif zone.rect.contains(scene_pos):
                best = zone
        assert best is not None  # the top level always exists
        return best

    def drop_mime(self, mime: QMimeData, scene_pos: QPointF) -> bool:
        """Insert a palette entry or move a node to where ``scene_pos`` points."""
        parent_id, index = self.drop_target(scene_pos)
        try:
            if mime.hasFormat(NODE_MIME):
                node_id = bytes(mime.data(NODE_MIME).data()).decode()
                self._document.move(node_id, parent_id, index)
            elif mime.hasFormat(LAYER_MIME):
                key = bytes(mime.data(LAYER_MIME).data()).decode()
                self._document.add(key, parent_id, index)
            else:
                return False
        except (edit.EditError, SpecError, KeyError, UnicodeDecodeError):
            return False  # e.g. a block dropped into itself: nothing happens
        return True

    def _drop_allowed(self, mime: QMimeData, scene_pos: QPointF) -> bool:
        if mime.hasFormat(LAYER_MIME):
            return True
        if not mime.hasFormat(NODE_MIME):
            return False
        node_id = bytes(mime.data(NODE_MIME).data()).decode(errors="replace")
        parent_id, _ = self.drop_target(scene_pos)
        return parent_id is None or (
            parent_id != node_id and node_id not in self._ancestors.get(parent_id, ())
        )

    def _show_indicator(self, scene_pos: QPointF) -> None:
        _, index = self.drop_target(scene_pos)
        zone = self._zone_at(scene_pos)
        self._indicator.place(zone.slots[index], zone.left - 4, zone.right + 4)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        self.dragMoveEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        scene_pos = self.mapToScene(event.position().toPoint())
        if self._drop_allowed(event.mimeData(), scene_pos):
            self._show_indicator(scene_pos)
            move = event.mimeData().hasFormat(NODE_MIME)
            event.setDropAction(Qt.DropAction.MoveAction if move else Qt.DropAction.CopyAction)
            event.accept()
        else:
            self._indicator.hide()
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self._indicator.hide()
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._indicator.hide()
        mime = event.mimeData()
        scene_pos = self.mapToScene(event.position().toPoint())
        move = mime.hasFormat(NODE_MIME)
        if self._drop_allowed(mime, scene_pos) and self.drop_mime(mime, scene_pos):
            event.setDropAction(Qt.DropAction.MoveAction if move else Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def _start_drag(self, node_id: str) -> None:
        item = self._layout.items.get(node_id)
        mime = QMimeData()
        mime.setData(NODE_MIME, QByteArray(node_id.encode()))
        drag = QDrag(self)
        drag.setMimeData(mime)
        if item is not None:
            drag.setPixmap(self._drag_pixmap(item))
        drag.exec(Qt.DropAction.MoveAction)
        # The drop may have rebuilt the scene; let go of whatever held the mouse.
        grabber = self.scene().mouseGrabberItem()
        if grabber is not None:
            grabber.ungrabMouse()

    def _drag_pixmap(self, item: ci.NodeItem) -> QPixmap:
        rect = item.header_rect() if isinstance(item, ci.ContainerItem) else item.rect
        rect = rect.adjusted(-2, -2, 2, 2)
        scale = self.transform().m11()
        pixmap = QPixmap(
            QSize(max(1, int(rect.width() * scale)), max(1, int(rect.height() * scale)))
        )
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(0.8)
        self.scene().render(painter, QRectF(pixmap.rect()), rect)
        painter.end()
        return pixmap

    # --- mouse ------------------------------------------------------------------------------

    def _node_item_at(self, view_pos: QPointF) -> ci.NodeItem | None:
        for item in self.items(view_pos.toPoint()):
            if isinstance(item, ci.NodeItem):
                return item
        return None

    def _toggle_hit(self, item: ci.NodeItem | None, view_pos: QPointF) -> bool:
        return (
            isinstance(item, ci.ContainerItem)
            and item.kind in ("Repeat", "Group")
            and item.toggle_rect().contains(self.mapToScene(view_pos.toPoint()))
        )

    def _fix_hit(self, item: ci.NodeItem | None, view_pos: QPointF) -> bool:
        rect = item.fix_rect() if item is not None else None
        return rect is not None and rect.contains(self.mapToScene(view_pos.toPoint()))

    def show_fixes(self, node_id: str, global_pos: QPoint) -> bool:
        """Select ``node_id`` and pop up its quick fixes at ``global_pos``; False if none."""
        item = self._layout.items.get(node_id)
        if item is None or not item.fixes:
            return False
        self._document.select([node_id])
        fill_fix_menu(self.fix_menu, self._document, item.fixes, self)
        self.fix_menu.popup(global_pos)
        return True

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        item = self._node_item_at(QPointF(event.pos()))
        if item is not None and self.show_fixes(item.node_id, event.globalPos()):
            event.accept()
        else:
            super().contextMenuEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = pos
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        self._press = None
        if event.button() == Qt.MouseButton.LeftButton:
            item = self._node_item_at(pos)
            if self._fix_hit(item, pos):
                self.show_fixes(item.node_id, event.globalPosition().toPoint())
                event.accept()
                return
            if self._toggle_hit(item, pos):
                self.toggle_collapsed(item.node_id)
                event.accept()
                return
            if item is not None:
                self._press = (item.node_id, pos)
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    item.setSelected(True)  # Shift adds, like Ctrl, but never removes
                    event.accept()
                    return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self._pan_from is not None:
            delta = pos - self._pan_from
            self._pan_from = pos
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - round(delta.x()))
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() - round(delta.y()))
            event.accept()
            return
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            node_id, start = self._press
            if (pos - start).manhattanLength() >= QApplication.startDragDistance():
                self._press = None
                self._start_drag(node_id)
                event.accept()
                return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press = None
        if event.button() == Qt.MouseButton.MiddleButton and self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)
        event.accept()  # the canvas handled the click; nothing above it wants the release

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        item = self._node_item_at(pos)
        if event.button() == Qt.MouseButton.LeftButton and item is not None:
            if self._toggle_hit(item, pos):
                self.toggle_collapsed(item.node_id)
            else:
                self.activated.emit(item.node_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    # --- zoom -------------------------------------------------------------------------------

    def zoom_factor(self) -> float:
        """The current scale (1.0: 100 %)."""
        return self.transform().m11()

    def _set_zoom(self, factor: float) -> None:
        self._zoomed = True
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        self.scale(factor / self.zoom_factor(), factor / self.zoom_factor())

    def zoom_in(self) -> None:
        self._set_zoom(self.zoom_factor() * 1.25)

    def zoom_out(self) -> None:
        self._set_zoom(self.zoom_factor() / 1.25)

    def reset_zoom(self) -> None:
        self._zoomed = True
        self.setTransform(QTransform())

    def fit_to_view(self) -> None:
        """Scale so the whole network fits (never above 150 %)."""
        rect = self._content_rect()
        view = self.viewport().rect()
        if rect.isEmpty() or view.isEmpty():
            return
        self._zoomed = True
        factor = min(view.width() / rect.width(), view.height() / rect.height(), 1.5)
        self.setTransform(QTransform.fromScale(*(max(MIN_ZOOM, factor),) * 2))
        self.centerOn(rect.center())

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self._set_zoom(self.zoom_factor() * 1.15**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            QTimer.singleShot(0, self, self._first_fit)

    def _first_fit(self) -> None:
        """Fit the network if it stays readable; otherwise fit its width and show the top."""
        rect = self._content_rect()
        view = self.viewport().rect()
        if self._zoomed or rect.isEmpty() or view.isEmpty():
            return  # the user (or the window) chose a zoom already
        fit = min(view.width() / rect.width(), view.height() / rect.height())
        if fit >= 0.8:
            self.setTransform(QTransform.fromScale(min(fit, 1.0), min(fit, 1.0)))
            self.centerOn(rect.center())
            return
        factor = max(0.5, min(1.0, view.width() / rect.width()))
        self.setTransform(QTransform.fromScale(factor, factor))
        self.centerOn(rect.center())
        self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())

    # --- export -------------------------------------------------------------------------------

    def export_image(self, path: str | Path) -> None:
        """Write the network as a PNG (2× scale) or SVG with a white background.

        Drawn in memory (:func:`~resnet_studio.figures.render.render_scene`), then written
        whole or not at all (see :mod:`resnet_studio.writing`, whose :class:`WriteError` is
        a ValueError).
        """
        from resnet_studio.figures.render import render_scene  # numpy: not at start-up

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".png", ".svg"):
            raise ValueError(
                self.tr("cannot export to {0!r}: use a .png or .svg file").format(path.name)
            )
        check_target(path)  # a folder or device named like an image: say so before drawing
        rect = self._content_rect()
        data = render_scene(
            self.scene(),
            rect,
            suffix[1:],
            width=math.ceil(rect.width() * 2),
            dpi=self.logicalDpiX(),
            title=self._document.network.name,
            exporting=self._exporting,
        )
        write_atomically(path, data)

    @contextmanager
    def _exporting(self, _scale: float) -> Iterator[None]:
        """Draw the picture without the drop indicator and the selection highlight."""
        self._indicator.hide()
        self.scene().setProperty("exporting", True)
        try:
            yield
        finally:
            self.scene().setProperty("exporting", False)
