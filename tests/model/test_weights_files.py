"""Reading the weights a run starts from: the program's model files and plain state_dicts
as code in the wild saves them, read as tensors only; and how weights fit a network."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
import torch

from resnet_studio.arch import spec as s
from resnet_studio.model.build import build_model
from resnet_studio.model.export import export_model
from resnet_studio.model.files import ModelFileError
from resnet_studio.model.weights import (
    WeightsMismatchError,
    load_weights,
    network_fit,
    read_weights,
)
from tests.training.conftest import tiny_network


@pytest.fixture(scope="module")
def state() -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in build_model(tiny_network(), seed=7).state_dict().items()}


def assert_same(read: dict[str, torch.Tensor], expected: dict[str, torch.Tensor]) -> None:
    assert list(read) == list(expected)
    for key, value in expected.items():
        assert torch.equal(read[key], value), key


@pytest.mark.parametrize("fmt", ["checkpoint", "torchscript"])
def test_the_programs_model_files(tmp_path: Path, state, fmt: str) -> None:
    model = build_model(tiny_network())
    model.load_state_dict(state)
    path = tmp_path / "model.pt"
    export_model(path, fmt, tiny_network(), model)
    assert_same(read_weights(path), state)


@pytest.mark.parametrize(
    "wrap",
    [
        lambda s: s,
        lambda s: {"state_dict": s, "epoch": 90, "best_acc1": torch.tensor(76.1)},
        lambda s: {"model": s, "optimizer": {"state": {}}, "epoch": 3},  # ours, torchvision's
        lambda s: {"model": {"state_dict": s}},
        lambda s: {f"module.{k}": v for k, v in s.items()},  # saved from DataParallel
        lambda s: {"state_dict": {f"module.{k}": v for k, v in s.items()}},
    ],
    ids=["bare", "state_dict", "model", "nested-twice", "module-prefix", "nested-prefix"],
)
def test_plain_state_dicts_as_saved_in_the_wild(tmp_path: Path, state, wrap) -> None:
    path = tmp_path / "weights.pth"
    torch.save(wrap(state), path)
    assert_same(read_weights(path), state)


class SystemPayload:
    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (os.system, (f"touch {shlex.quote(str(self.target))}",))


def test_a_file_that_holds_code_is_refused_and_nothing_runs(tmp_path: Path, state) -> None:
    target = tmp_path / "pwned"
    path = tmp_path / "weights.pth"
    torch.save({"state_dict": state, "hook": SystemPayload(target)}, path)
    with pytest.raises(ModelFileError, match="refused to load") as caught:
        read_weights(path)
    assert str(caught.value).startswith(str(path))
    assert not target.exists()


@pytest.mark.parametrize(
    ("content", "found"),
    [
        ({"epoch": 3, "lr": 0.1}, "a dict with keys epoch, lr"),
        ({}, "an empty dict"),
        ([torch.zeros(2)], "a list"),
        ({"state_dict": {"a": 1}}, "a dict with keys a"),  # what the nesting holds
    ],
)
def test_no_state_dict_inside_is_said(tmp_path: Path, content, found: str) -> None:
    path = tmp_path / "weights.pt"
    torch.save(content, path)
    with pytest.raises(ModelFileError) as caught:
        read_weights(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: holds no state_dict")
    assert found in message and "\n" not in message


def test_unreadable_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="no such file"):
        read_weights(tmp_path / "missing.pt")
    (tmp_path / "empty.pt").write_bytes(b"")
    with pytest.raises(ModelFileError, match="empty file"):
        read_weights(tmp_path / "empty.pt")
    (tmp_path / "text.pt").write_text("not a tensor file")
    with pytest.raises(ModelFileError, match="not a PyTorch file"):
        read_weights(tmp_path / "text.pt")
    (tmp_path / "net.onnx").write_bytes(b"\x08\x07")
    with pytest.raises(ModelFileError, match="an ONNX file; weights are read from"):
        read_weights(tmp_path / "net.onnx")


def test_the_fit_is_checked_on_shapes_only(state) -> None:
    assert not network_fit(tiny_network(), state).mismatch
    other = tiny_network().with_input((2, 32, 32), 5)
    fit = network_fit(other, state)
    mismatch = fit.mismatch
    # Only what stops them is named: the classifier for 5 classes would start fresh.
    assert [key for key, *_ in mismatch.reshaped] == ["conv1.weight"]
    assert not mismatch.missing and not mismatch.unexpected
    assert str(mismatch) == "1 of another shape (conv1.weight: 8×3×3×3 (needs 8×2×3×3))"
    # Two input channels are neither grey nor colour: the weights cannot start it at all.
    assert not fit.usable and fit.new_classifier is None and fit.first_conv is None


def test_colour_weights_start_a_grey_network_with_their_filters_summed(state) -> None:
    grey = tiny_network().with_input((1, 32, 32), 5)
    fit = network_fit(grey, state)
    assert (
        fit.usable and fit.first_conv == "conv1" and (fit.weights_channels, fit.channels) == (3, 1)
    )
    assert fit.new_classifier == "fc"
    model = build_model(grey, seed=3)
    assert load_weights(model, state, "w.pt") == fit
    # A grey image through the adapted filters is the grey image in all three colours
    # through the original ones (up to the classifier, which is new).
    colour = build_model(tiny_network())
    colour.load_state_dict(state)
    model.eval(), colour.eval()
    x = torch.rand(2, 1, 32, 32)
    with torch.no_grad():  # both are nn.Sequential: [:-1] leaves the classifier out
        ours, theirs = model[:-1](x), colour[:-1](x.repeat(1, 3, 1, 1))
    assert torch.allclose(ours, theirs, atol=1e-5)


def test_a_block_whose_shortcut_sees_the_image_too_is_not_adapted() -> None:
    # A zero-pad shortcut passes the image's channels on: summing the conv's filters
    # alone would not compute what the colour weights do, so they do not fit.
    body = (
        s.Residual(
            name="res",
            body=(s.Conv2d(name="c1", out_channels=8), s.BatchNorm2d(name="bn")),
            shortcut="zero-pad",
        ),
        s.GlobalAvgPool(name="pool"),
        s.Flatten(name="flatten"),
        s.Linear(name="fc"),
    )
    colour = s.Network(name="n", input_shape=(3, 16, 16), classes=10, body=body)
    fit = network_fit(colour.with_input((1, 16, 16)), build_model(colour).state_dict())
    assert not fit.usable and fit.first_conv is None
    assert "res.c1.weight: 8×3×3×3 (needs 8×1×3×3)" in str(fit.mismatch)


def test_grey_weights_start_a_colour_network_with_their_filters_spread(state) -> None:
    grey = tiny_network().with_input((1, 32, 32))
    grey_state = build_model(grey, seed=5).state_dict()
    model = build_model(tiny_network(), seed=3)
    fit = load_weights(model, grey_state, "w.pt")
    assert (fit.first_conv, fit.weights_channels, fit.channels) == ("conv1", 1, 3)
    assert fit.new_classifier is None
    expected = grey_state["conv1.weight"].repeat(1, 3, 1, 1) / 3
    assert torch.allclose(model.state_dict()["conv1.weight"], expected)
    assert torch.equal(model.state_dict()["fc.weight"], grey_state["fc.weight"])


def test_weights_for_another_number_of_classes_start_a_new_classifier(state) -> None:
    fit = network_fit(tiny_network().with_input(classes=5), state)
    assert fit.usable and fit.new_classifier == "fc"
    assert (fit.classes, fit.weights_classes) == (5, 10)
    model = build_model(tiny_network().with_input(classes=5), seed=3)
    fresh = {k: v.clone() for k, v in model.state_dict().items()}
    assert load_weights(model, state, "w.pt").new_classifier == "fc"
    loaded = model.state_dict()
    for key, value in state.items():
        if key.startswith("fc."):
            assert torch.equal(loaded[key], fresh[key]), key  # as the model initialised it
        else:
            assert torch.equal(loaded[key], value), key
    # Everything else must still fit: a missing key anywhere is refused, nothing loaded.
    partial = {k: v for k, v in state.items() if k != "conv1.weight"}
    model = build_model(tiny_network().with_input(classes=5), seed=3)
    with pytest.raises(WeightsMismatchError, match=r"1 missing \(conv1.weight\)"):
        load_weights(model, partial, "w.pt")
    assert all(torch.equal(model.state_dict()[k], v) for k, v in fresh.items())


def test_a_classifier_of_other_inputs_is_not_a_new_classifier(state) -> None:
    wider = {**state, "fc.weight": torch.zeros(10, 16)}  # the layers before it differ
    model = build_model(tiny_network())
    with pytest.raises(WeightsMismatchError, match="fc.weight: 10×16 \\(needs 10×8\\)"):
        load_weights(model, wider, "w.pt")
    assert load_weights(model, state, "w.pt").new_classifier is None  # all, classifier too
    assert torch.equal(model.state_dict()["fc.weight"], state["fc.weight"])
