"""The layer statistics panel: Fig. 7 curves of a residual run next to its plain twin."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from resnet_studio.gui.layer_stats import GRAD_NORM, POLL_MS, RESPONSE_STD, LayerStatsPanel
from resnet_studio.gui.on_screen import on_screen
from resnet_studio.gui.runs_model import RunEntry, RunsModel
from resnet_studio.training.events import EpochEnd, LayerStat
from resnet_studio.training.history import RunHistory
from tests.gui.conftest import tabbed_docks

PATHS = ("conv1", "layer1.0.conv1", "layer1.0.conv2", "layer1.0.shortcut.0", "fc")


def epoch_end(epoch: int, scale: float) -> EpochEnd:
    """An epoch whose 3×3 layers respond with ``scale`` × (1, 3, 2); 1×1 and fc have no response."""
    responses = (1.0, 3.0, 2.0, None, None)
    grads = (0.01, 0.1, 1.0, 10.0, 100.0)
    stats = tuple(
        LayerStat(path, grad * epoch, None if r is None else r * scale * epoch)
        for path, grad, r in zip(PATHS, grads, responses, strict=True)
    )
    return EpochEnd(epoch, epoch * 10, 1.0, 0.5, 1.0, 0.5, 0.1, 1.0, 100.0, stats)


def run_entry(name: str, colour: str, epochs: list[EpochEnd]) -> RunEntry:
    return RunEntry(
        name=name,
        network=name,
        data="synthetic",
        device="cpu",
        status="finished",
        total_epochs=len(epochs),
        group="g1",
        colour=colour,
        history=RunHistory(list(epochs)),
        version=len(epochs),
    )


def add_epoch(entry: RunEntry, epoch: EpochEnd) -> None:
    entry.apply(epoch)  # bumps the version, as the live model does


@pytest.fixture
def panel(qtbot) -> LayerStatsPanel:
    widget = LayerStatsPanel()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    return widget


@pytest.fixture
def pair() -> tuple[RunEntry, RunEntry]:
    residual = run_entry("resnet", "#1f77b4", [epoch_end(1, 1.0), epoch_end(2, 1.0)])
    plain = run_entry("plain", "#d62728", [epoch_end(1, 2.0), epoch_end(2, 2.0)])
    return residual, plain


def test_one_curve_per_run_with_response_std(panel, pair) -> None:
    residual, plain = pair
    panel.show_runs([residual, plain])
    assert panel.message() == ""
    assert panel.current_metric() == RESPONSE_STD
    assert panel.legend_names() == ["resnet", "plain"]
    # Only the three 3×3 layers have a response; the latest epoch (2) is shown.
    x, y = panel.plotted(residual)
    np.testing.assert_array_equal(x, [1, 2, 3])
    np.testing.assert_allclose(y, [2.0, 6.0, 4.0])
    x, y = panel.plotted(plain)
    np.testing.assert_array_equal(x, [1, 2, 3])
    np.testing.assert_allclose(y, [4.0, 12.0, 8.0])
    assert panel.plotted_paths(residual) == ["conv1", "layer1.0.conv1", "layer1.0.conv2"]
    assert not panel.log_scale()


def test_gradient_norm_uses_every_weight_and_a_log_axis(panel, pair) -> None:
    residual, plain = pair
    panel.show_runs([residual, plain])
    panel.metric_box.setCurrentIndex(panel.metric_box.findData(GRAD_NORM))
    x, y = panel.plotted(residual)
    np.testing.assert_array_equal(x, [1, 2, 3, 4, 5])
    np.testing.assert_allclose(y, [0.02, 0.2, 2.0, 20.0, 200.0])
    assert panel.plotted_paths(residual) == list(PATHS)
    assert panel.log_scale()
    assert "gradient norm" in panel.plot_widget.getPlotItem().getAxis("left").labelText
    panel.set_metric(RESPONSE_STD)
    assert not panel.log_scale()
    assert len(panel.plotted(residual)[1]) == 3


def test_sorted_order_is_descending_and_keeps_the_paths(panel, pair) -> None:
    residual, plain = pair
    panel.show_runs([residual, plain])
    panel.sorted_box.setChecked(True)
    x, y = panel.plotted(plain)
    np.testing.assert_array_equal(x, [1, 2, 3])
    np.testing.assert_allclose(y, [12.0, 8.0, 4.0])
    assert panel.plotted_paths(plain) == ["layer1.0.conv1", "layer1.0.conv2", "conv1"]
    assert panel.hover_text(plain, 0) == "layer1.0.conv1\nresponse std: 12"
    panel.sorted_box.setChecked(False)
    np.testing.assert_allclose(panel.plotted(plain)[1], [4.0, 12.0, 8.0])


def hover(qtbot, panel: LayerStatsPanel, entry: RunEntry, index: int) -> str:
    """Move the mouse onto a drawn point; the plot's tool tip then. The move is made
    again until the tip shows: after a change of metric the view settles its range in
    later events, and a point mapped before that lands elsewhere."""
    view = panel.plot_widget
    plot = view.getPlotItem()

    def move_onto_point() -> bool:
        QApplication.processEvents()  # let the view settle its range before mapping
        x, y = panel.plotted(entry)
        if panel.log_scale():
            y = np.log10(y)
        at = view.mapFromScene(plot.vb.mapViewToScene(QPointF(x[index], y[index])))
        viewport = view.viewport()
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(at),
            QPointF(viewport.mapToGlobal(at)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, move)
        return plot.vb.toolTip() != ""

    qtbot.waitUntil(move_onto_point, timeout=5000)
    return plot.vb.toolTip()


def test_hover_names_the_layer_and_value(qtbot, panel, pair) -> None:
    residual, _plain = pair
    panel.show()
    panel.show_runs([residual])
    qtbot.waitExposed(panel)
    assert hover(qtbot, panel, residual, 1) == "layer1.0.conv1\nresponse std: 6"
    assert panel.hover_text(residual, 1) == "layer1.0.conv1\nresponse std: 6"
    panel.set_metric(GRAD_NORM)
    assert hover(qtbot, panel, residual, 3) == "layer1.0.shortcut.0\ngrad norm: 20"


def test_epoch_choice_sticks_and_latest_follows_new_epochs(panel, pair) -> None:
    residual, plain = pair
    panel.show_runs([residual, plain])
    assert panel.epoch_box.value() == 2 and panel.following_latest()
    assert panel.epoch_box.minimum() == 1 and panel.epoch_box.maximum() == 2

    panel.set_epoch(1)
    assert not panel.following_latest()
    np.testing.assert_allclose(panel.plotted(residual)[1], [1.0, 3.0, 2.0])
    assert panel.plotted_epoch(plain) == 1

    # A new epoch arrives: an earlier choice stays put.
    add_epoch(residual, epoch_end(3, 1.0))
    add_epoch(plain, epoch_end(3, 2.0))
    panel.refresh()
    assert panel.epoch_box.value() == 1
    assert panel.epoch_box.maximum() == 3
    assert panel.plotted_epoch(residual) == 1

    # Back at the latest, it follows again.
    panel.set_epoch(3)
    assert panel.following_latest()
    np.testing.assert_allclose(panel.plotted(residual)[1], [3.0, 9.0, 6.0])
    add_epoch(residual, epoch_end(4, 1.0))
    add_epoch(plain, epoch_end(4, 2.0))
    panel.refresh()
    assert panel.epoch_box.value() == 4
    np.testing.assert_allclose(panel.plotted(plain)[1], [8.0, 24.0, 16.0])


def test_the_timer_redraws_when_a_run_changes(qtbot, panel, pair) -> None:
    residual, plain = pair
    panel.show()
    panel.show_runs([residual, plain])
    add_epoch(residual, epoch_end(3, 1.0))
    qtbot.waitUntil(lambda: panel.plotted_epoch(residual) == 3, timeout=3000)


def test_refresh_is_cheap_when_nothing_changed(panel, pair, monkeypatch) -> None:
    residual, plain = pair
    panel.show_runs([residual, plain])
    redraws = []
    original = panel._redraw
    monkeypatch.setattr(panel, "_redraw", lambda: (redraws.append(1), original()))
    panel.refresh()
    panel.refresh()
    assert redraws == []
    add_epoch(plain, epoch_end(3, 2.0))
    panel.refresh()
    assert redraws == [1]


def test_runs_at_different_epochs(panel) -> None:
    residual = run_entry("resnet", "#1f77b4", [epoch_end(1, 1.0), epoch_end(2, 1.0)])
    plain = run_entry("plain", "#d62728", [epoch_end(1, 2.0)])  # started later
    panel.show_runs([residual, plain])
    # Following the latest, each run shows its own latest epoch, and the legend says which.
    assert panel.plotted_epoch(residual) == 2
    assert panel.plotted_epoch(plain) == 1
    assert panel.legend_names() == ["resnet (epoch 2)", "plain (epoch 1)"]
    assert panel.note() == ""
    # A chosen epoch shows every run at that epoch.
    panel.set_epoch(1)
    assert panel.plotted_epoch(plain) == 1 and panel.plotted_epoch(residual) == 1
    assert panel.legend_names() == ["resnet", "plain"]


def test_a_run_lacking_the_chosen_epoch_is_noted(panel) -> None:
    residual = run_entry("resnet", "#1f77b4", [epoch_end(e, 1.0) for e in (1, 2, 3)])
    plain = run_entry("plain", "#d62728", [epoch_end(1, 2.0), epoch_end(3, 2.0)])
    panel.show_runs([residual, plain])
    panel.set_epoch(2)
    assert panel.plotted_epoch(residual) == 2
    assert panel.plotted(plain) is None
    assert "plain" in panel.note() and "2" in panel.note()


def test_empty_states_show_messages(panel, pair) -> None:
    assert "Select a run" in panel.message()
    assert not panel.save_button.isEnabled()

    bare = run_entry("bare", "#1f77b4", [])
    panel.show_runs([bare])
    assert "No layer statistics yet" in panel.message()
    assert "Record layer statistics" in panel.message()

    # Epochs without statistics (the box was not ticked) are no better.
    no_stats = EpochEnd(1, 10, 1.0, 0.5, 1.0, 0.5, 0.1, 1.0, 100.0)
    add_epoch(bare, no_stats)
    panel.refresh()
    assert "No layer statistics yet" in panel.message()
    assert panel.plotted(bare) is None
    assert not panel.epoch_box.isEnabled()

    add_epoch(bare, epoch_end(2, 1.0))
    panel.refresh()
    assert panel.message() == ""
    assert panel.save_button.isEnabled()
    assert len(panel.plotted(bare)[0]) == 3

    panel.show_runs([])
    assert "Select a run" in panel.message()


def test_no_responses_without_batchnorm(panel) -> None:
    stats = (LayerStat("conv1", 0.5, None), LayerStat("fc", 1.0, None))
    entry = run_entry("no-bn", "#1f77b4", [EpochEnd(1, 10, 1, 0.5, 1, 0.5, 0.1, 1, 100, stats)])
    panel.show_runs([entry])
    assert "BatchNorm" in panel.message()
    panel.set_metric(GRAD_NORM)
    assert panel.message() == ""
    np.testing.assert_allclose(panel.plotted(entry)[1], [0.5, 1.0])


def test_zero_and_nan_gradients_are_drawn_without_fuss(panel) -> None:
    stats = tuple(
        LayerStat(path, grad, None)
        for path, grad in (("a", 0.5), ("b", 0.0), ("c", float("nan")), ("d", 2.0))
    )
    entry = run_entry("odd", "#1f77b4", [EpochEnd(1, 10, 1, 0.5, 1, 0.5, 0.1, 1, 100, stats)])
    panel.show_runs([entry])
    panel.set_metric(GRAD_NORM)
    np.testing.assert_array_equal(panel.plotted(entry)[1], [0.5, 0.0, np.nan, 2.0])
    panel.sorted_box.setChecked(True)
    assert panel.plotted_paths(entry) == ["d", "a", "b", "c"]  # unknown values rank last
    assert panel.hover_text(entry, 3) == "c\ngrad norm: nan"


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_save_plot_writes_an_image(panel, pair, dialogs, tmp_path, suffix) -> None:
    residual, plain = pair
    panel.show_runs([residual, plain])
    target = tmp_path / f"fig7{suffix}"
    dialogs.save_path = target
    panel.save_button.click()
    assert dialogs.of("save") and not dialogs.of("warning")
    image = QImage(str(target))
    assert not image.isNull()
    assert image.width() > 100 and image.height() > 50
    assert [p.name for p in tmp_path.glob("*fig7*")] == [target.name]  # no temporary left


def test_save_plot_failure_names_the_file(panel, pair, dialogs, tmp_path) -> None:
    panel.show_runs(list(pair))
    target = tmp_path / "missing-folder" / "fig7.png"
    dialogs.save_path = target
    panel.save_button.click()
    (warning,) = dialogs.of("warning")
    assert str(target) in warning[2]
    assert not target.exists()


def test_save_cancelled_writes_nothing(panel, pair, dialogs, tmp_path) -> None:
    panel.show_runs(list(pair))
    dialogs.save_path = None
    panel.save_button.click()
    assert dialogs.of("save") and not dialogs.of("warning")


@pytest.fixture(scope="module")
def trained_entry() -> RunEntry:
    """A real one-epoch CIFAR ResNet-20 run on synthetic data, with layer statistics."""
    from resnet_studio.arch.presets import preset_network
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.launch import new_run
    from resnet_studio.training.orchestration import fit_network_to_data
    from resnet_studio.training.recipe import Recipe

    data = load_dataset("synthetic", subset=256, val_size=128)
    network, _note = fit_network_to_data(preset_network("cifar-resnet20"), data, adaptable=True)
    recipe = Recipe(epochs=1, batch_size=64, layer_stats=True, threads=1)
    result = new_run(network, data, recipe, None, name="resnet20").run()
    assert result.status == "finished"
    entry = run_entry("resnet20", "#1f77b4", [])
    for event in result.history:
        entry.apply(event)
    return entry


def test_real_training_stats(panel, trained_entry) -> None:
    entry = trained_entry
    panel.show_runs([entry])
    assert panel.message() == ""
    # Fig. 7: one response per 3×3 layer (the stem and two per basic block: 1 + 3·3·2).
    x, y = panel.plotted(entry)
    convs = [f"layer{s}.{b}.conv{k}" for s in (1, 2, 3) for b in range(3) for k in (1, 2)]
    assert panel.plotted_paths(entry) == ["conv1", *convs]
    np.testing.assert_array_equal(x, np.arange(1, 20))
    assert np.all(np.isfinite(y)) and np.all(y > 0)
    assert panel.hover_text(entry, 4).startswith("layer1.1.conv2\nresponse std: ")

    panel.sorted_box.setChecked(True)
    assert np.all(np.diff(panel.plotted(entry)[1]) <= 0)

    panel.set_metric(GRAD_NORM)  # every conv and the classifier
    assert np.all(np.diff(panel.plotted(entry)[1]) <= 0)
    panel.sorted_box.setChecked(False)
    assert panel.plotted_paths(entry) == ["conv1", *convs, "fc"]
    assert np.all(panel.plotted(entry)[1] > 0)
    assert panel.log_scale()


# --- with no run selected, and out of sight ------------------------------------------


class Runs(RunsModel):
    """The runs table, filled directly (no run folders)."""

    def set_entries(self, entries: list[RunEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()


def test_with_no_run_selected_it_shows_the_current_run(qtbot, pair) -> None:
    residual, plain = pair
    older = run_entry("older", "#2ca02c", [epoch_end(1, 1.5)])
    older.group = "g0"
    bare = run_entry("no-stats", "#9467bd", [])  # newest, but it records no statistics
    bare.group = ""
    model = Runs()
    model.set_entries([older, residual, plain, bare])
    panel = LayerStatsPanel(model)
    qtbot.addWidget(panel)
    # Nothing selected: the latest run with statistics, and the run started with it.
    assert panel.legend_names() == ["resnet", "plain"]  # in table order
    assert panel.message() == ""

    # A run training now comes first, even an older one.
    older.live = True
    model.set_entries([older, residual, plain, bare])
    panel.refresh()
    assert panel.legend_names() == ["older"]

    panel.show_runs([residual])  # a selection wins
    assert panel.legend_names() == ["resnet"]
    panel.show_runs([])
    assert panel.legend_names() == ["older"]

    model.set_entries([])
    panel.refresh()
    assert "No runs yet" in panel.message()


def test_gradient_norms_read_in_plain_numbers(panel, pair) -> None:
    panel.show_runs(list(pair))
    panel.set_metric(GRAD_NORM)
    axis = panel.plot_widget.getPlotItem().getAxis("left")
    assert axis.logMode
    values = [math.log10(v) for v in (0.002, 0.01, 0.05, 20)]
    assert axis.tickStrings(values, 1.0, 1.0) == ["0.002", "0.01", "0.05", "20"]


def test_behind_another_tab_it_stops_polling_and_catches_up_when_raised(
    qtbot, pair, monkeypatch
) -> None:
    refreshed = []
    original = LayerStatsPanel.refresh
    monkeypatch.setattr(
        LayerStatsPanel,
        "refresh",
        lambda self, *args, **kwargs: refreshed.append(1) or original(self, *args, **kwargs),
    )
    residual, plain = pair
    panel = LayerStatsPanel()
    panel.show_runs([residual, plain])
    _window, stats, other = tabbed_docks(qtbot, panel)
    other.raise_()
    qtbot.waitUntil(lambda: not on_screen(panel))
    assert panel.isVisible()  # Qt moves a tab behind another out of sight, no more
    refreshed.clear()
    add_epoch(residual, epoch_end(3, 1.0))
    qtbot.wait(3 * POLL_MS)
    assert refreshed == []  # no polling out of sight
    assert panel.plotted_epoch(residual) == 2

    panel.timer.stop()  # what follows is the catch-up, not the next poll
    stats.raise_()
    qtbot.waitUntil(lambda: panel.plotted_epoch(residual) == 3)
    assert refreshed
