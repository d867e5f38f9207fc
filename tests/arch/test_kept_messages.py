"""A message kept in a file (why a run failed, in run.json) and read back: the same
message when the file holds what the program wrote, nothing when it does not."""

from __future__ import annotations

import json
import math

import pytest

from resnet_studio.arch.messages import Message, message_from_plain, message_to_plain, text_of
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

INNER = Message("test.inner", QT_TRANSLATE_NOOP("messages", "{path}: no such file"), path="/d/x")
OUTER = Message(
    "test.outer",
    QT_TRANSLATE_NOOP("messages", "{count:,} images, {share:.1%}: {why}"),
    count=12_345,
    share=0.25,
    why=INNER,
)


def kept(message: Message) -> object:
    """What a file holds: the plain data, through JSON."""
    return json.loads(json.dumps(message_to_plain(message)))


def test_a_kept_message_reads_back_with_its_template_and_fields() -> None:
    back = message_from_plain(kept(OUTER), str(OUTER))
    assert isinstance(back, Message) and back == "12,345 images, 25.0%: /d/x: no such file"
    assert back.id == "test.outer" and back.template == OUTER.template
    assert isinstance(back.fields["why"], Message) and back.fields["why"].id == "test.inner"
    assert back.fields["count"] == 12_345


def test_one_that_no_longer_says_the_english_beside_it_is_not_used() -> None:
    # A file edited by hand, or written by a version whose words differ.
    assert message_from_plain(kept(OUTER), "something else") is None


@pytest.mark.parametrize(
    "data",
    [
        {"id": "x", "template": "{x.__class__}", "fields": {"x": 1}},  # attributes
        {"id": "x", "template": "{x[0]}", "fields": {"x": "ab"}},  # indexing
        {"id": "x", "template": "{x:>999999999}", "fields": {"x": 1}},  # a width: memory
        {"id": "x", "template": "{0}", "fields": {}},  # positional
        {"id": "x", "template": "{x}", "fields": {}},  # a field missing
        {"id": "x", "template": "{x}", "fields": {"x": [1]}},  # not plain
        {"id": "x", "template": "{x", "fields": {"x": 1}},  # no template at all
        {"id": "x", "template": "{x}", "fields": {"x": 1}, "more": 1},
        {"id": 7, "template": "{x}", "fields": {"x": 1}},
        "1",
        None,
    ],
)
def test_a_hostile_or_broken_one_is_refused_without_a_traceback(data) -> None:
    assert message_from_plain(data, "1") is None


def test_a_number_json_cannot_hold_is_kept_as_its_text() -> None:
    """run.json must stay JSON: a NaN in it would make the whole run unreadable."""
    loss = Message("test.loss", QT_TRANSLATE_NOOP("messages", "loss became {loss}"), loss=math.nan)
    data = message_to_plain(loss)
    json.dumps(data, allow_nan=False)  # strict JSON, as run.json is read
    assert message_from_plain(data, "loss became nan") == "loss became nan"


def test_nesting_is_bounded() -> None:
    data: dict = {"id": "x", "template": "{x}", "fields": {"x": "1"}}
    for _ in range(10):
        data = {"id": "x", "template": "{x}", "fields": {"x": data}}
    assert message_from_plain(data, "1") is None


def test_text_of_is_the_whole_str_of_an_error() -> None:
    assert text_of(ValueError(INNER)) is INNER  # the message itself, translatable
    assert text_of(ValueError("plain")) == "plain"
    assert text_of(ValueError(INNER, 2)) == str(ValueError(INNER, 2))  # not only the message
