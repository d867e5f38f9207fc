"""File → Import…: a PyTorch model into the designer, from one of three sources.

- a torchvision model by name (built without downloading; weights from a local file);
- a class in the user's own ``.py`` file: this runs that file's code, so the dialog
  says so before anything runs and imports only once the user has ticked that they
  trust the file (ticking is undone whenever the file changes);
- a model file (a TorchScript archive or a weights-only ``state_dict``): read as
  data, nothing in it runs.

The import (torch, tracing, the exactness check) runs in the background; the dialog
shows a busy bar and can be closed at any time: a result that arrives after that is
dropped. The report (:class:`ImportReportDialog`) comes before anything opens; its
"Open in Designer" makes the dialog emit :attr:`ImportDialog.open_requested`.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.arch.spec import MAX_CHANNELS, MAX_SPATIAL, Network, SpecError
from resnet_studio.gui.core_text import shown_error
from resnet_studio.gui.import_report import ImportReportDialog
from resnet_studio.gui.tasks import run_in_background

SHAPE_KEY = "import/input_shape"
DEFAULT_SHAPE = (3, 224, 224)  # torchvision's classification models' input
DEFAULT_TORCHVISION = "resnet18"
TORCHVISION, PYTHON, MODEL_FILE = range(3)  # the source tabs, in order
WEIGHTS_FILTER = "PyTorch files (*.pt *.pth);;All files (*)"


def remembered_shape(settings: QSettings) -> tuple[int, int, int]:
    """The input shape of the last import (C×H×W), or 3×224×224."""
    value = settings.value(SHAPE_KEY, "")
    try:
        shape = tuple(int(v) for v in str(value).split(","))
        Network(input_shape=shape)
    except (ValueError, SpecError):
        return DEFAULT_SHAPE
    return shape  # type: ignore[return-value]


def _error_label() -> QLabel:
    """A red line under a field for what is wrong with it (hidden while nothing is)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


class _FileField(QWidget):
    """A path typed or chosen with Browse…"""

    def __init__(self, placeholder: str, caption: str, filters: str, parent=None) -> None:
        super().__init__(parent)
        self.caption, self.filters = caption, filters
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(browse)

    def _browse(self) -> None:
        start = self.text() or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.caption, start, self.filters)
        if path:
            self.edit.setText(path)

    def text(self) -> str:
        return self.edit.text().strip()


class ImportDialog(QDialog):
    """Choose a source and an input shape, import in the background, show the report."""

    open_requested = Signal(object, str)  # the ImportResult, the source as named

    def __init__(
        self, settings: QSettings, current: Network | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.current = current  # the window's network: a state_dict may match it
        self.running = False
        self.report_dialog: ImportReportDialog | None = None
        self.setWindowTitle(self.tr("Import a PyTorch Model"))
        self.setMinimumWidth(680)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._torchvision_page(), self.tr("torchvision model"))
        self.tabs.addTab(self._python_page(), self.tr("Python file"))
        self.tabs.addTab(self._model_file_page(), self.tr("Model file"))
        self.tabs.currentChanged.connect(self._update_buttons)

        self.shape_spins = [QSpinBox(), QSpinBox(), QSpinBox()]
        shape_row = QHBoxLayout()
        for spin, label, high, value in zip(
            self.shape_spins,
            (self.tr("C"), self.tr("H"), self.tr("W")),
            (MAX_CHANNELS, MAX_SPATIAL, MAX_SPATIAL),
            remembered_shape(settings),
            strict=True,
        ):
            spin.setRange(1, high)
            spin.setValue(value)
            shape_row.addWidget(QLabel(label))
            shape_row.addWidget(spin)
        shape_row.addStretch(1)
        self.shape_error = _error_label()
        shape_form = QFormLayout()
        shape_form.addRow(self.tr("Input shape:"), shape_row)
        shape_form.addRow("", self.shape_error)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no steps to count: tracing and checking take a while
        self.busy.setTextVisible(False)
        self.busy_label = QLabel(self.tr("Importing… (closing this dialog abandons it)"))
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy_label)
        busy_row.addWidget(self.busy, 1)
        self.busy_row = QWidget()
        self.busy_row.setLayout(busy_row)
        self.busy_row.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addLayout(shape_form)
        layout.addWidget(self.busy_row)
        layout.addWidget(self.buttons)
        self._update_buttons()
        self._load_torchvision_names()

    # --- the three sources ----------------------------------------------------------------

    def _torchvision_page(self) -> QWidget:
        page = QWidget()
        self.torchvision_name = QComboBox()
        self.torchvision_name.setEditable(True)
        self.torchvision_name.setEditText(DEFAULT_TORCHVISION)
        self.torchvision_name.setMinimumContentsLength(24)
        self.torchvision_weights = _FileField(
            self.tr("optional: a state_dict file; none is downloaded"),
            self.tr("Weights for the torchvision model"),
            WEIGHTS_FILTER,
        )
        self.torchvision_error = _error_label()
        form = QFormLayout(page)
        form.addRow(self.tr("Model:"), self.torchvision_name)
        form.addRow(self.tr("Weights:"), self.torchvision_weights)
        form.addRow("", self.torchvision_error)
        return page

    def _python_page(self) -> QWidget:
        page = QWidget()
        warning = QLabel(
            self.tr(
                "<b>Importing from a Python file runs the code in that file, with your "
                "rights.</b> Only import files you trust."
            )
        )
        warning.setWordWrap(True)
        self.python_file = _FileField(
            self.tr("path/to/model.py"), self.tr("Python file to import"), "Python (*.py)"
        )
        self.python_file.edit.textChanged.connect(lambda _: self.trust_box.setChecked(False))
        self.python_class = QLineEdit()
        self.python_class.setPlaceholderText(self.tr("the class (or function) that makes it"))
        self.python_arguments = QLineEdit()
        self.python_arguments.setPlaceholderText(self.tr('optional, as JSON: {"num_classes": 10}'))
        self.python_file_error = _error_label()
        self.python_class_error = _error_label()
        self.python_arguments_error = _error_label()
        self.trust_box = QCheckBox(self.tr("I trust this file: run its code to import the model"))
        self.trust_box.toggled.connect(self._update_buttons)
        self.python_error = _error_label()
        # The warning above the form, not a form row: a wrapped label in a form row
        # is given the height of one line and its second line is cut off.
        column = QVBoxLayout(page)
        column.addWidget(warning)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)
        form.addRow(self.tr("File:"), self.python_file)
        form.addRow("", self.python_file_error)
        form.addRow(self.tr("Class:"), self.python_class)
        form.addRow("", self.python_class_error)
        form.addRow(self.tr("Arguments:"), self.python_arguments)
        form.addRow("", self.python_arguments_error)
        form.addRow(self.trust_box)
        form.addRow(self.python_error)
        return page

    def _model_file_page(self) -> QWidget:
        page = QWidget()
        note = QLabel(
            self.tr(
                "A TorchScript archive, or a weights-only state_dict matched against the "
                "presets and the network in this window. Read as data: nothing in the file "
                "runs."
            )
        )
        note.setWordWrap(True)
        self.model_file = _FileField(
            self.tr("path/to/model.pt"), self.tr("Model file to import"), WEIGHTS_FILTER
        )
        self.model_file_error = _error_label()
        column = QVBoxLayout(page)
        column.addWidget(note)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)
        form.addRow(self.tr("File:"), self.model_file)
        form.addRow("", self.model_file_error)
        return page

    def _load_torchvision_names(self) -> None:
        def work() -> list[str]:
            from resnet_studio.importer.sources import torchvision_names

            return torchvision_names()

        run_in_background(work, self._names_loaded, self._names_failed)

    def _names_loaded(self, names: list[str]) -> None:
        text = self.torchvision_name.currentText()
        self.torchvision_name.addItems(names)
        self.torchvision_name.setEditText(text)  # what the user typed meanwhile stays

    def _names_failed(self, reason: str, _traceback: str) -> None:
        self._show(self.torchvision_error, reason)

    # --- importing ------------------------------------------------------------------------

    def python_source(self) -> bool:
        return self.tabs.currentIndex() == PYTHON

    def _update_buttons(self, *_: object) -> None:
        # The Python source never runs unconfirmed: its button waits for the tick.
        trusted = not self.python_source() or self.trust_box.isChecked()
        self.import_button.setEnabled(not self.running and trusted)

    def input_shape(self) -> tuple[int, int, int]:
        return tuple(spin.value() for spin in self.shape_spins)  # type: ignore[return-value]

    def _errors(self) -> list[QLabel]:
        return [
            self.shape_error,
            self.torchvision_error,
            self.python_file_error,
            self.python_class_error,
            self.python_arguments_error,
            self.python_error,
            self.model_file_error,
        ]

    def _show(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def errors_shown(self) -> list[str]:
        """The error lines on screen (for tests and the screenshots)."""
        return [label.text() for label in self._errors() if not label.isHidden()]

    def start_import(self) -> bool:
        """Check the fields, then import in the background; False (with the reason under
        the field) when a field is wrong or the Python file is not confirmed."""
        if self.running:
            return False
        for label in self._errors():
            self._show(label, "")
        shape = self.input_shape()
        try:
            Network(input_shape=shape)
        except SpecError as err:
            self._show(self.shape_error, shown_error(err))
            return False
        work = self._work(shape)
        if work is None:
            return False
        self.settings.setValue(SHAPE_KEY, ",".join(map(str, shape)))
        self._set_running(True)
        run_in_background(work, self._finished, self._failed)
        return True

    def _work(self, shape: tuple[int, int, int]):
        """What to run for the current source, or None when a field is wrong (said)."""
        index = self.tabs.currentIndex()
        if index == TORCHVISION:
            name = self.torchvision_name.currentText().strip()
            if not name:
                self._show(self.torchvision_error, self.tr("Name a torchvision model"))
                return None
            weights = self.torchvision_weights.text() or None
            if weights is not None and not Path(weights).is_file():
                self._show(self.torchvision_error, self.tr("{0}: no such file").format(weights))
                return None
            return _source_work(f"torchvision:{name}", None, weights, shape)
        if index == PYTHON:
            return self._python_work(shape)
        path = self.model_file.text()
        if not path:
            self._show(self.model_file_error, self.tr("Choose a model file"))
            return None
        if not Path(path).is_file():
            self._show(self.model_file_error, self.tr("{0}: no such file").format(path))
            return None
        return _model_file_work(path, shape, self.current)

    def _python_work(self, shape: tuple[int, int, int]):
        if not self.trust_box.isChecked():  # never without the user's say-so
            self._show(self.python_error, self.tr("Tick that you trust this file before it runs"))
            return None
        path, attribute = self.python_file.text(), self.python_class.text().strip()
        arguments = self.python_arguments.text().strip() or None
        ok = True
        if not path or not Path(path).is_file() or Path(path).suffix != ".py":
            why = (
                self.tr("Choose a .py file")
                if not path
                else self.tr("{0}: no such file").format(path)
                if not Path(path).is_file()
                else self.tr("{0}: not a .py file").format(path)
            )
            self._show(self.python_file_error, why)
            ok = False
        if not attribute.isidentifier():
            self._show(
                self.python_class_error,
                self.tr("Name the class: a Python name such as ResNet20")
                if not attribute
                else self.tr("{0}: not a Python name").format(attribute),
            )
            ok = False
        if arguments is not None:
            why = _arguments_problem(arguments)
            if why:
                self._show(self.python_arguments_error, self.tr(why))
                ok = False
        if not ok:
            return None
        return _source_work(f"{path}:{attribute}", arguments, None, shape)

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.busy_row.setVisible(running)
        self.tabs.setEnabled(not running)
        for spin in self.shape_spins:
            spin.setEnabled(not running)
        self._update_buttons()

    def _finished(self, result) -> None:
        if not self.running:  # closed meanwhile: the result is dropped
            return
        self._set_running(False)
        self.report_dialog = ImportReportDialog(result, self)
        self.report_dialog.open_requested.connect(lambda: self._open(result))
        self.report_dialog.open()

    def _failed(self, reason: str, _traceback: str) -> None:
        if not self.running:
            return
        self._set_running(False)
        page_error = {
            TORCHVISION: self.torchvision_error,
            PYTHON: self.python_error,
            MODEL_FILE: self.model_file_error,
        }[self.tabs.currentIndex()]
        self._show(page_error, reason)

    def _open(self, result) -> None:
        label = result.report.source
        if self.report_dialog is not None:
            self.report_dialog.accept()
        self.accept()
        self.open_requested.emit(result, label)

    def done(self, code: int) -> None:
        """Closing while an import runs abandons it: its result will be dropped."""
        self.running = False
        super().done(code)


# Checks the dialog makes at once, without torch; the importer makes the same ones.
_NOT_JSON = QT_TRANSLATE_NOOP(
    "ImportDialog", 'Not valid JSON: write the arguments as an object such as {"num_classes": 10}'
)
_NOT_OBJECT = QT_TRANSLATE_NOOP(
    "ImportDialog", 'Expected a JSON object such as {"num_classes": 10}'
)


def _arguments_problem(text: str) -> str:
    """Why ``text`` is not a JSON object of constructor arguments ("" when it is); the
    text is marked for translation in the ``ImportDialog`` context."""
    try:
        value = json.loads(text)
    except ValueError:
        return _NOT_JSON
    return "" if isinstance(value, dict) else _NOT_OBJECT


def _source_work(text: str, arguments: str | None, weights: str | None, shape):
    """Import ``torchvision:NAME`` or ``FILE.py:CLASS`` (which runs that file)."""

    def work():
        from resnet_studio.importer.api import import_module
        from resnet_studio.importer.sources import open_source, parse_arguments

        source = open_source(text, parse_arguments(arguments), weights)
        return import_module(source.module, shape, name=source.name, source=text)

    return work


def _model_file_work(path: str, shape, current: Network | None):
    """Import a TorchScript archive or a weights-only state_dict (nothing in it runs)."""

    def work():
        from resnet_studio.importer.api import import_path

        return import_path(path, shape, current=current)

    return work
