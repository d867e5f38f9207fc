"""Experiments in the window: the New Experiment dialog, the Experiments tab, Stop and Resume.

One real experiment (plain and residual ResNet-20 at quarter width, one seed, 128
synthetic images) is started from the dialog, stopped mid-way, resumed and run to
its end, each cell a ``resnet-studio train`` process as the scheduler runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt

from resnet_studio.gui.experiment_dialog import NewExperimentDialog
from resnet_studio.gui.experiment_grid import STATUS_COLOURS, CellGrid
from resnet_studio.training.experiment import ExperimentSpec, read_experiment

WAIT_MS = 240_000


@pytest.fixture
def experiments(qapp):
    """The application's experiments controller; every experiment stopped afterwards,
    before the sandbox closes the windows (closing would ask)."""
    from resnet_studio.gui import experiment_runner

    controller = experiment_runner.experiments_controller()
    yield controller
    assert controller.stop_all(120_000), "an experiment did not stop"
    controller.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert experiment_runner._controller is None


def grid_dialog(controller, qtbot, **fields) -> NewExperimentDialog:
    """A dialog set to a tiny grid of our own on synthetic data."""
    dialog = NewExperimentDialog(controller)
    qtbot.addWidget(dialog)
    return tiny_grid(dialog, **fields)


def tiny_grid(dialog: NewExperimentDialog, **fields) -> NewExperimentDialog:
    """``dialog`` set to plain and residual ResNet-20 at quarter width, one seed, 128
    synthetic images (and ``fields``)."""
    dialog.grid_radio.setChecked(True)
    depths = fields.pop("depths", (20,))
    for depth, box in dialog.depth_boxes.items():
        box.setChecked(depth in depths)
    dialog.width.setValue(fields.pop("width", 0.25))
    dialog.seeds.setValue(fields.pop("seeds", 1))
    dialog.iterations.setValue(fields.pop("iterations", 8))
    dialog.batch_size.setValue(fields.pop("batch_size", 32))
    dialog.dataset.setCurrentIndex(dialog.dataset.findData(fields.pop("dataset", "synthetic")))
    dialog.subset.setValue(fields.pop("subset", 128))
    dialog.parallel.setValue(fields.pop("parallel", 2))
    dialog.name.setText(fields.pop("name", "tiny"))
    assert not fields, fields
    return dialog


def refused(dialog: NewExperimentDialog) -> str:
    assert not dialog.start_button.isEnabled()
    return dialog.check_label.text()


def test_the_dialog_refuses_a_bad_grid_with_its_reason(qtbot, experiments, tmp_path) -> None:
    dialog = grid_dialog(experiments, qtbot)
    assert dialog.start_button.isEnabled(), dialog.check_label.text()
    assert dialog.check_label.text().startswith("2 runs (2 networks × 1 seeds), 8 iterations")
    spec = dialog.spec()
    assert (spec.depths, spec.variants, spec.widths, spec.seeds) == (
        (20,),
        ("plain", "residual"),
        (0.25,),
        (0,),
    )
    assert spec.recipe == {"iterations": 8, "batch_size": 32} and spec.subset == 128

    dialog.depth_boxes[20].setChecked(False)
    assert refused(dialog) == "Depths: tick at least one depth"
    dialog.depth_boxes[20].setChecked(True)
    for box in dialog.variant_boxes.values():
        box.setChecked(False)
    assert refused(dialog) == "Networks: tick plain, residual or both"
    for box in dialog.variant_boxes.values():
        box.setChecked(True)
    dialog.name.setText("my grid!")
    assert refused(dialog).startswith("name: 'my grid!' must be")
    dialog.name.setText("tiny")
    dialog.dataset.setCurrentIndex(dialog.dataset.findData("mnist"))
    dialog.data_root.setText(str(tmp_path))
    assert refused(dialog).startswith(f"Data root: MNIST is not in {tmp_path}")
    dialog.dataset.setCurrentIndex(dialog.dataset.findData("folder"))
    dialog.folder.setText(str(tmp_path / "nowhere"))
    assert refused(dialog) == f"Folder: {tmp_path / 'nowhere'} is not a folder"

    # A study from the paper at full size wants CIFAR-10 itself: not in an empty data root.
    dialog.builtin_radio.setChecked(True)
    dialog.study_size.setCurrentIndex(dialog.study_size.findData(False))
    assert dialog.dataset.currentData() == "cifar10"
    assert refused(dialog).startswith(f"Data root: CIFAR-10 is not in {tmp_path}")

    # What only loading finds (a folder without images) is told in the dialog, which
    # stays open; nothing is made.
    empty = tmp_path / "empty"
    empty.mkdir()
    dialog.grid_radio.setChecked(True)
    dialog.dataset.setCurrentIndex(dialog.dataset.findData("folder"))
    dialog.folder.setText(str(empty))
    assert dialog.start_button.isEnabled(), dialog.check_label.text()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=WAIT_MS)
    assert str(empty) in dialog.check_label.text()
    assert "Traceback" not in dialog.check_label.text()
    assert dialog.check_label.styleSheet() and not experiments.running()
    root = experiments.root()
    assert not root.exists() or not any(root.iterdir())


def _epochs(folder: Path) -> int:
    metrics = folder / "metrics.jsonl"
    return metrics.read_text().count('"EpochEnd"') if metrics.exists() else 0


def test_an_experiment_runs_from_the_window_stops_resumes_and_finishes(
    qtbot, window, experiments
) -> None:
    window.new_experiment_action.trigger()
    # 24 epochs of 4 iterations: long enough that the Stop below, which waits for the view's
    # next refresh (every 2 s), still lands while the cells train on a fast machine.
    epochs = 24
    dialog = tiny_grid(window.findChild(NewExperimentDialog), iterations=4 * epochs)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: bool(experiments.running()), timeout=WAIT_MS)
    [experiment] = experiments.running()
    assert experiment.path.parent == experiments.root()
    panel = window.experiments
    qtbot.waitUntil(lambda: panel.experiment is not None, timeout=WAIT_MS)
    assert panel.experiment.path == experiment.path
    assert window.experiments_dock.isVisible()
    assert panel.grid.rows == ["plain20-w0.25", "resnet20-w0.25"] and panel.grid.seeds == [0]

    # Stop once both cells have trained an epoch: each saves a checkpoint and reads stopped.
    folders = [experiment.cell_dir(cell) for cell in experiment.cells]
    qtbot.waitUntil(lambda: all(_epochs(f) >= 1 for f in folders), timeout=WAIT_MS)
    # Meanwhile the view follows: both squares running, filled as far as the runs got.
    qtbot.waitUntil(
        lambda: (
            panel.grid.counts() == {"running": 2}
            and all(v.progress for v in panel.grid.views.values())
        ),
        timeout=WAIT_MS,
    )
    assert panel.stop_action.isEnabled() and not panel.resume_action.isEnabled()
    panel.stop_action.trigger()
    assert not panel.stop_action.isEnabled()
    qtbot.waitUntil(lambda: not experiments.running(), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: panel.grid.counts() == {"stopped": 2} and panel.resume_action.isEnabled(),
        timeout=WAIT_MS,
    )
    assert all(_epochs(f) < epochs for f in folders), "a cell ran to its end: not stopped"

    panel.resume_action.trigger()
    assert experiments.is_running(experiment.path) and not panel.resume_action.isEnabled()
    qtbot.waitUntil(lambda: not experiments.running(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: panel.grid.counts() == {"finished": 2}, timeout=WAIT_MS)

    def table() -> dict[str, str]:
        return {
            panel.table.item(row, 0).text(): panel.table.item(row, 1).text()
            for row in range(panel.table.rowCount())
        }

    # The table follows the grid on the view's next refresh (CI once read "0/1" in between).
    finished = {"plain20-w0.25": "1/1", "resnet20-w0.25": "1/1"}
    qtbot.waitUntil(lambda: table() == finished, timeout=WAIT_MS)
    assert panel.table.item(0, 2).text().endswith("%")
    assert "depth 20: residual training error" in panel.verdict.text()
    assert "2 finished" in panel.heading.text()
    assert not panel.resume_action.isEnabled()
    # The figures: both panels of Fig. 6 and the error against depth have their lines.
    for plot in panel.figures.plots:
        assert plot.getPlotItem().listDataItems(), plot.getPlotItem().titleLabel.text

    # Double-click a cell: its run is shown and selected in the Runs tab.
    grid = panel.grid
    centre = grid._cell_rect(1, 0).center()
    qtbot.mouseDClick(grid, Qt.MouseButton.LeftButton, pos=centre)
    runs = window.runs_panel
    qtbot.waitUntil(lambda: [e.name for e in runs.selected()] == ["resnet20-w0.25-s0"])
    assert runs.selected()[0].status == "finished"
    assert window.runs_dock.isVisible()


def test_closing_the_window_while_an_experiment_runs_asks_then_stops_it(
    window, experiments, dialogs, monkeypatch, tmp_path
) -> None:
    spec = ExperimentSpec("tiny", depths=(20,), widths=(0.25,), dataset="synthetic")
    running = [type("Running", (), {"spec": spec})()]
    stopped = []
    monkeypatch.setattr(experiments, "running", lambda: running)
    monkeypatch.setattr(experiments, "stop_all", lambda *a: stopped.append(True) or True)
    window.document.undo_stack.setClean()

    dialogs.answer = dialogs.answer.Cancel
    assert not window.close()
    [(_, title, text)] = dialogs.of("question")
    assert title == "Experiments are running" and "Experiment tiny is still running" in text
    assert stopped == []

    dialogs.answer = dialogs.answer.Yes
    assert window.close()
    assert stopped == [True]


def test_the_grid_colours_each_cell_by_status_and_tells_why(qtbot) -> None:
    spec = ExperimentSpec("g", depths=(56, 20), widths=(0.5,), seeds=(0, 1))
    experiment = type("E", (), {"cells": spec.cells()})()
    grid = CellGrid()
    qtbot.addWidget(grid)
    grid.resize(400, 200)
    grid.set_experiment(experiment)
    assert grid.rows == ["plain20-w0.5", "resnet20-w0.5", "plain56-w0.5", "resnet56-w0.5"]
    assert grid.counts() == {"queued": 8}
    grid.set_state("plain56-w0.5-s1", "failed", "resnet-studio: error: out of memory")
    grid.set_state("resnet20-w0.5-s0", "running", progress=0.5)
    assert grid.tooltip("plain56-w0.5-s1") == (
        "plain56-w0.5-s1: failed — resnet-studio: error: out of memory"
    )
    assert grid.tooltip("resnet20-w0.5-s0") == "resnet20-w0.5-s0: running (50%)"
    grid.show()
    image = grid.grab().toImage()

    def colour_at(row: int, column: int) -> str:
        rect = grid._cell_rect(row, column)
        return image.pixelColor(QPoint(rect.left() + 2, rect.top() + 2)).name()

    assert colour_at(2, 1) == STATUS_COLOURS["failed"]
    assert colour_at(0, 0) == STATUS_COLOURS["queued"]
    # A running cell fills from the bottom: half done, its top is still the light blue.
    assert colour_at(1, 0) != STATUS_COLOURS["running"]
    rect = grid._cell_rect(1, 0)
    bottom = image.pixelColor(QPoint(rect.center().x(), rect.bottom() - 2)).name()
    assert bottom == STATUS_COLOURS["running"]

    activated = []
    grid.cell_activated.connect(activated.append)
    qtbot.mouseDClick(grid, Qt.MouseButton.LeftButton, pos=grid._cell_rect(3, 1).center())
    assert [c.key for c in activated] == ["resnet56-w0.5-s1"]
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert [c.key for c in activated][-1] == "plain56-w0.5-s1"


def test_an_experiment_folder_opened_from_elsewhere_is_listed(
    qtbot, window, experiments, tmp_path, dialogs
) -> None:
    from resnet_studio.training.experiment import create_experiment, experiment_networks

    spec = ExperimentSpec("elsewhere", depths=(20,), widths=(0.25,), dataset="synthetic")
    path = tmp_path / "far" / "exp"
    create_experiment(
        path,
        spec,
        experiment_networks(spec, fit=lambda n: n),
        data_root=tmp_path,
        dataset="synthetic",
        subset=64,
    )
    window.show_experiments_tab()
    panel = window.experiments
    dialogs.open_path = None
    assert not panel.open_path(tmp_path)  # not an experiment: told, nothing listed
    [(_, title, text)] = dialogs.of("warning")
    assert title == "Cannot open experiment" and "not an experiment folder" in text
    assert panel.open_path(path)
    qtbot.waitUntil(lambda: panel.experiment is not None, timeout=WAIT_MS)
    assert panel.experiment.path == read_experiment(path).path
    qtbot.waitUntil(lambda: panel.snapshot is not None, timeout=WAIT_MS)
    assert panel.grid.counts() == {"queued": 2} and panel.resume_action.isEnabled()
    assert panel.table.rowCount() == 2 and "No verdict yet" in panel.verdict.text()


def test_the_figures_redraw_only_what_changed_and_share_the_panels_ranges(qtbot) -> None:
    import numpy as np
    from PySide6.QtWidgets import QGraphicsPathItem

    from resnet_studio.figures.figure import CurveFigure, Panel, Series
    from resnet_studio.gui.experiment_figures import ExperimentFigures
    from resnet_studio.gui.line_layer import LineLayer

    def fig6(points: int, depths: int = 1) -> CurveFigure:
        x = np.arange(1.0, points + 1)
        spread = np.ones_like(x)
        plain = [Series(x, 90 - x, "#1f77b4", "plain20 (20 layers)", spread=spread, depth=20)]
        resnet = [Series(x, 50 - x, "#1f77b4", "resnet20 (20 layers)", spread=spread, depth=20)]
        if depths == 2:
            plain.append(Series(x, 95 - x, "#ff7f0e", "plain56 (56 layers)", depth=56))
            resnet.append(Series(x, 45 - x, "#ff7f0e", "resnet56 (56 layers)", depth=56))
        panels = (Panel("plain", tuple(plain)), Panel("ResNet", tuple(resnet)))
        return CurveFigure(panels, "iteration", "error (%)")

    def band_of(plot):
        [band] = [i for i in plot.getPlotItem().items if isinstance(i, QGraphicsPathItem)]
        return band

    def lines_of(plot) -> list:
        [layer] = [i for i in plot.getPlotItem().items if isinstance(i, LineLayer)]
        return list(layer.lines)

    figures = ExperimentFigures()
    qtbot.addWidget(figures)
    figures.show_figures(fig6(3), None)
    lines = lines_of(figures.plain)
    assert "20" in figures.caption.text() and "layers" in figures.caption.text()
    figures.show_figures(fig6(3), None)  # the same figure again: nothing redrawn
    assert lines_of(figures.plain) == lines
    band = band_of(figures.plain)
    assert band.path().boundingRect().right() == 3
    figures.show_figures(fig6(4), None)  # a point more: the same lines, moved in place
    assert lines_of(figures.plain) == lines
    [line] = lines
    assert list(line.getData()[0]) == [1.0, 2.0, 3.0, 4.0]
    assert band_of(figures.plain) is band and band.path().boundingRect().right() == 4
    figures.show_figures(fig6(4, depths=2), None)  # another depth: drawn anew
    assert len(lines_of(figures.plain)) == len(lines) + 1
    figures.show_figures(fig6(4), None)
    # Both panels reach over both panels' points: plain-20 reads against ResNet-20.
    figures.resize(600, 400)
    figures.show()
    qtbot.waitExposed(figures)
    for plot in (figures.plain, figures.resnet):
        view = plot.getPlotItem().vb
        qtbot.waitUntil(lambda view=view: view.viewRange()[1][1] > 1)  # auto-ranged
        (_x0, _x1), (y0, y1) = view.viewRange()
        assert y0 <= 46 and y1 >= 89
    assert figures.depth.getPlotItem().titleLabel.text.endswith("no epochs yet")


def test_live_figures_rescale_in_steps_not_at_every_refresh(qtbot) -> None:
    import numpy as np

    from resnet_studio.figures.figure import CurveFigure, Panel, Series
    from resnet_studio.gui.experiment_figures import ExperimentFigures

    def fig6(points: int) -> CurveFigure:
        x = np.arange(1.0, points + 1)
        y = 90 * np.exp(-x / 500)
        panels = tuple(
            Panel(title, (Series(x, y, "#1f77b4", f"{title}20 (20 layers)", spread=y / 10),))
            for title in ("plain", "ResNet")
        )
        return CurveFigure(panels, "iteration", "error (%)")

    figures = ExperimentFigures()
    qtbot.addWidget(figures)
    figures.resize(600, 400)
    figures.show()
    qtbot.waitExposed(figures)
    view = figures.plain.getPlotItem().vb

    def x_range_after(points: int) -> list[float]:
        figures.show_figures(fig6(points), None)
        figures.plain.grab()  # paints: auto-range happens
        return view.viewRange()[0]

    first = x_range_after(1000)
    assert 1000 <= first[1] < 1100  # a finished figure: no room beyond its points
    grown = x_range_after(1100)  # past the range: room to grow into
    assert grown[1] >= 1100 + 0.1 * 1099
    assert x_range_after(1150) == grown  # a refresh within it: the same axes
    assert x_range_after(1200) == grown


def test_behind_another_tab_the_experiments_tab_reads_nothing_and_catches_up(
    qtbot, window, experiments, tmp_path, monkeypatch
) -> None:
    from resnet_studio.gui.experiment_panel import REFRESH_MS, ExperimentsPanel
    from resnet_studio.gui.on_screen import on_screen
    from resnet_studio.training.experiment import create_experiment, experiment_networks

    spec = ExperimentSpec("hidden", depths=(20,), widths=(0.25,), dataset="synthetic")
    path = tmp_path / "exp"
    networks = experiment_networks(spec, fit=lambda n: n)
    create_experiment(path, spec, networks, data_root=tmp_path, dataset="synthetic", subset=64)
    window.show_experiments_tab()
    panel = window.experiments
    assert panel.open_path(path)
    qtbot.waitUntil(lambda: panel.snapshot is not None, timeout=WAIT_MS)
    reads = []
    original = ExperimentsPanel.refresh
    monkeypatch.setattr(
        ExperimentsPanel,
        "refresh",
        lambda self, *a, **k: reads.append(1) or original(self, *a, **k),
    )
    window.runs_dock.raise_()  # the Runs tab in front, the Experiments tab behind it
    qtbot.waitUntil(lambda: not on_screen(panel))
    assert panel.isVisible()  # Qt moves a tab behind another out of sight, no more
    panel._dirty = True  # as when its cells change on disk
    qtbot.wait(3 * REFRESH_MS)
    assert reads == []

    panel.timer.stop()  # what follows is the catch-up, not the next tick
    window.experiments_dock.raise_()
    qtbot.waitUntil(lambda: bool(reads))
