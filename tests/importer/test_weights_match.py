"""Weights-only state_dicts are recognised by their key names and shapes: the presets'
own, torchvision's, wrapped or prefixed, with another class count or input channels;
what fits nothing is reported against the closest preset."""

from __future__ import annotations

import time

import pytest
import torch
import torchvision

from resnet_studio.arch.presets import PRESETS, preset_network
from resnet_studio.importer.api import import_path, import_weights
from resnet_studio.importer.errors import SourceError
from resnet_studio.importer.sources import WeightsFile, unwrap_weights
from resnet_studio.importer.weights_match import layout, match_weights, preset_layout


def _meta_state(shapes: dict[str, tuple[int, ...]]) -> dict[str, torch.Tensor]:
    """Tensors of these shapes without memory: matching reads only names and shapes."""
    return {key: torch.empty(shape, device="meta") for key, shape in shapes.items()}


def test_every_preset_matches_its_own_weights() -> None:
    for key in PRESETS:
        found = match_weights(_meta_state(preset_layout(key).shapes))
        assert found.match.matched, key
        # Presets whose layers with weights are the same (a plain CIFAR net and its
        # ResNet with zero-padded shortcuts, which hold none) fit each other's weights.
        fits = [found.network.name, *(c.removeprefix("preset ") for c in found.match.also)]
        assert key in fits, (key, fits)


def test_the_plain_twin_is_named_as_also_fitting() -> None:
    found = match_weights(_meta_state(preset_layout("cifar-plain20").shapes))
    assert found.network.name == "cifar-resnet20"
    assert found.match.also == ("preset cifar-plain20",)
    assert any("also fit preset cifar-plain20" in line for line in found.match.lines())


def test_layouts_are_built_once_per_preset() -> None:
    preset_layout("resnet50")
    started = time.perf_counter()
    again = preset_layout("resnet50")
    assert time.perf_counter() - started < 0.01
    assert again is preset_layout("resnet50")
    assert "fc.weight" in again.shapes and again.shapes["fc.weight"] == (1000, 2048)
    assert again.first_conv == "conv1.weight" and again.classifier == ("fc.weight", "fc.bias")


def test_torchvision_weights_wrapped_and_prefixed_with_other_classes_are_adapted() -> None:
    state = torchvision.models.resnet34(num_classes=7).state_dict()
    data = {"epoch": 3, "model": {f"module.{k}": v for k, v in state.items()}}
    weights = unwrap_weights(data, "r34.pth")
    assert (weights.wrapper, weights.prefix) == ("model", "module.")
    result = import_weights(weights, (3, 96, 96), source="r34.pth")
    report = result.report
    assert report.exact, report.lines()
    assert result.network.name == "resnet34" and result.network.classes == 7
    assert result.network.input_shape == (3, 96, 96)
    assert result.state_dict is weights.state
    lines = report.lines()
    assert lines[0] == "r34.pth (input 3×96×96): weights of preset resnet34, opened with them"
    assert "  adapted: 7 classes (the preset has 1,000)" in lines
    assert "  'module.' removed from every key" in lines
    assert "  the weights are the file's 'model' entry" in lines


def test_grey_input_channels_are_adapted_at_the_preset_size() -> None:
    network = preset_network("cifar-resnet20", input_shape=(1, 32, 32), classes=10)
    found = match_weights(_meta_state(layout(network).shapes))
    assert found.network.input_shape == (1, 32, 32)
    assert found.match.adapted == ("1 input channels (the preset takes 3)",)


def test_the_open_network_is_tried_first() -> None:
    current = preset_network("cifar-resnet20", classes=10, width=0.5)
    found = match_weights(_meta_state(layout(current).shapes), current=current)
    assert found.network is current and found.match.candidate == "the network open now"


def test_weights_that_fit_nothing_name_the_closest_preset_and_what_differs() -> None:
    state = torchvision.models.resnet18().state_dict()
    del state["fc.bias"]
    state["layer1.0.conv1.weight"] = torch.zeros(64, 64, 1, 1)
    for i in range(7):
        state[f"extra.{i}"] = torch.zeros(1)
    result = import_weights(WeightsFile(state), source="odd.pth")
    report = result.report
    assert result.network is None and result.state_dict is None and not report.exact
    lines = report.lines()
    assert lines[0] == (
        "odd.pth: not imported: the weights fit no preset; the closest is preset resnet18 "
        "(120 of its 122 keys)"
    )
    assert "  missing from the file (1 keys):" in lines and "    fc.bias" in lines
    assert "    layer1.0.conv1.weight: 64×64×1×1 in the file, 64×64×3×3 in the preset" in lines
    at = lines.index("  not in the preset (7 keys):")
    assert lines[at + 1 : at + 7] == [*(f"    extra.{i}" for i in range(5)), "    … and 2 more"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"epoch": 3}, "not a state_dict"),
        ([torch.zeros(1)], "not a state_dict"),
        ({}, "not a state_dict"),
    ],
)
def test_what_is_no_state_dict_is_one_line(tmp_path, data, fragment) -> None:
    path = tmp_path / "x.pth"
    torch.save(data, path)
    with pytest.raises(SourceError, match=fragment):
        import_path(path)
