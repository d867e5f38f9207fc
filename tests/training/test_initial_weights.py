"""Runs that start from given weights (fine-tuning): loaded before the first step,
recorded in run.json, refused by name when they do not fit, kept out of resumes."""

from __future__ import annotations

import pytest
import torch

from resnet_studio.model.build import build_model
from resnet_studio.training.engine import Trainer
from resnet_studio.training.launch import RunHandle
from resnet_studio.training.orchestration import (
    CannotStartError,
    InitialWeights,
    TrainRequest,
    prepare_resume,
    prepare_runs,
)
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.runs import read_run
from tests.training.conftest import tiny_network

RECIPE = Recipe(epochs=1, batch_size=64, threads=1, log_every=2)


def given_weights() -> dict[str, torch.Tensor]:
    """Weights of the tiny network unlike any that training would start from (seed 123)."""
    return {k: v.clone() for k, v in build_model(tiny_network(), seed=123).state_dict().items()}


def assert_same(state: dict[str, torch.Tensor], expected: dict[str, torch.Tensor]) -> None:
    assert state.keys() == expected.keys()
    for key, value in expected.items():
        assert torch.equal(state[key].cpu(), value), key


def request_from(weights, source: str, name: str, **options) -> TrainRequest:
    """The tiny network on 256 synthetic images, started from ``weights`` (of ``source``)."""
    return TrainRequest(
        tiny_network(), "synthetic", None, 256, RECIPE, name,
        initial_weights=InitialWeights(weights, source), **options,
    )  # fmt: skip


def test_the_first_step_starts_from_the_given_weights(tiny_data):
    weights = given_weights()
    saved = []

    def save(state: dict) -> None:
        saved.append({k: v.clone() for k, v in state["model"].items()})

    trainer = Trainer(
        tiny_network(),
        tiny_data,
        RECIPE,
        save_checkpoint=save,
        initial_weights=InitialWeights(weights, "/data/given.pt"),
    )
    result = trainer.run()
    assert result.status == "finished"
    # The checkpoint saved before the loop is the starting point: exactly the given weights.
    assert_same(saved[0], weights)
    # And evaluating there is evaluating the loaded model.
    loaded = build_model(tiny_network())
    loaded.load_state_dict(weights)
    again = Trainer(tiny_network(), tiny_data, RECIPE, initial_weights=InitialWeights(weights, "x"))
    again._setup()
    reference = Trainer(tiny_network(), tiny_data, RECIPE)
    reference._setup()
    reference.model.load_state_dict(loaded.state_dict())
    assert again.evaluate()[:2] == reference.evaluate()[:2]


def test_without_weights_a_run_starts_fresh(tiny_data):
    trainer = Trainer(tiny_network(), tiny_data, RECIPE)
    trainer._setup()
    assert not torch.equal(trainer.model.state_dict()["fc.weight"], given_weights()["fc.weight"])


def test_the_record_names_the_weights_and_the_twin_starts_from_scratch(tiny_data, tmp_path):
    weights = given_weights()
    request = request_from(weights, str(tmp_path / "given.pt"), "tuned", with_twin=True)
    tuned, twin = prepare_runs(request, tmp_path / "runs")
    assert_same(tuned.handle._trainer.model.state_dict(), weights)
    twin_state = twin.handle._trainer.model.state_dict()
    assert not torch.equal(twin_state["fc.weight"], weights["fc.weight"])
    assert tuned.handle.run().status == "finished"
    record = read_run(tuned.handle.folder.path)
    assert record.info["initial_weights"] == str(tmp_path / "given.pt")
    assert record.initial_weights == str(tmp_path / "given.pt")
    log = (tuned.handle.folder.path / "log.txt").read_text()
    assert f"from the weights of {tmp_path / 'given.pt'}" in log
    assert "initial_weights" not in read_run(twin.handle.folder.path).info
    assert read_run(twin.handle.folder.path).initial_weights == ""


def test_weights_that_do_not_fit_are_refused_by_key_and_nothing_is_written(tiny_data, tmp_path):
    weights = given_weights()
    del weights["fc.bias"]
    weights["head.weight"] = torch.zeros(2, 2)
    weights["conv1.weight"] = torch.zeros(8, 2, 3, 3)  # neither grey nor colour
    request = request_from(weights, "/data/other.pt", "bad")
    with pytest.raises(CannotStartError) as caught:
        prepare_runs(request, tmp_path / "runs")
    message = str(caught.value)
    assert "\n" not in message
    assert "the weights of /data/other.pt do not fit the network" in message
    assert "1 missing (fc.bias)" in message
    assert "1 unexpected (head.weight)" in message
    assert "conv1.weight: 8×2×3×3 (needs 8×3×3×3)" in message
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_a_long_list_names_the_first_few_keys_only(tiny_data):
    weights = {f"layer{i}.weight": torch.zeros(1) for i in range(10)}
    handle = RunHandle(
        tiny_network(), tiny_data, RECIPE, None, initial_weights=InitialWeights(weights, "w.pt")
    )
    with pytest.raises(CannotStartError) as caught:
        handle.prepare()
    message = str(caught.value)
    assert "10 unexpected (layer0.weight, layer1.weight, layer2.weight, …)" in message
    assert "layer3.weight" not in message


def test_a_resumed_run_continues_from_its_checkpoint_not_the_weights(tiny_data, tmp_path):
    weights = given_weights()
    request = request_from(weights, "/data/given.pt", "tuned")
    (prepared,) = prepare_runs(request, tmp_path / "runs")
    assert prepared.handle.run().status == "finished"
    path = prepared.handle.folder.path
    trained = prepared.handle.folder.read_checkpoint()["model"]
    resumed = prepare_resume(path, recipe=Recipe(epochs=2, batch_size=64, threads=1))
    assert_same(resumed.handle._trainer.model.state_dict(), trained)
    assert resumed.handle.run().status == "finished"
    record = read_run(path)
    assert record.initial_weights == "/data/given.pt"  # still honest about its start
    assert "resuming at iteration" in (path / "log.txt").read_text()


def test_weights_for_other_classes_start_all_but_a_new_classifier(tiny_data, tmp_path):
    # Transfer learning: weights of the same network for 5 classes, data of 10.
    weights = {
        k: v.clone()
        for k, v in build_model(tiny_network().with_input(classes=5), seed=123).state_dict().items()
    }
    request = request_from(weights, "/data/five.pt", "transfer")
    (prepared,) = prepare_runs(request, tmp_path / "runs")
    assert prepared.handle.weights_fit.new_classifier == "fc"
    state = prepared.handle._trainer.model.state_dict()
    fresh = Trainer(tiny_network(), tiny_data, RECIPE)
    fresh._setup()
    for key, value in state.items():
        expected = fresh.model.state_dict()[key] if key.startswith("fc.") else weights[key]
        assert torch.equal(value, expected), key
    assert state["fc.weight"].shape == (10, 8)
    assert prepared.handle.run().status == "finished"
    record = read_run(prepared.handle.folder.path)
    assert record.info["new_classifier"] == "fc" and record.new_classifier == "fc"
    log = (prepared.handle.folder.path / "log.txt").read_text()
    assert "from the weights of /data/five.pt (its classifier fc new" in log


def test_a_run_that_loads_every_layer_records_no_new_classifier(tiny_data, tmp_path):
    request = request_from(given_weights(), "/data/given.pt", "tuned")
    (prepared,) = prepare_runs(request, tmp_path / "runs")
    assert not prepared.handle.weights_fit.new_classifier
    record = read_run(prepared.handle.folder.path)
    assert "new_classifier" not in record.info and record.new_classifier == ""
    assert "adapted_input" not in record.info and record.adapted_input is None
