"""Fig. 6 as data: panels by kind paired by depth, seeds averaged, training smoothed."""

from __future__ import annotations

import pytest

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.twin import plain_twin
from resnet_studio.figures.comparison import (
    CAPTION,
    comparison_figure,
    is_residual,
    network_depth,
    seed_groups,
)
from resnet_studio.figures.curves import smooth
from resnet_studio.figures.style import run_colour
from tests.figures.made_runs import made_run


def test_residual_or_plain_by_the_shortcuts_and_depth_by_weighted_layers() -> None:
    resnet = preset_network("cifar-resnet56")
    assert is_residual(resnet) and not is_residual(plain_twin(resnet))
    assert not is_residual(preset_network("cifar-plain20"))
    assert not is_residual(preset_network("vgg19"))  # no residual blocks at all
    assert network_depth(resnet) == 56 and network_depth(preset_network("cifar-plain20")) == 20
    assert network_depth(preset_network("resnet50")) == 50


def test_one_panel_one_colour_per_run_training_dashed_validation_labelled() -> None:
    runs = [made_run("a", "cifar-resnet20"), made_run("b", "cifar-plain20")]
    figure = comparison_figure(runs, "error", "epochs")
    assert len(figure.panels) == 1 and figure.caption == CAPTION
    assert (figure.x_label, figure.y_label) == ("epoch", "error (%)")
    series = figure.panels[0].series
    assert [(s.label, s.colour, s.dashed, s.markers) for s in series] == [
        ("", run_colour(0), True, False),
        ("a", run_colour(0), False, True),
        ("", run_colour(1), True, False),
        ("b", run_colour(1), False, True),
    ]
    assert series[1].y.tolist() == pytest.approx([85, 65, 55])  # validation, in percent
    assert len(series[0].x) == 12  # training from the denser step reports


def test_panels_put_plain_left_residual_right_with_one_colour_per_depth() -> None:
    runs = [
        made_run("resnet56", "cifar-resnet56"),
        made_run("plain20", "cifar-plain20"),
        made_run("resnet20", "cifar-resnet20"),
        made_run("plain56", "cifar-plain56"),
        made_run("plain32", "cifar-plain32"),
    ]
    figure = comparison_figure(runs, "loss", "iterations", by_kind=True)
    plain, residual = figure.panels
    assert (plain.title, residual.title) == ("plain", "ResNet")
    assert figure.y_label == "loss" and figure.x_label == "iteration"

    def labelled(panel):
        return [(s.label, s.colour) for s in panel.series if s.label]

    # Ordered by depth; colours by depth across both panels: 20, 32, 56.
    assert labelled(plain) == [
        ("plain20 (20 layers)", run_colour(0)),
        ("plain32 (32 layers)", run_colour(1)),
        ("plain56 (56 layers)", run_colour(2)),
    ]
    assert labelled(residual) == [
        ("resnet20 (20 layers)", run_colour(0)),
        ("resnet56 (56 layers)", run_colour(2)),
    ]
    # Each run's training line beside its validation line, in the same colour.
    assert [s.dashed for s in residual.series] == [True, False, True, False]
    assert residual.series[0].colour == residual.series[1].colour


def test_seeds_of_one_setting_become_one_line_with_a_band() -> None:
    seeds = [
        made_run("r20-s0", "cifar-resnet20", 0, (0.8, 0.6, 0.4), mean=0.49),
        made_run("r20-s1", "cifar-resnet20", 1, (0.6, 0.4, 0.2), mean=0.51),
    ]
    other_lr = made_run("r20-lr", "cifar-resnet20", 2, lr=0.01)
    assert seed_groups([seeds[0], other_lr, seeds[1]]) == [[seeds[0], seeds[1]], [other_lr]]

    figure = comparison_figure([*seeds, other_lr], group_seeds=True)
    train, val, *rest = figure.panels[0].series
    assert len(rest) == 2 and rest[1].spread is None  # the other setting: a line of its own
    assert val.label == "r20-s0 (mean ± std of 2 runs)"
    assert val.y.tolist() == pytest.approx([75, 55, 35])
    assert val.spread.tolist() == pytest.approx([20 / 2**0.5] * 3)
    assert train.spread is not None and len(train.x) == 12

    without = comparison_figure([*seeds, other_lr])
    assert len(without.panels[0].series) == 6 and all(
        s.spread is None for s in without.panels[0].series
    )


def test_smoothing_changes_training_curves_only() -> None:
    run = made_run("a", "cifar-resnet20", train=(0.9, 0.1, 0.9))
    plain = comparison_figure([run], x_axis="iterations").panels[0].series
    smoothed = comparison_figure([run], x_axis="iterations", smoothing=0.8).panels[0].series
    assert smoothed[0].y.tolist() == pytest.approx(smooth(plain[0].y, 0.8).tolist())
    assert smoothed[0].y.tolist() != pytest.approx(plain[0].y.tolist())
    assert smoothed[1].y.tolist() == plain[1].y.tolist()  # validation as measured
