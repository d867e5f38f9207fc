"""The Experiments tab's colour key of Fig. 6 reads each line's depth from the data,
not from its English label, so it holds in every language and for any run name."""

from __future__ import annotations

import dataclasses

from resnet_studio.figures.comparison import comparison_figure
from resnet_studio.gui.experiment_figures import depth_key
from tests.figures.made_runs import made_run


def test_depth_key_comes_from_the_lines_depths_not_their_labels() -> None:
    runs = [
        made_run("plain56", "cifar-plain56"),
        made_run("resnet20", "cifar-resnet20"),
        made_run("plain20", "cifar-plain20"),
    ]
    figure = comparison_figure(runs, "error", "epochs", by_kind=True)
    key = depth_key(figure)
    assert [depth for depth, _ in key] == ["20", "56"]
    colours = {s.depth: s.colour for panel in figure.panels for s in panel.series}
    assert key == [("20", colours[20]), ("56", colours[56])]

    # Labels in another language, or none at all (the tab draws its lines unnamed):
    # the key is the same.
    relabelled = dataclasses.replace(
        figure,
        panels=tuple(
            dataclasses.replace(
                panel,
                series=tuple(
                    dataclasses.replace(s, label=f"网络（{s.depth} 层）") for s in panel.series
                ),
            )
            for panel in figure.panels
        ),
    )
    assert depth_key(relabelled) == key
    unnamed = dataclasses.replace(
        figure,
        panels=tuple(
            dataclasses.replace(
                panel, series=tuple(dataclasses.replace(s, label="") for s in panel.series)
            )
            for panel in figure.panels
        ),
    )
    assert depth_key(unnamed) == key
