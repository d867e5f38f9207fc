"""Column widths for a table that should fit its view without a wasted pixel.

Columns of numbers are as wide as their widest possible value (or their header);
the text columns share what is left: each as wide as its longest text when there
is room, else the longest ones are cut first, down to a minimum, and only then
does the table scroll. Widening the view gives the text columns the extra room.
Once the user drags a column's edge, the widths are theirs until :meth:`fit` is
asked for again.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

PADDING = 10  # a cell's margins around its text, and a little air
MAX_TEXT = 360  # spare room widens no text column past this


def share_widths(
    fixed: Mapping[int, int],
    wanted: Mapping[int, int],
    available: int,
    minimum: Mapping[int, int] | None = None,
) -> dict[int, int]:
    """Widths of the ``fixed`` columns as they are and of the text columns (``wanted``:
    what their longest text needs) in ``available`` pixels.

    With room to spare the text columns share it equally, up to :data:`MAX_TEXT`;
    without, the widest are narrowed first (to a common cap) so short texts stay
    whole, none below its ``minimum`` (then the table scrolls).
    """
    minimum = minimum or {}
    widths = dict(fixed)
    room = available - sum(fixed.values())
    need = sum(wanted.values())
    if not wanted:
        return widths
    if need <= room:
        extra = (room - need) // len(wanted)
        widths.update({c: max(w, min(w + extra, MAX_TEXT)) for c, w in wanted.items()})
        return widths
    # Water-filling: the narrowest keep their width while they are under an equal share
    # of the room left; the others are all cut to that share.
    left, count = room, len(wanted)
    for width in sorted(wanted.values()):
        if width > left // count:
            break
        left, count = left - width, count - 1
    cap = left // count
    widths.update({c: max(min(w, cap), min(w, minimum.get(c, 0))) for c, w in wanted.items()})
    return widths


class ColumnFitter(QObject):
    """Keeps ``table``'s columns fitted to its view (see the module's docstring).

    ``samples`` gives each column of numbers its widest text; ``text_columns`` are
    the columns that share the rest, each with the width it is not cut below.
    """

    def __init__(
        self, table: QTableView, samples: Mapping[int, str], text_columns: Mapping[int, int]
    ) -> None:
        super().__init__(table)
        self.table = table
        self.samples = dict(samples)
        self.text_columns = dict(text_columns)
        self.user_sized = False
        self._fitting = False
        table.viewport().installEventFilter(self)
        model = table.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._refit)
        table.horizontalHeader().sectionResized.connect(self._resized)

    def fit(self) -> None:
        """Fit the columns now, and again whenever the view or the rows change."""
        self.user_sized = False
        self._refit()

    def widths(self) -> dict[int, int]:
        """The width each shown column gets in the view as it is now."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]

        def header_width(column: int) -> int:
            return header.sectionSizeFromContents(column).width()

        fixed = {
            c: max(header_width(c), metrics.horizontalAdvance(self.samples.get(c, "")) + PADDING)
            for c in shown
            if c not in self.text_columns
        }
        wanted = {
            c: max(header_width(c), self.table.sizeHintForColumn(c) + PADDING // 2)
            for c in shown
            if c in self.text_columns
        }
        return share_widths(fixed, wanted, self.table.viewport().width(), self.text_columns)

    def _refit(self, *_: object) -> None:
        if self.user_sized:
            return
        self._fitting = True
        try:
            for column, width in self.widths().items():
                self.table.setColumnWidth(column, width)
        finally:
            self._fitting = False

    def _resized(self, *_: object) -> None:
        if not self._fitting:
            self.user_sized = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self._refit()
        return False
