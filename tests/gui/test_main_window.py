"""The designer window: menus, edits through its actions, files, export, recovery, layout.

The canvas, palette, inspector and layers table are tested on their own
elsewhere; here they are driven through the window that ties them together.
Dialogs never block (see conftest.py): tests set what they answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QPointF,
    QSettings,
    Qt,
    QThreadPool,
    QTranslator,
)
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMessageBox, QToolBar

from resnet_studio.arch import edit
from resnet_studio.arch.clipboard import CLIPBOARD_KEY
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import load_project, project_to_json
from resnet_studio.arch.spec import Linear, Network, Repeat, Residual, walk
from resnet_studio.gui import app as studio_app
from resnet_studio.gui.field_editors import redo_shortcuts
from resnet_studio.gui.layers_table import KIND
from resnet_studio.gui.main_window import MainWindow, open_windows
from resnet_studio.gui.preset_dialog import PresetDialog
from resnet_studio.gui.recovery import recovery_dir

Button = QMessageBox.StandardButton
SK = QKeySequence.StandardKey


def plain(text: str) -> str:
    return text.replace("&", "").replace("…", "").strip()


def menu(window: MainWindow, title: str):
    for action in window.menuBar().actions():
        if plain(action.text()) == title:
            return action.menu()
    raise AssertionError(f"no {title} menu")


def menu_action(window: MainWindow, menu_title: str, text: str):
    for action in menu(window, menu_title).actions():
        if plain(action.text()) == text:
            return action
    raise AssertionError(f"no {text!r} in the {menu_title} menu")


def top(window: MainWindow, name: str):
    return next(n for n in window.document.network.body if n.name == name)


def names(window: MainWindow) -> list[str]:
    return [n.name for n in window.document.network.body]


def between(window: MainWindow, upper: str, lower: str) -> QPointF:
    """The scene point halfway between the cards of two top-level nodes."""
    a = window.canvas.item_for(top(window, upper).id).sceneBoundingRect()
    b = window.canvas.item_for(top(window, lower).id).sceneBoundingRect()
    return QPointF(a.center().x(), (a.bottom() + b.top()) / 2)


def modify(window: MainWindow) -> None:
    """One undoable edit: a ReLU appended at the end."""
    window.document.select([])
    window.palette.append_requested.emit("relu")
    assert window.document.modified


def other_windows(window: MainWindow) -> list[MainWindow]:
    return [w for w in open_windows() if w is not window]


# --- opening -----------------------------------------------------------------------------


def test_opens_on_the_built_in_network(window: MainWindow) -> None:
    assert window.document.network.name == "cifar-resnet20"
    assert "cifar-resnet20" in window.windowTitle()
    assert window.windowTitle().endswith("— ResNet Studio")
    assert not window.isWindowModified()
    assert window.totals_label.text().startswith("269,722 parameters")
    assert "40.6 M multiply-adds" in window.totals_label.text()
    assert window.totals_label.toolTip() == "40,552,426 multiply-adds"
    assert window in open_windows()


def test_canvas_inspector_and_status_bar_write_a_count_alike(qtbot) -> None:
    window = MainWindow(preset_network("cifar-resnet56"))
    doc = window.document
    conv1 = doc.network.body[0]
    doc.select([conv1.id])
    macs = next(r.macs for r in doc.summary.rows if r.node_id == conv1.id)
    assert macs == 442_368
    assert "442 k multiply-adds" in window.canvas.item_for(conv1.id).toolTip()
    assert "442 k multiply-adds" in window.inspector.stats_label.text()
    assert doc.summary.total_macs == 125_489_770
    assert "125 M multiply-adds" in window.totals_label.text()
    [totals] = [
        i for i in window.canvas.scene().items() if "parameters" in getattr(i, "text", str)()
    ]
    assert "125 M multiply-adds" in totals.text()


def test_title_follows_the_network_name(window: MainWindow) -> None:
    modify(window)  # already unsaved: the clean state does not change on rename
    window.network_settings.name_edit.setText("my_net")
    window.network_settings.name_edit.editingFinished.emit()
    assert window.document.network.name == "my_net"
    assert window.windowTitle().startswith("my_net[*]") and window.isWindowModified()
    window.undo_action.trigger()
    assert window.windowTitle().startswith("cifar-resnet20[*]")


def test_docks_have_stable_object_names(window: MainWindow) -> None:
    docks = {d.objectName(): d for d in window.findChildren(QDockWidget)}
    assert set(docks) == {
        "palette",
        "inspector",
        "layers",
        "runs",
        "curves",
        "layer-stats",
        "evaluation",
        "experiments",
    }
    assert docks["palette"].widget() is window.palette
    assert docks["layers"].widget() is window.layers
    assert docks["inspector"].widget().widget().isAncestorOf(window.inspector)
    assert all(d.isVisible() for d in docks.values())
    assert window.centralWidget() is window.canvas


def test_menus_and_standard_shortcuts(window: MainWindow) -> None:
    titles = [plain(a.text()) for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Network", "Training", "Help"]
    standard = {
        ("File", "New"): SK.New,
        ("File", "Open"): SK.Open,
        ("File", "Save"): SK.Save,
        ("File", "Save As"): SK.SaveAs,
        ("File", "Close Window"): SK.Close,
        ("File", "Quit"): SK.Quit,
        ("Edit", "Undo"): SK.Undo,
        ("Edit", "Redo"): SK.Redo,
        ("Edit", "Cut"): SK.Cut,
        ("Edit", "Copy"): SK.Copy,
        ("Edit", "Paste"): SK.Paste,
        ("Edit", "Delete"): SK.Delete,
    }
    for (title, text), key in standard.items():
        action = menu_action(window, title, text)
        if text != "Redo":  # the platform's keys and Ctrl+Y: tested below
            assert action.shortcuts() == QKeySequence.keyBindings(key), text
    assert QKeySequence("Ctrl+N") in QKeySequence.keyBindings(SK.New)
    assert menu_action(window, "Edit", "Duplicate").shortcut() == QKeySequence("Ctrl+D")
    for text in ("Make Plain Twin", "Wrap in Residual", "Wrap in Repeat", "Unwrap"):
        menu_action(window, "Network", text)
    help_texts = [plain(a.text()) for a in menu(window, "Help").actions()]
    assert help_texts == [
        "About Residual Learning",
        "Welcome Page",
        "Keyboard Shortcuts",
        "About ResNet Studio",
    ]


def test_redo_has_the_platform_keys_and_ctrl_y(window: MainWindow) -> None:
    shortcuts = menu_action(window, "Edit", "Redo").shortcuts()
    for key in (*QKeySequence.keyBindings(SK.Redo), QKeySequence("Ctrl+Y")):
        assert key in shortcuts
    assert QKeySequence("Ctrl+Shift+Z") in shortcuts


def test_ctrl_y_redoes_where_the_platform_has_only_ctrl_shift_z(monkeypatch) -> None:
    """As on X11 desktops, whose standard Redo is Ctrl+Shift+Z alone."""
    platform = {SK.Redo: [QKeySequence("Ctrl+Shift+Z")]}
    monkeypatch.setattr(QKeySequence, "keyBindings", lambda key: platform[key])
    assert redo_shortcuts() == [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]


def test_undo_and_redo_keys_act_on_the_network_from_a_field_not_being_edited(
    window: MainWindow, qtbot
) -> None:
    doc = window.document
    conv = top(window, "conv1")
    doc.select([conv.id])
    channels = window.inspector.editor("out_channels")
    channels.selectAll()
    qtbot.keyClicks(channels, "32")
    qtbot.keyClick(channels, Qt.Key.Key_Return)
    assert doc.node(conv.id).out_channels == 32

    ctrl = Qt.KeyboardModifier.ControlModifier
    for field in ("out_channels", "kernel", "name"):  # typed in, or only looked at
        editor = window.inspector.editor(field)
        qtbot.keyClick(editor, Qt.Key.Key_Z, ctrl)
        assert doc.node(conv.id).out_channels == 16, field
        assert channels.value() == 16
        qtbot.keyClick(editor, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
        assert doc.node(conv.id).out_channels == 32, field
        qtbot.keyClick(editor, Qt.Key.Key_Z, ctrl)
        qtbot.keyClick(editor, Qt.Key.Key_Y, ctrl)
        assert doc.node(conv.id).out_channels == 32, field

    # Text being typed is the field's own to undo; the network stays as it is.
    kernel = window.inspector.editor("kernel")
    kernel.lineEdit().end(False)
    qtbot.keyClicks(kernel, "5")
    assert kernel.text() == "35"
    qtbot.keyClick(kernel, Qt.Key.Key_Z, ctrl)
    assert kernel.text() == "3"
    assert doc.node(conv.id).out_channels == 32
    assert doc.undo_stack.index() == 1


def test_every_menu_action_has_text(window: MainWindow) -> None:
    def check(m, where: str) -> int:
        m.aboutToShow.emit()  # fills the recent-files menu
        count = 0
        for action in m.actions():
            if action.isSeparator():
                continue
            assert plain(action.text()), f"an action without text in {where}"
            count += 1
            if action.menu():
                count += check(action.menu(), f"{where} > {plain(action.text())}")
        return count

    assert sum(check(a.menu(), plain(a.text())) for a in window.menuBar().actions()) > 25


def test_strings_go_through_tr_with_the_window_context(qtbot, qapp) -> None:
    class French(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):
            if (context, source) == ("MainWindow", "&File"):
                return "&Fichier"
            if (context, source) == ("MainWindow", "Palette"):
                return "Palette FR"
            return None

    translator = French()
    assert qapp.installTranslator(translator)
    try:
        win = MainWindow()
    finally:
        qapp.removeTranslator(translator)
    titles = [a.text() for a in win.menuBar().actions()]
    assert titles[0] == "&Fichier"
    assert titles[1] == "&Edit"
    assert win.palette_dock.windowTitle() == "Palette FR"


def test_about_shows_the_version(window: MainWindow, dialogs) -> None:
    from resnet_studio import __version__

    menu_action(window, "Help", "About ResNet Studio").trigger()
    [(_, title, text)] = dialogs.of("about")
    assert "ResNet Studio" in title and __version__ in text


# --- edits ---------------------------------------------------------------------------------


def test_palette_drop_between_two_cards_is_one_undo_step(window: MainWindow) -> None:
    doc, stack = window.document, window.document.undo_stack
    before = doc.network
    pos = between(window, "conv1", "bn1")
    assert window.canvas.drop_target(pos) == (None, 1)

    assert window.canvas.drop_mime(window.palette.mime_data_for("relu"), pos)

    node = doc.network.body[1]
    assert node.kind == "ReLU" and node.name == "relu2"  # "relu" is taken
    assert names(window)[:3] == ["conv1", "relu2", "bn1"]
    assert stack.count() == 1 and doc.selection == [node.id]
    assert window.isWindowModified()

    window.undo_action.trigger()
    assert doc.network == before and not window.isWindowModified()
    window.redo_action.trigger()
    assert doc.network.body[1] == node and window.isWindowModified()
    assert stack.count() == 1


def test_palette_drop_sizes_the_new_layer_for_its_place(window: MainWindow) -> None:
    pos = between(window, "layer2", "layer3")
    assert window.canvas.drop_mime(window.palette.mime_data_for("conv3x3"), pos)
    node = window.document.network.body[5]
    assert node.kind == "Conv2d" and node.out_channels == 32  # layer2's output
    assert window.document.summary.ok


def test_palette_double_click_appends_after_selection_or_at_end(window: MainWindow) -> None:
    doc = window.document
    doc.select([top(window, "bn1").id])
    window.palette.append_requested.emit("relu")
    assert names(window)[:4] == ["conv1", "bn1", "relu2", "relu"]
    assert doc.selection == [doc.network.body[2].id]

    doc.select([])
    window.palette.append_requested.emit("dropout")
    assert doc.network.body[-1].kind == "Dropout"
    assert doc.undo_stack.count() == 2


def test_palette_double_click_with_a_block_selected_appends_after_it(window: MainWindow) -> None:
    doc = window.document
    layer1 = top(window, "layer1")
    doc.select([layer1.id])
    window.palette.append_requested.emit("relu")
    body = doc.network.body
    assert [n.name for n in body[3:6]] == ["layer1", "relu2", "layer2"]
    assert top(window, "layer1").body == layer1.body  # the stage is as it was

    block = layer1.body[0]  # a Residual inside the stage: after it, still in the stage
    doc.select([block.id])
    window.palette.append_requested.emit("dropout")
    assert [n.kind for n in top(window, "layer1").body] == ["Residual", "Dropout"]
    assert edit.find_node(doc.network, block.id) == block


def test_palette_double_click_fills_an_empty_block(window: MainWindow) -> None:
    doc = window.document
    doc.select([])
    window.palette.append_requested.emit("repeat")
    stage = doc.network.body[-1]
    assert doc.selection == [stage.id] and stage.body == ()
    window.palette.append_requested.emit("relu")
    assert [n.kind for n in doc.network.body[-1].body] == ["ReLU"]


def test_delete_selected_node(window: MainWindow) -> None:
    doc = window.document
    before = doc.network
    assert not window.delete_action.isEnabled()
    doc.select([top(window, "relu").id])
    assert window.delete_action.isEnabled()
    menu_action(window, "Edit", "Delete").trigger()
    assert "relu" not in names(window) and doc.selection == []
    assert doc.undo_stack.count() == 1
    window.undo_action.trigger()
    assert doc.network == before


def test_copy_paste_round_trips_through_the_clipboard_with_fresh_ids(window: MainWindow) -> None:
    doc = window.document
    layer1 = top(window, "layer1")
    doc.select([layer1.id])
    menu_action(window, "Edit", "Copy").trigger()
    copied = json.loads(QGuiApplication.clipboard().text())
    assert copied[CLIPBOARD_KEY][0]["name"] == "layer1"
    assert doc.undo_stack.count() == 0  # copying changes nothing

    doc.select([top(window, "relu").id])
    menu_action(window, "Edit", "Paste").trigger()
    pasted = doc.network.body[3]
    assert names(window)[2:5] == ["relu", "layer4", "layer1"]  # layer1-3 are taken
    assert isinstance(pasted, Repeat) and pasted.count == layer1.count
    assert doc.selection == [pasted.id]
    old_ids = {n.id for n in walk((layer1,))}
    new_ids = {n.id for n in walk((pasted,))}
    assert len(new_ids) == len(old_ids) and not old_ids & new_ids
    assert doc.undo_stack.count() == 1


def test_paste_ignores_foreign_clipboard_text(window: MainWindow) -> None:
    for text in ("not layers", '{"kind": "Conv2d"}', '[{"kind": "ReLU", "name": "r"}]'):
        QGuiApplication.clipboard().setText(text)
        menu_action(window, "Edit", "Paste").trigger()
        assert window.document.undo_stack.count() == 0


def test_paste_of_hostile_or_damaged_layers_changes_nothing(window: MainWindow, dialogs) -> None:
    # Nested far past any network: refused before the parser recurses (no RecursionError).
    deep = f'{{"{CLIPBOARD_KEY}": ' + "[" * 100_000 + "]" * 100_000 + "}"
    QGuiApplication.clipboard().setText(deep)
    menu_action(window, "Edit", "Paste").trigger()
    assert window.document.undo_stack.count() == 0 and dialogs.calls == []

    bad = {CLIPBOARD_KEY: [{"kind": "Conv2d", "name": "c", "out_channels": 0}]}
    QGuiApplication.clipboard().setText(json.dumps(bad))
    menu_action(window, "Edit", "Paste").trigger()
    [(_, title, text)] = dialogs.of("information")
    assert title == "Cannot paste" and "out_channels: must be from 1" in text
    assert window.document.undo_stack.count() == 0


def test_cut_removes_and_paste_puts_back(window: MainWindow) -> None:
    doc = window.document
    relu = top(window, "relu")
    doc.select([relu.id])
    menu_action(window, "Edit", "Cut").trigger()
    assert "relu" not in names(window)
    doc.select([top(window, "fc").id])
    menu_action(window, "Edit", "Paste").trigger()
    assert names(window)[-2:] == ["fc", "relu"]
    assert doc.network.body[-1].id != relu.id
    assert doc.undo_stack.count() == 2


def test_duplicate_inserts_a_fresh_copy_after(window: MainWindow) -> None:
    doc = window.document
    conv = top(window, "conv1")
    doc.select([conv.id])
    action = menu_action(window, "Edit", "Duplicate")
    assert action.shortcut() == QKeySequence("Ctrl+D")
    action.trigger()
    copy = doc.network.body[1]
    assert names(window)[:3] == ["conv1", "conv2", "bn1"]
    assert copy.kind == "Conv2d" and copy.id != conv.id and copy.out_channels == conv.out_channels
    assert doc.selection == [copy.id] and doc.undo_stack.count() == 1


@pytest.mark.parametrize(
    ("text", "kind"), [("Wrap in Residual", Residual), ("Wrap in Repeat", Repeat)]
)
def test_wrap_and_unwrap_from_the_network_menu(window: MainWindow, text: str, kind) -> None:
    doc = window.document
    before = doc.network
    doc.select([top(window, "bn1").id, top(window, "relu").id])
    assert not menu_action(window, "Network", "Unwrap").isEnabled()
    menu_action(window, "Network", text).trigger()
    container = doc.network.body[1]
    assert isinstance(container, kind)
    assert [n.name for n in container.body] == ["bn1", "relu"]
    assert names(window)[:3] == ["conv1", container.name, "layer1"]
    assert doc.selection == [container.id]
    if kind is Residual:  # identity shortcut: no new weights
        assert doc.summary.total_params == 269_722

    unwrap = menu_action(window, "Network", "Unwrap")
    assert unwrap.isEnabled()
    unwrap.trigger()
    assert doc.network == before
    assert doc.undo_stack.count() == 2


def test_wrapping_non_neighbours_explains_why_not(window: MainWindow, dialogs) -> None:
    doc = window.document
    doc.select([top(window, "conv1").id, top(window, "relu").id])
    menu_action(window, "Network", "Wrap in Residual").trigger()
    [(_, title, text)] = dialogs.of("information")
    assert "wrap" in title.lower() and "neighbouring" in text
    assert doc.undo_stack.count() == 0


# --- files -----------------------------------------------------------------------------------


def test_save_then_open_round_trip(window: MainWindow, dialogs, tmp_path: Path) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    path = folder / "mine.json"
    modify(window)
    window.recovery.write(window.document.network, None)
    dialogs.save_path = path

    menu_action(window, "File", "Save").trigger()  # no path yet: asks where

    assert [c[0] for c in dialogs.calls] == ["save"]
    assert load_project(path) == window.document.network
    assert sorted(p.name for p in folder.iterdir()) == ["mine.json"]  # no temp files left
    assert not window.isWindowModified() and "mine.json" in window.windowTitle()
    assert window.document.path == path
    assert not window.recovery.path.exists()  # saved: nothing to recover
    assert window.recent_files()[0] == str(path)

    # The recent list lives in the sandboxed settings file, not the user's.
    window.settings.sync()
    assert window.settings.fileName().startswith(str(tmp_path))
    stored = QSettings(window.settings.fileName(), QSettings.Format.IniFormat)
    assert stored.value("files/recent") in (str(path), [str(path)])

    fresh = MainWindow()
    assert fresh.open_path(path)
    assert fresh.document.network == window.document.network
    assert fresh.document.path == path and not fresh.isWindowModified()
    assert "mine.json" in fresh.windowTitle()
    assert fresh.document.undo_stack.count() == 0


def test_save_again_writes_to_the_same_file_without_asking(
    window: MainWindow, dialogs, tmp_path: Path
) -> None:
    path = tmp_path / "again.json"
    dialogs.save_path = path
    window.save_as()
    modify(window)
    dialogs.save_path = None
    assert window.save()
    assert len(dialogs.of("save")) == 1
    assert load_project(path) == window.document.network


def test_open_from_a_modified_window_opens_a_new_window(
    window: MainWindow, dialogs, tmp_path: Path
) -> None:
    path = tmp_path / "p.json"
    path.write_text(project_to_json(preset_network("cifar-resnet32")), encoding="utf-8")
    modify(window)
    before = window.document.network
    dialogs.open_path = path
    menu_action(window, "File", "Open").trigger()
    [new] = other_windows(window)
    assert new.document.network.name == "cifar-resnet32" and new.isVisible()
    assert window.document.network == before


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"format": "resnet-studio-project", "version": 1, "network": [', "not valid JSON"),
        ('{"kind": "something else"}', "not a ResNet Studio project"),
        (
            '{"format": "resnet-studio-project", "version": 99, "network": {}}',
            "version 99 is not supported",
        ),
    ],
    ids=["corrupt", "foreign", "future"],
)
@pytest.mark.parametrize("pristine", [True, False], ids=["pristine", "modified"])
def test_bad_project_file_warns_and_changes_nothing(
    window: MainWindow, dialogs, tmp_path: Path, content: str, problem: str, pristine: bool
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    if not pristine:
        modify(window)
    before = (
        window.document.network,
        window.document.undo_stack.count(),
        window.document.undo_stack.index(),
        window.windowTitle(),
        window.isWindowModified(),
        window.document.path,
    )

    assert not window.open_path(path)

    [(_, title, text)] = dialogs.of("warning")
    assert "open" in title.lower()
    assert problem in text and str(path) in text
    after = (
        window.document.network,
        window.document.undo_stack.count(),
        window.document.undo_stack.index(),
        window.windowTitle(),
        window.isWindowModified(),
        window.document.path,
    )
    assert after == before
    assert other_windows(window) == []
    assert str(path) not in window.recent_files()


# --- closing -----------------------------------------------------------------------------------


def test_close_unsaved_cancel_keeps_the_window(window: MainWindow, dialogs) -> None:
    modify(window)
    dialogs.answer = Button.Cancel
    assert not window.close()
    [(_, title, text)] = dialogs.of("question")
    assert "unsaved" in title.lower() and "cifar-resnet20" in text
    assert window.isVisible() and window in open_windows()
    assert window.document.modified


def test_close_unsaved_discard_closes(window: MainWindow, dialogs) -> None:
    modify(window)
    window._autosave()
    recovery = window.recovery.path
    assert recovery.exists()
    dialogs.answer = Button.Discard
    assert window.close()
    assert window not in open_windows()
    assert not recovery.exists()  # a normal close leaves nothing to recover


def test_close_unsaved_save_saves_then_closes(window: MainWindow, dialogs, tmp_path: Path) -> None:
    modify(window)
    network = window.document.network
    dialogs.answer = Button.Save
    dialogs.save_path = tmp_path / "closing.json"
    assert window.close()
    assert load_project(tmp_path / "closing.json") == network
    assert window not in open_windows()


def test_close_unsaved_save_cancelled_keeps_the_window(window: MainWindow, dialogs) -> None:
    modify(window)
    dialogs.answer = Button.Save
    dialogs.save_path = None  # the user cancels the save dialog
    assert not window.close()
    assert window in open_windows() and window.document.modified


def test_clean_window_closes_without_asking(window: MainWindow, dialogs) -> None:
    menu_action(window, "File", "Close Window").trigger()
    assert dialogs.of("question") == []
    assert window not in open_windows()


def test_close_window_closes_only_this_one(window: MainWindow, dialogs) -> None:
    other = MainWindow()
    other.show()
    modify(window)
    dialogs.answer = Button.Discard
    menu_action(window, "File", "Close Window").trigger()
    [(_, title, _)] = dialogs.of("question")
    assert title == "Unsaved changes"
    assert open_windows() == [other] and other.isVisible()


def test_quit_closes_every_window_asking_once(window: MainWindow, dialogs) -> None:
    second, third = MainWindow(preset_network("cifar-resnet32")), MainWindow()
    for w in (second, third):
        w.show()
    modify(window)
    modify(second)
    dialogs.answer = Button.Cancel
    menu_action(third, "File", "Quit").trigger()
    [(_, title, text)] = dialogs.of("question")
    assert title == "Quit ResNet Studio"
    assert text == "Save the changes to cifar-resnet20, cifar-resnet32 before quitting?"
    assert open_windows() == [window, second, third]  # cancelled: nothing closed

    dialogs.answer = Button.Discard
    menu_action(third, "File", "Quit").trigger()
    assert len(dialogs.of("question")) == 2  # once per Quit, never once per window
    assert open_windows() == []


def test_quit_saves_every_unsaved_window_first(window: MainWindow, dialogs, tmp_path) -> None:
    other = MainWindow()
    other.show()
    modify(window)
    dialogs.answer = Button.Save
    dialogs.save_path = None  # the save dialog is cancelled: quitting stops there
    menu_action(other, "File", "Quit").trigger()
    assert open_windows() == [window, other] and window.document.modified

    dialogs.save_path = tmp_path / "kept.json"
    menu_action(other, "File", "Quit").trigger()
    assert load_project(tmp_path / "kept.json") == window.document.network
    assert open_windows() == []


def test_quit_stops_training_runs_after_asking_once(
    window: MainWindow, dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = MainWindow()
    other.show()
    stopped = []
    monkeypatch.setattr(window.training, "training", lambda: ["a run", "another"])
    monkeypatch.setattr(window.training, "stop_all", lambda *a: stopped.append(a) or True)
    dialogs.answer = Button.Cancel
    menu_action(window, "File", "Quit").trigger()
    [(_, _, text)] = dialogs.of("question")
    assert text.startswith("2 runs are still training.") and text.endswith("Quit anyway?")
    assert stopped == [] and len(open_windows()) == 2

    dialogs.answer = Button.Yes
    menu_action(window, "File", "Quit").trigger()
    assert len(dialogs.of("question")) == 2 and len(stopped) == 1
    assert open_windows() == []


def test_toolbar_labels_stay_put_while_undo_names_its_command(window: MainWindow) -> None:
    toolbar = window.findChild(QToolBar)
    undo_button = toolbar.widgetForAction(window.undo_action)
    train_button = toolbar.widgetForAction(window.train_action)
    before = (undo_button.text(), undo_button.width(), train_button.x())
    assert not window.undo_action.isEnabled()

    modify(window)
    QApplication.processEvents()
    assert window.undo_action.isEnabled()
    assert plain(window.undo_action.text()) == "Undo Add ReLU"  # the Edit menu names it
    assert undo_button.toolTip() == "Undo Add ReLU"
    assert (undo_button.text(), undo_button.width(), train_button.x()) == before
    assert before[0] == "Undo"

    window.undo_action.trigger()
    assert plain(window.redo_action.text()) == "Redo Add ReLU"
    assert toolbar.widgetForAction(window.redo_action).text() == "Redo"
    assert plain(window.undo_action.text()) == "Undo" and not window.undo_action.isEnabled()


def test_keyboard_shortcuts_lists_the_keys_of_the_action_table(window: MainWindow, qtbot) -> None:
    from resnet_studio.gui.actions import commands
    from resnet_studio.gui.shortcuts_dialog import ShortcutsDialog

    menu_action(window, "Help", "Keyboard Shortcuts").trigger()
    [dialog] = window.findChildren(ShortcutsDialog)
    qtbot.waitExposed(dialog)
    rows = dialog.rows()
    assert ("File", "Save", "Ctrl+S") in rows
    assert ("Edit", "Duplicate", "Ctrl+D") in rows
    assert ("Network", "Wrap in Residual", "Ctrl+R") in rows
    assert ("Help", "Keyboard Shortcuts", "F1") in rows
    [(_, _, undo_keys)] = [row for row in rows if row[1] == "Undo"]
    assert undo_keys.startswith("Ctrl+Z") and "Undo" not in undo_keys  # no Undo key itself
    # Every command with keys is listed, under its first menu, in the table's order
    # within it, with the keys its action has.
    listed = [
        (plain(c.where[0]), plain(c.text), getattr(window, f"{c.name}_action").shortcuts())
        for c in commands()
    ]
    expected = [(menu, text) for menu, text, keys in listed if keys]
    menus = list(dict.fromkeys(menu for menu, _ in expected))  # grouped, first seen first
    expected.sort(key=lambda row: menus.index(row[0]))
    assert [(menu, text) for menu, text, _ in rows] == expected
    assert dialog.height() <= dialog.screen().availableGeometry().height()
    dialog.close()


# --- new windows ------------------------------------------------------------------------------


def test_new_opens_an_empty_network_in_a_new_window(window: MainWindow) -> None:
    menu_action(window, "File", "New").trigger()
    [new] = other_windows(window)
    assert new.document.network.body == () and new.isVisible()
    assert window.document.network.name == "cifar-resnet20"


def test_make_plain_twin_opens_a_second_window(window: MainWindow) -> None:
    original = window.document.network
    menu_action(window, "Network", "Make Plain Twin").trigger()
    [twin] = other_windows(window)
    assert twin.isVisible()
    network = twin.document.network
    assert network.name == "cifar-plain20"
    residuals = [n for n in walk(network.body) if isinstance(n, Residual)]
    assert len(residuals) == 3 and all(r.shortcut == "none" for r in residuals)
    assert [n.id for n in walk(network.body)] == [n.id for n in walk(original.body)]
    assert window.document.network == original and not window.document.modified
    assert twin.document.summary.total_params == 269_722  # zero-pad shortcuts have no weights
    # Its blocks say what they are: plain, not residual.
    block = residuals[0]
    twin.document.select([block.id])
    assert twin.inspector.kind_label.text() == "Plain block"
    assert "plain networks" in twin.inspector.help_label.text()
    assert twin.canvas.item_for(block.id).toolTip().startswith("Plain block — ")
    index = twin.layers.model.first_index(block.id)
    assert index.siblingAtColumn(KIND).data() == "Plain block"
    assert window.layers.model.first_index(block.id).siblingAtColumn(KIND).data() == "Residual"


def choose_preset(monkeypatch: pytest.MonkeyPatch, key: str) -> list[PresetDialog]:
    """Make PresetDialog.exec pick ``key`` and press OK, without a modal loop."""
    shown: list[PresetDialog] = []

    def exec_(dialog: PresetDialog) -> int:
        shown.append(dialog)
        found = [
            dialog.tree.topLevelItem(i).child(j)
            for i in range(dialog.tree.topLevelItemCount())
            for j in range(dialog.tree.topLevelItem(i).childCount())
        ]
        [item] = [it for it in found if it.data(0, 0x0100) == key]  # UserRole
        dialog.tree.setCurrentItem(item)
        dialog.buttons.accepted.emit()
        return dialog.result()

    monkeypatch.setattr(PresetDialog, "exec", exec_)
    return shown


def test_new_from_preset_switches_a_pristine_window_in_place(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = choose_preset(monkeypatch, "cifar-resnet56")
    menu_action(window, "File", "New from Preset").trigger()
    assert len(shown) == 1
    assert other_windows(window) == []
    assert window.document.network.name == "cifar-resnet56"
    assert "cifar-resnet56" in window.windowTitle() and window.isWindowModified()
    assert window.totals_label.text().startswith("853,018 parameters")
    window.undo_action.trigger()
    assert window.document.network.name == "cifar-resnet20"


def test_new_from_preset_in_a_modified_window_opens_a_new_one(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    modify(window)
    before = window.document.network
    choose_preset(monkeypatch, "resnet18")
    menu_action(window, "Network", "New from Preset").trigger()
    [new] = other_windows(window)
    assert new.document.network.name == "resnet18" and new.isVisible()
    assert window.document.network == before


def test_new_from_preset_cancelled_changes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PresetDialog, "exec", lambda dialog: 0)
    window.preset_action.trigger()
    assert window.document.undo_stack.count() == 0 and other_windows(window) == []


# --- export ------------------------------------------------------------------------------------


def wait_exported(qtbot, window: MainWindow, path: Path) -> None:
    qtbot.waitUntil(path.exists, timeout=60_000)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Exported"), timeout=60_000
    )
    assert str(path) in window.statusBar().currentMessage()


@pytest.mark.filterwarnings("ignore:`torch.jit.load` is deprecated:FutureWarning")
def test_export_checkpoint_and_torchscript_load_back(
    qtbot, window: MainWindow, dialogs, tmp_path: Path
) -> None:
    torch = pytest.importorskip("torch")
    from resnet_studio.model.load import load_checkpoint, read_network

    network = window.document.network
    checkpoint = tmp_path / "model.pt"
    window.export_model_to(checkpoint, "checkpoint")
    assert window.statusBar().currentMessage().startswith("Exporting")
    wait_exported(qtbot, window, checkpoint)
    loaded, model, _ = load_checkpoint(checkpoint)
    assert loaded == network
    assert sum(p.numel() for p in model.parameters()) == 269_722

    scripted = tmp_path / "scripted"  # the chosen format's ending is added
    dialogs.save_path = scripted
    dialogs.save_filter = "TorchScript (*.pt)"
    menu_action(window, "File", "Export Untrained Network").trigger()
    [(_, title, suggested)] = dialogs.of("save")
    assert title == "Export Untrained Network (freshly initialised weights)"
    assert Path(suggested).name == "cifar-resnet20-untrained.pt"
    scripted = tmp_path / "scripted.pt"
    wait_exported(qtbot, window, scripted)
    module = torch.jit.load(str(scripted))
    with torch.no_grad():
        assert tuple(module.eval()(torch.zeros(2, 3, 32, 32)).shape) == (2, 10)
    assert read_network(scripted) == network
    assert dialogs.of("warning") == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pt") == [
        "model.pt",
        "scripted.pt",
    ]


def test_export_of_a_broken_network_is_refused(qtbot, dialogs, tmp_path: Path) -> None:
    window = MainWindow(Network(name="broken", body=(Linear(name="fc"),)))
    assert "problem" in window.totals_label.text()
    dialogs.save_path = tmp_path / "broken.pt"
    window.export_network_action.trigger()
    assert len(dialogs.of("warning")) == 1
    assert all("Linear needs flat features" in text for _, _, text in dialogs.of("warning"))
    assert dialogs.of("save") == []  # refused before asking where
    assert not (tmp_path / "broken.pt").exists()


def test_export_failure_is_reported(qtbot, window: MainWindow, dialogs, tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "model.pt"
    window.export_model_to(target, "checkpoint")
    qtbot.waitUntil(lambda: bool(dialogs.of("warning")), timeout=60_000)
    [(_, title, text)] = dialogs.of("warning")
    assert "export failed" in title.lower() and text
    assert not window.statusBar().currentMessage().startswith("Exporting")


def test_closing_while_exporting_is_safe(qtbot, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "late.pt"
    window.export_model_to(path, "checkpoint")
    window._detect_device()
    window.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the window is gone
    QThreadPool.globalInstance().waitForDone(60_000)
    qtbot.wait(50)  # the job reports to a deleted window: nothing may raise
    assert path.exists()


def test_export_layers_csv(window: MainWindow, dialogs, tmp_path: Path) -> None:
    path = tmp_path / "layers.csv"
    dialogs.save_path = path
    assert window.export_csv_action in menu(window, "File").actions()
    window.export_csv_action.trigger()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "path,kind,output_shape,params,macs,error"
    assert lines[1].startswith("conv1,Conv2d,")
    assert len(lines) == 1 + len(window.document.summary.rows)


def test_export_canvas_image(window: MainWindow, dialogs, tmp_path: Path) -> None:
    path = tmp_path / "canvas.png"
    dialogs.save_path = path
    window.export_image_action.trigger()
    image = QImage(str(path))
    assert not image.isNull() and image.width() > 100 and image.height() > 100
    assert dialogs.of("warning") == []

    dialogs.save_path = tmp_path / "canvas.bmp"
    window.export_image_action.trigger()
    [(_, _, text)] = dialogs.of("warning")
    assert ".png or .svg" in text


# --- autosave and recovery ------------------------------------------------------------------------


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def write_crash_leftover(network: Network, saved_path: Path | None = None) -> Path:
    folder = recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{dead_pid()}-deadbeef.json"
    doc = {
        "pid": dead_pid(),
        "saved_at": time.time(),
        "project_path": str(saved_path) if saved_path else None,
        "project": project_to_json(network),
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_autosave_writes_a_recovery_file_only_when_modified(
    window: MainWindow, tmp_path: Path
) -> None:
    window._autosave()
    assert not window.recovery.path.exists()
    modify(window)
    window._autosave()
    path = window.recovery.path
    assert path.parent == tmp_path / "home" / "recovery"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["pid"] == os.getpid()
    assert json.loads(doc["project"])["network"]["name"] == "cifar-resnet20"


def test_save_discards_the_recovery_file(window: MainWindow, dialogs, tmp_path: Path) -> None:
    modify(window)
    window._autosave()
    assert window.recovery.path.exists()
    dialogs.save_path = tmp_path / "saved.json"
    assert window.save()
    assert not window.recovery.path.exists()
    assert list((tmp_path / "home" / "recovery").iterdir()) == []


def test_recovery_after_a_crash_restores_as_unsaved_work(window: MainWindow, dialogs) -> None:
    lost = preset_network("cifar-resnet32")
    leftover = write_crash_leftover(lost)
    # This process's own autosave is live work, never offered back.
    other = MainWindow()
    modify(other)
    other._autosave()
    dialogs.answer = Button.Yes

    studio_app.offer_recovery(window)

    [(_, title, text)] = dialogs.of("question")
    assert "recover" in title.lower() and "cifar-resnet32" in text
    assert not leftover.exists() and other.recovery.path.exists()
    assert window.document.network == lost
    assert window.document.modified and window.isWindowModified()
    assert window.document.undo_stack.count() == 1
    window.undo_action.trigger()
    assert window.document.network.name == "cifar-resnet20"


def test_recovery_declined_deletes_the_file(window: MainWindow, dialogs) -> None:
    leftover = write_crash_leftover(preset_network("cifar-resnet32"))
    dialogs.answer = Button.No
    studio_app.offer_recovery(window)
    assert len(dialogs.of("question")) == 1
    assert not leftover.exists()
    assert window.document.network.name == "cifar-resnet20" and not window.document.modified
    studio_app.offer_recovery(window)
    assert len(dialogs.of("question")) == 1  # offered once only


def test_recovery_into_a_modified_window_opens_a_new_one(window: MainWindow, dialogs) -> None:
    modify(window)
    before = window.document.network
    write_crash_leftover(preset_network("cifar-resnet44"))
    dialogs.answer = Button.Yes
    studio_app.offer_recovery(window)
    [new] = other_windows(window)
    assert new.document.network.name == "cifar-resnet44" and new.document.modified
    assert window.document.network == before


# --- layout ---------------------------------------------------------------------------------------


def test_dock_layout_is_remembered(qtbot, window: MainWindow) -> None:
    window.palette_dock.hide()
    window.close()
    assert window not in open_windows()

    again = MainWindow()
    again.show()
    qtbot.waitExposed(again)
    assert not again.palette_dock.isVisible()
    assert again.inspector_dock.isVisible() and again.layers_dock.isVisible()

    again.reset_layout_action.trigger()
    assert again.palette_dock.isVisible()


def test_settings_are_sandboxed(window: MainWindow, tmp_path: Path) -> None:
    app = QApplication.instance()
    assert app.organizationName() == "resnet-studio-tests"
    assert window.settings.fileName().startswith(str(tmp_path))
    assert os.environ["RESNET_STUDIO_HOME"] == str(tmp_path / "home")


def test_plot_tabs_are_built_only_when_their_tab_is_opened(window: MainWindow, qtbot) -> None:
    # pyqtgraph takes ~0.4 s to import: the designer must not wait for tabs nobody opened.
    assert not window.curves_holder.built and not window.stats_holder.built
    window.curves_dock.raise_()
    qtbot.waitUntil(lambda: window.curves_holder.built, timeout=5_000)
    assert window.curves.isVisible() and not window.stats_holder.built
    window.stats_dock.raise_()
    qtbot.waitUntil(lambda: window.stats_holder.built, timeout=5_000)
