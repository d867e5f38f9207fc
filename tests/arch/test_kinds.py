"""The one home of what kinds are called and what they do."""

from __future__ import annotations

from resnet_studio.arch.blocks import basic_block, plain_block
from resnet_studio.arch.catalogue import ENTRIES, make_node
from resnet_studio.arch.kinds import PLAIN_BLOCK, kind_help, kind_label, relabelled
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import NODE_TYPES, Conv2d, Residual, walk
from resnet_studio.arch.twin import plain_twin


def test_a_residual_without_shortcut_is_a_plain_block() -> None:
    assert kind_label(plain_block(16)) == PLAIN_BLOCK
    assert kind_label(basic_block(16)) == "Residual"
    assert kind_label(Conv2d(name="c", out_channels=4)) == "Conv2d"
    assert "plain networks" in kind_help(plain_block(16))
    assert kind_help(basic_block(16)).startswith("H(x) = F(x) + shortcut(x)")


def test_every_kind_and_every_palette_entry_has_help() -> None:
    for entry in ENTRIES:
        assert kind_help(make_node(entry.key)), entry.key
    for kind, cls in NODE_TYPES.items():
        node = cls(name="n", out_channels=4) if kind == "Conv2d" else cls(name="n")
        assert kind_help(node), kind


def test_the_plain_twin_relabels_exactly_its_blocks() -> None:
    net = preset_network("cifar-resnet20")
    assert relabelled(net) == {}
    twin = plain_twin(net)
    blocks = [n.id for n in walk(twin.body) if isinstance(n, Residual)]
    assert len(blocks) == 3
    assert relabelled(twin) == dict.fromkeys(blocks, PLAIN_BLOCK)
