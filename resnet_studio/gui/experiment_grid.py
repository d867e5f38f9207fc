"""An experiment's progress at a glance: a square per run, coloured by its status.

Rows are the grid's networks in depth order (as the results table lists them),
columns its seeds. A running cell fills from the bottom as it trains; the
tooltip says the run's status and why it failed or stopped. Click selects a
cell (arrow keys move), double-click or Enter opens it (``cell_activated``).
Painted, not made of widgets: an experiment of 1,000 cells is one widget.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from resnet_studio.gui.core_text import shown
from resnet_studio.gui.runs_model import status_word
from resnet_studio.training.experiment import Cell, Experiment

# Distinct in hue and in lightness; the finished, failed, diverged and stopped ones
# carry a mark too, for those who cannot tell red from green.
STATUS_COLOURS = {
    "queued": "#cfd8dc",
    "running": "#1e88e5",
    "finished": "#43a047",
    "diverged": "#8e24aa",
    "failed": "#e53935",
    "stopped": "#fb8c00",
    "interrupted": "#8d6e63",
    "damaged": "#424242",
}
MARKS = {"finished": "✓", "failed": "✗", "diverged": "!", "stopped": "‖", "interrupted": "…"}
ALWAYS_IN_LEGEND = ("queued", "running", "finished")
RUNNING_BACKGROUND = "#bbdefb"  # the part of a running cell still to train
SIZE = 20  # a square's side, pixels; smaller (down to MIN_SIZE) when many seeds must fit
MIN_SIZE = 8
GAP = 3
MARGIN = 4


def status_colour(status: str) -> str:
    """The colour of ``status``; a run being set up or stopped counts as running."""
    return STATUS_COLOURS.get(status, STATUS_COLOURS["running"])


@dataclass
class CellView:
    """What the grid shows of one cell."""

    cell: Cell
    status: str = "queued"
    reason: str = ""
    progress: float | None = None  # 0 to 1 while it runs, when known
    note: str = ""  # e.g. its final training error


class CellGrid(QWidget):
    """The squares of one experiment; empty until :meth:`set_experiment`."""

    cell_selected = Signal(object)  # the Cell clicked (or None)
    cell_activated = Signal(object)  # the Cell double-clicked or entered

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.rows: list[str] = []  # network names, in depth order
        self.seeds: list[int] = []
        self.views: dict[str, CellView] = {}  # by cell key
        self._at: dict[tuple[int, int], str] = {}  # (row, column) -> cell key
        self.selected: str | None = None
        self._label_px = 0  # the row labels' width, measured when the rows change

    # --- content ----------------------------------------------------------------------

    def set_experiment(self, experiment: Experiment | None) -> None:
        """Show ``experiment``'s cells, every one queued until told otherwise."""
        self.views, self._at, self.selected = {}, {}, None
        self.rows, self.seeds = [], []
        if experiment is not None:
            cells = experiment.cells
            order = sorted(
                {c.network: c for c in cells}.values(),
                key=lambda c: (c.depth or 0, c.width, c.variant, c.network),
            )
            self.rows = [c.network for c in order]
            self.seeds = list(dict.fromkeys(c.seed for c in cells))
            for cell in cells:
                self.views[cell.key] = CellView(cell)
                self._at[(self.rows.index(cell.network), self.seeds.index(cell.seed))] = cell.key
        self._measure()
        self.updateGeometry()
        self.update()

    def set_state(
        self,
        key: str,
        status: str,
        reason: str = "",
        progress: float | None = None,
        note: str | None = None,
    ) -> None:
        """Change one cell (an unknown key is ignored: another experiment's)."""
        view = self.views.get(key)
        if view is None:
            return
        view.status, view.reason, view.progress = status, reason, progress
        if note is not None:
            view.note = note
        self.update()

    def counts(self) -> dict[str, int]:
        """How many cells have each status."""
        found: dict[str, int] = {}
        for view in self.views.values():
            found[view.status] = found.get(view.status, 0) + 1
        return found

    # --- geometry ---------------------------------------------------------------------

    def _measure(self) -> None:
        metrics = self.fontMetrics()
        self._label_px = max((metrics.horizontalAdvance(n) for n in self.rows), default=0) + 10

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FontChange:
            self._measure()
        super().changeEvent(event)

    def _label_width(self) -> int:
        return self._label_px

    def _size(self) -> int:
        room = self.width() - 2 * MARGIN - self._label_width()
        if not self.seeds:
            return SIZE
        return max(MIN_SIZE, min(SIZE, room // len(self.seeds) - GAP))

    def _header_height(self) -> int:
        return self.fontMetrics().height() + 4

    def _row_pitch(self) -> int:
        """Rows are a label's height apart at least: small squares keep their names readable."""
        return max(self._size() + GAP, self.fontMetrics().height() + 1)

    def _origin(self) -> tuple[int, int, int, int]:
        """(x, y) of the first cell, the cells' size and the rows' pitch: measured once
        per paint, not per cell (a thousand cells)."""
        size = self._size()
        pitch = max(size + GAP, self.fontMetrics().height() + 1)
        return MARGIN + self._label_width(), MARGIN + self._header_height(), size, pitch

    def _cell_rect(self, row: int, column: int) -> QRect:
        x, y, size, pitch = self._origin()
        return QRect(x + column * (size + GAP), y + row * pitch, size, size)

    def _legend_items(self) -> list[str]:
        present = set(self.counts())
        return [s for s in STATUS_COLOURS if s in ALWAYS_IN_LEGEND or s in present]

    def _legend_lines(self, width: int) -> list[list[str]]:
        """The legend's entries, wrapped to ``width``."""
        metrics = self.fontMetrics()
        lines: list[list[str]] = [[]]
        used = 0
        for status in self._legend_items():
            entry = 12 + 4 + metrics.horizontalAdvance(status_word(status)) + 12
            if lines[-1] and used + entry > width:
                lines.append([])
                used = 0
            lines[-1].append(status)
            used += entry
        return lines

    def _grid_height(self) -> int:
        return MARGIN + self._header_height() + len(self.rows) * self._row_pitch()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = 2 * MARGIN + self._label_width() + max(1, len(self.seeds)) * (SIZE + GAP)
        return QSize(max(width, 200), self.heightForWidth(max(width, 200)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # Many seeds: the squares shrink to MIN_SIZE, then the grid scrolls sideways.
        width = 2 * MARGIN + self._label_width() + len(self.seeds) * (MIN_SIZE + GAP)
        return QSize(max(120, width), self.heightForWidth(max(self.width(), 120)))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        line = self.fontMetrics().height() + 4
        legend = len(self._legend_lines(width - 2 * MARGIN)) * line
        return self._grid_height() + 6 + legend + MARGIN

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.setMinimumHeight(self.heightForWidth(self.width()))

    def cell_at(self, point: QPoint) -> str | None:
        """The key of the cell under ``point``, or None."""
        origin = self._cell_rect(0, 0)
        row = (point.y() - origin.y() + 1) // self._row_pitch()
        column = (point.x() - origin.x() + 1) // (self._size() + GAP)
        key = self._at.get((row, column))
        if key is not None and self._cell_rect(row, column).adjusted(-1, -1, 1, 1).contains(point):
            return key
        return None

    # --- painting ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        text = self.palette().text().color()
        painter.setPen(text)
        metrics = self.fontMetrics()
        size = self._size()
        if not self.rows:
            painter.drawText(
                self.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                self.tr("No experiment chosen"),
            )
            return
        # Seeds over the columns (every other one when they are narrow).
        step = 1 if size >= metrics.horizontalAdvance("00") else 5
        for column, seed in enumerate(self.seeds):
            if column % step:
                continue
            rect = self._cell_rect(0, column)
            header = QRect(rect.x() - 6, MARGIN, rect.width() + 12, self._header_height())
            painter.drawText(header, Qt.AlignmentFlag.AlignCenter, str(seed))
        label_rect_width = self._label_width() - 6
        pitch = self._row_pitch()
        for row, name in enumerate(self.rows):
            rect = self._cell_rect(row, 0)
            painter.drawText(
                QRect(MARGIN, rect.center().y() - pitch // 2, label_rect_width, pitch),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
        mark_font = QFont(self.font())
        mark_font.setBold(True)
        x0, y0, size, pitch = self._origin()
        exposed = event.rect().adjusted(-3, -3, 3, 3)  # the selection frame reaches 2 px out
        for (row, column), key in self._at.items():
            rect = QRect(x0 + column * (size + GAP), y0 + row * pitch, size, size)
            if not exposed.intersects(rect):
                continue  # scrolled away: of a thousand cells, draw those on screen
            self._paint_cell(painter, rect, self.views[key], mark_font)
            if key == self.selected:
                painter.setPen(QPen(text, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(-2, -2, 2, 2))
        self._paint_legend(painter)

    def _paint_cell(self, painter: QPainter, rect: QRect, view: CellView, mark_font) -> None:
        colour = QColor(status_colour(view.status))
        painter.setPen(Qt.PenStyle.NoPen)
        if view.status not in STATUS_COLOURS or view.status == "running":
            painter.fillRect(rect, QColor(RUNNING_BACKGROUND))
            done = view.progress if view.progress is not None else 0.0
            filled = round(rect.height() * min(1.0, max(0.0, done)))
            painter.fillRect(rect.adjusted(0, rect.height() - filled, 0, 0), colour)
            painter.setPen(QPen(colour, 1))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            return
        painter.fillRect(rect, colour)
        mark = MARKS.get(view.status)
        if mark and rect.width() >= 14:
            painter.setPen(QColor("white"))
            painter.setFont(mark_font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, mark)
            painter.setFont(self.font())

    def _paint_legend(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        line = metrics.height() + 4
        y = self._grid_height() + 6
        text = self.palette().text().color()
        for entries in self._legend_lines(self.width() - 2 * MARGIN):
            x = MARGIN
            for status in entries:
                swatch = QRect(x, y + (line - 12) // 2, 12, 12)
                painter.fillRect(swatch, QColor(status_colour(status)))
                painter.setPen(text)
                word = status_word(status)
                label = QRect(x + 16, y, metrics.horizontalAdvance(word) + 2, line)
                painter.drawText(label, Qt.AlignmentFlag.AlignVCenter, word)
                x += 16 + metrics.horizontalAdvance(word) + 12
            y += line

    # --- interaction ------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            key = self.cell_at(event.pos())
            if key is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip(key), self)
            return True
        return super().event(event)

    def tooltip(self, key: str) -> str:
        """``resnet20-s0: failed — the reason`` and its note, in a line or two."""
        view = self.views[key]
        text = f"{key}: {status_word(view.status)}"
        if view.status == "running" and view.progress is not None:
            text += f" ({view.progress:.0%})"
        if view.reason:
            text += f" — {shown(view.reason)}"
        if view.note:
            text += f"\n{view.note}"
        return text

    def select(self, key: str | None) -> None:
        if key == self.selected:
            return
        self.selected = key
        self.update()
        self.cell_selected.emit(self.views[key].cell if key else None)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self.select(self.cell_at(event.position().toPoint()))
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        key = self.cell_at(event.position().toPoint())
        if key is not None:
            self.select(key)
            self.cell_activated.emit(self.views[key].cell)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        moves = {
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
        }
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected:
            self.cell_activated.emit(self.views[self.selected].cell)
            return
        if event.key() in moves and self._at:
            where = next((rc for rc, k in self._at.items() if k == self.selected), None)
            if where is None:
                self.select(self._at[min(self._at)])
                return
            row, column = where[0] + moves[event.key()][0], where[1] + moves[event.key()][1]
            if (row, column) in self._at:
                self.select(self._at[(row, column)])
            return
        super().keyPressEvent(event)
