"""The core's messages in the window's language.

The Qt-free core raises and reports :class:`~resnet_studio.arch.messages.Message`
values: English text that also carries its template and fields. The window shows
them through :func:`shown`, which translates the template (context ``messages``)
and puts the same fields back, so names, kinds, shapes and numbers read exactly as
in English. A plain ``str`` (a message the core has not made translatable yet)
is shown as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from resnet_studio.arch.inference import Problem
from resnet_studio.arch.messages import Message, message_of

translate = QCoreApplication.translate


def shown(message: str) -> str:
    """``message`` in the window's language (English when no translator has it)."""
    if isinstance(message, Message):
        # A field may be a message itself (a project file's field error): shown too.
        fields = {k: shown(v) if isinstance(v, Message) else v for k, v in message.fields.items()}
        return translate("messages", message.template).format(**fields)
    return message


def shown_problem(problem: Problem) -> str:
    """A problem as the problems list shows it: its path, then its message translated.

    The same layout as ``str(problem)``, which the command line prints in English.
    """
    text = shown(problem.message)
    return f"{problem.path}: {text}" if problem.path else text


def shown_error(error: BaseException) -> str:
    """Why ``error`` happened, in the window's language where the core made it a message.

    A refused edit or an unreadable project (``SpecError``, ``EditError``,
    ``ProjectError``) keeps its message in ``message``; any other error raised with
    a :class:`Message` as its one argument (``ReadError``, ``RecipeError``,
    ``DatasetError``…) carries it in ``args``. Anything else is its ``str()``.
    """
    return shown(message_of(error))


def shown_reason(error: BaseException) -> str:
    """:func:`shown_error` on one line (a status bar, a table cell), or the error's
    type when it says nothing."""
    return " ".join(shown_error(error).split()) or type(error).__name__
