"""Why a text is not JSON, in words the window can translate.

Python's JSON decoder says what it expected in a short English phrase
(``Expecting ',' delimiter``); there are only a few of them, so each is a
:class:`Message` here and the window shows it in the user's language. A phrase
this table does not know (another Python version's) stays as the decoder wrote it.
"""

from __future__ import annotations

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP


def json_reason(decoder_message: str) -> str:
    """``JSONDecodeError.msg`` as a translatable Message (the same English text)."""
    reasons = (
        Message("json.expecting_value", QT_TRANSLATE_NOOP("messages", "Expecting value")),
        Message(
            "json.expecting_property_name",
            QT_TRANSLATE_NOOP("messages", "Expecting property name enclosed in double quotes"),
        ),
        Message("json.expecting_colon", QT_TRANSLATE_NOOP("messages", "Expecting ':' delimiter")),
        Message("json.expecting_comma", QT_TRANSLATE_NOOP("messages", "Expecting ',' delimiter")),
        Message(
            "json.unterminated_string",
            QT_TRANSLATE_NOOP("messages", "Unterminated string starting at"),
        ),
        Message(
            "json.control_character",
            QT_TRANSLATE_NOOP("messages", "Invalid control character at"),
        ),
        Message("json.escape", QT_TRANSLATE_NOOP("messages", "Invalid \\escape")),
        Message("json.unicode_escape", QT_TRANSLATE_NOOP("messages", "Invalid \\uXXXX escape")),
        Message("json.extra_data", QT_TRANSLATE_NOOP("messages", "Extra data")),
        Message(
            "json.trailing_comma_object",
            QT_TRANSLATE_NOOP("messages", "Illegal trailing comma before end of object"),
        ),
        Message(
            "json.trailing_comma_array",
            QT_TRANSLATE_NOOP("messages", "Illegal trailing comma before end of array"),
        ),
    )
    for reason in reasons:
        if decoder_message == reason:
            return reason
    return decoder_message
