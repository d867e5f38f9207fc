"""The inspector: the selected layer's fields, and the network's own settings.

Both widgets read everything from the :class:`NetworkDocument` and write only
through its methods, so every change is one undoable step and every view
agrees. Refreshing from the document blocks the editors' signals, so showing
a value never edits it.

A value that cannot be used is refused with its reason on the line under its
field (a line kept free for it, so nothing moves) and stays as typed until it
is fixed or Esc puts the stored value back (:mod:`field_editors`). A layer
with a shape problem shows the problem and its quick fixes as buttons.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.arch import edit
from resnet_studio.arch.fixes import fixes_for
from resnet_studio.arch.inference import format_shape
from resnet_studio.arch.kinds import kind_help, kind_label
from resnet_studio.arch.spec import MAX_CLASSES, MAX_SPATIAL, Node, SpecError, name_problem
from resnet_studio.formatting import format_count
from resnet_studio.gui.colours import kind_icon
from resnet_studio.gui.core_text import shown, shown_error
from resnet_studio.gui.document import NetworkDocument
from resnet_studio.gui.field_editors import (
    ERROR_STYLE,
    DecimalField,
    FieldError,
    NumberField,
    TextField,
)
from resnet_studio.gui.quick_fixes import apply_fix, fix_title, fix_tooltip

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
    "approximate": QT_TRANSLATE_NOOP("fields", "Approximation"),
    "ceil_mode": QT_TRANSLATE_NOOP("fields", "Ceil mode"),
    "count_include_pad": QT_TRANSLATE_NOOP("fields", "Count padding"),
    "output_size": QT_TRANSLATE_NOOP("fields", "Output size"),
    "out_features": QT_TRANSLATE_NOOP("fields", "Output features"),
    "p": QT_TRANSLATE_NOOP("fields", "Drop probability"),
    "shortcut": QT_TRANSLATE_NOOP("fields", "Shortcut"),
    "post_relu": QT_TRANSLATE_NOOP("fields", "ReLU after add"),
    "count": QT_TRANSLATE_NOOP("fields", "Repetitions"),
    "strides_first_only": QT_TRANSLATE_NOOP("fields", "Stride in first only"),
    "pad_placement": QT_TRANSLATE_NOOP("fields", "Zero channels"),
    "preactivation": QT_TRANSLATE_NOOP("fields", "Pre-activation"),
}


def field_label(name: str) -> str:
    """The translated label of field ``name``."""
    text = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
    return QCoreApplication.translate("fields", text)


# --- editors -----------------------------------------------------------------------------


class _ComboBox(QComboBox):
    """A combo box that ignores the wheel until clicked, so scrolling the panel is safe."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class _OptionalNumber(QWidget):
    """A number field plus "= classes": checked means None (the network's class count)."""

    def __init__(self, lo: int, hi: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spin = NumberField(lo, hi)
        self.default_box = QCheckBox(self.tr("= classes"))
        self.default_box.setToolTip(self.tr("Use the network's number of classes"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.spin, 1)
        row.addWidget(self.default_box)


class _Fields:
    """The rows of one form: each field's editor, how it shows a value, and its error line.

    Fields whose value was refused keep their text (and their reason) when the
    form is refreshed, until they are fixed, Esc'd, or the form is cleared.
    """

    def __init__(self, form: QFormLayout) -> None:
        self.form = form
        self.editors: dict[str, QWidget] = {}
        self.shows: dict[str, Callable[[], None]] = {}
        self.errors: dict[str, FieldError] = {}
        self.refused: set[str] = set()
        # field → (another field, its values where this one applies): hidden elsewhere
        self.conditions: dict[str, tuple[str, tuple[Any, ...]]] = {}

    def add(
        self, field: str, label: str, editor: QWidget, show: Callable[[], None], tip: str = ""
    ) -> None:
        """A row with ``editor`` under ``label``, then the line kept for its error."""
        self.form.addRow(label, editor)
        if tip:
            editor.setToolTip(tip)
            label_widget = self.form.labelForField(editor)
            if label_widget is not None:
                label_widget.setToolTip(tip)
        error = FieldError()
        self.form.addRow(error)
        self.editors[field] = editor
        self.shows[field] = show
        self.errors[field] = error

    def clear(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors.clear()
        self.shows.clear()
        self.errors.clear()
        self.refused.clear()
        self.conditions.clear()

    def show_applicable(self, node: object) -> None:
        """Show the fields that apply to ``node`` as it is now, hide the others
        (a zero-pad shortcut's placement only while the shortcut is zero-pad)."""
        for field, (other, values) in self.conditions.items():
            visible = getattr(node, other) in values
            self.form.setRowVisible(self.editors[field], visible)
            self.form.setRowVisible(self.errors[field], visible)

    def show(self, field: str) -> None:
        """Show the stored value of ``field`` without emitting edits."""
        editor = self.editors[field]
        widgets = [editor, *editor.findChildren(QWidget)]
        blocked = [(w, w.blockSignals(True)) for w in widgets]
        try:
            self.shows[field]()
        finally:
            for widget, was in blocked:
                widget.blockSignals(was)

    def show_all(self) -> None:
        for field in self.editors:
            if field not in self.refused:
                self.show(field)

    def refuse(self, field: str, message: str, stored: str = "") -> None:
        """Show why the typed value of ``field`` is not used; the text stays as typed."""
        self.refused.add(field)
        self.errors[field].setText(message)
        if stored:
            self.errors[field].setToolTip(
                QCoreApplication.translate("InspectorWidget", "Esc puts back {0}").format(stored)
            )

    def accept(self, field: str) -> None:
        """The value of ``field`` is in use: drop its error and show it as stored."""
        self.refused.discard(field)
        self.errors[field].setText("")
        self.errors[field].setToolTip("")
        self.show(field)

    def forget_refusals(self) -> None:
        """Drop every refused text and reason (the next :meth:`show_all` shows the values)."""
        for field in self.refused:
            self.errors[field].setText("")
            self.errors[field].setToolTip("")
        self.refused.clear()


# --- the inspector --------------------------------------------------------------------


class InspectorWidget(QWidget):
    """The fields of the single selected node, editable; a hint otherwise.

    Each change calls :meth:`NetworkDocument.set_field`; an invalid value is
    refused with its reason under its field, stays as typed, and nothing is pushed.
    """

    def __init__(self, document: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("inspector")
        self._node_id: str | None = None
        self._node_type: type[Node] | None = None

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

        document.changed.connect(self.refresh)
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
        self.node_error_label = QLabel()
        self.node_error_label.setWordWrap(True)
        self.node_error_label.setStyleSheet(ERROR_STYLE)
        self.node_error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The quick fixes of the problem above, one button each.
        self.fix_box = QWidget()
        self.fix_column = QVBoxLayout(self.fix_box)
        self.fix_column.setContentsMargins(0, 0, 0, 0)
        self.fix_column.setSpacing(4)
        self.fix_buttons: list[QPushButton] = []

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setVerticalSpacing(0)  # each field's error line spaces the rows
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.fields = _Fields(self.form)

        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(6)
        column.addLayout(title)
        column.addWidget(self.help_label)
        column.addWidget(self.path_label)
        column.addWidget(self.stats_label)
        column.addWidget(self.node_error_label)
        column.addWidget(self.fix_box)
        column.addWidget(line)
        column.addWidget(self.form_host)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    # --- refreshing from the document ---------------------------------------------------

    def _on_selection_changed(self, _ids: list[str]) -> None:
        self.fields.forget_refusals()  # what was typed for another layer is dropped
        self.refresh()

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
        self.fields.show_all()
        self.fields.show_applicable(node)
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
            # Counted from the Repeats around it, not from the rows: a Repeat has a row per
            # repetition of a longer body, and a huge table folds repetitions into one row.
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
        messages = [shown(p.message) for p in summary.problems if p.node_id == node.id]
        self.node_error_label.setText("\n".join(messages))
        self.node_error_label.setVisible(bool(messages))
        self._show_fixes(node)

    def _show_fixes(self, node: Node) -> None:
        """One button per quick fix of the node's problems."""
        for button in self.fix_buttons:
            button.hide()
            button.deleteLater()  # it may be the one whose click is running
        self.fix_buttons = []
        for fix in fixes_for(self.document.network, self.document.summary.problems, node.id):
            button = QPushButton(self.tr("Fix: {0}").format(fix_title(fix)))
            button.setToolTip(fix_tooltip(fix))
            # As wide as the panel, never wider: a long layer name is cut, not the panel.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, f=fix: apply_fix(self.document, f, self))
            self.fix_column.addWidget(button)
            self.fix_buttons.append(button)
        self.fix_box.setVisible(bool(self.fix_buttons))

    # --- the form ---------------------------------------------------------------------

    def _build_form(self, node: Node) -> None:
        self.fields.clear()
        self._node_id = node.id
        self._node_type = type(node)

        self.name_edit = TextField()
        self.name_edit.committed.connect(self._commit_name)
        self.name_edit.editingFinished.connect(self._commit_name)
        self.name_edit.reverted.connect(lambda: self.fields.accept("name"))
        self.fields.add(
            "name",
            field_label("name"),
            self.name_edit,
            self._show_name,
            self.tr("The layer's name: part of its path; unique within its block"),
        )
        for name, meta, _default in type(node).editable_fields():
            editor, show = self._make_editor(name, meta)
            tip = QCoreApplication.translate("spec", meta.get("help", ""))
            self.fields.add(name, field_label(name), editor, show, tip)
            if "applies_when" in meta:
                self.fields.conditions[name] = meta["applies_when"]

    def _node(self) -> Node:
        assert self._node_id is not None
        return self.document.node(self._node_id)

    def _make_editor(self, name: str, meta: dict[str, Any]) -> tuple[QWidget, Callable]:
        kind = meta["type"]
        if kind == "int" and meta.get("optional"):
            return self._make_optional_int(name, meta)
        if kind in ("int", "float"):
            spin = (NumberField if kind == "int" else DecimalField)(meta["min"], meta["max"])
            self._connect_number(name, spin)
            return spin, lambda f=name, s=spin: s.show_value(getattr(self._node(), f))
        if kind == "bool":
            box = QCheckBox()
            box.toggled.connect(lambda v, f=name: self._commit(f, bool(v)))
            return box, lambda f=name, b=box: b.setChecked(getattr(self._node(), f))
        if kind == "choice":
            combo = _ComboBox()
            for choice in meta["choices"]:
                combo.addItem(QCoreApplication.translate("spec", choice), choice)
            combo.currentIndexChanged.connect(
                lambda i, f=name, c=combo: self._commit(f, c.itemData(i))
            )
            return combo, lambda f=name, c=combo: c.setCurrentIndex(
                c.findData(getattr(self._node(), f))
            )
        raise ValueError(f"no editor for field type {kind!r}")

    def _connect_number(self, field: str, spin: NumberField | DecimalField) -> None:
        spin.valueChanged.connect(lambda _value, f=field: self._commit_number(f))
        spin.committed.connect(lambda f=field: self._commit_number(f))
        spin.reverted.connect(lambda f=field: self.fields.accept(f))

    def _make_optional_int(self, name: str, meta: dict[str, Any]) -> tuple[QWidget, Callable]:
        box = _OptionalNumber(meta["min"], meta["max"])
        self._connect_number(name, box.spin)
        box.default_box.toggled.connect(
            lambda on, f=name, s=box.spin: self._commit(f, None if on else s.value())
        )

        def show_optional(f: str = name) -> None:
            value = getattr(self._node(), f)
            box.default_box.setChecked(value is None)
            box.spin.setEnabled(value is not None)
            box.spin.show_value(self.document.network.classes if value is None else value)

        return box, show_optional

    def _show_name(self) -> None:
        self.name_edit.show_text(self._node().name)

    # --- edits --------------------------------------------------------------------------

    def editor(self, field: str) -> QWidget:
        """The editor of ``field`` for the node shown (``name`` included)."""
        return self.fields.editors[field]

    def error_label(self, field: str) -> FieldError:
        """The line under ``field`` that says why its value was refused (empty: it was not)."""
        return self.fields.errors[field]

    def _commit_number(self, field: str) -> None:
        # The field's editor now, not the sender: a form rebuilt for another layer
        # must not take a value typed for the one before.
        if self._node_id is None or field not in self.fields.editors:
            return
        editor = self.fields.editors[field]
        spin = editor.spin if isinstance(editor, _OptionalNumber) else editor
        assert isinstance(spin, NumberField | DecimalField)
        if not spin.isEnabled():  # "= classes" is ticked
            return
        if spin.is_blank():
            self._refuse(field, self.tr("{0} needs a number").format(field_label(field)))
            return
        value = spin.typed_value()
        self._commit(field, int(value) if isinstance(spin, NumberField) else float(value))

    def _commit(self, field: str, value: object) -> None:
        if self._node_id is None:
            return
        try:
            self.document.set_field(self._node_id, field, value)
        except (SpecError, edit.EditError) as error:
            self._refuse(field, self._reason(field, error))
            return
        self.fields.accept(field)

    def _refuse(self, field: str, message: str) -> None:
        editor = self.fields.editors[field]
        typed = editor.spin if isinstance(editor, _OptionalNumber) else editor
        self.fields.refuse(field, shown(message), getattr(typed, "stored_text", ""))

    @staticmethod
    def _reason(field: str, error: Exception) -> str:
        """The refusal in words that name the field (the one edited, or the one it clashes with)."""
        if isinstance(error, SpecError):
            where = error.where if error.where in FIELD_LABELS else field
            return f"{field_label(where)} {shown(error.message)}"
        return shown_error(error)

    def _name_problem(self, text: str) -> str | None:
        """Why ``text`` cannot name a layer, short enough for the line under the field."""
        if not text:
            return self.tr("Name needs 1-64 letters, digits or underscores")
        if len(text) > 64:
            return self.tr("Name has {0} characters; at most 64").format(len(text))
        bad = [c for c in dict.fromkeys(text) if not (c.isascii() and (c.isalnum() or c == "_"))]
        if bad:
            shown = ", ".join(self.tr("space") if c == " " else f"“{c}”" for c in bad)
            return self.tr("Name cannot hold {0}: use letters, digits, _").format(shown)
        return name_problem(text)  # an underscore first, a word PyTorch keeps

    def _commit_name(self) -> None:
        if self._node_id is None or "name" not in self.fields.editors:
            return
        text = self.name_edit.text()
        node = self._node()
        if text == node.name:
            self.fields.accept("name")
            return
        problem = self._name_problem(text)
        if problem:
            self._refuse("name", problem)
            return
        where = edit.locate(self.document.network, node.id)
        siblings = edit.children_of(self.document.network, where.parent_id)
        if any(n.name == text and n.id != node.id for n in siblings):
            self._refuse(
                "name",
                self.tr("“{0}” is already used by another layer in this block.").format(text),
            )
            return
        try:
            self.document.set_field(node.id, "name", text)
        except (SpecError, edit.EditError) as error:
            self._refuse("name", shown_error(error))
            return
        self.fields.accept("name")


# --- network settings -------------------------------------------------------------------


class NetworkSettingsWidget(QWidget):
    """The network's name, input shape (C × H × W) and number of classes.

    Each change is one undoable step through :meth:`NetworkDocument.apply`; a
    value that cannot be used is refused under its field and stays as typed.
    """

    def __init__(self, document: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("networkSettings")

        self.name_edit = TextField()
        self.name_edit.committed.connect(self._commit_name)
        self.name_edit.editingFinished.connect(self._commit_name)

        self.channels_spin = NumberField(1, 1024)
        self.channels_spin.setToolTip(self.tr("Input channels (3 for colour images)"))
        self.height_spin = NumberField(1, MAX_SPATIAL)
        self.height_spin.setToolTip(self.tr("Input height in pixels"))
        self.width_spin = NumberField(1, MAX_SPATIAL)
        self.width_spin.setToolTip(self.tr("Input width in pixels"))
        shape_box = QWidget()
        shape_row = QHBoxLayout(shape_box)
        shape_row.setContentsMargins(0, 0, 0, 0)
        shape_row.setSpacing(4)
        for i, spin in enumerate(self._shape_spins()):
            if i:
                shape_row.addWidget(QLabel("×"))
            spin.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            spin.setMinimumWidth(48)
            spin.valueChanged.connect(self._commit_shape)
            spin.committed.connect(self._commit_shape)
            spin.reverted.connect(lambda: self.fields.accept("input_shape"))
            shape_row.addWidget(spin, 1)

        self.classes_spin = NumberField(1, MAX_CLASSES)
        self.classes_spin.valueChanged.connect(self._commit_classes)
        self.classes_spin.committed.connect(self._commit_classes)
        self.classes_spin.reverted.connect(lambda: self.fields.accept("classes"))
        self.name_edit.reverted.connect(lambda: self.fields.accept("name"))

        form = QFormLayout(self)
        form.setContentsMargins(8, 8, 8, 8)
        form.setVerticalSpacing(0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.fields = _Fields(form)
        self.fields.add(
            "name",
            self.tr("Name"),
            self.name_edit,
            lambda: self.name_edit.show_text(self.document.network.name),
            self.tr("The network's name (also the default file name)"),
        )
        self.fields.add("input_shape", self.tr("Input (C×H×W)"), shape_box, self._show_shape)
        self.fields.add(
            "classes",
            self.tr("Classes"),
            self.classes_spin,
            lambda: self.classes_spin.show_value(self.document.network.classes),
            self.tr("Number of classes: the size of the last Linear layer by default"),
        )

        document.changed.connect(self.refresh)
        self.refresh()

    def _shape_spins(self) -> tuple[NumberField, NumberField, NumberField]:
        return self.channels_spin, self.height_spin, self.width_spin

    def _show_shape(self) -> None:
        for spin, value in zip(self._shape_spins(), self.document.network.input_shape, strict=True):
            spin.show_value(value)

    def error_label(self, field: str) -> FieldError:
        """The line under ``name``, ``input_shape`` or ``classes`` that says why a value was
        refused."""
        return self.fields.errors[field]

    def refresh(self) -> None:
        """Show the document's values (refused ones stay as typed) without triggering edits."""
        self.fields.show_all()

    def _apply(self, field: str, make: Callable[[], Any], text: str) -> None:
        try:
            after = make()
        except SpecError as error:
            label = self.form_label(field)
            self.fields.refuse(field, f"{label}: {shown(error.message)}")
            return
        self.fields.accept(field)  # before the change: the refresh it causes shows it
        self.document.apply(after, text)

    def form_label(self, field: str) -> str:
        return {
            "name": self.tr("Name"),
            "input_shape": self.tr("Input"),
            "classes": self.tr("Classes"),
        }[field]

    def _commit_shape(self) -> None:
        if any(spin.is_blank() for spin in self._shape_spins()):
            self.fields.refuse("input_shape", self.tr("Input needs three numbers: C, H and W"))
            return
        shape = tuple(int(spin.typed_value()) for spin in self._shape_spins())
        network = self.document.network
        if shape == network.input_shape:
            self.fields.accept("input_shape")
            return
        self._apply(
            "input_shape",
            lambda: network.with_input(input_shape=shape),
            self.tr("Change input shape"),
        )

    def _commit_classes(self) -> None:
        network = self.document.network
        if self.classes_spin.is_blank():
            self.fields.refuse("classes", self.tr("Classes needs a number"))
            return
        classes = int(self.classes_spin.typed_value())
        if classes == network.classes:
            self.fields.accept("classes")
            return
        self._apply(
            "classes",
            lambda: network.with_input(classes=classes),
            self.tr("Change number of classes"),
        )

    def _commit_name(self) -> None:
        network = self.document.network
        name = self.name_edit.text().strip()
        if not name:
            self.fields.refuse("name", self.tr("Name needs at least one character"))
            return
        if name == network.name:
            self.fields.accept("name")
            return
        self._apply(
            "name", lambda: dataclasses.replace(network, name=name), self.tr("Rename network")
        )
