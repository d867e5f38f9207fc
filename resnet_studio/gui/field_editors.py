"""The inspector's editors: they keep what was typed, valid or not, until it is fixed or Esc.

A spin box would clamp ``0`` to its minimum and put a cleared field back as it
was, silently; these accept any number (their range only bounds the arrows and
the wheel), keep an empty field empty, and leave the judging to whoever
commits the value, which shows the reason under the field (:class:`FieldError`).

Signals, on top of Qt's own:

- ``committed``: Enter was pressed, the field lost focus or an arrow stepped
  it; its text is final and should be applied or refused.
- ``reverted``: Esc on text that differs from the value shown last; the
  field should show the stored value again and drop its error.

Undo and redo keys reach the window's network unless the field holds text of
its own to undo (``is_editing``): Ctrl+Z in a field just looked at undoes the
last change to the network, as everywhere else in the window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QKeyCombination, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QLabel, QLineEdit, QSpinBox, QWidget

# Any number this long can be typed (and refused with its reason); far beyond every range.
TYPED_INT_LIMIT = 2_000_000_000
TYPED_FLOAT_LIMIT = 1e9
ERROR_STYLE = "color: #C62828;"

_CTRL = Qt.KeyboardModifier.ControlModifier
# Redo keys besides the platform's own (Ctrl+Shift+Z on Linux): Ctrl+Y as on Windows.
EXTRA_REDO_KEYS = (
    QKeyCombination(_CTRL, Qt.Key.Key_Y),
    QKeyCombination(_CTRL | Qt.KeyboardModifier.ShiftModifier, Qt.Key.Key_Z),
)


def redo_shortcuts() -> list[QKeySequence]:
    """The platform's redo keys plus Ctrl+Y and Ctrl+Shift+Z, each once."""
    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
    for combination in EXTRA_REDO_KEYS:
        if QKeySequence(combination) not in keys:
            keys.append(QKeySequence(combination))
    return keys


def is_history_key(event: QKeyEvent) -> bool:
    """Whether ``event`` is an undo or redo key."""
    return (
        event.matches(QKeySequence.StandardKey.Undo)
        or event.matches(QKeySequence.StandardKey.Redo)
        or event.keyCombination() in EXTRA_REDO_KEYS
    )


class FieldError(QLabel):
    """The reason a field's value was refused, on the line reserved for it under the field.

    Empty when there is nothing to say; its line is kept, so the fields below
    do not move when a reason appears.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        small = self.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.setFont(small)
        self.setContentsMargins(0, 0, 0, 3)  # a little air above the next field
        self.setMinimumHeight(self.fontMetrics().lineSpacing() + 5)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


class _TypedField:
    """What the number fields and the name field share (a mixin for their Qt classes).

    ``stored_text`` is the text of the value shown last; :meth:`show_text`
    sets both. The concrete classes declare ``committed`` and ``reverted``.
    """

    stored_text = ""
    committed: Signal
    reverted: Signal

    def _line(self) -> QLineEdit:
        raise NotImplementedError

    def is_editing(self) -> bool:
        """Whether the field holds text of its own, not the value shown last."""
        return self._line().text() != self.stored_text

    def event(self, event: QEvent) -> bool:
        # Let undo and redo through to the window's actions when nothing here needs them.
        if event.type() == QEvent.Type.ShortcutOverride and not self.is_editing():
            if is_history_key(event):  # type: ignore[arg-type]
                event.ignore()
                return True
        return super().event(event)  # type: ignore[misc]

    def _escape(self, event: QKeyEvent) -> bool:
        """Esc drops typed text (True: handled); with nothing typed it goes to the parent."""
        if event.key() == Qt.Key.Key_Escape and self.is_editing():
            self.reverted.emit()
            event.accept()
            return True
        return False


class _NumberMixin(_TypedField):
    """A spin box that holds any typed number and keeps an empty field empty."""

    limits: tuple[float, float] = (0, 0)

    def _line(self) -> QLineEdit:
        return self.lineEdit()  # type: ignore[attr-defined]

    def is_blank(self) -> bool:
        """No number typed (empty, or only a sign)."""
        return self._line().text().strip() in ("", "-", "+")

    def typed_value(self) -> float:
        """The number in the field as typed (Qt reads typed text only on Enter or leaving)."""
        blocked = self.blockSignals(True)  # type: ignore[attr-defined]
        try:
            self.interpretText()  # type: ignore[attr-defined]
        finally:
            self.blockSignals(blocked)  # type: ignore[attr-defined]
        return self.value()  # type: ignore[attr-defined]

    def show_value(self, value: float) -> None:
        """Show ``value`` as the stored one, without emitting anything."""
        blocked = self.blockSignals(True)  # type: ignore[attr-defined]
        try:
            self.setValue(value)  # type: ignore[attr-defined]
            if self.is_blank():  # cleared before: setValue leaves the empty text
                self._line().setText(self.textFromValue(value))  # type: ignore[attr-defined]
        finally:
            self.blockSignals(blocked)  # type: ignore[attr-defined]
        self.stored_text = self._line().text()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if self._escape(event):
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.is_blank():
                self.clear()  # type: ignore[attr-defined] - Qt would put the old number back
            else:
                super().keyPressEvent(event)  # type: ignore[misc]
            self.committed.emit()
            event.accept()
            return
        super().keyPressEvent(event)  # type: ignore[misc]

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        if self.is_blank():
            self.clear()  # type: ignore[attr-defined] - kept empty: its error says why
        super().focusOutEvent(event)  # type: ignore[misc]
        self.committed.emit()

    def stepBy(self, steps: int) -> None:  # noqa: N802
        """Step from the number typed (or shown), within the field's own range."""
        lo, hi = self.limits
        value = self.typed_value() + steps * self.singleStep()  # type: ignore[attr-defined]
        self.setValue(min(hi, max(lo, value)))  # type: ignore[attr-defined]
        self.committed.emit()

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:  # noqa: N802
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        lo, hi = self.limits
        value = self.value()  # type: ignore[attr-defined]
        if value < hi:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if value > lo:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        # Only a focused field takes the wheel, so scrolling the panel never edits.
        if self.hasFocus():  # type: ignore[attr-defined]
            super().wheelEvent(event)  # type: ignore[misc]
        else:
            event.ignore()


class NumberField(_NumberMixin, QSpinBox):
    """A whole-number field; ``lo``–``hi`` bound its arrows, not what may be typed."""

    committed = Signal()
    reverted = Signal()

    def __init__(self, lo: int, hi: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limits = (lo, hi)
        self.setRange(-TYPED_INT_LIMIT, TYPED_INT_LIMIT)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setKeyboardTracking(False)  # typing "128" is one edit, not 1, 12, 128


class DecimalField(_NumberMixin, QDoubleSpinBox):
    """A number field with decimals; ``lo``–``hi`` bound its arrows, not what may be typed."""

    committed = Signal()
    reverted = Signal()

    def __init__(self, lo: float, hi: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limits = (lo, hi)
        self.setDecimals(3)
        self.setRange(-TYPED_FLOAT_LIMIT, TYPED_FLOAT_LIMIT)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setKeyboardTracking(False)
        span = hi - lo
        self.setSingleStep(0.01 if span <= 1 else 0.1 if span <= 10 else 1.0)


class TextField(_TypedField, QLineEdit):
    """A one-line text field (a layer's or the network's name) that keeps what was typed."""

    committed = Signal()
    reverted = Signal()

    def _line(self) -> QLineEdit:
        return self

    def show_text(self, text: str) -> None:
        """Show ``text`` as the stored value, without emitting anything."""
        blocked = self.blockSignals(True)
        try:
            if self.text() != text:
                self.setText(text)
        finally:
            self.blockSignals(blocked)
        self.stored_text = text

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self._escape(event):
            return
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.committed.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.committed.emit()
