"""The inspector: the selected layer's fields, and the network's own settings.

Both widgets read everything from the :class:`NetworkDocument` and write only
through its methods, so every change is one undoable step and every view
agrees. Refreshing from the document blocks the editors' signals, so showing
a value never edits it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRegularExpression, Qt
from PySide6.QtGui import QFocusEvent, QRegularExpressionValidator, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.arch import edit
from resnet_studio.arch.inference import format_shape
from resnet_studio.arch.kinds import kind_help, kind_label
from resnet_studio.arch.spec import (
    MAX_CLASSES,
    MAX_SPATIAL,
    NAME_PATTERN,
    Node,
    SpecError,
)
from resnet_studio.formatting import format_count
from resnet_studio.gui.colours import kind_icon
from resnet_studio.gui.document import NetworkDocument

ERROR_STYLE = "color: #C62828;"
HINT_STYLE = "color: palette(placeholder-text);"

# Labels of the editable fields (context "fields" for the translators).
FIELD_LABELS: dict[str, str] = {
    "name": QT_TRANSLATE_NOOP("fields", "Name"),
    "out_channels": QT_TRANSLATE_NOOP("fields", "Output channels"),
    "kernel": QT_TRANSLATE_NOOP("fields", "Kernel size"),
    "stride": QT_TRANSLATE_NOOP("fields", "Stride"),
    "padding": QT_TRANSLATE_NOOP("fields", "Padding"),
    "dilation": QT_TRANSLATE_NOOP("fields", "Dilation"),
    "groups": QT_TRANSLATE_NOOP("fields", "Groups"),
    "bias": QT_TRANSLATE_NOOP("fields", "Bias"),
    "negative_slope": QT_TRANSLATE_NOOP("fields", "Negative slope"),
    "out_features": QT_TRANSLATE_NOOP("fields", "Output features"),
    "p": QT_TRANSLATE_NOOP("fields", "Drop probability"),
    "shortcut": QT_TRANSLATE_NOOP("fields", "Shortcut"),
    "post_relu": QT_TRANSLATE_NOOP("fields", "ReLU after add"),
    "count": QT_TRANSLATE_NOOP("fields", "Repetitions"),
    "strides_first_only": QT_TRANSLATE_NOOP("fields", "Stride in first only"),
}


def field_label(name: str) -> str:
    """The translated label of field ``name``."""
    text = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
    return QCoreApplication.translate("fields", text)


# --- editors that leave the mouse wheel to the scroll area unless focused -----------


class _SpinBox(QSpinBox):
    """A spin box that ignores the wheel until clicked, so scrolling the panel is safe."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setKeyboardTracking(False)  # typing "128" is one edit, not 1, 12, 128

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class _DoubleSpinBox(QDoubleSpinBox):
    """A double spin box that ignores the wheel until clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setKeyboardTracking(False)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class _ComboBox(QComboBox):
    """A combo box that ignores the wheel until clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class _NameEdit(QLineEdit):
    """A name field that puts the stored name back when left empty or unfinished."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[A-Za-z0-9_]{1,64}")))
        self.stored = ""

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        if not self.hasAcceptableInput():  # editingFinished is not emitted for these
            self.setText(self.stored)


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


# --- the inspector --------------------------------------------------------------------


class InspectorWidget(QWidget):
    """The fields of the single selected node, editable; a hint otherwise.

    Each change calls :meth:`NetworkDocument.set_field`; an invalid value is
    refused with its reason shown under the form and nothing is pushed.
    """

    def __init__(self, document: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("inspector")
        self._node_id: str | None = None
        self._node_type: type[Node] | None = None
        # field → (editor widget, function that shows the node's value in it)
        self._editors: dict[str, tuple[QWidget, Callable[[Node], None]]] = {}

        self.stack = QStackedWidget()
        self.hint_label = QLabel(
            self.tr(
                "Select a layer on the canvas or in the layers table to see and edit its settings."
            )
        )
        self.multi_label = QLabel()
        for label in (self.hint_label, self.multi_label):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet(HINT_STYLE)
            label.setMargin(12)
        self.stack.addWidget(self.hint_label)
        self.stack.addWidget(self.multi_label)
        self.stack.addWidget(self._build_node_page())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        document.changed.connect(self._on_changed)
        document.selection_changed.connect(self._on_selection_changed)
        self.refresh()

    def _build_node_page(self) -> QWidget:
        self.kind_icon_label = QLabel()
        self.kind_label = QLabel()
        font = self.kind_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.kind_label.setFont(font)
        title = QHBoxLayout()
        title.setSpacing(6)
        title.addWidget(self.kind_icon_label)
        title.addWidget(self.kind_label, 1)

        self.help_label = QLabel()
        self.help_label.setWordWrap(True)
        self.help_label.setStyleSheet(HINT_STYLE)
        self.path_label = QLabel()
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stats_label = QLabel()
        self.stats_label.setWordWrap(True)
        self.node_error_label = _error_label()

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.edit_error_label = _error_label()

        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(6)
        column.addLayout(title)
        column.addWidget(self.help_label)
        column.addWidget(self.path_label)
        column.addWidget(self.stats_label)
        column.addWidget(self.node_error_label)
        column.addWidget(line)
        column.addWidget(self.form_host)
        column.addWidget(self.edit_error_label)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    # --- refreshing from the document ---------------------------------------------------

    def _on_changed(self) -> None:
        self._clear_errors()
        self.refresh()

    def _on_selection_changed(self, _ids: list[str]) -> None:
        self._clear_errors()
        self.refresh()

    def _clear_errors(self) -> None:
        self.edit_error_label.hide()
        if hasattr(self, "name_error_label"):
            self.name_error_label.hide()

    def _current_node(self) -> Node | None:
        selection = self.document.selection
        if len(selection) != 1:
            return None
        try:
            return self.document.node(selection[0])
        except edit.EditError:  # the selection is pruned right after this change
            return None

    def refresh(self) -> None:
        """Show the document's selection (rebuilding the form only for another node)."""
        selection = self.document.selection
        node = self._current_node()
        if node is None:
            self._node_id = None
            self._node_type = None
            if len(selection) > 1:
                self.multi_label.setText(self.tr("{0} layers selected").format(len(selection)))
                self.stack.setCurrentWidget(self.multi_label)
            else:
                self.stack.setCurrentWidget(self.hint_label)
            return
        if node.id != self._node_id or type(node) is not self._node_type:
            self._build_form(node)
        self._show_header(node)
        self._load_values()
        self.stack.setCurrentIndex(2)

    def _show_header(self, node: Node) -> None:
        summary = self.document.summary
        self.kind_icon_label.setPixmap(kind_icon(node.kind).pixmap(20, 20))
        self.kind_label.setText(QCoreApplication.translate("kinds", kind_label(node)))
        help_text = kind_help(node)
        self.help_label.setText(QCoreApplication.translate("kinds", help_text))
        self.help_label.setVisible(bool(help_text))

        rows = [r for r in summary.rows if r.node_id == node.id and not r.is_shortcut]
        if not rows:
            self.path_label.setText(self.tr("Path: {0}").format(node.name))
            self.stats_label.setText("")
        else:
            first = rows[0]
            # Counted from the Repeats around it: a huge table folds repetitions into one row.
            times = edit.instances(self.document.network, node.id)
            if times > 1:
                path = self.tr("Path: {0} (first of {1} repetitions)").format(
                    first.path, f"{times:,}"
                )
            else:
                path = self.tr("Path: {0}").format(first.path)
            self.path_label.setText(path)
            if first.computed and first.output_shape is not None:
                stats = self.tr("Output {0}\n{1} parameters · {2} multiply-adds").format(
                    format_shape(first.output_shape), f"{first.params:,}", format_count(first.macs)
                )
                self.stats_label.setToolTip(
                    self.tr("{0} multiply-adds per image").format(f"{first.macs:,}")
                )
            elif not first.computed:
                stats = self.tr("Not computed: an earlier layer has an error.")
                self.stats_label.setToolTip("")
            else:
                stats = self.tr("No output: this layer cannot apply to its input.")
                self.stats_label.setToolTip("")
            self.stats_label.setText(stats)
        messages = [p.message for p in summary.problems if p.node_id == node.id]
        self.node_error_label.setText("\n".join(messages))
        self.node_error_label.setVisible(bool(messages))

    # --- the form ---------------------------------------------------------------------

    def _build_form(self, node: Node) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._editors.clear()
        self._node_id = node.id
        self._node_type = type(node)

        self.name_edit = _NameEdit()
        self.name_edit.setToolTip(
            self.tr("The layer's name: part of its path; unique within its block")
        )
        self.name_edit.editingFinished.connect(self._commit_name)
        self.name_error_label = _error_label()
        name_box = QWidget()
        name_column = QVBoxLayout(name_box)
        name_column.setContentsMargins(0, 0, 0, 0)
        name_column.setSpacing(2)
        name_column.addWidget(self.name_edit)
        name_column.addWidget(self.name_error_label)
        self.form.addRow(field_label("name"), name_box)
        self._editors["name"] = (self.name_edit, self._show_name)

        for name, meta, _default in type(node).editable_fields():
            editor, show = self._make_editor(name, meta)
            tooltip = QCoreApplication.translate("spec", meta.get("help", ""))
            editor.setToolTip(tooltip)
            self.form.addRow(field_label(name), editor)
            label = self.form.labelForField(editor)
            if label is not None:
                label.setToolTip(tooltip)
            self._editors[name] = (editor, show)

    def _make_editor(self, name: str, meta: dict[str, Any]) -> tuple[QWidget, Callable]:
        kind = meta["type"]
        if kind == "int" and meta.get("optional"):
            return self._make_optional_int(name, meta)
        if kind == "int":
            spin = _SpinBox()
            spin.setRange(meta["min"], meta["max"])
            spin.valueChanged.connect(lambda v, f=name: self._commit(f, int(v)))

            def show_int(node: Node, spin: QSpinBox = spin, f: str = name) -> None:
                spin.setValue(getattr(node, f))

            return spin, show_int
        if kind == "float":
            spin = _DoubleSpinBox()
            spin.setDecimals(3)
            spin.setRange(meta["min"], meta["max"])
            span = meta["max"] - meta["min"]
            spin.setSingleStep(0.01 if span <= 1 else 0.1 if span <= 10 else 1.0)
            spin.valueChanged.connect(lambda v, f=name: self._commit(f, float(v)))

            def show_float(node: Node, spin: QDoubleSpinBox = spin, f: str = name) -> None:
                spin.setValue(getattr(node, f))

            return spin, show_float
        if kind == "bool":
            box = QCheckBox()
            box.toggled.connect(lambda v, f=name: self._commit(f, bool(v)))

            def show_bool(node: Node, box: QCheckBox = box, f: str = name) -> None:
                box.setChecked(getattr(node, f))

            return box, show_bool
        if kind == "choice":
            combo = _ComboBox()
            for choice in meta["choices"]:
                combo.addItem(QCoreApplication.translate("spec", choice), choice)
            combo.currentIndexChanged.connect(
                lambda i, f=name, c=combo: self._commit(f, c.itemData(i))
            )

            def show_choice(node: Node, combo: QComboBox = combo, f: str = name) -> None:
                combo.setCurrentIndex(combo.findData(getattr(node, f)))

            return combo, show_choice
        raise ValueError(f"no editor for field type {kind!r}")

    def _make_optional_int(self, name: str, meta: dict[str, Any]) -> tuple[QWidget, Callable]:
        """A spin box plus "= classes": checked means None (the network's class count)."""
        spin = _SpinBox()
        spin.setRange(meta["min"], meta["max"])
        default_box = QCheckBox(self.tr("= classes"))
        default_box.setToolTip(self.tr("Use the network's number of classes"))
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(spin, 1)
        row.addWidget(default_box)
        spin.valueChanged.connect(lambda v, f=name: self._commit(f, int(v)))
        default_box.toggled.connect(
            lambda on, f=name, s=spin: self._commit(f, None if on else s.value())
        )
        box.spin = spin  # type: ignore[attr-defined] - for tests and the window
        box.default_box = default_box  # type: ignore[attr-defined]

        def show_optional(node: Node, f: str = name) -> None:
            value = getattr(node, f)
            default_box.setChecked(value is None)
            spin.setEnabled(value is not None)
            spin.setValue(self.document.network.classes if value is None else value)

        return box, show_optional

    def _show_name(self, node: Node) -> None:
        self.name_edit.stored = node.name
        if self.name_edit.text() != node.name:
            self.name_edit.setText(node.name)

    def _load_values(self) -> None:
        """Show the document's values in the editors without triggering edits."""
        node = self._current_node()
        if node is None:
            return
        for editor, show in self._editors.values():
            children = [editor, *editor.findChildren(QWidget)]
            blocked = [(w, w.blockSignals(True)) for w in children]
            try:
                show(node)
            finally:
                for w, was in blocked:
                    w.blockSignals(was)

    # --- edits --------------------------------------------------------------------------

    def editor(self, field: str) -> QWidget:
        """The editor of ``field`` for the node shown (``name`` included)."""
        return self._editors[field][0]

    def _commit(self, field: str, value: object) -> None:
        if self._node_id is None:
            return
        try:
            self.document.set_field(self._node_id, field, value)
        except (SpecError, edit.EditError) as error:
            self._load_values()
            self.edit_error_label.setText(self._refusal(field, error))
            self.edit_error_label.show()

    def _refusal(self, field: str, error: Exception) -> str:
        if isinstance(error, SpecError) and error.where == field:
            reason = f"{field_label(field)} {error.message}"
        else:
            reason = str(error)
        return self.tr("Not changed: {0}").format(reason)

    def _commit_name(self) -> None:
        if self._node_id is None:
            return
        text = self.name_edit.text()
        node = self.document.node(self._node_id)
        if text == node.name:
            return
        if not NAME_PATTERN.match(text):  # the validator normally prevents this
            self._refuse_name(self.tr("Use 1 to 64 letters, digits or underscores."))
            return
        where = edit.locate(self.document.network, node.id)
        siblings = edit.children_of(self.document.network, where.parent_id)
        if any(n.name == text and n.id != node.id for n in siblings):
            self._refuse_name(
                self.tr("“{0}” is already used by another layer in this block.").format(text)
            )
            return
        try:
            self.document.set_field(node.id, "name", text)
        except (SpecError, edit.EditError) as error:
            message = error.message if isinstance(error, SpecError) else str(error)
            self._refuse_name(message)

    def _refuse_name(self, message: str) -> None:
        self._load_values()
        self.name_error_label.setText(message)
        self.name_error_label.show()


# --- network settings -------------------------------------------------------------------


class NetworkSettingsWidget(QWidget):
    """The network's name, input shape (C × H × W) and number of classes.

    Each change is one undoable step through :meth:`NetworkDocument.apply`.
    """

    def __init__(self, document: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("networkSettings")

        self.name_edit = QLineEdit()
        self.name_edit.setToolTip(self.tr("The network's name (also the default file name)"))
        self.name_edit.editingFinished.connect(self._commit_name)

        self.channels_spin = _SpinBox()
        self.channels_spin.setRange(1, 1024)
        self.channels_spin.setToolTip(self.tr("Input channels (3 for colour images)"))
        self.height_spin = _SpinBox()
        self.height_spin.setRange(1, MAX_SPATIAL)
        self.height_spin.setToolTip(self.tr("Input height in pixels"))
        self.width_spin = _SpinBox()
        self.width_spin.setRange(1, MAX_SPATIAL)
        self.width_spin.setToolTip(self.tr("Input width in pixels"))
        shape_box = QWidget()
        shape_row = QHBoxLayout(shape_box)
        shape_row.setContentsMargins(0, 0, 0, 0)
        shape_row.setSpacing(4)
        for i, spin in enumerate((self.channels_spin, self.height_spin, self.width_spin)):
            if i:
                shape_row.addWidget(QLabel("×"))
            spin.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            spin.setMinimumWidth(48)
            spin.valueChanged.connect(self._commit_shape)
            shape_row.addWidget(spin, 1)

        self.classes_spin = _SpinBox()
        self.classes_spin.setRange(1, MAX_CLASSES)
        self.classes_spin.setToolTip(
            self.tr("Number of classes: the size of the last Linear layer by default")
        )
        self.classes_spin.valueChanged.connect(self._commit_classes)

        self.error_label = _error_label()

        form = QFormLayout(self)
        form.setContentsMargins(8, 8, 8, 8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Input (C×H×W)"), shape_box)
        form.addRow(self.tr("Classes"), self.classes_spin)
        form.addRow(self.error_label)

        document.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Show the document's values without triggering edits."""
        network = self.document.network
        widgets = (
            self.name_edit,
            self.channels_spin,
            self.height_spin,
            self.width_spin,
            self.classes_spin,
        )
        blocked = [(w, w.blockSignals(True)) for w in widgets]
        try:
            self.name_edit.setText(network.name)
            c, h, w = network.input_shape
            self.channels_spin.setValue(c)
            self.height_spin.setValue(h)
            self.width_spin.setValue(w)
            self.classes_spin.setValue(network.classes)
        finally:
            for widget, was in blocked:
                widget.blockSignals(was)
        self.error_label.hide()

    def _apply(self, make: Callable[[], Any], text: str) -> None:
        try:
            after = make()
        except SpecError as error:
            self.refresh()
            self.error_label.setText(self.tr("Not changed: {0}").format(str(error)))
            self.error_label.show()
            return
        self.document.apply(after, text)

    def _commit_shape(self) -> None:
        shape = (self.channels_spin.value(), self.height_spin.value(), self.width_spin.value())
        network = self.document.network
        if shape != network.input_shape:
            self._apply(
                lambda: network.with_input(input_shape=shape), self.tr("Change input shape")
            )

    def _commit_classes(self, classes: int) -> None:
        network = self.document.network
        if classes != network.classes:
            self._apply(
                lambda: network.with_input(classes=classes), self.tr("Change number of classes")
            )

    def _commit_name(self) -> None:
        network = self.document.network
        name = self.name_edit.text().strip()
        if not name:
            self.refresh()
            return
        if name != network.name:
            self._apply(lambda: dataclasses.replace(network, name=name), self.tr("Rename network"))
