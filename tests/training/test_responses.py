"""Response std per 3×3 layer (Fig. 7): how it is pooled, the two BN modes, and the run's
responses.json written at the end of training."""

from __future__ import annotations

import json
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnet_studio.training.batches import make_batches
from resnet_studio.training.launch import new_run
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.response_file import (
    DEFAULT_BATCHES,
    RESPONSES_FILE,
    RecordedResponses,
    ResponsesFileError,
    read_responses,
    write_responses,
)
from resnet_studio.training.responses import measure_responses, response_layers
from tests.training.conftest import tiny_network

FAST = dict(batch_size=32, log_every=2, threads=1)


def _tiny_net() -> nn.Sequential:
    """conv3×3 → BN → ReLU → conv3×3 → BN, with trained-looking BN parameters."""
    torch.manual_seed(0)
    net = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.Conv2d(4, 4, 3, padding=1),
        nn.BatchNorm2d(4),
    )
    for bn in (net[1], net[4]):
        bn.weight.data = torch.tensor([0.5, 1.0, 2.0, 3.0])
        bn.bias.data = torch.tensor([-1.0, 0.0, 0.5, 2.0])
        bn.running_mean.data = torch.tensor([0.1, -0.2, 0.3, 0.0])
        bn.running_var.data = torch.tensor([0.5, 2.0, 1.0, 4.0])
    return net


def _batches(*sizes: int, scale: float = 1.0) -> list[tuple[torch.Tensor, torch.Tensor]]:
    g = torch.Generator().manual_seed(1)
    return [(scale * torch.randn(n, 3, 6, 6, generator=g), torch.zeros(n)) for n in sizes]


def _first_response(net: nn.Sequential, x: torch.Tensor, training: bool) -> torch.Tensor:
    bn = net[1]
    return F.batch_norm(
        net[0](x), bn.running_mean, bn.running_var, bn.weight, bn.bias, training, 0.0, bn.eps
    )


def test_eval_mode_is_the_std_of_every_value_of_the_first_batches_as_one_tensor() -> None:
    net = _tiny_net()
    batches = _batches(5, 3, 7) + _batches(4, scale=1000.0)  # the 4th must not count
    measured = measure_responses(net, batches, mode="eval", max_batches=3)
    assert measured.paths == ("0", "3") and measured.batches == 3 and measured.images == 15
    with torch.no_grad():
        first = torch.cat([_first_response(net, x, training=False) for x, _ in batches[:3]])
        second = torch.cat([net.eval()(x) for x, _ in batches[:3]])
    # batches of unequal size, pooled exactly: not a mean of per-batch stds
    assert measured.stds[0] == pytest.approx(first.std(correction=0).item(), rel=1e-6)
    assert measured.stds[1] == pytest.approx(second.std(correction=0).item(), rel=1e-6)
    per_batch = [
        _first_response(net, x, training=False).std(correction=0).item() for x, _ in batches[:3]
    ]
    assert measured.stds[0] != pytest.approx(sum(per_batch) / 3, rel=1e-3)


def test_train_mode_uses_each_batch_s_statistics_and_leaves_the_network_as_it_was() -> None:
    net = _tiny_net()
    net.train()
    net[2].eval()  # a module's own mode is put back too
    before = {k: v.clone() for k, v in net.state_dict().items()}
    batches = _batches(16, 16)
    train = measure_responses(net, batches, mode="train")
    with torch.no_grad():
        expected = torch.cat([_first_response(net, x, training=True) for x, _ in batches])
    assert train.stds[0] == pytest.approx(expected.std(correction=0).item(), rel=1e-6)
    # Each channel is normalised to mean β and std γ: the std of all values is
    # sqrt(mean γ² + var β) = sqrt(3.5625 + 1.171875).
    assert train.stds[0] == pytest.approx(math.sqrt(3.5625 + 1.171875), rel=1e-3)
    eval_ = measure_responses(net, batches, mode="eval")
    assert abs(eval_.stds[0] - train.stds[0]) > 0.1
    for key, value in net.state_dict().items():  # running statistics and batch counts
        assert torch.equal(value, before[key]), key
    assert net.training and net[1].training and not net[2].training


def test_an_unknown_mode_or_no_batches_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        measure_responses(_tiny_net(), _batches(2), mode="test")
    with pytest.raises(ValueError, match="batches"):
        measure_responses(_tiny_net(), _batches(2), max_batches=0)


def test_a_finished_run_records_its_final_responses_in_both_modes(tiny_data, tmp_path) -> None:
    recipe = Recipe(epochs=1, layer_stats=True, amp=False, **FAST)
    handle = new_run(tiny_network(), tiny_data, recipe, tmp_path / "run", name="tiny")
    result = handle.run()
    assert result.status == "finished"
    recorded = read_responses(tmp_path / "run")
    assert recorded.paths == ("conv1", "block.conv1", "block.conv2")
    assert recorded.batches == DEFAULT_BATCHES and recorded.images == 128
    assert recorded.batch_size == 32 and recorded.split == "val"

    # The same definition as measure_responses on the run's validation batches, and as
    # the last epoch's layer statistics (the window's Fig. 7): the final model's.
    val = make_batches(tiny_data, "val", 32, device="cpu", seed=0, train=False)
    for mode in ("eval", "train"):
        direct = measure_responses(result.model, val.epoch(0), mode=mode)
        assert recorded.stds[mode] == pytest.approx(direct.stds, rel=1e-6)
    epoch = {s.path: s.response_std for s in result.history[-1].layer_stats}
    assert [epoch[p] for p in recorded.paths] == pytest.approx(recorded.stds["eval"], rel=1e-6)
    # pooled over several batches, not the first one alone
    first = measure_responses(result.model, val.epoch(0), max_batches=1)
    assert first.stds != pytest.approx(recorded.stds["eval"], rel=1e-4)


def test_a_stopped_run_records_none(tiny_data, tmp_path) -> None:
    handle = new_run(
        tiny_network(), tiny_data, Recipe(epochs=1, **FAST), tmp_path / "run", name="tiny"
    )
    handle.cancel()
    assert handle.run().status == "stopped"
    assert read_responses(tmp_path / "run") is None


def test_a_measurement_that_fails_leaves_the_run_finished(tiny_data, tmp_path, monkeypatch) -> None:
    import resnet_studio.training.responses as responses

    def fails(*args, **kwargs):
        raise ValueError("Expected more than 1 value per channel when training")

    monkeypatch.setattr(responses, "measure_responses", fails)
    handle = new_run(
        tiny_network(), tiny_data, Recipe(epochs=1, **FAST), tmp_path / "run", name="t"
    )
    assert handle.run().status == "finished"
    assert not (tmp_path / "run" / RESPONSES_FILE).exists()
    log = (tmp_path / "run" / "log.txt").read_text()
    assert "response std not recorded: Expected more than 1 value" in log


def test_the_file_round_trips_with_not_a_number_as_null(tmp_path) -> None:
    recorded = RecordedResponses(
        ("conv1", "b.conv1"), {"eval": (0.5, math.nan), "train": (1.0, 2.0)}, "val", 128, 4, 512
    )
    write_responses(tmp_path, recorded)
    data = json.loads((tmp_path / RESPONSES_FILE).read_text())
    assert data["layers"][1] == {"path": "b.conv1", "eval": None, "train": 2.0}
    back = read_responses(tmp_path)
    assert back.paths == recorded.paths and back.stds["train"] == (1.0, 2.0)
    assert back.stds["eval"][0] == 0.5 and math.isnan(back.stds["eval"][1])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"format": "x"}, "not a responses file"),
        ({"images": -1}, "images"),
        ({"layers": {}}, "layers"),
        ({"layers": [{"path": "a", "eval": "big"}]}, "layers[0].eval"),
        ({"layers": [{"path": "a", "eval": 1}, {"path": "b", "train": 1}]}, "layers[1]"),
        ({"layers": [{"path": 3, "eval": 1}]}, "layers[0]"),
    ],
)
def test_a_damaged_file_is_one_line_naming_the_field(tmp_path, change, field) -> None:
    data = {
        "format": "resnet-studio-responses",
        "version": 1,
        "split": "val",
        "batch_size": 128,
        "batches": 4,
        "images": 512,
        "layers": [{"path": "a", "eval": 1.0}],
        **change,
    }
    (tmp_path / RESPONSES_FILE).write_text(json.dumps(data))
    with pytest.raises(ResponsesFileError, match=field.replace("[", r"\[")) as err:
        read_responses(tmp_path)
    assert len(str(err.value).splitlines()) == 1 and RESPONSES_FILE in str(err.value)


def test_response_layers_are_the_3x3_convs_followed_by_batchnorm() -> None:
    net = nn.Sequential(
        nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Conv2d(4, 4, 1), nn.BatchNorm2d(4)
    )
    assert [p for p, _ in response_layers(net)] == ["0"]
