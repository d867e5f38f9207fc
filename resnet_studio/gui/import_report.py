"""The import report, shown before anything opens.

The verdict comes first (exact: the same parameter count, a strict load of the
renamed weights, equal outputs within tolerance; or not, and why), then every
operation that cannot be expressed, then, on a second tab, where each operation
went. The report's own texts (the importer's messages) are shown through
:func:`~resnet_studio.gui.core_text.shown`, so they read in the window's language
once translated; "Copy Report" copies the same text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.gui.core_text import shown

MAX_COLUMN_WIDTH = 360  # pixels; the full text is in the cell's tooltip
EXACT_COLOUR, INEXACT_COLOUR, FAILED_COLOUR = "#1b7f3a", "#a15c00", "#b00020"


def report_text(report) -> list[str]:
    """The whole report, every mapping included, in the window's language."""
    return [shown(line) for line in report.lines(mapping=True)]


def verdict_lines(report) -> tuple[str, list[str]]:
    """The verdict and the lines of the checks that back it (parameters, weights,
    outputs, and how many operations were mapped in how long).

    ``ImportReport.lines`` begins with these: the verdict, three check lines when the
    check ran, then the count-and-time line.
    """
    lines = [shown(line) for line in report.lines()]
    checks = (3 if report.exactness is not None else 0) + 1
    return lines[0], [line.strip() for line in lines[1 : 1 + checks]]


def _table(headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)  # a long reason or path reads in full on hover
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    # Left-aligned: a centred title of a column wider than the view is drawn off-screen.
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.resizeColumnsToContents()
    for column in range(table.columnCount() - 1):  # a long name must not push the rest away
        table.setColumnWidth(column, min(table.columnWidth(column), MAX_COLUMN_WIDTH))
    header.setStretchLastSection(True)
    return table


class ImportReportDialog(QDialog):
    """One import's report; "Open in Designer" only when a network came out."""

    open_requested = Signal()

    def __init__(self, result, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        report = result.report
        self.setWindowTitle(self.tr("Import Report"))
        self.resize(860, 560)

        headline, checks = verdict_lines(report)
        self.verdict = QLabel(headline)
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        colour = (
            EXACT_COLOUR
            if report.exact
            else INEXACT_COLOUR
            if result.network is not None
            else FAILED_COLOUR
        )
        self.verdict.setStyleSheet(f"font-weight: bold; font-size: 120%; color: {colour};")
        self.checks = QLabel("\n".join(checks))
        self.checks.setWordWrap(True)
        self.checks.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.tabs = QTabWidget()
        self.unsupported_table = _table(
            [self.tr("Source name"), self.tr("Operation"), self.tr("Why it cannot be imported")],
            [[u.source, u.op, shown(u.reason)] for u in report.unsupported],
        )
        self.mapped_table = _table(
            [
                self.tr("Source name"),
                self.tr("Operation"),
                self.tr("Path here"),
                self.tr("Kind"),
                self.tr("Weights renamed"),
            ],
            [
                [m.source, m.source_kind, m.path, m.kind, self.tr("yes") if m.renamed else ""]
                for m in report.mapped
            ],
        )
        self.full_text = QPlainTextEdit("\n".join(report_text(report)))
        self.full_text.setReadOnly(True)
        self.full_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        if report.unsupported:
            self.tabs.addTab(
                self.unsupported_table,
                self.tr("Cannot be expressed ({0})").format(len(report.unsupported)),
            )
        self.tabs.addTab(
            self.mapped_table, self.tr("Mapped operations ({0})").format(len(report.mapped))
        )
        self.tabs.addTab(self.full_text, self.tr("Full report"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = self.buttons.addButton(
            self.tr("Open in Designer"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.setEnabled(result.network is not None)
        self.open_button.setDefault(result.network is not None)
        if result.network is None:
            self.open_button.setToolTip(
                self.tr("Nothing to open: the operations listed cannot be expressed")
            )
        self.copy_button = self.buttons.addButton(
            self.tr("Copy Report"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.clicked.connect(self.copy_report)
        self.open_button.clicked.connect(self._open)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.checks)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

    def _open(self) -> None:
        if self.result.network is not None:
            self.open_requested.emit()

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(report_text(self.result.report)))
