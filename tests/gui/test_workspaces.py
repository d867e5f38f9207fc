"""The Design and Training layouts of a window, each remembered on its own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QStatusBar, QTextEdit

from resnet_studio.gui.workspaces import DESIGN, TRAINING, Workspaces

LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
TOP, BOTTOM = Qt.DockWidgetArea.TopDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea


class Window(QMainWindow):
    """The docks of the real window, with labels in them."""

    def __init__(self) -> None:
        super().__init__()
        self.resize(1280, 800)
        self.setCentralWidget(QTextEdit("canvas"))
        self.docks = {}
        for name, area in (
            ("palette", LEFT),
            ("inspector", RIGHT),
            ("layers", BOTTOM),
            ("runs", BOTTOM),
            ("curves", BOTTOM),
            ("layer-stats", BOTTOM),
        ):
            dock = QDockWidget(name, self)
            dock.setObjectName(name)
            dock.setWidget(QLabel(name))
            self.addDockWidget(area, dock)
            self.docks[name] = dock
        for name in ("runs", "curves", "layer-stats"):
            self.tabifyDockWidget(self.docks["layers"], self.docks[name])

    def workspaces(self, settings: QSettings) -> Workspaces:
        d = self.docks
        return Workspaces(
            self,
            settings,
            [d["palette"], d["inspector"], d["layers"]],
            d["runs"],
            [d["curves"], d["layer-stats"]],
        )


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "layouts.ini"), QSettings.Format.IniFormat)


def shown(qtbot) -> Window:
    window = Window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_training_gives_the_window_to_the_runs_and_plots(qtbot, settings) -> None:
    window = shown(qtbot)
    spaces = window.workspaces(settings)
    spaces.switch(TRAINING)
    qtbot.wait(50)
    d = window.docks
    assert not window.centralWidget().isVisible()
    assert not any(d[n].isVisible() for n in ("palette", "inspector", "layers"))
    assert window.dockWidgetArea(d["runs"]) == BOTTOM and d["runs"].isVisible()
    assert d["runs"].y() < d["curves"].y()  # the table over the plots
    assert window.dockWidgetArea(d["curves"]) == BOTTOM and d["curves"].isVisible()
    # Runs and curves share the whole window, the plots with most of it.
    assert d["runs"].width() > 1200 and d["curves"].width() > 1200
    assert d["curves"].height() > d["runs"].height() > 150
    spaces.switch(DESIGN)
    qtbot.wait(50)
    assert window.centralWidget().isVisible() and d["palette"].isVisible()
    assert window.dockWidgetArea(d["runs"]) == BOTTOM


def test_each_layout_keeps_its_own_arrangement_across_switches_and_restarts(
    qtbot, settings
) -> None:
    window = shown(qtbot)
    spaces = window.workspaces(settings)
    spaces.switch(TRAINING)
    window.addDockWidget(LEFT, window.docks["runs"])  # the user moves the runs table
    spaces.switch(DESIGN)
    window.addDockWidget(RIGHT, window.docks["palette"])  # and the palette, in Design
    spaces.switch(TRAINING)
    qtbot.wait(50)
    assert window.dockWidgetArea(window.docks["runs"]) == LEFT
    spaces.save()  # as the window does when it closes
    window.close()

    again = shown(qtbot)  # the next start
    spaces = again.workspaces(settings)
    spaces.restore()
    qtbot.wait(50)
    assert spaces.current == TRAINING and not again.centralWidget().isVisible()
    assert again.dockWidgetArea(again.docks["runs"]) == LEFT
    spaces.switch(DESIGN)
    qtbot.wait(50)
    assert again.dockWidgetArea(again.docks["palette"]) == RIGHT
    spaces.reset()  # Reset Layout: Design as built
    qtbot.wait(50)
    assert again.dockWidgetArea(again.docks["palette"]) == LEFT


def test_starting_training_offers_the_training_layout_once(qtbot, settings) -> None:
    window = shown(qtbot)
    bar = QStatusBar()
    window.setStatusBar(bar)
    spaces = window.workspaces(settings)
    spaces.offer_training(bar, "Show training (Ctrl+2)")
    spaces.offer_training(bar, "Show training (Ctrl+2)")  # a second run: still one offer
    offers = [b for b in bar.findChildren(type(spaces.offer)) if not b.isHidden()]
    assert offers == [spaces.offer]
    spaces.offer.click()
    assert spaces.current == TRAINING and spaces.offer is None
    spaces.offer_training(bar, "Show training (Ctrl+2)")  # already there: no offer
    assert spaces.offer is None


def test_an_unknown_layout_is_refused(qtbot, settings) -> None:
    spaces = shown(qtbot).workspaces(settings)
    with pytest.raises(ValueError, match="no layout called 'plots'"):
        spaces.switch("plots")
