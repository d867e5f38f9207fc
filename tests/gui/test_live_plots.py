"""The live curves panel: Fig. 6 of the runs in the runs table, as they train."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage

from resnet_studio.gui.live_plots import CSV_HEADER, REDRAW_MS, CurvesPanel
from resnet_studio.gui.on_screen import on_screen
from resnet_studio.gui.runs_model import RunEntry, RunsModel
from resnet_studio.training.events import EpochEnd, RunStarted, StepMetrics
from resnet_studio.training.history import RunHistory
from resnet_studio.training.runs import RunRecord
from tests.gui.conftest import tabbed_docks

EVERY = 10  # iterations between step reports
EPOCH = 100  # iterations per epoch


class Runs(RunsModel):
    """The runs table, filled directly (no training, no run folders)."""

    def set_entries(self, entries: list[RunEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()


def step(i: int, worse: float = 1.0) -> StepMetrics:
    """The ``i``-th step report: iteration ``10 i``; error and loss fall as it trains."""
    iteration = i * EVERY
    return StepMetrics(
        iteration / EPOCH,
        iteration,
        worse * 2.0 / (1 + i / 20),
        worse * 0.8 / (1 + i / 30),
        0.1,
        1e3,
    )


def epoch_end(epoch: int, worse: float = 1.0) -> EpochEnd:
    return EpochEnd(
        epoch,
        epoch * EPOCH,
        worse * 1.0 / epoch,
        worse * 0.4 / epoch,
        worse * 1.2 / epoch,
        worse * 0.5 / epoch,
        0.1,
        5.0,
        1e3,
    )


def run_entry(name: str, colour: str, reports: int, worse: float = 1.0) -> RunEntry:
    """A run with ``reports`` step reports and the epoch ends they cover."""
    entry = RunEntry(
        name=name,
        network=name,
        data="synthetic",
        device="cpu",
        status="running",
        total_epochs=None,
        live=True,
        colour=colour,
    )
    for i in range(1, reports + 1):
        entry.apply(step(i, worse))
        if i * EVERY % EPOCH == 0:
            entry.apply(epoch_end(i * EVERY // EPOCH, worse))
    return entry


def expected(entry: RunEntry, metric: str = "error", x_axis: str = "iterations"):
    """(train x, train y, val x, val y) as the panel should draw them."""
    scale = 100.0 if metric == "error" else 1.0
    x_of = (lambda e: e.epoch) if x_axis == "epochs" else (lambda e: e.iteration)
    train = [(x_of(s), getattr(s, metric) * scale) for s in entry.steps]
    val = [(x_of(e), getattr(e, f"val_{metric}") * scale) for e in entry.epochs]
    return (
        np.array([x for x, _ in train]),
        np.array([y for _, y in train]),
        np.array([x for x, _ in val]),
        np.array([y for _, y in val]),
    )


def assert_drawn(panel: CurvesPanel, entry: RunEntry, **settings: str) -> None:
    train_x, train_y, val_x, val_y = expected(entry, **settings)
    drawn = panel.curve_data(entry)
    np.testing.assert_array_equal(drawn["train"][0], train_x)
    np.testing.assert_allclose(drawn["train"][1], train_y)
    np.testing.assert_array_equal(drawn["val"][0], val_x)
    np.testing.assert_allclose(drawn["val"][1], val_y)


@pytest.fixture
def pair() -> tuple[RunEntry, RunEntry]:
    return run_entry("resnet20", "#1f77b4", 60), run_entry("plain20", "#d62728", 60, worse=1.5)


@pytest.fixture
def model(pair) -> Runs:
    runs = Runs()
    runs.set_entries(list(pair))
    return runs


@pytest.fixture
def panel(qtbot, model) -> CurvesPanel:
    widget = CurvesPanel(model)
    qtbot.addWidget(widget)
    widget.resize(900, 420)
    widget.redraw_now()
    return widget


def test_both_runs_of_a_pair_get_training_and_validation_curves(panel, pair) -> None:
    resnet, plain = pair
    for entry in pair:
        assert_drawn(panel, entry)
    # Errors in percent: the first report of the plain run is 1.5 * 0.8 / (1 + 1/30).
    assert panel.curve_data(plain)["train"][1][0] == pytest.approx(120 / (1 + 1 / 30))
    assert panel.curve_data(resnet)["val"][0].tolist() == [100, 200, 300, 400, 500, 600]
    assert panel.legend_names() == ["resnet20", "plain20"]
    assert panel.plot.getAxis("left").labelText == "error (%)"
    assert panel.plot.getAxis("bottom").labelText == "iteration"
    items = panel.curve_items(resnet)
    assert items["train"].opts["pen"].style().name == "DashLine"
    assert items["train"].opts["pen"].color().name() == "#1f77b4"
    assert items["val"].opts["pen"].style().name == "SolidLine"


def test_validation_lines_are_drawn_thicker_than_training_lines(qtbot) -> None:
    entry = RunEntry("flat", "net", "data", "cpu", "running", None, colour="#d62728")
    entry.steps = [StepMetrics(i / 100, i, 1.0, 0.6, 0.1, 1.0) for i in range(10, 1001, 10)]
    entry.epochs = [EpochEnd(e, 100 * e, 1.0, 0.6, 1.0, 0.3, 0.1, 1.0, 1.0) for e in range(1, 11)]
    entry.version = 1
    runs = Runs()
    runs.set_entries([entry])
    panel = CurvesPanel(runs)
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.redraw_now()
    qtbot.waitUntil(lambda: panel.plot.vb.viewRange()[0][1] >= 1000)
    image = panel.plot_widget.grab().toImage()
    view = panel.plot.vb

    def thickness(y: float) -> int:
        """The most pixels of the run's colour in one column, near the line at ``y``."""
        most = 0
        for x in range(300, 800, 7):
            point = panel.plot_widget.mapFromScene(view.mapViewToScene(QPointF(x, y)))
            rows = range(point.y() - 4, point.y() + 5)
            most = max(most, sum(image.pixelColor(point.x(), r).name() == "#d62728" for r in rows))
        return most

    assert thickness(60) == 1  # training: one pixel
    assert thickness(30) == 2  # validation: two


def test_a_run_with_a_single_point_shows_a_dot(qtbot) -> None:
    entry = RunEntry("short", "net", "data", "cpu", "running", None, colour="#9467bd")
    entry.epochs = [EpochEnd(1, 390, 2.0, 0.8, 2.1, 0.75, 0.1, 1.0, 1.0)]
    entry.version = 1
    runs = Runs()
    runs.set_entries([entry])
    panel = CurvesPanel(runs)
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.redraw_now()  # the legend is above the plot: nothing covers the point
    qtbot.waitUntil(lambda: panel.plot.vb.viewRange()[0][0] < 390 < panel.plot.vb.viewRange()[0][1])
    image = panel.plot_widget.grab().toImage()

    def purple_near(y: float) -> int:
        """Pixels of the run's colour around the point (390, y)."""
        at = panel.plot_widget.mapFromScene(panel.plot.vb.mapViewToScene(QPointF(390, y)))
        return sum(
            image.pixelColor(at.x() + dx, at.y() + dy).name() == "#9467bd"
            for dx in range(-4, 5)
            for dy in range(-4, 5)
        )

    assert purple_near(80) >= 9  # training: a dot, not nothing
    assert purple_near(75) >= 9  # validation too


def test_an_unchecked_run_is_not_drawn_until_checked_again(panel, model, pair) -> None:
    resnet, plain = pair
    model.set_shown(model.row_of("plain20"), False)
    panel.redraw_now()
    assert panel.curve_data(plain) == {}
    assert panel.legend_names() == ["resnet20"]
    assert not any(item.isVisible() for item in panel.curve_items(plain).values())
    assert "plain20" not in panel.hover_text(300)

    plain.apply(step(61, 1.5))  # it trains on while hidden
    model.set_shown(model.row_of("plain20"), True)
    panel.redraw_now()
    assert_drawn(panel, plain)
    assert panel.legend_names() == ["resnet20", "plain20"]  # in table order again
    assert all(item.isVisible() for item in panel.curve_items(plain).values())


def test_ticking_a_box_redraws_a_visible_panel_at_once(qtbot, panel, model, pair) -> None:
    _resnet, plain = pair
    panel.show()
    qtbot.waitExposed(panel)
    model.setData(model.index(model.row_of("plain20"), 0), 0, Qt.ItemDataRole.CheckStateRole)
    assert panel.curve_data(plain) == {}  # no waiting for the timer
    model.set_shown(model.row_of("plain20"), True)
    assert_drawn(panel, plain)


def test_new_steps_are_appended_at_the_next_redraw(panel, model, pair, monkeypatch) -> None:
    resnet, _plain = pair
    before = panel.curve_data(resnet)
    for i in range(61, 81):
        resnet.apply(step(i))
    resnet.apply(epoch_end(7))
    resnet.apply(epoch_end(8))
    # Not drawn per step: nothing changes until the (timer's) redraw.
    np.testing.assert_array_equal(panel.curve_data(resnet)["train"][0], before["train"][0])

    from resnet_studio.gui import live_plots

    rebuilt = []
    original = live_plots._Line.clear
    monkeypatch.setattr(
        live_plots._Line, "clear", lambda self: rebuilt.append(self) or original(self)
    )
    panel.redraw_now()
    assert rebuilt == []  # the incremental path: only the new events were read
    assert_drawn(panel, resnet)
    assert len(panel.curve_data(resnet)["train"][0]) == 80

    fresh = CurvesPanel(model)  # a full rebuild draws the same
    fresh.redraw_now()
    for split in ("train", "val"):
        mine, theirs = panel.curve_data(resnet)[split], fresh.curve_data(resnet)[split]
        for a, b in zip(mine, theirs, strict=True):
            np.testing.assert_array_equal(a, b)
    fresh.deleteLater()


def test_a_resumed_run_with_a_shorter_history_is_redrawn(panel, pair) -> None:
    resnet, _plain = pair
    # Resumed from its epoch-3 checkpoint: later reports are dropped, new ones differ.
    resnet.apply(RunStarted("cpu", 1, 10, 1000, EPOCH, 1000, 100, 3, 300))
    assert len(resnet.steps) == 30
    for i in range(31, 71):  # more reports than before, so only identity tells
        resnet.apply(step(i, worse=0.5))
    panel.redraw_now()
    assert_drawn(panel, resnet)
    drawn = panel.curve_data(resnet)
    assert drawn["val"][0].tolist() == [100, 200, 300]
    assert drawn["train"][1][40] == pytest.approx(0.5 * 80 / (1 + 41 / 30))


def test_metric_x_axis_and_log_scale_switches(panel, pair) -> None:
    resnet, plain = pair
    panel.set_metric("loss")
    for entry in pair:
        assert_drawn(panel, entry, metric="loss")
    assert panel.plot.getAxis("left").labelText == "loss"
    assert panel.metric_box.currentData() == "loss"

    panel.x_axis_box.setCurrentIndex(panel.x_axis_box.findData("epochs"))  # as the user does
    assert panel.current_x_axis() == "epochs"
    assert_drawn(panel, plain, metric="loss", x_axis="epochs")
    assert panel.curve_data(plain)["train"][0][:2].tolist() == [0.1, 0.2]
    assert panel.plot.getAxis("bottom").labelText == "epoch"

    panel.set_log_scale(True)
    assert panel.log_box.isChecked()
    assert panel.plot.getAxis("left").logMode
    item = panel.curve_items(resnet)["train"]
    y = item.getData()[1]  # what pyqtgraph draws: log10 of the loss
    np.testing.assert_allclose(y, np.log10(panel.curve_data(resnet)["train"][1]))
    y = panel.curve_items(resnet)["val"].getData()[1]
    np.testing.assert_allclose(y, np.log10(panel.curve_data(resnet)["val"][1]))
    panel.log_box.setChecked(False)
    assert not panel.plot.getAxis("left").logMode

    panel.set_metric("error")
    panel.set_x_axis("iterations")
    assert_drawn(panel, resnet)
    with pytest.raises(ValueError):
        panel.set_metric("accuracy")


def test_a_long_curve_is_drawn_reduced_and_in_full_when_zoomed(qtbot) -> None:
    entry = RunEntry("long", "net", "data", "cpu", "running", None, colour="#2ca02c")
    entry.steps = [
        StepMetrics(i / 391, i, 1.0, 0.5 + 0.4 * math.sin(i), 0.1, 1.0) for i in range(1, 50_001)
    ]
    entry.version = 1
    runs = Runs()
    runs.set_entries([entry])
    panel = CurvesPanel(runs)
    qtbot.addWidget(panel)
    panel.resize(900, 420)
    panel.show()
    qtbot.waitExposed(panel)
    panel.redraw_now()
    item = panel.curve_items(entry)["train"]
    x, y = item.getData()
    width = panel.plot.vb.width()
    assert len(x) <= width + 2  # a (max, min) pair per two pixel columns
    drawn = panel.curve_data(entry)["train"]
    assert len(drawn[0]) == 50_000
    assert y.max() == pytest.approx(drawn[1].max())  # the reduction keeps every extreme
    assert y.min() == pytest.approx(drawn[1].min())
    bin_width = 50_000 / (width / 2)  # in iterations
    assert x[0] < bin_width and x[-1] == 50_000  # from first to last, give or take a bin

    panel.plot.vb.setXRange(1_000, 1_200, padding=0)  # zoomed in: every point there
    x, y = item.getData()
    np.testing.assert_array_equal(x, np.arange(999, 1_202))
    np.testing.assert_allclose(y, drawn[1][998:1_201])
    panel.plot.vb.setXRange(10_000, 40_000, padding=0)  # from the envelope, in view only
    x, y = item.getData()
    assert 9_900 < x[0] <= 10_000 and 40_000 <= x[-1] < 40_100 and len(x) <= width + 2
    in_view = drawn[1][9_999:40_000]
    assert y.max() == pytest.approx(in_view.max()) and y.min() == pytest.approx(in_view.min())
    panel.plot.vb.enableAutoRange()  # applied at the next paint
    qtbot.waitUntil(lambda: item.getData()[0][0] < bin_width and len(item.getData()[0]) < 1_000)


def test_hovering_shows_a_line_and_the_values_there(qtbot, panel, pair) -> None:
    resnet, plain = pair
    text = panel.hover_text(300)
    assert text.startswith("iteration 300 · resnet20: train ")
    assert f"train {100 * resnet.steps[29].error:.1f}%" in text
    assert f"val {100 * plain.epochs[2].val_error:.1f}%" in text
    assert panel.hover_text(50_000) == "iteration 50,000"  # past both runs' ends

    panel.show()
    qtbot.waitExposed(panel)
    panel.redraw_now()
    qtbot.waitUntil(lambda: panel.plot.vb.viewRange()[0][1] > 600)  # ranged at the next paint
    scene_pos = panel.plot.vb.mapViewToScene(QPointF(300, 40))
    panel.plot.scene().sigMouseMoved.emit(scene_pos)
    qtbot.waitUntil(lambda: panel.readout_text() != "", timeout=2000)
    assert panel.readout_text().startswith("iteration 30")
    assert panel.cursor_line.isVisible()
    assert panel.cursor_line.value() == pytest.approx(300, rel=0.05)


def test_save_csv_writes_every_point_of_the_shown_runs(panel, model, pair, tmp_path) -> None:
    resnet, plain = pair
    model.set_shown(model.row_of("plain20"), False)
    path = tmp_path / "curves.csv"
    panel.save_csv(path)
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_HEADER == ("run", "split", "epoch", "iteration", "loss", "error")
    body = rows[1:]
    assert {r[0] for r in body} == {"resnet20"}
    train = [r for r in body if r[1] == "train"]
    val = [r for r in body if r[1] == "val"]
    assert len(train) == len(resnet.steps) and len(val) == len(resnet.epochs)
    first = resnet.steps[0]
    assert train[0] == ["resnet20", "train", "0.1", "10", repr(first.loss), repr(first.error)]
    last = resnet.epochs[-1]
    assert val[-1] == ["resnet20", "val", "6", "600", repr(last.val_loss), repr(last.val_error)]
    assert not list(tmp_path.glob(".*tmp"))  # written atomically, no leftovers


def run_pixels(panel: CurvesPanel, image: QImage, colour: str) -> int:
    """Pixels of about ``colour`` (lines are antialiased) in the data area of a saved
    ``image`` of the plot."""
    plot = panel.plot
    scale = image.width() / plot.boundingRect().width()
    area = plot.vb.mapRectToItem(plot, plot.vb.boundingRect())
    wanted = QColor(colour).getRgb()[:3]

    def near(x: int, y: int) -> bool:
        have = image.pixelColor(x, y).getRgb()[:3]
        return all(abs(a - b) < 40 for a, b in zip(have, wanted, strict=True))

    return sum(
        near(x, y)
        for x in range(int(area.left() * scale), int(area.right() * scale))
        for y in range(int(area.top() * scale), int(area.bottom() * scale))
    )


def stroked_paths(svg: str, colour: str) -> list[str]:
    """The ``d`` of each path the SVG strokes in ``colour``."""
    group = rf'<g fill="none" stroke="{colour}"[^>]*>\s*<path[^>]* d="([^"]*)"'
    return re.findall(group, svg)


def test_save_plot_writes_png_and_svg(panel, tmp_path) -> None:
    png = tmp_path / "curves.png"
    panel.save_plot(png)
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 100 and image.height() > 100
    # Both runs' curves are in the data area: the keys above it have their colours too.
    assert run_pixels(panel, image, "#1f77b4") > 300
    assert run_pixels(panel, image, "#d62728") > 300

    svg = tmp_path / "curves.svg"
    panel.save_plot(svg)
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    # A vector figure: text as text, not pictures of it.
    assert "dashed: training, solid: validation" in text and "resnet20" in text
    assert "<image" not in text
    # Each run's curves as paths in its colour: the training curve a point per step
    # report (60), the validation curve a point per epoch (6).
    for colour in ("#1f77b4", "#d62728"):
        points = sorted(d.count("L") + 1 for d in stroked_paths(text, colour))
        assert points[0] >= 6 and points[-1] >= 60, colour
    from PySide6.QtSvg import QSvgRenderer

    assert QSvgRenderer(str(svg)).isValid()


def test_save_plot_button_asks_for_a_file(panel, dialogs, tmp_path) -> None:
    dialogs.save_path = tmp_path / "figure6"  # no suffix: the filter's
    panel.save_plot_button.click()
    assert dialogs.of("save")
    assert not QImage(str(tmp_path / "figure6.png")).isNull()
    dialogs.save_path = tmp_path / "data.csv"
    panel.save_data_button.click()
    assert (tmp_path / "data.csv").read_text().startswith("run,split,epoch")
    assert dialogs.of("warning") == []

    dialogs.save_path = None  # cancelled: nothing happens
    panel.save_plot_button.click()
    assert dialogs.of("warning") == []


@pytest.mark.parametrize("button", ["save_plot_button", "save_data_button"])
def test_an_unwritable_file_is_reported_by_name(panel, dialogs, tmp_path, button) -> None:
    target = tmp_path / "no such folder" / ("plot.png" if button == "save_plot_button" else "d.csv")
    dialogs.save_path = target
    getattr(panel, button).click()  # no exception escapes the click
    [(_kind, _title, text)] = dialogs.of("warning")
    assert str(target) in text
    assert "Traceback" not in text
    assert not target.parent.exists()


def test_a_diverged_run_with_nan_loss_still_draws(qtbot, panel, model, pair, tmp_path) -> None:
    resnet, _plain = pair
    resnet.apply(StepMetrics(6.1, 610, math.nan, 0.9, 0.1, 1e3))
    resnet.apply(StepMetrics(6.2, 620, math.inf, 0.9, 0.1, 1e3))
    panel.show()
    qtbot.waitExposed(panel)
    panel.redraw_now()
    # Error is finite: both reports drawn; loss: left out.
    assert panel.curve_data(resnet)["train"][0][-2:].tolist() == [610, 620]
    panel.set_metric("loss")
    loss = panel.curve_data(resnet)["train"]
    assert loss[0][-1] == 600 and np.isfinite(loss[1]).all()
    panel.set_log_scale(True)
    panel.grab()  # paints without complaint
    panel.save_plot(tmp_path / "diverged.png")
    assert not QImage(str(tmp_path / "diverged.png")).isNull()
    panel.save_csv(tmp_path / "diverged.csv")
    assert "resnet20,train,6.1,610,nan,0.9" in (tmp_path / "diverged.csv").read_text()


def test_runs_leaving_the_model_lose_their_curves(panel, model, pair) -> None:
    resnet, plain = pair
    items = list(panel.curve_items(plain).values())
    model.remove(model.row_of("plain20"))
    panel.redraw_now()
    assert panel.curve_data(plain) == {}
    assert all(item.scene() is None for item in items)
    assert panel.legend_names() == ["resnet20"]

    other = run_entry("resnet32", "#2ca02c", 20)
    model.set_entries([other])  # the table is read again
    panel.redraw_now()
    assert panel.curve_data(resnet) == {}
    assert_drawn(panel, other)
    assert panel.legend_names() == ["resnet32"]
    model.set_entries([])
    panel.redraw_now()
    assert panel.legend_names() == []
    assert panel.hover_text(100) == "iteration 100"


def test_the_timer_redraws_a_visible_panel(qtbot, panel, pair) -> None:
    resnet, _plain = pair
    panel.show()
    qtbot.waitExposed(panel)
    resnet.apply(step(61))
    qtbot.waitUntil(lambda: len(panel.curve_data(resnet)["train"][0]) == 61, timeout=2000)


def test_save_plot_of_a_panel_never_shown(qtbot, model, tmp_path) -> None:
    panel = CurvesPanel(model)
    qtbot.addWidget(panel)
    panel.save_plot(tmp_path / "hidden.png")
    image = QImage(str(tmp_path / "hidden.png"))
    assert image.width() >= 300 and image.height() >= 200
    panel.save_plot(Path(tmp_path / "hidden.svg"))
    assert "<svg" in (tmp_path / "hidden.svg").read_text()


# --- after a restart, legend, axes, readout, out of sight -----------------------------


def test_after_a_restart_the_latest_run_with_points_is_plotted(qtbot) -> None:
    """The newest pair was killed as it started: it logged nothing. The first look
    plots the pair before it, and a pair with no points claims no keys."""
    old_pair = [run_entry(n, "", 20) for n in ("resnet20", "plain20")]
    records = [
        RunRecord(Path(f"/runs/{i}-{n}"), {"name": n, "group": group}, history=history)
        for i, (n, group, history) in enumerate(
            [
                ("resnet20", "old", old_pair[0].history),
                ("plain20", "old", old_pair[1].history),
                ("resnet20-2", "new", RunHistory()),
                ("plain20-2", "new", RunHistory()),
            ]
        )
    ]
    model = RunsModel()
    model.set_past(records)
    assert [e.name for e in model.entries() if e.shown] == ["resnet20", "plain20"]
    panel = CurvesPanel(model)
    qtbot.addWidget(panel)
    panel.redraw_now()
    assert panel.legend_names() == ["resnet20", "plain20"] and panel.empty_text() == ""

    for row, entry in enumerate(model.entries()):
        model.set_shown(row, entry.name.endswith("-2"))
    panel.redraw_now()
    assert panel.legend_names() == []  # no keys for curves that are not there
    assert panel.empty_text() == "No data yet: resnet20-2, plain20-2 logged no step so far."


def test_the_legend_is_above_the_curves_and_wraps(qtbot) -> None:
    entries = [run_entry(f"cifar-resnet{20 + 2 * i}", f"#{i}0{i}0{i}0", 20) for i in range(8)]
    runs = Runs()
    runs.set_entries(entries)
    panel = CurvesPanel(runs)
    qtbot.addWidget(panel)
    panel.resize(520, 420)
    panel.show()
    qtbot.waitExposed(panel)
    panel.redraw_now()
    plot = panel.plot
    assert not [item for item in plot.scene().items() if isinstance(item, pg.LegendItem)]
    assert panel.legend_names() == [e.name for e in entries]
    # Above the data area, on as many lines as the width needs, none wider than the plot.
    title = plot.titleLabel.sceneBoundingRect()
    assert title.bottom() <= plot.vb.sceneBoundingRect().top()
    assert len(panel.title.lines()) >= 3
    assert title.width() <= plot.sceneBoundingRect().width()
    assert panel.plot_widget.width() <= 520  # the legend did not widen the panel


def test_a_log_axis_reads_in_plain_numbers(panel) -> None:
    panel.set_log_scale(True)
    axis = panel.plot.getAxis("left")
    values = [math.log10(v) for v in (5, 10, 20, 50, 100)]
    assert axis.tickStrings(values, 1.0, 1.0) == ["5", "10", "20", "50", "100"]
    # Ticks at 1, 2 and 5 times each power of ten; round steps within one decade.
    levels = axis.tickValues(math.log10(4), math.log10(120), 300)
    shown = sorted(round(10**v) for _spacing, ticks in levels for v in ticks)
    assert shown == [5, 10, 20, 50, 100]
    narrow = axis.tickValues(math.log10(85), math.log10(93), 300)
    assert [round(10**v) for _spacing, ticks in narrow for v in ticks] == [86, 88, 90, 92]


@pytest.mark.parametrize("x, height", [(590, 0.98), (15, 0.02), (590, 0.03), (300, 0.97)])
def test_the_hover_readout_stays_inside_the_plot(qtbot, panel, x, height) -> None:
    """At the plot's corners and edges the readout is beside the pointer, all of it inside."""
    panel.resize(600, 320)
    panel.show()
    qtbot.waitExposed(panel)
    panel.redraw_now()
    qtbot.waitUntil(lambda: panel.plot.vb.viewRange()[0][1] > 600)
    area = panel.plot.vb.sceneBoundingRect()
    at = panel.plot.vb.mapViewToScene(QPointF(x, 0)).x()
    pointer = QPointF(at, area.top() + height * area.height())
    panel.plot.scene().sigMouseMoved.emit(pointer)
    qtbot.waitUntil(lambda: panel.readout_text() != "", timeout=2000)
    lines = panel.readout_text().splitlines()
    assert lines[0].startswith("iteration") and len(lines) == 3  # one line per run
    box = panel.readout.sceneBoundingRect()
    assert area.contains(box), (box, area)
    assert not box.contains(pointer)  # beside the pointer, not under it


def test_behind_another_tab_the_curves_skip_redraws_and_catch_up(qtbot, model, pair, monkeypatch):
    calls = []
    original = CurvesPanel.redraw_now
    monkeypatch.setattr(CurvesPanel, "redraw_now", lambda self: calls.append(1) or original(self))
    resnet, _plain = pair
    panel = CurvesPanel(model)
    _window, curves, other = tabbed_docks(qtbot, panel)
    other.raise_()
    qtbot.waitUntil(lambda: not on_screen(panel))
    assert panel.isVisible()  # Qt moves a tab behind another out of sight, no more
    calls.clear()
    resnet.apply(step(61))
    qtbot.wait(4 * REDRAW_MS)
    assert calls == []  # no redraws out of sight
    assert len(panel.curve_data(resnet)["train"][0]) == 60

    panel.timer.stop()  # what follows is the catch-up, not the next tick
    curves.raise_()
    qtbot.waitUntil(lambda: len(panel.curve_data(resnet)["train"][0]) == 61)
    assert calls
