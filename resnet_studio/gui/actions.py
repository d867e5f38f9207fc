"""The designer window's actions as one table: what each says, its keys, its tip, what it
calls and where it appears.

The menus, the toolbar and Help → Keyboard Shortcuts are all made from
:data:`ACTIONS`, so the key a menu shows, the key the shortcuts dialog lists
and the key that works are one and the same. Rows come in menu order; a
:class:`Separator` or a :class:`Slot` (entries the window makes itself: recent
files, dock toggles, the languages) sits in the places it names. Texts are translated in the
``MainWindow`` context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QKeySequence

TOOLBAR = "toolbar"  # a place beside the menus: the main toolbar

# The menu bar, in order: name → title (with its mnemonic).
MENUS: dict[str, str] = {
    "File": QT_TRANSLATE_NOOP("MainWindow", "&File"),
    "Edit": QT_TRANSLATE_NOOP("MainWindow", "&Edit"),
    "View": QT_TRANSLATE_NOOP("MainWindow", "&View"),
    "Network": QT_TRANSLATE_NOOP("MainWindow", "&Network"),
    "Training": QT_TRANSLATE_NOOP("MainWindow", "&Training"),
    "Help": QT_TRANSLATE_NOOP("MainWindow", "&Help"),
}

Keys = QKeySequence.StandardKey | str | None
_sk = QKeySequence.StandardKey


@dataclass(frozen=True)
class Action:
    """One command of the window.

    ``name``: the window keeps it as ``<name>_action``. ``text``: as in a menu, ``&``
    before the mnemonic; the toolbar shows it without, and keeps it when the menu's
    text changes (Undo and Redo name their command in the menu and the tooltip only).
    ``handler``: the window's method to call with ``args`` (dotted for a part of the
    window: ``canvas.zoom_in``). ``where``: the menus that list it, and/or TOOLBAR.
    """

    name: str
    text: str
    handler: str
    where: tuple[str, ...]
    keys: Keys = None
    tip: str = ""
    args: tuple[object, ...] = ()


@dataclass(frozen=True)
class Separator:
    """A line between groups, in each of the places named."""

    where: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    """Where the window puts entries that it makes itself."""

    name: str
    where: tuple[str, ...]


# Texts are marked with QT_TRANSLATE_NOOP itself, spelled out: pyside6-lupdate extracts only
# the calls it knows by name, never those of a wrapper.
ACTIONS: tuple[Action | Separator | Slot, ...] = (
    # File
    Action(
        "new",
        QT_TRANSLATE_NOOP("MainWindow", "&New"),
        "new_network",
        ("File", TOOLBAR),
        _sk.New,
        QT_TRANSLATE_NOOP("MainWindow", "Start from an empty network in a new window"),
    ),
    Action(
        "preset",
        QT_TRANSLATE_NOOP("MainWindow", "New from &Preset…"),
        "new_from_preset",
        ("File", "Network", TOOLBAR),
        "Ctrl+Shift+N",
        QT_TRANSLATE_NOOP("MainWindow", "Start from a paper network"),
    ),
    Action(
        "open",
        QT_TRANSLATE_NOOP("MainWindow", "&Open…"),
        "open_dialog",
        ("File", TOOLBAR),
        _sk.Open,
        QT_TRANSLATE_NOOP("MainWindow", "Open a project, or a trained model file with its weights"),
    ),
    Slot("recent", ("File",)),
    Action(
        "import_model",
        QT_TRANSLATE_NOOP("MainWindow", "&Import…"),
        "import_model",
        ("File",),
        "Ctrl+I",
        QT_TRANSLATE_NOOP(
            "MainWindow",
            "Import a PyTorch model with its weights: torchvision's, a class in your own "
            ".py file, or a model file",
        ),
    ),
    Separator(("File",)),
    Action(
        "save",
        QT_TRANSLATE_NOOP("MainWindow", "&Save"),
        "save",
        ("File", TOOLBAR),
        _sk.Save,
        QT_TRANSLATE_NOOP("MainWindow", "Save the project"),
    ),
    Action(
        "save_as",
        QT_TRANSLATE_NOOP("MainWindow", "Save &As…"),
        "save_as",
        ("File",),
        _sk.SaveAs,
        QT_TRANSLATE_NOOP("MainWindow", "Save the project under another name"),
    ),
    Separator(("File",)),
    # Its text and tip follow the weights: see MainWindow._update_export_action.
    Action(
        "export_network",
        QT_TRANSLATE_NOOP("MainWindow", "Export &Untrained Network…"),
        "export_network",
        ("File",),
    ),
    Action(
        "export_csv",
        QT_TRANSLATE_NOOP("MainWindow", "Export Layers Table as &CSV…"),
        "export_csv",
        ("File",),
        tip=QT_TRANSLATE_NOOP(
            "MainWindow", "Write every layer's shape, parameters and multiply-adds"
        ),
    ),
    Action(
        "export_image",
        QT_TRANSLATE_NOOP("MainWindow", "Export Canvas as &Image…"),
        "export_image",
        ("File",),
        tip=QT_TRANSLATE_NOOP("MainWindow", "Draw the network as a PNG or SVG picture"),
    ),
    Separator(("File",)),
    Action(
        "close_window",
        QT_TRANSLATE_NOOP("MainWindow", "&Close Window"),
        "close",
        ("File",),
        _sk.Close,
        QT_TRANSLATE_NOOP("MainWindow", "Close this window (asks first if it has unsaved changes)"),
    ),
    Action(
        "quit",
        QT_TRANSLATE_NOOP("MainWindow", "&Quit"),
        "quit_application",
        ("File",),
        _sk.Quit,
        QT_TRANSLATE_NOOP("MainWindow", "Close every window and end ResNet Studio"),
    ),
    # Edit
    Separator((TOOLBAR,)),
    Action(
        "undo",
        QT_TRANSLATE_NOOP("MainWindow", "&Undo"),
        "document.undo_stack.undo",
        ("Edit", TOOLBAR),
        _sk.Undo,
    ),
    Action(
        "redo",
        QT_TRANSLATE_NOOP("MainWindow", "&Redo"),
        "document.undo_stack.redo",
        ("Edit", TOOLBAR),
        _sk.Redo,
    ),
    Separator(("Edit", TOOLBAR)),
    Action("cut", QT_TRANSLATE_NOOP("MainWindow", "Cu&t"), "cut", ("Edit",), _sk.Cut),
    Action("copy", QT_TRANSLATE_NOOP("MainWindow", "&Copy"), "copy", ("Edit",), _sk.Copy),
    Action(
        "paste",
        QT_TRANSLATE_NOOP("MainWindow", "&Paste"),
        "paste",
        ("Edit",),
        _sk.Paste,
        QT_TRANSLATE_NOOP("MainWindow", "Paste after the selection (inside a selected block)"),
    ),
    Action(
        "duplicate", QT_TRANSLATE_NOOP("MainWindow", "D&uplicate"), "duplicate", ("Edit",), "Ctrl+D"
    ),
    Action(
        "delete",
        QT_TRANSLATE_NOOP("MainWindow", "&Delete"),
        "delete_selection",
        ("Edit",),
        _sk.Delete,
    ),
    # View
    Action(
        "zoom_in",
        QT_TRANSLATE_NOOP("MainWindow", "Zoom &In"),
        "canvas.zoom_in",
        ("View",),
        _sk.ZoomIn,
    ),
    Action(
        "zoom_out",
        QT_TRANSLATE_NOOP("MainWindow", "Zoom &Out"),
        "canvas.zoom_out",
        ("View",),
        _sk.ZoomOut,
    ),
    Action(
        "fit",
        QT_TRANSLATE_NOOP("MainWindow", "&Fit to Window"),
        "canvas.fit_to_view",
        ("View", TOOLBAR),
        "Ctrl+0",
        QT_TRANSLATE_NOOP("MainWindow", "Zoom so the whole network fits"),
    ),
    Separator(("View",)),
    Slot("docks", ("View",)),
    Action(
        "reset_layout",
        QT_TRANSLATE_NOOP("MainWindow", "&Reset Layout"),
        "reset_layout",
        ("View",),
        tip=QT_TRANSLATE_NOOP("MainWindow", "Put every panel back where it started"),
    ),
    Separator(("View",)),
    Slot("language", ("View",)),
    # Network
    Action(
        "twin",
        QT_TRANSLATE_NOOP("MainWindow", "Make &Plain Twin"),
        "make_plain_twin",
        ("Network", TOOLBAR),
        "Ctrl+T",
        QT_TRANSLATE_NOOP("MainWindow", "Open the same network without shortcuts in a new window"),
    ),
    Separator(("Network",)),
    Action(
        "wrap_residual",
        QT_TRANSLATE_NOOP("MainWindow", "Wrap in &Residual"),
        "wrap",
        ("Network",),
        "Ctrl+R",
        args=("Residual",),
    ),
    Action(
        "wrap_repeat",
        QT_TRANSLATE_NOOP("MainWindow", "Wrap in Re&peat"),
        "wrap",
        ("Network",),
        "Ctrl+Shift+R",
        args=("Repeat",),
    ),
    Action(
        "wrap_group",
        QT_TRANSLATE_NOOP("MainWindow", "Wrap in &Group"),
        "wrap",
        ("Network",),
        "Ctrl+G",
        args=("Group",),
    ),
    Action(
        "unwrap", QT_TRANSLATE_NOOP("MainWindow", "&Unwrap"), "unwrap", ("Network",), "Ctrl+Shift+U"
    ),
    Separator(("Network",)),
    Action(
        "input",
        QT_TRANSLATE_NOOP("MainWindow", "&Input Shape and Classes…"),
        "focus_network_settings",
        ("Network",),
    ),
    # Training
    Separator((TOOLBAR,)),
    Action(
        "train",
        QT_TRANSLATE_NOOP("MainWindow", "&Train…"),
        "train",
        ("Training", TOOLBAR),
        "F5",
        QT_TRANSLATE_NOOP(
            "MainWindow", "Train this network (and its plain twin) in the background"
        ),
    ),
    Action(
        "stop_all",
        QT_TRANSLATE_NOOP("MainWindow", "&Stop All Runs"),
        "stop_all_runs",
        ("Training",),
        tip=QT_TRANSLATE_NOOP("MainWindow", "Stop every training run"),
    ),
    Separator(("Training",)),
    Action(
        "new_experiment",
        QT_TRANSLATE_NOOP("MainWindow", "New &Experiment…"),
        "new_experiment",
        ("Training",),
        "Ctrl+Shift+E",
        QT_TRANSLATE_NOOP(
            "MainWindow", "Run one of the paper's studies, or a grid of your own, as one action"
        ),
    ),
    Action(
        "open_experiment",
        QT_TRANSLATE_NOOP("MainWindow", "&Open Experiment…"),
        "open_experiment",
        ("Training",),
        tip=QT_TRANSLATE_NOOP("MainWindow", "Show an experiment folder from elsewhere"),
    ),
    # The layouts: last in the View menu, at the toolbar's end.
    Separator(("View", TOOLBAR)),
    Action(
        "design_layout",
        QT_TRANSLATE_NOOP("MainWindow", "&Design Layout"),
        "show_layout",
        ("View", TOOLBAR),
        "Ctrl+1",
        QT_TRANSLATE_NOOP(
            "MainWindow", "The canvas, palette and inspector, with the training views as tabs below"
        ),
        args=("design",),
    ),
    Action(
        "training_layout",
        QT_TRANSLATE_NOOP("MainWindow", "&Training Layout"),
        "show_layout",
        ("View", TOOLBAR),
        "Ctrl+2",
        QT_TRANSLATE_NOOP("MainWindow", "The runs table over the plots, across the whole window"),
        args=("training",),
    ),
    # Help
    Action(
        "guide",
        QT_TRANSLATE_NOOP("MainWindow", "About &Residual Learning"),
        "show_guide",
        ("Help",),
        tip=QT_TRANSLATE_NOOP(
            "MainWindow",
            "The paper's ideas in a few paragraphs, with the networks and studies that show them",
        ),
    ),
    Action(
        "welcome",
        QT_TRANSLATE_NOOP("MainWindow", "&Welcome Page"),
        "show_welcome",
        ("Help",),
        tip=QT_TRANSLATE_NOOP(
            "MainWindow", "Start from a preset, a project, scratch or the paper's comparison"
        ),
    ),
    Action(
        "shortcuts",
        QT_TRANSLATE_NOOP("MainWindow", "&Keyboard Shortcuts"),
        "show_shortcuts",
        ("Help",),
        _sk.HelpContents,
        QT_TRANSLATE_NOOP("MainWindow", "List the keys of every command"),
    ),
    Action(
        "about", QT_TRANSLATE_NOOP("MainWindow", "&About ResNet Studio"), "show_about", ("Help",)
    ),
)


def commands(rows: Sequence[Action | Separator | Slot] = ACTIONS) -> list[Action]:
    """The actions of the table, in order (without separators and slots)."""
    return [row for row in rows if isinstance(row, Action)]


def bindings(
    rows: Sequence[Action | Separator | Slot] = ACTIONS,
    standard: Callable[[QKeySequence.StandardKey], list[QKeySequence]] = QKeySequence.keyBindings,
) -> dict[str, list[QKeySequence]]:
    """Each command's keys on this platform, by name. A platform's standard keys can take
    a key that the table gives another command by name (on X11 desktops Delete also
    takes Ctrl+D, which is Duplicate's): the command that names it keeps it. Qt fires
    neither command of a key bound twice."""
    named = {
        QKeySequence(row.keys).toString() for row in commands(rows) if isinstance(row.keys, str)
    }
    found = {}
    for row in commands(rows):
        if isinstance(row.keys, QKeySequence.StandardKey):
            found[row.name] = [k for k in standard(row.keys) if k.toString() not in named]
        else:
            found[row.name] = [QKeySequence(row.keys)] if row.keys else []
    return found


def plain_text(text: str) -> str:
    """A menu text as a label: without its ``&`` mnemonic (``&&`` stays one ``&``)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def typed_keys(sequences: list[QKeySequence]) -> str:
    """``sequences`` as a user reads them (``Ctrl+Z, Alt+Backspace``), leaving out the
    keys that only special keyboards have (an Undo key, F13 and above): the keys to learn."""
    typed = [
        seq.toString(QKeySequence.SequenceFormat.NativeText)
        for seq in sequences
        if not seq.isEmpty() and seq[0].key().value < Qt.Key.Key_F13.value
    ]
    return ", ".join(typed)
