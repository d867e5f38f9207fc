"""The importer's reports in Chinese: every line with words, every reason and note is a
message the window translates; the names, numbers and shapes in it stay as they were,
and the English (what ``resnet-studio import`` prints) does not change."""

from __future__ import annotations

import re

import pytest
import torch
from torch import nn

from resnet_studio.arch.messages import Message
from resnet_studio.gui.core_text import shown, shown_error
from resnet_studio.importer.api import import_module
from resnet_studio.importer.errors import SourceError
from tests.importer import user_models as u

CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"(?<![\w.'])[A-Za-z]{2,}(?![\w'(])")
# Names the Chinese keeps: layer kinds, PyTorch's own words and settings.
NAMES = {
    "Residual",
    "BatchNorm",
    "ReLU",
    "ReLU6",
    "Linear",
    "PyTorch",
    "state_dict",
    "dropout",
    "eps",
}


class LoneConv(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.proj = nn.Conv2d(3, 8, 1, bias=False)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.conv(x) + self.proj(x))


def renamed_with_a_note() -> list[str]:
    model = u.CifarResNet(n=1, option="B", width=4)
    model.bn1.momentum = 0.01
    return import_module(model, (3, 16, 16), source="cifar").report.lines(mapping=True)


def squeeze_excite() -> list[str]:
    return import_module(u.SqueezeExcite(), (3, 16, 16)).report.lines()


def zero_channels_before() -> list[str]:
    return import_module(u.CifarResNet(n=1, option="A-front"), (3, 32, 32)).report.lines()


def settings_without_a_field() -> list[str]:
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3),
        nn.BatchNorm2d(4, eps=1e-3),
        nn.Hardtanh(-1.0, 1.0),
        nn.AvgPool2d(2, divisor_override=3),
        nn.AdaptiveAvgPool2d((2, 3)),
        nn.Flatten(),
        nn.Linear(24, 2),
    )
    return import_module(model, (3, 10, 10)).report.lines()


def shared_weights_and_lone_conv() -> list[str]:
    return (
        import_module(u.SharedConv(), (3, 8, 8)).report.lines()
        + import_module(LoneConv(), (3, 8, 8)).report.lines()
    )


REPORTS = {
    "renamed weights, a note, the mapping": renamed_with_a_note,
    "sigmoid and a product": squeeze_excite,
    "zero channels before": zero_channels_before,
    "settings without a field": settings_without_a_field,
    "shared weights, a lone conv shortcut": shared_weights_and_lone_conv,
}


def field_values(message: Message) -> list[str]:
    """Every field's text, those of messages inside it too."""
    out = []
    for value in message.fields.values():
        if isinstance(value, Message):
            out += field_values(value)
        else:
            out.append(format(value, ",") if isinstance(value, int) else str(value))
    return out


@pytest.mark.parametrize("case", REPORTS)
def test_every_report_line_with_words_is_a_message(case) -> None:
    for line in REPORTS[case]():
        if not isinstance(line, Message):  # "    conv -> downsample.0": names only
            assert not WORD.findall(re.sub(r"\S*[._]\S*", "", line.replace("->", ""))), line


@pytest.mark.parametrize("case", REPORTS)
def test_chinese_report_keeps_every_name_and_number(chinese, case) -> None:
    lines = REPORTS[case]()
    english = [str(line) for line in lines]
    for line in lines:
        if not isinstance(line, Message):
            continue
        text = shown(line)
        rest, own = text, str(line)
        for value in sorted(field_values(line), key=len, reverse=True):
            assert value in text, (value, text)
            rest, own = rest.replace(value, ""), own.replace(value, "")
        if WORD.findall(own):  # words of its own, not only names: translated
            assert CJK.search(text), text
        left = [w for w in WORD.findall(rest) if w not in NAMES]
        assert not left, (left, text)
    assert [str(line) for line in lines] == english  # the English is left alone


def test_the_report_reads_in_chinese(chinese) -> None:
    text = "\n".join(shown(line) for line in zero_channels_before())
    assert "未导入：2 个操作无法表达" in text
    assert "layer2.0.add_1（operator.add）：它的补零捷径在输入通道之前补 16 个零通道" in text


def test_a_model_that_fails_is_one_translated_line(chinese) -> None:
    with pytest.raises(SourceError) as caught:
        import_module(nn.Conv2d(1, 2, 3), (3, 8, 8))
    english = str(caught.value)
    assert english.startswith("the model fails on an input of shape (2, 3, 8, 8) (RuntimeError")
    text = shown_error(caught.value)
    assert text.startswith("该模型在形状为 (2, 3, 8, 8) 的输入上运行失败（RuntimeError：")
