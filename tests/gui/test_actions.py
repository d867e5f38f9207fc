"""The action table: every command calls something real, appears somewhere, and no key
is bound twice."""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtGui import QKeySequence

from resnet_studio.gui.actions import (
    ACTIONS,
    MENUS,
    TOOLBAR,
    Action,
    Separator,
    Slot,
    bindings,
    commands,
    plain_text,
    typed_keys,
)
from resnet_studio.gui.main_window import MainWindow

SK = QKeySequence.StandardKey


def test_every_command_has_a_handler_a_place_and_a_unique_name(window: MainWindow) -> None:
    names = [c.name for c in commands()]
    assert len(names) == len(set(names))
    for row in ACTIONS:
        assert row.where and set(row.where) <= {*MENUS, TOOLBAR}, row
    for command in commands():
        assert callable(attrgetter(command.handler)(window)), command.handler
        assert command.text.endswith("…") == (
            command.name
            in {
                "preset",
                "open",
                "import_model",
                "save_as",
                "export_network",
                "export_csv",
                "export_image",
                "input",
                "train",
                "new_experiment",
                "open_experiment",
            }
        ), command.name  # an ellipsis where a dialog asks for more


def test_no_key_is_bound_to_two_commands() -> None:
    keys = [k.toString() for found in bindings().values() for k in found]
    assert keys and len(keys) == len(set(keys))


def test_a_key_the_table_names_wins_over_a_platforms_standard_key() -> None:
    # On X11 desktops the standard Delete keys are Del and Ctrl+D; the table gives Ctrl+D
    # to Duplicate, which would leave Ctrl+D doing nothing at all.
    rows = (
        Action("duplicate", "D&uplicate", "duplicate", ("Edit",), "Ctrl+D"),
        Separator(("Edit",)),
        Action("delete", "&Delete", "delete_selection", ("Edit",), SK.Delete),
        Slot("docks", ("View",)),
        Action("about", "&About", "show_about", ("Help",)),
    )

    def x11(key: QKeySequence.StandardKey) -> list[QKeySequence]:
        assert key == SK.Delete
        return [QKeySequence("Del"), QKeySequence("Ctrl+D")]

    found = {name: [k.toString() for k in keys] for name, keys in bindings(rows, x11).items()}
    assert found == {"duplicate": ["Ctrl+D"], "delete": ["Del"], "about": []}


def test_texts_read_as_labels_and_keys_as_a_user_types_them() -> None:
    assert plain_text("Save &As…") == "Save As…"
    assert plain_text("Rock && &Roll") == "Rock & Roll"
    keys = [QKeySequence("Ctrl+Z"), QKeySequence("F14"), QKeySequence("Alt+Backspace")]
    assert typed_keys(keys) == "Ctrl+Z, Alt+Backspace"
    assert typed_keys([]) == ""
