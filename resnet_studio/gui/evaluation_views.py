"""The Evaluation tab's pictures: a confusion matrix heat map and a grid of mistakes.

Both paint straight from an evaluation report's numbers with QPainter: the
heat map is one K×K image scaled up (counts written in only where cells are
large enough to read), the mistakes are thumbnails made once per report, so
a redraw of 100 classes stays far below a frame (``bench/evaluation_tab.py``).
Neither imports torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from resnet_studio.training.heatmap import DARK, heat_colours, row_fractions

if TYPE_CHECKING:  # the report's module needs torch; the views only read its numbers
    from resnet_studio.training.evaluation import EvaluationReport, Mistake

TEXT = QColor("#212121")
WRONG = QColor("#c62828")
GRID = QColor("#9e9e9e")
MIN_LABEL_CELL = 9  # class names beside rows only when rows are at least this tall
MIN_COUNT_CELL = 16  # counts inside cells only when cells are at least this large
ERROR_COLUMN = 54  # per-class error, right of the matrix


def image_of(pixels: np.ndarray) -> QImage:
    """A uint8 C×H×W array (C = 1 or 3) as a QImage that owns its pixels."""
    channels, height, width = pixels.shape
    if channels == 1:
        data = np.ascontiguousarray(pixels[0])
        fmt = QImage.Format.Format_Grayscale8
        stride = width
    else:
        data = np.ascontiguousarray(pixels[:3].transpose(1, 2, 0))
        fmt = QImage.Format.Format_RGB888
        stride = width * 3
    return QImage(data.data, width, height, stride, fmt).copy()


class ConfusionView(QWidget):
    """Rows: true classes; columns: predictions; colour: share of the true class's images.

    Class names label the rows and each row's error stands at its right; hover
    a cell for its count.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(120, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._report: EvaluationReport | None = None
        self._image: QImage | None = None
        self._fractions = np.zeros((0, 0))
        self._errors: list[float | None] = []
        self.paints = 0  # paint events so far (benchmarks prove they drew)

    def set_report(self, report: EvaluationReport | None) -> None:
        self._report = report
        if report is not None:
            self._fractions = row_fractions(report.confusion)
            colours = np.ascontiguousarray(heat_colours(self._fractions))
            k = len(report.categories)
            self._image = QImage(colours.data, k, k, 3 * k, QImage.Format.Format_RGB888).copy()
            self._errors = report.per_class_error()
        else:
            self._image = None
        self.update()

    TOP = 18  # the "predicted class" line above the matrix

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(320, 300)

    def _label_width(self) -> int:
        if self._report is None:
            return 4
        metrics = QFontMetrics(self.font())
        return max(metrics.horizontalAdvance(n) for n in self._report.categories) + 8

    def margins_width(self) -> int:
        """Width the view needs beside a square matrix: row names and the error column."""
        return min(self._label_width(), 160) + ERROR_COLUMN + 4

    def _geometry(self) -> tuple[QRectF, float, int]:
        """(matrix rectangle, cell size, width of the row labels)."""
        report = self._report
        k = len(report.categories) if report else 1
        label_w = min(self._label_width(), self.width() // 4)
        side = min(self.width() - label_w - ERROR_COLUMN - 4, self.height() - self.TOP - 4)
        if side / k < MIN_LABEL_CELL:  # names would not fit: give the room to the matrix
            label_w = 4
            side = min(self.width() - label_w - ERROR_COLUMN - 4, self.height() - self.TOP - 4)
        side = max(side, k)
        return QRectF(label_w, self.TOP, side, side), side / k, label_w

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        self.paints += 1
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        report = self._report
        if report is None or self._image is None:
            painter.setPen(TEXT)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No evaluation"))
            return
        rect, cell, label_w = self._geometry()
        k = len(report.categories)
        painter.setPen(TEXT)
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() - 1))
        painter.setFont(small)
        painter.drawText(
            QRectF(rect.left(), 0, rect.width(), self.TOP - 2),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("predicted class"),
        )
        painter.drawText(
            QRectF(rect.right() + 4, 0, ERROR_COLUMN, self.TOP - 2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.tr("error"),
        )
        painter.drawImage(rect, self._image)  # nearest-neighbour: crisp cells
        painter.setPen(GRID)
        painter.drawRect(rect)
        if cell >= MIN_COUNT_CELL:
            self._draw_counts(painter, rect, cell)
        painter.setFont(self.font() if cell >= 14 else small)
        for row in range(k):
            y = rect.top() + row * cell
            if label_w > 4:
                painter.setPen(TEXT)
                painter.drawText(
                    QRectF(0, y, label_w - 6, cell),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    report.categories[row],
                )
            self._draw_error(painter, row, QRectF(rect.right() + 4, y, ERROR_COLUMN - 6, cell))

    def _draw_counts(self, painter: QPainter, rect: QRectF, cell: float) -> None:
        report = self._report
        assert report is not None
        counts = report.confusion
        # The font shrinks until the largest count fits its cell; below 6 points, no counts.
        font = QFont(self.font())
        widest = str(int(counts.max()))
        size = font.pointSizeF()
        while size > 6 and QFontMetrics(font).horizontalAdvance(widest) > cell - 3:
            size -= 0.5
            font.setPointSizeF(size)
        if QFontMetrics(font).horizontalAdvance(widest) > cell - 3:
            return
        painter.setFont(font)
        for row in range(counts.shape[0]):
            for col in range(counts.shape[1]):
                dark = self._fractions[row, col] > DARK
                painter.setPen(QColor("white") if dark else TEXT)
                painter.drawText(
                    QRectF(rect.left() + col * cell, rect.top() + row * cell, cell, cell),
                    Qt.AlignmentFlag.AlignCenter,
                    str(int(counts[row, col])),
                )

    def _draw_error(self, painter: QPainter, row: int, box: QRectF) -> None:
        error = self._errors[row] if row < len(self._errors) else None
        if error is None:
            return
        bar = QRectF(box.left(), box.top() + box.height() * 0.2, 0, box.height() * 0.6)
        bar.setWidth(max(1.0, box.width() * error))
        painter.fillRect(bar, QColor(198, 40, 40, 70))
        if box.height() >= MIN_LABEL_CELL:
            painter.setPen(TEXT)
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, f"{error:.0%}")

    def cell_at(self, point: QPointF) -> tuple[int, int] | None:
        """(true class, predicted class) under ``point``; None outside the matrix."""
        if self._report is None:
            return None
        rect, cell, _ = self._geometry()
        if not rect.contains(point):
            return None
        k = len(self._report.categories)
        row = min(k - 1, int((point.y() - rect.top()) // cell))
        col = min(k - 1, int((point.x() - rect.left()) // cell))
        return row, col

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        found = self.cell_at(event.position())
        report = self._report
        if found is None or report is None:
            QToolTip.hideText()
            return
        row, col = found
        count = int(report.confusion[row, col])
        share = self._fractions[row, col]
        text = self.tr("true {0}, predicted {1}: {2:,} images ({3:.1%} of {0})").format(
            report.categories[row], report.categories[col], count, share
        )
        QToolTip.showText(event.globalPosition().toPoint(), text, self)


class MistakesView(QWidget):
    """The worst-classified images as thumbnails, highest loss first; click one to pick it."""

    mistake_selected = Signal(int)  # index into the report's mistakes

    THUMB = 56
    CAPTION = 16
    GAP = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self._mistakes: list[Mistake] = []
        self._names: tuple[str, ...] = ()
        self._thumbs: list[QImage] = []
        self.selected = -1
        self.paints = 0
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_report(self, report: EvaluationReport | None) -> None:
        self._mistakes = list(report.mistakes) if report else []
        self._names = report.categories if report else ()
        self._thumbs = [
            image_of(m.image).scaled(
                self.THUMB,
                self.THUMB,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
            for m in self._mistakes
        ]
        self.selected = -1
        self.updateGeometry()
        self.update()

    @property
    def cell(self) -> QSize:
        return QSize(self.THUMB + self.GAP, self.THUMB + self.CAPTION + self.GAP)

    def columns(self, width: int | None = None) -> int:
        return max(1, (self.width() if width is None else width) // self.cell.width())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        rows = -(-len(self._thumbs) // self.columns(width)) if self._thumbs else 1
        return rows * self.cell.height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(8 * self.cell.width(), self.heightForWidth(8 * self.cell.width()))

    def index_at(self, point: QPointF) -> int:
        """The mistake under ``point``; -1 for none."""
        col = int(point.x() // self.cell.width())
        row = int(point.y() // self.cell.height())
        if col >= self.columns():
            return -1
        index = row * self.columns() + col
        return index if 0 <= index < len(self._thumbs) else -1

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        self.paints += 1
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        if not self._thumbs:
            painter.setPen(TEXT)
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No misclassified images")
            )
            return
        columns = self.columns()
        cell = self.cell
        visible = event.rect()
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() - 1))
        painter.setFont(small)
        metrics = QFontMetrics(small)
        for i, thumb in enumerate(self._thumbs):
            x = (i % columns) * cell.width()
            y = (i // columns) * cell.height()
            box = QRectF(x, y, cell.width(), cell.height())
            if not box.intersects(QRectF(visible)):
                continue
            if i == self.selected:
                painter.fillRect(box, self.palette().highlight())
            left = x + (cell.width() - thumb.width()) / 2
            painter.drawImage(QPointF(left, y + 2), thumb)
            name = self._names[self._mistakes[i].predicted]
            caption = metrics.elidedText(name, Qt.TextElideMode.ElideRight, cell.width() - 2)
            painter.setPen(WRONG)
            painter.drawText(
                QRectF(x, y + self.THUMB + 2, cell.width(), self.CAPTION),
                Qt.AlignmentFlag.AlignCenter,
                caption,
            )

    def select(self, index: int) -> None:
        if index != self.selected and -1 <= index < len(self._thumbs):
            self.selected = index
            self.update()
            if index >= 0:
                self.mistake_selected.emit(index)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self.select(self.index_at(event.position()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        index = self.index_at(event.position())
        if index < 0:
            QToolTip.hideText()
            return
        mistake = self._mistakes[index]
        QToolTip.showText(
            event.globalPosition().toPoint(),
            self.tr("true {0}, predicted {1} ({2:.0%})").format(
                self._names[mistake.true], self._names[mistake.predicted], mistake.top[0][1]
            ),
            self,
        )
