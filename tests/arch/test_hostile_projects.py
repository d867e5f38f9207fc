"""Damaged and hostile project files: each is refused in one line naming the file and field.

Nothing a file holds may hang the reader (a FIFO, /dev/zero), exhaust memory or
recursion, or slip through as a value of another type (``true`` for 1, a name
that ends in a line break, a number of 5,000 digits).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import (
    FORMAT,
    VERSION,
    ProjectError,
    load_project,
    network_to_dict,
    project_from_json,
)
from resnet_studio.arch.spec import (
    MAX_NESTING,
    MAX_NODES,
    Network,
    Repeat,
    Residual,
    SpecError,
)
from resnet_studio.reading import MAX_PROJECT_BYTES


def tiny() -> dict:
    """A small valid network as a dict, every field spelled out."""
    return network_to_dict(preset_network("cifar-resnet20"))


def text_of(network: dict, **top: object) -> str:
    return json.dumps({"format": FORMAT, "version": VERSION, "network": network, **top})


def refusal(text: str) -> str:
    """The one-line ProjectError for ``text``, read as the file net.json."""
    with pytest.raises(ProjectError) as info:
        project_from_json(text, "net.json")
    message = str(info.value)
    assert message.startswith("net.json: "), message
    assert "\n" not in message and len(message) < 1_000, message
    return message


# --- what the path is --------------------------------------------------------------------


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "net.json"
    os.mkfifo(fifo)
    outcome: list[BaseException | object] = []

    def read() -> None:
        try:
            outcome.append(load_project(fifo))
        except BaseException as err:  # noqa: BLE001 - handed to the test thread
            outcome.append(err)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # let the blocked reader go before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(10)
        pytest.fail("reading a FIFO waited for a writer")
    assert isinstance(outcome[0], ProjectError), outcome
    assert str(outcome[0]).startswith(f"{fifo}: not a regular file")


def test_a_device_is_refused_before_reading_it() -> None:
    with pytest.raises(ProjectError, match=r"^/dev/zero: not a regular file"):
        load_project("/dev/zero")


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as f:
        f.truncate(MAX_PROJECT_BYTES + 1)  # sparse: no disk used
    with pytest.raises(ProjectError, match=r"big.json: 16,777,217 bytes, more than a project"):
        load_project(path)


# --- what the JSON holds --------------------------------------------------------------------


def _set(network: dict, path: str, value: object) -> dict:
    """``network`` with the field at ``path`` (``body.3.body.0.name``) set to ``value``."""
    target: object = network
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part) if part.isdigit() else part]  # type: ignore[index]
    target[int(last) if last.isdigit() else last] = value  # type: ignore[index]
    return network


HUGE = "@huge@"  # written into the text as 1 and 5,000 zeros (json.dumps cannot)


def with_huge(text: str) -> str:
    return text.replace(f'"{HUGE}"', "1" + "0" * 5000)


@pytest.mark.parametrize(
    ("field", "value", "fragments"),
    [
        ("classes", HUGE, ["network.classes", "5,001 characters"]),
        ("input_shape.1", HUGE, ["network.input_shape", "5,001 characters"]),
        ("body.0.out_channels", HUGE, ["network.body[0].out_channels", "5,001 characters"]),
        ("name", "net\ud800work", ["network.name", "lone surrogate"]),
        ("name", "net\nwork", ["network.name", "line break"]),
        ("name", "n" * 201, ["network.name", "at most 200 characters"]),
        ("body.0.name", "conv1\n", ["network.body[0].name", "'conv1\\n' is not a valid name"]),
        ("body.0.id", "a\nb", ["network.body[0].id", "control characters"]),
    ],
)
def test_a_wrong_value_names_the_file_and_field(field: str, value: object, fragments) -> None:
    message = refusal(with_huge(text_of(_set(tiny(), field, value))))
    for fragment in fragments:
        assert fragment in message, message


# Every field of every kind, as a path into the network below.
EVERY_FIELD = [
    "name",
    "classes",
    "input_shape.0",
    *(f"body.0.{f}" for f in "kind name id out_channels kernel stride padding dilation".split()),
    "body.0.groups",
    "body.0.bias",
    *(f"body.1.{f}" for f in ("kernel", "stride", "padding")),
    "body.2.negative_slope",
    "body.3.count",
    "body.3.strides_first_only",
    "body.3.body.0.shortcut",
    "body.3.body.0.post_relu",
    "body.3.body.0.pad_placement",
    "body.3.body.0.preactivation",
    "body.4.p",
    "body.5.out_features",
    "body.5.bias",
]


def every_kind() -> dict:
    return {
        "name": "every-kind",
        "input_shape": [3, 32, 32],
        "classes": 10,
        "body": [
            {"kind": "Conv2d", "name": "conv", "id": "c0", "out_channels": 8},
            {"kind": "MaxPool2d", "name": "pool"},
            {"kind": "LeakyReLU", "name": "leaky"},
            {"kind": "Repeat", "name": "stage", "body": [{"kind": "Residual", "name": "block"}]},
            {"kind": "Dropout", "name": "drop"},
            {"kind": "Linear", "name": "fc"},
        ],
    }


def where_of(field: str) -> str:
    """``body.3.body.0.shortcut`` → ``network.body[3].body[0].shortcut``, as errors say it."""
    parts, out, i = field.split("."), "network", 0
    while i < len(parts):
        if parts[i] == "body" and i + 1 < len(parts):
            out, i = out + f".body[{parts[i + 1]}]", i + 2
        elif parts[i].isdigit():  # an item of a list field: the field is named
            i += 1
        else:
            out, i = out + f".{parts[i]}", i + 1
    return out


@pytest.mark.parametrize("field", EVERY_FIELD)
def test_every_field_refuses_a_long_text_by_name_in_one_short_line(field: str) -> None:
    project_from_json(text_of(every_kind()))  # valid as it is
    message = refusal(text_of(_set(every_kind(), field, "x" * 100_000)))
    assert message.startswith(f"net.json: {where_of(field)}: "), message


def test_numbers_that_are_not_json_numbers_name_the_field() -> None:
    base = text_of(_set(tiny(), "body.3.body.0.post_relu", "@"))
    for word in ("NaN", "Infinity", "-Infinity"):
        message = refusal(base.replace('"post_relu": "@"', f'"post_relu": {word}'))
        assert f"network.body[3].body[0].post_relu: expected true or false, got {word}" in message
    slope = {"kind": "LeakyReLU", "name": "leaky", "negative_slope": "@"}
    text = text_of(_set(tiny(), "body.2", slope)).replace('"@"', "NaN")
    assert "network.body[2].negative_slope: expected a number, got NaN" in refusal(text)
    text = text_of(_set(tiny(), "body.2", slope)).replace('"@"', "1e999")
    assert "network.body[2].negative_slope: must be from 0.0 to 1.0, got inf" in refusal(text)


@pytest.mark.parametrize("version", [True, 1.0, HUGE])
def test_the_version_must_be_the_whole_number_1(version: object) -> None:
    message = refusal(with_huge(text_of(tiny(), version=version).replace('"version": 1, ', "", 1)))
    assert "project format version" in message and "is not supported" in message


def test_odd_keys_are_named_in_one_short_line() -> None:
    network = tiny()
    network["body"][0]["a\nb" * 1000] = 1
    message = refusal(text_of(network))
    assert "network.body[0]['a\\nb" in message and "unknown field" in message


def test_a_huge_value_is_cut_short_in_the_message() -> None:
    message = refusal(text_of(_set(tiny(), "body.0.kernel", "k" * 1_000_000)))
    assert "network.body[0].kernel: expected a whole number, got 'kkk" in message


# --- nesting --------------------------------------------------------------------------------


def _nested(levels: int, kind: str, siblings: int = 1) -> dict:
    """A network whose body holds ``levels`` containers of ``kind``, one in another."""
    node: dict = {"kind": "ReLU", "name": "r"}
    for _ in range(levels):
        body = [node] + [{"kind": "ReLU", "name": f"s{i}"} for i in range(1, siblings)]
        node = {"kind": kind, "name": "b", "body": body}
        if kind == "Repeat":
            node["count"] = 1
    return {"input_shape": [3, 8, 8], "body": [node]}


@pytest.mark.parametrize(
    ("kind", "siblings", "parts_per_level"),
    [("Residual", 1, 1), ("Repeat", 1, 1), ("Repeat", 2, 2)],
    ids=["residual", "repeat-of-one", "repeat-of-two"],
)
def test_nesting_is_refused_past_the_limit_and_read_up_to_it(
    kind: str, siblings: int, parts_per_level: int
) -> None:
    # The innermost ReLU's path has one part per level, plus its own.
    deepest = (MAX_NESTING - 1) // parts_per_level
    network = project_from_json(text_of(_nested(deepest, kind, siblings)))
    assert network.body
    message = refusal(text_of(_nested(deepest + 1, kind, siblings)))
    assert "nested too deeply" in message and f"the {MAX_NESTING} allowed" in message
    assert "network.body[0].body[0]" in message  # where it goes too deep


def test_the_spec_refuses_a_network_nested_too_deeply_however_it_is_made() -> None:
    node = Repeat(name="b", count=1, body=())
    for _ in range(MAX_NESTING):
        node = Residual(name="b", body=(node,))
    with pytest.raises(SpecError, match="nested too deeply") as info:
        Network(body=(node,))
    assert info.value.where == "body"
    assert "65 parts" in str(info.value)


def test_a_network_of_more_layers_than_a_canvas_can_draw_is_refused() -> None:
    relus = [{"kind": "ReLU", "name": f"r{i}"} for i in range(MAX_NODES + 1)]
    message = refusal(text_of({"input_shape": [3, 8, 8], "body": relus}))
    assert f"network.body: {MAX_NODES + 1:,} layers and blocks, more than the" in message
    many = [{"kind": "ReLU", "name": f"r{i}"} for i in range(MAX_NODES - 1)]
    deep = {
        "kind": "Repeat",
        "name": "stage",
        "count": 1000,
        "body": [{"kind": "ReLU", "name": "x"}],
    }
    assert project_from_json(text_of({"input_shape": [3, 8, 8], "body": [*many[:-1], deep]}))
