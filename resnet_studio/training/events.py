"""What the training engine reports: small frozen dataclasses of plain values.

They carry floats and strings, never tensors, so they cross threads and
processes freely and can be written to ``metrics.jsonl`` as they are. Read
back, every field is checked against its type (:func:`from_plain`): a line
that says ``"epoch": "x"`` or ``"iteration": NaN`` is no event.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any, TypeVar

from resnet_studio.arch.messages import Message, text_of
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

T = TypeVar("T")
# Whole numbers of plain data: within ±2**63 (what torch and C take); those of an event
# count something (epochs, iterations, images) and are exact in a float.
INT_RANGE = (-(2**63), 2**63 - 1)
COUNT_RANGE = (0, 2**53)


@dataclass(frozen=True)
class RunStarted:
    """Training is about to start (or resume)."""

    device: str
    params: int
    epochs: int
    iterations: int
    steps_per_epoch: int
    train_images: int
    val_images: int
    start_epoch: int
    start_iteration: int


@dataclass(frozen=True)
class StepMetrics:
    """Averages over the last few steps (every ``Recipe.log_every`` steps)."""

    epoch: float  # fractional: 2.5 is halfway through the third epoch
    iteration: int
    loss: float
    error: float
    lr: float
    images_per_s: float


@dataclass(frozen=True)
class LayerStat:
    """Per-layer statistics of one epoch (the paper's Fig. 7 analysis)."""

    path: str
    grad_norm: float | None = None  # conv/linear weights, last batch of the epoch
    response_std: float | None = None  # BN output after each 3×3 conv, on validation data


@dataclass(frozen=True)
class EpochEnd:
    """One epoch done: training and validation averages."""

    epoch: int
    iteration: int
    train_loss: float
    train_error: float
    val_loss: float
    val_error: float
    lr: float
    seconds: float
    images_per_s: float
    layer_stats: tuple[LayerStat, ...] = field(default=())


@dataclass(frozen=True)
class Finished:
    """All epochs done; the final model evaluated once on the test split, if there is one."""

    epochs: int
    iterations: int
    final_val_error: float
    best_val_error: float
    seconds: float
    test_loss: float | None = None
    test_error: float | None = None
    test_images: int = 0


@dataclass(frozen=True)
class Cancelled:
    """Stopped on request (status ``stopped``); a checkpoint to resume from was written.

    The class keeps its name: it is the ``event`` of existing metrics.jsonl lines.
    """

    epoch: float
    iteration: int


@dataclass(frozen=True)
class Diverged:
    """The loss became NaN or infinite."""

    iteration: int
    lr: float
    loss: float

    @property
    def reason(self) -> str:
        return Message(
            "events.diverged",
            QT_TRANSLATE_NOOP(
                "messages",
                "loss became {loss} at iteration {iteration} (lr {lr:g}); "
                "try a lower learning rate or a warm-up",
            ),
            loss=self.loss,
            iteration=self.iteration,
            lr=self.lr,
        )


@dataclass(frozen=True)
class Failed:
    """An exception ended the run; ``reason`` is one line, ``traceback`` the whole story."""

    reason: str
    traceback: str = ""


# Why a run failed when its training returned without saying how it ended.
NO_FINAL_REPORT = Message(
    "events.no_final_report",
    QT_TRANSLATE_NOOP("messages", "the run ended without a final report"),
)


def failure_reason(error: BaseException) -> str:
    """Why ``error`` ended a run, in one line: ``DatasetError: …``. A :class:`Message`
    (the window shows it in its language) when the error carried one."""
    english = f"{type(error).__name__}: {error}".splitlines()[0]
    message = text_of(error)
    if isinstance(message, Message) and "\n" not in message:
        return Message(
            "events.error",
            QT_TRANSLATE_NOOP("messages", "{kind}: {error}"),
            kind=type(error).__name__,
            error=message,
        )
    return english


Event = RunStarted | StepMetrics | EpochEnd | Finished | Cancelled | Diverged | Failed
# The events that end a run, and the status each leaves it in.
FINAL_STATUS: dict[type, str] = {
    Finished: "finished",
    Cancelled: "stopped",  # older run.json files say "cancelled" (see training.history)
    Diverged: "diverged",
    Failed: "failed",
}
FINAL_EVENTS = tuple(FINAL_STATUS)
EVENT_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (RunStarted, StepMetrics, EpochEnd, Finished, Cancelled, Diverged, Failed)
}


def event_to_dict(event: Event) -> dict[str, Any]:
    """``{"event": "EpochEnd", ...fields}`` for one line of metrics.jsonl."""
    return {"event": type(event).__name__, **asdict(event)}


def event_from_dict(data: object) -> Event | None:
    """The event a metrics line describes; None for unknown or damaged lines.

    Damaged: not an object, a field missing or of the wrong type (see
    :func:`from_plain`); fields a newer version added are ignored.
    """
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        return None
    cls = EVENT_TYPES.get(data["event"])
    if cls is None:
        return None
    try:
        return from_plain(cls, data, int_range=COUNT_RANGE)
    except PlainValueError:
        return None


class PlainValueError(ValueError):
    """A field of plain data (JSON) of the wrong type; the message names the field."""


# What a value of plain data is, or must be, in a message ("must be an object, got text").
TEXT = Message("plain.text", QT_TRANSLATE_NOOP("messages", "text"))
LIST = Message("plain.list", QT_TRANSLATE_NOOP("messages", "a list"))
OBJECT = Message("plain.object", QT_TRANSLATE_NOOP("messages", "an object"))
NUMBER = Message("plain.number", QT_TRANSLATE_NOOP("messages", "a number"))
WHOLE_NUMBER = Message("plain.whole_number", QT_TRANSLATE_NOOP("messages", "a whole number"))
TRUE_OR_FALSE = Message("plain.bool", QT_TRANSLATE_NOOP("messages", "true or false"))


def describe(value: object) -> str:
    """How a JSON value reads in a message: ``text``, ``a list``, ``7``, ``null``…
    (a :class:`Message` where it is words)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = repr(value)
        if len(text) <= 24:
            return text
        return Message(
            "plain.long_number",
            QT_TRANSLATE_NOOP("messages", "a number of {digits:,} digits"),
            digits=len(text),
        )
    if isinstance(value, str):
        return TEXT
    return {list: LIST, dict: OBJECT}.get(type(value), type(value).__name__)


def wrong_field(where: str, expected: str, value: object) -> Message:
    """``where must be expected, got …``: a field of plain data of the wrong type."""
    return Message(
        "plain.wrong",
        QT_TRANSLATE_NOOP("messages", "{where} must be {expected}, got {got}"),
        where=where,
        expected=expected,
        got=describe(value),
    )


def missing_field(where: str) -> Message:
    """``no where``: a field of plain data that must be there."""
    return Message("plain.missing", QT_TRANSLATE_NOOP("messages", "no {field}"), field=where)


def from_plain(
    cls: type[T], data: dict[str, Any], where: str = "", int_range: tuple[int, int] = INT_RANGE
) -> T:
    """A frozen dataclass of plain values from JSON, each field checked against its type.

    Types: ``int`` (not a float, not a bool, within ``int_range``), ``float``
    (any number, NaN and infinities included), ``bool``, ``str``, ``X | None``,
    ``tuple[X, ...]`` (from a list) and such dataclasses (from an object).
    Missing fields take their defaults; unknown keys are ignored (a newer
    version's). :class:`PlainValueError` names the first field that is wrong,
    as ``where.field``.
    """
    values = {}
    for name, check, required in _checked_fields(cls, int_range):
        if name in data:
            values[name] = check(data[name], where + name)
        elif required:
            raise PlainValueError(missing_field(f"{where}{name}"))
    return cls(**values)


Check = Callable[[Any, str], Any]  # (value, where) -> the value to keep; raises if wrong


@functools.cache
def _checked_fields(cls: type, int_range: tuple[int, int]) -> tuple[tuple[str, Check, bool], ...]:
    """Each field's name, its check (made once per class: a metrics file has
    hundreds of thousands of events), and whether it must be given."""
    hints = typing.get_type_hints(cls)
    return tuple(
        (
            f.name,
            _check_for(hints[f.name], int_range),
            f.default is MISSING and f.default_factory is MISSING,
        )
        for f in fields(cls)
    )


def _wrong(where: str, expected: str, value: Any) -> PlainValueError:
    return PlainValueError(wrong_field(where, expected, value))


def _check_for(hint: Any, int_range: tuple[int, int]) -> Check:
    """The check of a value of type ``hint`` (floats made float, lists made tuples)."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]  # only X | None
        check_inner = _check_for(inner, int_range)
        return lambda value, where: None if value is None else check_inner(value, where)
    if origin is tuple:
        check_item = _check_for(typing.get_args(hint)[0], int_range)
        floats = typing.get_args(hint)[0] is float

        def check_list(value: Any, where: str) -> tuple:
            if not isinstance(value, list):
                raise _wrong(where, LIST, value)
            if floats and all(type(v) is float for v in value):
                return tuple(value)  # the common case (per-layer statistics), checked at once
            try:
                return tuple(check_item(v, where) for v in value)
            except PlainValueError:
                # Again, naming each item (``where[3]``) only now that one is wrong:
                # metrics files hold many lists, and naming costs more than checking.
                return tuple(check_item(v, f"{where}[{i}]") for i, v in enumerate(value))

        return check_list
    if hasattr(hint, "__dataclass_fields__"):

        def check_object(value: Any, where: str) -> Any:
            if not isinstance(value, dict):
                raise _wrong(where, OBJECT, value)
            return from_plain(hint, value, where + ".", int_range)

        return check_object
    if hint is int:
        low, high = int_range

        def check_int(value: Any, where: str) -> int:
            if type(value) is int and low <= value <= high:
                return value
            if type(value) is not int:
                raise _wrong(where, WHOLE_NUMBER, value)
            within = Message(
                "plain.whole_number_within",
                QT_TRANSLATE_NOOP("messages", "a whole number from {low:,} to {high:,}"),
                low=low,
                high=high,
            )
            raise _wrong(where, within, value)

        return check_int
    if hint is float:

        def check_float(value: Any, where: str) -> float:
            if type(value) is float:
                return value
            if type(value) is int:
                try:
                    return float(value)
                except OverflowError:  # a whole number of hundreds of digits
                    pass
            raise _wrong(where, NUMBER, value)

        return check_float
    if hint in (bool, str):
        expected = TRUE_OR_FALSE if hint is bool else TEXT

        def check_plain(value: Any, where: str) -> Any:
            if isinstance(value, hint):
                return value
            raise _wrong(where, expected, value)

        return check_plain
    raise TypeError(f"no check for a field of type {hint!r}")  # a programming error
