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


def _t(text: str) -> str:
    return QT_TRANSLATE_NOOP("MainWindow", text)


ACTIONS: tuple[Action | Separator | Slot, ...] = (
    # File
    Action("new", _t("&New"), "new_network", ("File", TOOLBAR), _sk.New,
           _t("Start from an empty network in a new window")),
    Action("preset", _t("New from &Preset…"), "new_from_preset", ("File", "Network", TOOLBAR),
           "Ctrl+Shift+N", _t("Start from a paper network")),
    Action("open", _t("&Open…"), "open_dialog", ("File", TOOLBAR), _sk.Open,
           _t("Open a project, or a trained model file with its weights")),
    Slot("recent", ("File",)),
    Separator(("File",)),
    Action("save", _t("&Save"), "save", ("File", TOOLBAR), _sk.Save,
           _t("Save the project")),
    Action("save_as", _t("Save &As…"), "save_as", ("File",), _sk.SaveAs,
           _t("Save the project under another name")),
    Separator(("File",)),
    # Its text and tip follow the weights: see MainWindow._update_export_action.
    Action("export_network", _t("Export &Untrained Network…"), "export_network", ("File",)),
    Action("export_csv", _t("Export Layers Table as &CSV…"), "export_csv", ("File",),
           tip=_t("Write every layer's shape, parameters and multiply-adds")),
    Action("export_image", _t("Export Canvas as &Image…"), "export_image", ("File",),
           tip=_t("Draw the network as a PNG or SVG picture")),
    Separator(("File",)),
    Action("close_window", _t("&Close Window"), "close", ("File",), _sk.Close,
           _t("Close this window (asks first if it has unsaved changes)")),
    Action("quit", _t("&Quit"), "quit_application", ("File",), _sk.Quit,
           _t("Close every window and end ResNet Studio")),
    # Edit
    Separator((TOOLBAR,)),
    Action("undo", _t("&Undo"), "document.undo_stack.undo", ("Edit", TOOLBAR), _sk.Undo),
    Action("redo", _t("&Redo"), "document.undo_stack.redo", ("Edit", TOOLBAR), _sk.Redo),
    Separator(("Edit", TOOLBAR)),
    Action("cut", _t("Cu&t"), "cut", ("Edit",), _sk.Cut),
    Action("copy", _t("&Copy"), "copy", ("Edit",), _sk.Copy),
    Action("paste", _t("&Paste"), "paste", ("Edit",), _sk.Paste,
           _t("Paste after the selection (inside a selected block)")),
    Action("duplicate", _t("D&uplicate"), "duplicate", ("Edit",), "Ctrl+D"),
    Action("delete", _t("&Delete"), "delete_selection", ("Edit",), _sk.Delete),
    # View
    Action("zoom_in", _t("Zoom &In"), "canvas.zoom_in", ("View",), _sk.ZoomIn),
    Action("zoom_out", _t("Zoom &Out"), "canvas.zoom_out", ("View",), _sk.ZoomOut),
    Action("fit", _t("&Fit to Window"), "canvas.fit_to_view", ("View", TOOLBAR), "Ctrl+0",
           _t("Zoom so the whole network fits")),
    Separator(("View",)),
    Slot("docks", ("View",)),
    Action("reset_layout", _t("&Reset Layout"), "reset_layout", ("View",),
           tip=_t("Put every panel back where it started")),
    Slot("language", ("View",)),
    # Network
    Action("twin", _t("Make &Plain Twin"), "make_plain_twin", ("Network", TOOLBAR), "Ctrl+T",
           _t("Open the same network without shortcuts in a new window")),
    Separator(("Network",)),
    Action("wrap_residual", _t("Wrap in &Residual"), "wrap", ("Network",), "Ctrl+R",
           args=("Residual",)),
    Action("wrap_repeat", _t("Wrap in Re&peat"), "wrap", ("Network",), "Ctrl+Shift+R",
           args=("Repeat",)),
    Action("unwrap", _t("&Unwrap"), "unwrap", ("Network",), "Ctrl+Shift+U"),
    Separator(("Network",)),
    Action("input", _t("&Input Shape and Classes…"), "focus_network_settings", ("Network",)),
    # Training
    Separator((TOOLBAR,)),
    Action("train", _t("&Train…"), "train", ("Training", TOOLBAR), "F5",
           _t("Train this network (and its plain twin) in the background")),
    Action("stop_all", _t("&Stop All Runs"), "stop_all_runs", ("Training",),
           tip=_t("Stop every training run")),
    Separator(("Training",)),
    Action("new_experiment", _t("New &Experiment…"), "new_experiment", ("Training",),
           "Ctrl+Shift+E",
           _t("Run one of the paper's studies, or a grid of your own, as one action")),
    Action("open_experiment", _t("&Open Experiment…"), "open_experiment", ("Training",),
           tip=_t("Show an experiment folder from elsewhere")),
    # The layouts: last in the View menu, at the toolbar's end.
    Separator(("View", TOOLBAR)),
    Action("design_layout", _t("&Design Layout"), "show_layout", ("View", TOOLBAR), "Ctrl+1",
           _t("The canvas, palette and inspector, with the training views as tabs below"),
           args=("design",)),
    Action("training_layout", _t("&Training Layout"), "show_layout", ("View", TOOLBAR),
           "Ctrl+2", _t("The runs table over the plots, across the whole window"),
           args=("training",)),
    # Help
    Action("guide", _t("About &Residual Learning"), "show_guide", ("Help",),
           tip=_t("The paper's ideas in a few paragraphs, with the networks and studies "
                  "that show them")),
    Action("welcome", _t("&Welcome Page"), "show_welcome", ("Help",),
           tip=_t("Start from a preset, a project, scratch or the paper's comparison")),
    Action("shortcuts", _t("&Keyboard Shortcuts"), "show_shortcuts", ("Help",),
           _sk.HelpContents, _t("List the keys of every command")),
    Action("about", _t("&About ResNet Studio"), "show_about", ("Help",)),
)  # fmt: skip


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
