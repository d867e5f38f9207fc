"""The window's Design and Training layouts, the start page at start-up and the guide's
links, as a user meets them in the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import project_to_json
from resnet_studio.arch.spec import Residual, walk
from resnet_studio.gui import app as studio_app
from resnet_studio.gui.experiment_dialog import NewExperimentDialog
from resnet_studio.gui.main_window import MainWindow, open_windows
from resnet_studio.gui.welcome import REOPEN_KEY, SCRATCH, SHOW_KEY, WelcomeDialog
from resnet_studio.gui.workspaces import DESIGN, TRAINING


def shown(qtbot) -> MainWindow:
    window = MainWindow()
    window.show()
    qtbot.waitExposed(window)
    return window


def test_ctrl_2_gives_the_window_to_training_and_it_is_kept_for_next_time(
    qtbot, window: MainWindow
) -> None:
    assert window.design_layout_action.isChecked() and window.canvas.isVisible()
    assert window.training_layout_action.shortcut().toString() == "Ctrl+2"
    window.training_layout_action.trigger()
    # The plots get most of the room (once the layout has settled).
    qtbot.waitUntil(lambda: window.curves_dock.height() > window.height() / 2)
    assert window.training_layout_action.isChecked() and not window.canvas.isVisible()
    assert not window.palette_dock.isVisible() and not window.inspector_dock.isVisible()
    assert window.runs_dock.isVisible() and window.runs_dock.width() > 1200
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.runs_dock)  # moved
    window.close()

    again = shown(qtbot)
    assert again.workspaces.current == TRAINING and not again.canvas.isVisible()
    assert again.dockWidgetArea(again.runs_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    again.make_plain_twin()  # a window opened later shows its network: Design
    [twin] = [w for w in open_windows() if w is not again]
    assert twin.workspaces.current == DESIGN and twin.canvas.isVisible()
    twin.close()
    again.design_layout_action.trigger()
    assert again.canvas.isVisible() and again.palette_dock.isVisible()
    assert again.workspaces.current == DESIGN


def test_training_started_in_the_design_layout_offers_the_training_layout(
    window: MainWindow,
) -> None:
    window.training.runs_started.emit(["resnet20"])
    offer = window.workspaces.offer
    assert offer is not None and "Ctrl+2" in offer.text()
    offer.click()
    assert window.workspaces.current == TRAINING and not window.canvas.isVisible()


def test_guide_links_open_the_network_its_twin_and_the_study(qtbot, window: MainWindow) -> None:
    window._follow_guide_link("twin", "cifar-resnet20")  # an untouched window: here
    assert window.document.network.name.startswith("cifar-plain20")
    blocks = [n for n in walk(window.document.network.body) if isinstance(n, Residual)]
    assert blocks and all(b.shortcut == "none" for b in blocks)  # plain: no shortcuts
    window._follow_guide_link("experiment", "shortcuts-ab")
    [dialog] = [d for d in window.findChildren(NewExperimentDialog) if d.isVisible()]
    assert dialog.builtin_radio.isChecked() and dialog.study.currentData() == "shortcuts-ab"
    dialog.reject()


def test_first_start_shows_the_start_page_and_build_from_scratch_empties_the_network(
    qtbot, window: MainWindow
) -> None:
    studio_app.start(window)
    [page] = [d for d in window.findChildren(WelcomeDialog) if d.isVisible()]
    page.buttons[SCRATCH].click()
    qtbot.waitUntil(lambda: not window.document.network.body)
    assert window.document.undo_stack.count() == 1  # one undo step back to ResNet-20


def test_the_last_project_is_reopened_at_start_when_asked(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    project = tmp_path / "mine.json"
    project.write_text(project_to_json(preset_network("cifar-resnet32")))
    assert window.open_path(project)
    window.close()
    again = shown(qtbot)
    again.settings.setValue(REOPEN_KEY, True)
    studio_app.start(again)
    assert again.document.path == project and again.document.network.name == "cifar-resnet32"
    assert not [d for d in again.findChildren(WelcomeDialog) if d.isVisible()]


def test_the_start_page_can_be_turned_off(window: MainWindow) -> None:
    window.settings.setValue(SHOW_KEY, False)
    studio_app.start(window)
    QApplication.processEvents()
    assert not [d for d in window.findChildren(WelcomeDialog) if d.isVisible()]
