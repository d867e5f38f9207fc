"""Layers on the clipboard: what Copy writes, what Paste accepts and what it leaves alone."""

from __future__ import annotations

import json

import pytest

from resnet_studio.arch.clipboard import CLIPBOARD_KEY, copy_text, paste_nodes
from resnet_studio.arch.edit import EditError
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import walk


def test_copied_layers_paste_back_with_new_ids() -> None:
    net = preset_network("cifar-resnet20")
    copied = [net.body[0], net.body[3]]
    text = copy_text(copied)
    assert [d["name"] for d in json.loads(text)[CLIPBOARD_KEY]] == ["conv1", "layer1"]
    pasted = paste_nodes(text)
    assert [n.name for n in pasted] == ["conv1", "layer1"]
    assert pasted[1].count == copied[1].count
    old, new = {n.id for n in walk(tuple(copied))}, {n.id for n in walk(tuple(pasted))}
    assert len(new) == len(old) and not old & new


@pytest.mark.parametrize(
    "text",
    [
        "not layers",
        '{"kind": "Conv2d"}',
        '[{"kind": "ReLU", "name": "r"}]',
        f"a note about {CLIPBOARD_KEY}",
        f'{{"{CLIPBOARD_KEY}": "conv"}}',
        f'[{{"{CLIPBOARD_KEY}": []}}]',
        # Nested far past any network: refused before the parser recurses (no RecursionError).
        f'{{"{CLIPBOARD_KEY}": ' + "[" * 100_000 + "]" * 100_000 + "}",
    ],
)
def test_anyone_elses_text_pastes_nothing(text: str) -> None:
    assert paste_nodes(text) == []


def test_our_text_with_a_bad_layer_names_it() -> None:
    text = json.dumps({CLIPBOARD_KEY: [{"kind": "Conv2d", "name": "c", "out_channels": 0}]})
    with pytest.raises(EditError, match=r"clipboard\[0\]\.out_channels"):
        paste_nodes(text)
