"""The runs table: its columns (compare's numbers), their widths, the progress bar,
names made unique, and the notice when a run ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleFactory, QStyleOptionViewItem, QSystemTrayIcon

from resnet_studio.arch.presets import preset_network
from resnet_studio.cli_commands.compare import table
from resnet_studio.gui import run_notices
from resnet_studio.gui.column_widths import MAX_TEXT, share_widths
from resnet_studio.gui.run_notices import DesktopNotices, ended_message
from resnet_studio.gui.runs_model import (
    BEST_VAL,
    COLUMNS,
    DATA,
    IMAGES_PER_S,
    NAME,
    NETWORK,
    PARAMS,
    PROGRESS,
    STATUS,
    TEST_ERROR,
    TIME,
    TRAIN_ERROR,
    VAL_ERROR,
    RunEntry,
    RunsModel,
)
from resnet_studio.gui.runs_panel import RunsPanel
from resnet_studio.gui.training import TrainingController
from resnet_studio.training.events import (
    Cancelled,
    EpochEnd,
    Failed,
    Finished,
    RunStarted,
    StepMetrics,
)
from resnet_studio.training.orchestration import unique_run_name
from resnet_studio.training.runs import list_runs
from tests.test_cli_compare import finished, make_run

DATA_ROOT = "/data/sets/a/cifar10-subset"


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    """Run folders as training writes them: a finished pair and a run stopped early."""
    root = tmp_path / "runs"
    make_run(root / "a-resnet20", "cifar-resnet20", DATA_ROOT, finished((0.5, 0.7), 1.25, 0.45))
    make_run(root / "b-plain20", "cifar-plain20", DATA_ROOT, finished((0.8, 0.6), 1.5, 0.55))
    stopped = [StepMetrics(0.3, 30, 2.1, 0.8125, 0.1, 50.0), Cancelled(0.3, 30)]
    make_run(root / "c-stopped", "cifar-resnet56", DATA_ROOT, stopped)
    return root


@pytest.fixture
def controller(qapp, runs: Path) -> TrainingController:
    made = TrainingController(runs_root=runs)
    made.model.load_from_disk(runs)
    yield made
    made.deleteLater()


def live_entry(name: str, total_epochs: int = 10) -> RunEntry:
    entry = RunEntry(name, "cifar-resnet20", "synthetic", "cpu", "starting", total_epochs)
    entry.apply(RunStarted("cpu", 269_722, total_epochs, 100 * total_epochs, 100, 1000, 100, 0, 0))
    return entry


# --- columns ----------------------------------------------------------------------------


def test_the_columns_show_what_compare_prints(controller, runs: Path) -> None:
    model = controller.model
    assert COLUMNS[NAME] == "Name" and model.columnCount() == 12
    # compare's columns: run, data, status, epochs, train err, best train, val err,
    # best val, test err, time, params.
    printed = {line.split()[0]: line.split() for line in table(list_runs(runs), "error")[1:]}
    for row, entry in enumerate(model.entries()):
        cells = printed[entry.name]

        def cell(column: int, row: int = row) -> str:
            return model.index(row, column).data()

        assert cell(TRAIN_ERROR) == cells[4]
        assert cell(VAL_ERROR) == cells[6]
        assert cell(BEST_VAL) == cells[7]
        assert cell(TEST_ERROR) == cells[8]
        assert cell(TIME) == " ".join(cells[9:-1])  # "24 s" is two words
        assert cell(PARAMS) == cells[-1]
        assert cell(NETWORK) == entry.network
    finished_row = model.row_of("a-resnet20")
    assert model.index(finished_row, PARAMS).data() == "269,722"  # the paper's ResNet-20
    assert model.index(finished_row, VAL_ERROR).data() == "75.00%"  # its last epoch's
    assert model.index(finished_row, BEST_VAL).data() == "55.00%"  # its first, better one
    assert model.index(finished_row, TIME).data() == "24 s"
    stopped = model.row_of("c-stopped")
    assert model.index(stopped, TRAIN_ERROR).data() == "81.25%"  # of its last logged step
    assert model.index(stopped, VAL_ERROR).data() == "-"
    assert model.index(stopped, TIME).data() == "-"
    assert model.index(stopped, PARAMS).data() == "853,018"  # ResNet-56
    # The device has no column: the status tells it on hover.
    assert model.index(finished_row, STATUS).data(Qt.ItemDataRole.ToolTipRole) == "on cpu"
    tip = model.headerData(BEST_VAL, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "Lowest validation error" in tip


def test_a_live_run_shows_its_params_before_its_first_epoch(qapp) -> None:
    class Handle:  # what add_live reads of a RunHandle
        network = preset_network("cifar-resnet20")

    entry = live_entry("r")
    entry.handle = Handle()  # type: ignore[assignment]
    model = RunsModel()
    model._append(entry)
    assert model.index(0, PARAMS).data() == "269,722"
    assert model.index(0, TRAIN_ERROR).data() == "-"
    entry.apply(StepMetrics(0.5, 50, 2.0, 0.75, 0.1, 1234.0))
    assert model.index(0, TRAIN_ERROR).data() == "75.00%"  # summaries follow new events
    assert model.index(0, IMAGES_PER_S).data() == "1,234"


def test_progress_of_a_run_with_an_iteration_budget_counts_iterations(qapp) -> None:
    entry = live_entry("r")
    entry.total_epochs, entry.total_iterations = None, 441
    model = RunsModel()
    model._append(entry)
    for step in (100, 200):
        entry.apply(StepMetrics(step / 55, step, 2.0, 0.75, 0.1, 1234.0))
    assert model.index(0, PROGRESS).data() == "200/441 it"


# --- column widths ----------------------------------------------------------------------


def test_text_columns_share_the_room_left_narrowest_kept_whole() -> None:
    fixed = {0: 50}
    # Room for all: each text column gets an equal share of the spare, capped.
    assert share_widths(fixed, {1: 100, 2: 200}, 450) == {0: 50, 1: 150, 2: 250}
    assert share_widths(fixed, {1: 100}, 5000)[1] == MAX_TEXT
    # Too little: the widest is cut first, the short one stays whole.
    assert share_widths(fixed, {1: 100, 2: 300, 3: 300}, 450) == {0: 50, 1: 100, 2: 150, 3: 150}
    # Never below a column's minimum (then the table scrolls), nor wider than its text.
    narrow = share_widths(fixed, {1: 100, 2: 300}, 100, minimum={1: 120, 2: 140})
    assert narrow == {0: 50, 1: 100, 2: 140}


@pytest.mark.parametrize("width", [720, 1380])  # the Runs tab at 1280×800 and at 1920×1080
def test_names_and_errors_fit_the_tab(qtbot, controller, width: int) -> None:
    panel = RunsPanel(controller)
    qtbot.addWidget(panel)
    panel.resize(width, 300)
    panel.show()
    qtbot.waitExposed(panel)
    table = panel.table
    header = table.horizontalHeader()
    viewport = table.viewport().width()
    # A name is whole: its column as wide as its check box, colour and text need. The
    # data set's folder may be cut at 1280 pixels (its tooltip has the path), to 110 at most.
    assert table.columnWidth(NAME) >= table.sizeHintForColumn(NAME)
    whole_data = table.sizeHintForColumn(DATA)
    assert table.columnWidth(DATA) >= (whole_data if width > 720 else min(whole_data, 110))
    # The four errors are on screen, none cut.
    for column in (TRAIN_ERROR, VAL_ERROR, TEST_ERROR, BEST_VAL):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= viewport, COLUMNS[column]
    # No number column takes the room left over: Images/s no wider than its header needs.
    assert header.sectionSize(IMAGES_PER_S) < 100
    if width == 1380:  # at 1920 pixels everything fits
        last = header.sectionViewportPosition(NETWORK) + header.sectionSize(NETWORK)
        assert last <= viewport
        assert not table.horizontalScrollBar().isVisible()


def test_hidden_columns_are_remembered_and_the_user_can_size_them(qtbot, controller) -> None:
    panel = RunsPanel(controller)
    qtbot.addWidget(panel)
    panel.resize(900, 300)
    panel.show()
    panel.set_column_shown(PARAMS, False)
    assert panel.table.isColumnHidden(PARAMS)
    again = RunsPanel(controller)
    qtbot.addWidget(again)
    assert again.table.isColumnHidden(PARAMS) and not again.table.isColumnHidden(NETWORK)
    again.set_column_shown(PARAMS, True)

    # A column sized by hand keeps its width through later rows; Fit gives the fit back.
    panel.table.horizontalHeader().resizeSection(DATA, 333)
    controller.model.load_from_disk(controller.runs_root)
    assert panel.table.columnWidth(DATA) == 333
    panel.columns.fit()
    assert panel.table.columnWidth(DATA) != 333


# --- the progress bar -------------------------------------------------------------------


def progress_image(panel: RunsPanel, row: int) -> QImage:
    """The Progress cell of ``row`` as the delegate paints it, on white."""
    image = QImage(200, 24, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 200, 24)
    option.palette = panel.table.palette()
    option.widget = panel.table
    painter = QPainter(image)
    index = panel.controller.model.index(row, PROGRESS)
    panel.table.itemDelegateForColumn(PROGRESS).paint(painter, option, index)
    painter.end()
    return image


def filled_columns(image: QImage, highlight: QColor) -> list[int]:
    """The x of each pixel column whose middle pixel has the bar's fill colour."""

    def close(colour: QColor) -> bool:
        pairs = zip(colour.getRgb(), highlight.getRgb(), strict=True)
        return all(abs(a - b) < 40 for a, b in pairs)

    return [x for x in range(image.width()) if close(image.pixelColor(x, image.height() // 2))]


def test_the_progress_bar_fills_from_left_to_right(qtbot) -> None:
    model = RunsModel()
    for done in (3, 7):
        entry = live_entry(f"run{done}")
        entry.apply(StepMetrics(done, 100 * done, 1.0, 0.5, 0.1, 100.0))
        model._append(entry)
    controller = TrainingController()
    controller.model = model
    panel = RunsPanel(controller)
    qtbot.addWidget(panel)
    panel.table.setStyle(QStyleFactory.create("Fusion"))  # the style that drew it upright
    highlight = panel.table.palette().highlight().color()
    third, most = (filled_columns(progress_image(panel, row), highlight) for row in (0, 1))
    # The filled part starts at the left and reaches about 30 % and 70 % of the bar.
    assert third and most and third[0] < 10 and most[0] < 10
    assert 0.2 < third[-1] / 200 < 0.4 and 0.6 < most[-1] / 200 < 0.8
    controller.deleteLater()


# --- unique names ----------------------------------------------------------------------


def test_unique_run_names_count_up_past_taken_ones() -> None:
    assert unique_run_name("resnet20", False, set()) == "resnet20"
    assert unique_run_name("resnet20", False, {"resnet20"}) == "resnet20-2"
    assert unique_run_name("resnet20", False, {"resnet20", "resnet20-2"}) == "resnet20-3"
    # A pair needs both names free: its twin plain20 is taken.
    assert unique_run_name("resnet20", True, {"plain20"}) == "resnet20-2"
    assert unique_run_name("resnet20", False, {"plain20"}) == "resnet20"


def test_runs_started_under_a_taken_name_are_numbered(qtbot, controller, monkeypatch) -> None:
    from resnet_studio.gui import training
    from resnet_studio.training.recipe import Recipe

    prepared = []  # the requests that reached the background work
    monkeypatch.setattr(
        training, "prepare_runs", lambda request, *_: prepared.append(request) or []
    )
    request = training.TrainRequest(
        network=preset_network("cifar-resnet20"),
        dataset="synthetic",
        data_root=None,
        subset=None,
        recipe=Recipe(),
        name="a-resnet20",  # a past run's name (read from its folder)
    )
    controller.start(request)
    controller.start(request)  # before the first has a row: its name is reserved
    assert controller.unique_name("a-resnet20") == "a-resnet20-4"
    qtbot.waitUntil(lambda: len(prepared) == 2)
    assert sorted(r.name for r in prepared) == ["a-resnet20-2", "a-resnet20-3"]
    qtbot.waitUntil(lambda: controller.unique_name("a-resnet20") == "a-resnet20-2")  # started


# --- notices ---------------------------------------------------------------------------


def test_a_run_that_ends_is_told_in_the_status_bar_and_on_the_desktop(
    qtbot, window, monkeypatch
) -> None:
    shown = []
    monkeypatch.setattr(run_notices, "tray_available", lambda: True)
    monkeypatch.setattr(
        QSystemTrayIcon, "showMessage", lambda self, title, text, *args: shown.append(text)
    )
    model = window.training.model
    entry = live_entry("cifar-resnet20")
    model._append(entry)
    entry.apply(EpochEnd(1, 100, 1.0, 0.3, 1.1, 0.25, 0.1, 5.0, 100.0))
    model._apply(entry, Finished(1, 100, 1.1, 0.25, 5.0, 1.2, 0.2675, 100))
    message = "cifar-resnet20 finished: validation error 25.00%, test error 26.75%"
    assert window.statusBar().currentMessage() == message
    assert shown == [message]

    stopped = live_entry("by-hand")
    model._append(stopped)
    model._apply(stopped, Cancelled(0.5, 50))
    assert window.statusBar().currentMessage() == "by-hand stopped at epoch 0; Resume continues it"
    assert len(shown) == 1  # the user pressed Stop: no desktop notification

    failed = live_entry("broken")
    model._append(failed)
    model._apply(failed, Failed("CUDA out of memory"))
    assert window.statusBar().currentMessage() == "broken failed: CUDA out of memory"
    assert shown[-1] == "broken failed: CUDA out of memory"


def test_without_a_system_tray_nothing_more_is_shown(qapp, monkeypatch) -> None:
    monkeypatch.setattr(run_notices, "tray_available", lambda: False)
    model = RunsModel()
    notices = DesktopNotices(model)
    entry = live_entry("r")
    model._append(entry)
    model._apply(entry, Finished(1, 100, 1.1, 0.25, 5.0, 1.2, 0.2675, 100))
    assert notices._tray is None
    assert ended_message(entry).startswith("r finished")


def test_the_train_dialog_says_a_taken_name_is_numbered(qtbot, controller) -> None:
    from resnet_studio.gui.train_dialog import TrainDialog

    dialog = TrainDialog(preset_network("cifar-resnet20"), controller)
    qtbot.addWidget(dialog)
    dialog.twin.setChecked(True)
    dialog.name.setText("a-resnet20")  # the name of a past run in the table
    text = dialog.check_label.text()
    assert "a-resnet20-2 and a-plain20-2" in text and "Numbered" in text
    dialog.name.setText("fresh")
    assert "fresh and fresh-plain" in dialog.check_label.text()
    assert "Numbered" not in dialog.check_label.text()
