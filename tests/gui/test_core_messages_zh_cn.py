"""The Qt-free core's messages in Chinese: shape problems, field errors and refused
edits made by the real code, shown through the window's translator.

In Chinese the words around a message change; every number, shape, field name and
layer name of the English stays exactly as it was, and the English ``str()`` (what
the command line prints) does not change at all.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from resnet_studio.arch import edit
from resnet_studio.arch.inference import infer
from resnet_studio.arch.messages import Message
from resnet_studio.arch.project import ProjectError, project_from_json, project_to_json
from resnet_studio.arch.spec import (
    BatchNorm2d,
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Linear,
    MaxPool2d,
    Network,
    Residual,
    SpecError,
)
from resnet_studio.gui.core_text import shown, shown_error, shown_problem
from tests.gui.translation_sources import ZH_CN_TS, messages

PACKAGE = Path(__file__).resolve().parents[2] / "resnet_studio"
HEAD = (GlobalAvgPool(name="gap"), Flatten(name="flatten"), Linear(name="fc"))


def residual_mismatch() -> str:
    block = Residual(
        name="block",
        shortcut="identity",
        body=(Conv2d(name="conv1", out_channels=32, stride=2), BatchNorm2d(name="bn1")),
    )
    [problem] = infer(Network(input_shape=(16, 32, 32), body=(block, *HEAD))).problems
    return problem.message


def kernel_too_large() -> str:
    conv = Conv2d(name="big_conv", out_channels=8, kernel=7)
    [problem] = infer(Network(input_shape=(3, 4, 4), body=(conv, *HEAD))).problems
    return problem.message


def linear_on_a_map() -> str:
    net = Network(
        input_shape=(3, 8, 8), body=(Conv2d(name="c1", out_channels=4), Linear(name="fc"))
    )
    [problem] = infer(net).problems
    return problem.message


def zero_pad_fewer_channels() -> str:
    block = Residual(name="down", shortcut="zero-pad", body=(Conv2d(name="conv1", out_channels=8),))
    [problem] = infer(Network(input_shape=(16, 32, 32), body=(block, *HEAD))).problems
    return problem.message


def field_error() -> str:
    with pytest.raises(SpecError) as caught:
        Conv2d(name="conv1", out_channels=100_000)
    return caught.value.message


def pool_padding() -> str:
    with pytest.raises(SpecError) as caught:
        MaxPool2d(name="pool", kernel=3, padding=2)
    return caught.value.message


def name_used_twice() -> str:
    with pytest.raises(SpecError) as caught:
        Network(body=(Conv2d(name="conv1", out_channels=8), Conv2d(name="conv1", out_channels=8)))
    return caught.value.message


def refused_edit() -> str:
    net = Network(body=(Conv2d(name="conv1", out_channels=8),))
    with pytest.raises(edit.EditError) as caught:
        edit.locate(net, "no-such-id")
    return caught.value.message


# Each case: how the real code makes the message, and the English it has always had.
CASES = {
    "residual mismatch": (
        residual_mismatch,
        "residual add: body gives 32×16×16, shortcut gives 16×32×32"
        " — use a projection or zero-padded shortcut",
    ),
    "kernel too large": (
        kernel_too_large,
        "kernel 7×7 (span 7) does not fit the input 4×4 with padding 1; use a smaller kernel,"
        " more padding or fewer downsampling layers before it",
    ),
    "linear on a map": (
        linear_on_a_map,
        "Linear needs flat features, but gets 4×8×8; add GlobalAvgPool and Flatten"
        " (or Flatten) before it",
    ),
    "zero-pad fewer channels": (
        zero_pad_fewer_channels,
        "zero-padded shortcut cannot reduce channels (16 → 8); use a projection",
    ),
    "field out of range": (field_error, "must be from 1 to 65,536, got 100,000"),
    "pool padding": (pool_padding, "must be at most half the kernel (1)"),
    "name used twice": (name_used_twice, "'conv1' is used twice in the same block"),
    "refused edit": (refused_edit, "no layer with id 'no-such-id' in the network"),
}

# What must survive translation: numbers (with their grouping), shapes, quoted names,
# layer kinds and names with an underscore or digit.
KEPT = re.compile(r"'[^']*'|\d+(?:[,.×]\d+)*|[A-Z][a-z]+[A-Z0-9]\w*|Linear|Flatten|\w*[_\d]\w*")
# English words are letters only; a name such as Conv2d or GlobalAvgPool is allowed.
WORD = re.compile(r"(?<![\w'])[A-Za-z]{2,}(?![\w'])")
NAMES = {"Linear", "Flatten", "GlobalAvgPool", "Residual", "Repeat", "id", "groups"}


@pytest.mark.parametrize("case", CASES)
def test_english_is_unchanged(case) -> None:
    make, english = CASES[case]
    message = make()
    assert isinstance(message, Message)
    assert str(message) == english
    assert message == english


@pytest.mark.parametrize("case", CASES)
def test_chinese_keeps_every_number_shape_and_name(chinese, case) -> None:
    make, english = CASES[case]
    message = make()
    text = shown(message)
    assert text != english
    assert re.search(r"[\u4e00-\u9fff]", text), text
    for kept in KEPT.findall(english):
        assert kept in text, (kept, text)
    left = [w for w in WORD.findall(re.sub(r"'[^']*'", "", text)) if w not in NAMES]
    assert not left, (left, text)
    assert str(message) == english  # translating for the window leaves the English alone


def test_without_a_translator_the_window_shows_the_english(qapp) -> None:
    message = residual_mismatch()
    assert shown(message) == str(message)
    assert shown("a plain text") == "a plain text"


def test_problem_and_error_helpers(chinese) -> None:
    block = Residual(
        name="block",
        shortcut="identity",
        body=(Conv2d(name="conv1", out_channels=32, stride=2), BatchNorm2d(name="bn1")),
    )
    [problem] = infer(Network(input_shape=(16, 32, 32), body=(block, *HEAD))).problems
    assert str(problem).startswith("block: residual add: body gives")  # the CLI's line
    assert shown_problem(problem) == "block: " + shown(problem.message)
    assert shown_problem(problem) != str(problem)
    with pytest.raises(SpecError) as caught:
        Conv2d(name="conv1", out_channels=100_000)
    assert str(caught.value) == "out_channels: must be from 1 to 65,536, got 100,000"
    assert shown_error(caught.value) == shown(caught.value.message)
    assert "100,000" in shown_error(caught.value) and "must" not in shown_error(caught.value)


def message_templates() -> list[tuple[str, str, int]]:
    """Every ``Message(id, template, ...)`` the package writes: (id, template, line)."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Message":
                if ast.unparse(call) == "Message(id, template, **fields)":
                    continue  # messages.py rebuilding a pickled message from its parts
                where = f"{path.relative_to(PACKAGE)}:{call.lineno}"
                found.append((where, *[ast.unparse(arg) for arg in call.args[:2]]))
    return found


def test_every_message_template_is_marked_and_extracted() -> None:
    templates = message_templates()
    assert len(templates) > 30
    in_ts = {m.source for m in messages(ZH_CN_TS) if m.context == "messages"}
    ids = [message_id for _, message_id, _ in templates]
    assert len(ids) == len(set(ids)), "message ids must be unique"
    for where, _, template in templates:
        marked = ast.parse(template, mode="eval").body
        assert isinstance(marked, ast.Call) and marked.func.id == "QT_TRANSLATE_NOOP", where
        context, text = (ast.literal_eval(arg) for arg in marked.args)
        assert context == "messages", where
        assert text in in_ts, (where, text)


def test_project_file_errors_in_chinese(chinese) -> None:
    """Opening a bad project: the file's name, the field's path and the numbers stay;
    the words around them are Chinese (and the English is what it always was)."""
    good = json.loads(project_to_json(Network(body=(Conv2d(name="conv1", out_channels=8),))))
    good["network"]["body"][0]["out_channels"] = 100_000
    with pytest.raises(ProjectError) as caught:
        project_from_json(json.dumps(good), "my_net.json")
    english = str(caught.value)
    field = "network.body[0].out_channels"
    assert english == f"my_net.json: {field}: must be from 1 to 65,536, got 100,000"
    text = shown_error(caught.value)
    assert text.startswith(f"my_net.json：{field}：") and "must" not in text
    assert "65,536" in text and "100,000" in text and re.search(r"[\u4e00-\u9fff]", text)

    with pytest.raises(ProjectError) as caught:
        project_from_json('{"format": ', "my_net.json")
    assert str(caught.value).startswith("my_net.json: not valid JSON (line 1, column 12: ")
    text = shown_error(caught.value)
    assert text.startswith("my_net.json：不是有效的 JSON（第 1 行，第 12 列：")
    assert str(caught.value).startswith("my_net.json: not valid JSON")  # unchanged by showing
